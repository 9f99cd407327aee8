"""Importing transcripts, survey answers and case attributes; each import is one transaction.

Surveys are read in :mod:`qualcode.services.survey_import` and case attributes in
:mod:`qualcode.services.case_import`; both are here too, where callers look for them."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain import near_copies
from qualcode.domain.documents import ParsedTranscript
from qualcode.domain.ids import checksum, segment_id, slug, snake_key, unique
from qualcode.domain.model import TRANSCRIPT, ImportReport
from qualcode.domain.segmentation import segment_turns
from qualcode.errors import InputError
from qualcode.ingest import find_transcripts, not_read, read_transcript
from qualcode.services.case_import import import_cases
from qualcode.services.gc_pause import gc_paused
from qualcode.services.import_report import (
    file_report,
    study_speakers,
    unmatched_interviewers,
    with_proposals,
)
from qualcode.services.study import Study
from qualcode.services.survey_import import import_survey, question_names
from qualcode.services.table_import import FREE_TEXT_MIN_MEAN_CHARS, Progress, guess_text_columns
from qualcode.store import attributes as attrs
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import sources as sources_q

__all__ = [
    "FREE_TEXT_MIN_MEAN_CHARS",
    "Progress",
    "guess_text_columns",
    "import_cases",
    "import_survey",
    "import_transcripts",
    "question_names",
]


@gc_paused()
def import_transcripts(
    study: Study,
    paths: Sequence[Path],
    case: str | None = None,
    attributes: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    interviewers: Sequence[str] = (),
) -> ImportReport:
    """Import transcript files (or folders of them): one case per file unless ``case``.

    Every file is read before anything is written, so a bad file leaves the study as
    it was. A file already imported with the same text is skipped; a changed version
    is refused. Speakers named in ``interviewers`` take the interviewer role; a
    transcript with no interviewer gets a proposed one (see ``speaker_roles``).
    """
    files = find_transcripts(paths)
    _check_distinct_names(files)
    parsed: list[tuple[Path, ParsedTranscript]] = []
    for n, path in enumerate(files):
        parsed.append((path, read_transcript(path, interviewers)))
        if progress:
            progress(n + 1, 2 * len(files))
    with study.read() as s:
        elsewhere, interviewers_before = study_speakers(s)
    parsed, proposed = with_proposals(parsed, elsewhere, interviewers_before)
    reports: list[dict[str, Any]] = []
    extra = {snake_key(k): v for k, v in (attributes or {}).items()}
    added = unchanged = segments = cases_added = 0
    touched: set[str] = set()
    copies: list[str] = []
    ignored: list[str] = []
    with study.write() as s:
        prints: list[tuple[str, str, frozenset[int]]] | None = None  # read once, if needed
        source_ids = sources_q.source_ids(s)
        case_ids = set(cases_q.case_ids(s))
        joined: list[str] = []  # files whose names gave the id of another file's case
        for n, (path, doc) in enumerate(parsed):
            digest = checksum(doc.text)
            existing = sources_q.source_named(s, TRANSCRIPT, doc.name)
            if existing is not None:
                # stored before files were read composed (NFC): the same file still
                if (
                    existing.checksum != digest
                    and unicodedata.normalize("NFC", existing.text) != doc.text
                ):
                    raise InputError(
                        f"a different version of {doc.name} is already imported as source "
                        f"{existing.id!r}; to replace it, run `qualcode sources remove "
                        f"{existing.id}` (its codings are deleted) and import it again",
                        path,
                    )
                unchanged += 1
                reports.append(file_report(path, doc, None))
                ignored.extend(_not_applied(s, path, existing, case, extra))
                continue
            twin = sources_q.source_with_checksum(s, TRANSCRIPT, digest)
            if twin is not None:  # "int01 (1).docx", a copy: its case would count twice
                raise InputError(
                    f"the same text as {twin.name} (source {twin.id!r}): "
                    "a copy would count its case twice; leave one of them out",
                    path,
                )
            if prints is None:
                prints = _fingerprints(sources_q.texts_of_kind(s, TRANSCRIPT))
            mine = near_copies.fingerprint(doc.text)
            case_id = case or doc.case or slug(Path(doc.name).stem)
            new_case = case_id not in case_ids
            if not (case or doc.case) and not new_case:
                joined.extend(_joins_a_case(s, path, doc.name, case_id))
            if new_case:
                s.add(m.CaseRow(id=case_id))
                s.flush()
                case_ids.add(case_id)
                cases_added += 1
            values = {**dict(doc.attributes), **extra}
            had: dict[str, str | None] = {
                r.name: r.value for r in cases_q.case_attribute_rows(s, case_id, list(values))
            }
            # a value not set before is None: the undo takes it away again
            old = {k: had.get(k) for k, v in values.items() if had.get(k) != v}
            attrs.set_attributes(s, case_id, values)
            touched.update(values)
            source_id = unique(slug(Path(doc.name).stem), source_ids)
            source_ids.add(source_id)
            s.add(
                m.SourceRow(
                    id=source_id,
                    case_id=case_id,
                    name=doc.name,
                    kind=TRANSCRIPT,
                    question=None,
                    text=doc.text,
                    checksum=digest,
                    chars=len(doc.text),
                    attributes=dict(doc.source_attributes) or None,
                )
            )
            s.flush()
            if mine is not None:
                copies.extend(_near_copy(path, source_id, mine, prints))
                prints.append((source_id, doc.name, mine))
            reports.append(file_report(path, doc, source_id))
            rows = [
                {
                    "id": segment_id(source_id, i),
                    "source_id": source_id,
                    "ordinal": i,
                    "start": span.start,
                    "end": span.end,
                    "speaker": span.speaker,
                    "role": span.role,
                    "time": span.time,
                }
                for i, span in enumerate(segment_turns(doc.text, doc.turns), start=1)
            ]
            sources_q.add_segments(s, rows)
            segments += len(rows)
            added += 1
            audit.record(
                s,
                study.coder,
                "import",
                "source",
                source_id,
                before={"attributes": old} if old else None,
                after={
                    "file": str(path),
                    "case": case_id,
                    "segments": len(rows),
                    "attributes": values,
                    "layout": doc.layout,
                    "checksum": digest,
                    "case_added": new_case,  # for the undo (services/inverse_imports.py)
                },
            )
            if progress:
                progress(len(files) + n + 1, 2 * len(files))
        attrs.retype(s, touched)
    return ImportReport(
        cases_added=cases_added,
        sources_added=added,
        sources_unchanged=unchanged,
        segments_added=segments,
        messages=tuple(proposed),
        files=tuple(reports),
        warnings=(
            *(f"{Path(r['file']).name}: {warning}" for r in reports for warning in r["warnings"]),
            *copies,
            *joined,
            *ignored,
            *unmatched_interviewers(parsed, interviewers),
            *not_read(paths),
        ),
    )


def _joins_a_case(s: Session, path: Path, name: str, case_id: str) -> list[str]:
    """A warning when a file's name gives the case of another file ("Zoe.txt" and
    "Zoë.txt", "int 1.txt" and "int-1.txt"): two people's interviews in one case
    counted once. A case made from a cases sheet, holding no source, is the match
    intended."""
    others = [n for n in sources_q.file_names_of_case(s, case_id, TRANSCRIPT) if n != name]
    if not others:
        return []
    return [
        f"{path.name}: its name gives the case {case_id!r}, which holds {others[0]} "
        f"already: both are one case now. If they are two people, `qualcode undo` and "
        "import it again with --case"
    ]


def _not_applied(
    s: Session, path: Path, existing: m.SourceRow, case: str | None, extra: Mapping[str, str]
) -> list[str]:
    """What a re-import of an unchanged file was asked to do and did not: a script
    re-run to add an attribute thought it had."""
    asked = []
    if case is not None and case != existing.case_id:
        asked.append(f"--case {case}")
    have = {r.name: r.value for r in cases_q.case_attribute_rows(s, existing.case_id, list(extra))}
    asked += [f"--attr {k}={v}" for k, v in extra.items() if have.get(k) != v]
    if not asked:
        return []
    return [
        f"{path.name}: already imported (case {existing.case_id}), so {', '.join(asked)} "
        "not applied: `qualcode import cases` sets a case's attributes"
    ]


def _fingerprints(texts: Sequence[tuple[str, str, str]]) -> list[tuple[str, str, frozenset[int]]]:
    out = []
    for source_id, name, text in texts:
        mine = near_copies.fingerprint(text)
        if mine is not None:
            out.append((source_id, name, mine))
    return out


def _near_copy(
    path: Path,
    source_id: str,
    mine: frozenset[int],
    prints: Sequence[tuple[str, str, frozenset[int]]],
) -> list[str]:
    """A warning if the text is mostly a transcript the study has (an exact copy is
    refused before this): a corrected copy under another name counts its case twice."""
    best = max(prints, key=lambda p: near_copies.shared(mine, p[2]), default=None)
    if best is None:
        return []
    share = near_copies.shared(mine, best[2])
    if share < near_copies.SHARED:
        return []
    percent = min(99, math.floor(100 * share))  # not the same text: that is refused
    return [
        f"{path.name}: {percent}% of its text is in {best[1]} (source {best[0]!r}), so it "
        "looks like another version of one interview, and its case counts twice; remove "
        f"the one not to keep: `qualcode sources remove {source_id}` or "
        f"`qualcode sources remove {best[0]}`"
    ]


def _check_distinct_names(files: Sequence[Path]) -> None:
    """Refuse two files of one name (site folders each holding an ``int01.txt``): a
    source is known by its file name, so the second would read as a new version of
    the first."""
    seen: dict[str, Path] = {}
    for path in files:
        first = seen.setdefault(path.name, path)
        if first != path:
            raise InputError(
                f"two files are called {path.name}: {first} and {path}; a source is known by "
                "its file name, so rename one (e.g. siteB-int01.txt) and import again",
                path,
            )
