"""REFI-QDA exchange: a study to and from a .qdpx project or a .qdc codebook.

The standard asks tools to say what an exchange loses; every export and import
returns those warnings (the CLI prints them on stderr).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode import __version__
from qualcode.domain.model import ImportReport
from qualcode.domain.wording import counted
from qualcode.exchange import formats
from qualcode.exchange.refi import conventions as cv
from qualcode.exchange.refi.reader import read_codebook, read_project
from qualcode.exchange.refi.safety import DEFAULT_LIMITS, Limits
from qualcode.services.gc_pause import gc_paused
from qualcode.services.refi_export import Anonymising, _Builder, build_project, ensure_guids
from qualcode.services.refi_import import ProjectImport
from qualcode.services.refi_themes import import_codes
from qualcode.services.study import Study
from qualcode.store import audit
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import dimensions as dimensions_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import summaries as summaries_q

MATRIX_NOTE = (
    "REFI-QDA has no framework matrix: matrix summaries travel as notes, each referenced "
    "by its theme's code and linked to its case"
)


@dataclass(frozen=True)
class ExportReport:
    path: Path
    themes: int
    cases: int
    sources: int
    codings: int
    memos: int
    summaries: int
    warnings: tuple[str, ...]


@gc_paused()
def export_qdpx(
    study: Study, path: Path, anonymised: bool = False, title_rules: Path | None = None
) -> ExportReport:
    """Write the study as a .qdpx archive (written whole, then moved into place);
    ``anonymised`` generalises job titles by ``title_rules`` (None: the shipped rules)."""
    anon = None
    warnings: list[str] = []
    if anonymised:
        from qualcode.services import anonymise

        checker = anonymise.output_anonymiser(study, title_rules)  # the rules read once
        anon = Anonymising(
            mapping=anonymise.accepted_mapping(study),
            title=checker.title,
            title_attributes=checker.title_attributes,
            ident=checker.ident,
            withheld=checker.withheld,
        )
        accepted = len(anonymise.accepted_names(study))  # not their spellings in the mapping
        warnings.extend(anonymise.export_warnings(study, accepted, checker.withheld))
    project, counts = build_project(study, anon)
    if anonymised:
        checker.check(project, "the anonymised project")
    formats.sole(formats.PROJECT).load_writer()(project, path)
    with study.read() as s:
        syntheses = summaries_q.synthesis_count(s)
        quotes = codings_q.count_quotes(s)
        cells = len(dimensions_q.cell_rows(s))
        issues = len(dimensions_q.key_issue_rows(s))
    warnings.insert(0, f"{MATRIX_NOTE}: {counted(counts.summaries, 'summary')} written that way")
    lost = ["speaker-turn segments (qualcode re-segments the texts on import)"]
    if quotes:
        lost.append(f"{quotes} quote marks on codings")
    if syntheses:
        lost.append(f"{syntheses} group syntheses")
    if cells:
        lost.append(f"{counted(cells, 'dimension value')} of the matrix cells")
    if issues:
        lost.append(f"the key issues of {counted(issues, 'theme')}")
    if counts.summaries:
        lost.append("the summaries' earlier versions (each comes back as version 1)")
    lost.append("coding origins, suggestions, the audit trail and any anonymisation mapping")
    warnings.append("not in the export: " + "; ".join(lost))
    warnings.append(
        "theme inclusion and exclusion notes and keywords are written into each code's description"
    )
    return ExportReport(
        path, counts.themes, counts.cases, counts.sources, counts.codings, counts.memos,
        counts.summaries, tuple(warnings),
    )  # fmt: skip


@dataclass(frozen=True)
class QdpxImport:
    """What an import added; ``warnings`` list what was skipped or cannot be carried."""

    report: ImportReport
    themes: int
    memos: int
    summaries: int
    warnings: tuple[str, ...]


@gc_paused()
def import_qdpx(study: Study, path: Path, limits: Limits = DEFAULT_LIMITS) -> QdpxImport:
    """Read a .qdpx archive (or a bare .qde) into the study in one transaction; a
    refused or broken file writes nothing."""
    project = read_project(path, limits)
    with study.write() as s:
        counts = ProjectImport(s, project, path, study.coder).run()
    # said on every import: another tool's framework matrix (NVivo's) does not come over
    n = counts.summaries_added
    found = f"{counted(n, 'summary', 'summaries')} read back from this file" if n else "none new"
    warnings = [
        *project.warnings,
        *counts.warnings,
        f"{MATRIX_NOTE}; such notes are read back as summaries ({found})",
    ]
    report = ImportReport(
        cases_added=counts.cases_added,
        sources_added=counts.sources_added,
        sources_unchanged=counts.sources_unchanged,
        segments_added=counts.segments_added,
        codings_added=counts.codings_added,
        codings_unchanged=counts.codings_unchanged,
        themes_added=counts.themes_added,
        messages=tuple(warnings),
    )
    return QdpxImport(
        report, counts.themes_added, counts.memos_added, counts.summaries_added, tuple(warnings)
    )


def _scoped_frameworks(s: Session) -> list[str]:
    """The study's frameworks, where REFI-QDA cannot carry them: more than one, or one
    that codes only some sources (one coding everything comes back as it was)."""
    named = [frameworks_q.to_framework(r) for r in frameworks_q.framework_rows(s)]
    if len(named) > 1 or any(f.applies_to.kind for f in named):
        return [f.name for f in named]
    return []


def qdc_warnings(study: Study) -> list[str]:
    """What a .qdc codebook cannot carry of the study's framework."""
    with study.read() as s:
        scoped = _scoped_frameworks(s)
    if not scoped:
        return []
    return [
        f"not in the codebook: the {counted(len(scoped), 'framework')} ({', '.join(scoped)}) "
        "and what each codes; importing it puts every theme in one framework for all sources"
    ]


def export_qdc(study: Study, path: Path) -> int:
    """Write the framework as a REFI-QDA codebook; returns the number of themes."""
    ensure_guids(study)
    with study.read() as s:
        builder = _Builder(s, study, None)
        codes = builder.codebook()
    formats.sole(formats.CODEBOOK).load_writer()(codes, f"{cv.ORIGIN} {__version__}", path)
    return builder.counts.themes


def import_qdc(study: Study, path: Path, limits: Limits = DEFAULT_LIMITS) -> ImportReport:
    """Add a REFI-QDA codebook's codes as themes (those already there are kept)."""
    codes, origin = read_codebook(path, limits)
    with study.write() as s:
        result = import_codes(s, codes, origin, study.coder)
        audit.record(s, study.coder, "import", "qdc", path.name, after={"added": result.added})
    return ImportReport(
        themes_added=result.added,
        messages=(
            f"{counted(result.added, 'theme')} added, {result.matched} already in the study",
        ),
        warnings=tuple(result.notes),
    )
