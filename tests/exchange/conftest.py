"""Fixtures for REFI-QDA exchange and anonymisation tests.

The REFI-QDA schemas and real sample exports live in ../shared/refi-qda beside the
project root (CI lays them there too); tests that need them skip, saying so, when
that folder is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.services import codings, memos, queries, summaries
from qualcode.services.study import Study

REFI = Path(__file__).resolve().parents[2].parent / "shared" / "refi-qda"
SAMPLES = REFI / "samples"


def need_refi() -> Path:
    if not (REFI / "Project.xsd").is_file():
        pytest.skip(
            f"{REFI} is absent: the REFI-QDA schemas and sample exports are expected in "
            "../shared/refi-qda beside the project root"
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
def coded_demo(demo_study: Study) -> Iterator[Study]:
    """The sample study with codings made through services.codings by two coders,
    spans inside and across segments, memos of every kind and matrix summaries."""
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
