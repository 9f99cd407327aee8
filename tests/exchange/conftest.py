"""Fixtures for REFI-QDA exchange and anonymisation tests.

The REFI-QDA schemas (Project.xsd and Codebook.xsd, MIT-licensed, from the REFI-QDA
working group's mirror openqda/refi-tools, docs/schemas) and real sample exports are
not in this repository: they live in a ``shared/refi-qda`` folder beside the project
root (``../shared/refi-qda``) or beside any folder above it, so a clone anywhere under
the folder holding ``shared/`` finds them; ``$QUALCODE_REFI_QDA`` names another place.
Tests that need them skip, saying where they looked, when none is found.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.services import codings, memos, queries, summaries
from qualcode.services.study import Study

# the small study of the export registry's test, defined with the analysis tests
from tests.analysis.conftest import small  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
REFI_ENV = "QUALCODE_REFI_QDA"


def refi_candidates() -> list[Path]:
    """Where the REFI-QDA folder may be, in the order looked at."""
    chosen = [Path(os.environ[REFI_ENV]).expanduser()] if os.environ.get(REFI_ENV) else []
    return chosen + [folder / "shared" / "refi-qda" for folder in ROOT.parents]


def find_refi() -> Path | None:
    return next((p for p in refi_candidates() if (p / "Project.xsd").is_file()), None)


REFI = find_refi() or ROOT.parent / "shared" / "refi-qda"
SAMPLES = REFI / "samples"


def need_refi() -> Path:
    if find_refi() is None:
        looked = ", ".join(str(p) for p in refi_candidates())
        pytest.skip(
            "the REFI-QDA schemas and sample exports are not in this repository and were "
            f"not found (looked for Project.xsd in {looked}); put the shared/refi-qda "
            f"folder beside the project root or set {REFI_ENV} to it"
        )
    return REFI


@pytest.fixture
def refi() -> Path:
    return need_refi()


@pytest.fixture
def project_schema(refi: Path) -> object:
    import xmlschema

    return xmlschema.XMLSchema(str(refi / "Project.xsd"))


@pytest.fixture
def annotated_demo(demo_study: Study) -> Iterator[Study]:
    """The sample study annotated as a REFI-QDA project carries it: codings made through
    services.codings by two coders, spans inside and across segments, memos of every
    kind and matrix summaries. (The analysis tests' ``coded_demo`` is another study: one
    coder's codings planned by rules, for checking counts.)"""
    study = demo_study
    segs = queries.list_segments(study, case="int01") + queries.list_segments(study, case="int02")
    for n, seg in enumerate(segs[:24]):
        codings.code_segment(study, seg.id, "1" if n % 3 else "2.1")
    first, second = segs[0], segs[1]
    codings.add_coding(study, first.source, first.start + 5, first.start + 40, "1.1")
    codings.add_coding(study, first.source, first.start + 5, first.start + 40, "1.2")
    codings.add_coding(study, first.source, first.start, second.end, "3", coder="bob")
    codings.add_coding(study, first.source, first.start + 5, first.start + 40, "1.1", coder="bob")
    survey = queries.list_segments(study, case="R0002")
    for seg in survey:
        codings.code_segment(study, seg.id, "S1")
    memos.set_memo(study, "study", None, "Overall: staffing dominates.")
    memos.set_memo(study, "case", "int01", "Large London borough; director very candid.")
    memos.set_memo(study, "source", first.source, "Recorded by phone; some crosstalk.")
    memos.set_memo(study, "segment", second.id, "Key passage on agency costs.")
    memos.set_memo(study, "theme", "1", "Theme 1 may need splitting.")
    coding_id = codings.list_codings(study, source=first.source, coder="bob")[0].id
    memos.set_memo(study, "coding", str(coding_id), "Borderline: could be theme 2.")
    summaries.set_summary(study, "int01", "1", "Heavy reliance on agency staff (~35%).")
    summaries.set_summary(study, "int02", "2.1", "Supervision monthly, mostly case management.")
    summaries.set_summary(study, "int01", "2.1", "Did not discuss.", status="not discussed")
    return study
