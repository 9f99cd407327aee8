"""Read-only views of a study: cases, sources, segments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from sqlalchemy.orm import Session

from qualcode.domain.framework import natural_key
from qualcode.domain.ids import attribute_named
from qualcode.domain.model import Case, Segment, Source
from qualcode.domain.segmentation import line_of, line_starts
from qualcode.domain.wording import did_you_mean
from qualcode.errors import InputError, NotFoundError
from qualcode.services.study import Study
from qualcode.store import attributes as attrs
from qualcode.store import convert
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import sources as sources_q


def list_cases(study: Study) -> list[Case]:
    with study.read() as s:
        values = attrs.attributes_by_case(s)
        rows = cases_q.case_rows(s)
        cases = [convert.case(r, values.get(r.id, {})) for r in rows]
    return sorted(cases, key=lambda c: natural_key(c.id))


def first_case(study: Study) -> Case | None:
    """The first case in the order the lists show (its attributes as stored text), read
    without reading every case: what a filter's hint is made of."""
    with study.read() as s:
        ids = cases_q.case_ids(s)
        if not ids:
            return None
        first = min(ids, key=natural_key)
        rows = cases_q.case_attribute_rows(s, first)
        return Case(id=first, attributes={r.name: r.value for r in rows})


def attribute_names(study: Study) -> list[str]:
    with study.read() as s:
        return attrs.attribute_names(s)


def resolve_attributes(study: Study, typed: Sequence[str]) -> tuple[str, ...]:
    """The case attributes the names a user typed mean (see ``attribute_named``): the
    header of a survey's column as written, or the first words of its key; a name that
    matches none is kept, for the command's own "unknown case attribute"."""
    if not typed:
        return ()
    known = attribute_names(study)
    try:
        return tuple(attribute_named(t, known) for t in typed)
    except ValueError as exc:
        raise InputError(f"{exc}: type more of it") from None


@overload
def resolve_attribute(study: Study, typed: str) -> str: ...
@overload
def resolve_attribute(study: Study, typed: None) -> None: ...
def resolve_attribute(study: Study, typed: str | None) -> str | None:
    """``resolve_attributes`` for one name, or none."""
    return None if typed is None else resolve_attributes(study, [typed])[0]


def list_sources(study: Study, case: str | None = None) -> list[Source]:
    with study.read() as s:
        rows = sources_q.source_rows(s, case)
        out = [convert.source(r) for r in rows]
    return sorted(out, key=lambda x: natural_key(x.id))


def source_text(study: Study, source_id: str) -> str:
    with study.read() as s:
        text = sources_q.source_text(s, source_id)
    if text is None:
        raise NotFoundError(f"no source {source_id!r}")
    return text


@dataclass(frozen=True)
class SegmentText:
    id: str
    case: str
    source: str
    start: int
    end: int
    text: str


def segment_texts(study: Study) -> list[SegmentText]:
    """Every respondent segment's text and place, in the order of
    :func:`list_segments` (by source, then start), without line numbers or speakers:
    what the suggester reads, which on a big survey is tens of thousands."""
    with study.read() as s:
        rows = sources_q.respondent_segment_spans(s)
        texts = sources_q.source_texts(s)
    order = {src: natural_key(src) for src in {r[1] for r in rows}}
    rows.sort(key=lambda r: (order[r[1]], r[2]))
    return [SegmentText(sid, case, src, a, b, texts[src][a:b]) for sid, src, a, b, case in rows]


def _check_named(s: Session, case: str | None, source: str | None) -> None:
    if case is not None:
        known = cases_q.case_ids(s)
        if case not in known:
            close = did_you_mean(case, dict.fromkeys(known, ""))
            raise NotFoundError(f"no case {case!r}{close}")
    if source is not None:
        names = sources_q.source_ids(s)
        if source not in names:
            raise NotFoundError(
                f"no source {source!r}{did_you_mean(source, dict.fromkeys(names, ''))}"
            )


def check_case(study: Study, case: str) -> None:
    """Refuse a case the study does not have, naming the closest (a mistyped name is
    not a case with nothing to list)."""
    with study.read() as s:
        _check_named(s, case, None)


def list_segments(
    study: Study,
    case: str | None = None,
    source: str | None = None,
    include_interviewer: bool = False,
    ids: Sequence[str] | None = None,
) -> list[Segment]:
    """Codable units in reading order; interviewer turns only when asked for."""
    with study.read() as s:
        rows = sources_q.segments_in_reading_order(s, case, source, not include_interviewer, ids)
        if not rows:  # a mistyped name is not a case with nothing to code
            _check_named(s, case, source)
        needed = {seg.source_id for seg, _ in rows}
        all_texts = sources_q.source_texts(s, source=source, case=case)
        texts = {sid: t for sid, t in all_texts.items() if sid in needed}
    lines = {sid: line_starts(t) for sid, t in texts.items()}
    out = [
        Segment(
            id=seg.id,
            case=case_id,
            source=seg.source_id,
            start=seg.start,
            end=seg.end,
            speaker=seg.speaker,
            role=seg.role,
            text=texts[seg.source_id][seg.start : seg.end],
            line=line_of(lines[seg.source_id], seg.start),
            time=seg.time,
        )
        for seg, case_id in rows
    ]
    order = {sid: natural_key(sid) for sid in needed}
    return sorted(out, key=lambda g: (order[g.source], g.start))
