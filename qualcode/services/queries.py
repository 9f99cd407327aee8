"""Read-only views of a study: cases, sources, segments."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from qualcode.domain.framework import natural_key
from qualcode.domain.model import Case, Segment, Source
from qualcode.domain.segmentation import line_of, line_starts
from qualcode.errors import NotFoundError
from qualcode.services.study import Study
from qualcode.store import attributes as attrs
from qualcode.store import convert
from qualcode.store import models as m


def list_cases(study: Study) -> list[Case]:
    with study.read() as s:
        values = attrs.attributes_by_case(s)
        rows = s.scalars(select(m.CaseRow)).all()
        cases = [convert.case(r, values.get(r.id, {})) for r in rows]
    return sorted(cases, key=lambda c: natural_key(c.id))


def attribute_names(study: Study) -> list[str]:
    with study.read() as s:
        return attrs.attribute_names(s)


def list_sources(study: Study, case: str | None = None) -> list[Source]:
    with study.read() as s:
        query = select(m.SourceRow)
        if case is not None:
            query = query.where(m.SourceRow.case_id == case)
        rows = s.scalars(query).all()
        out = [convert.source(r) for r in rows]
    return sorted(out, key=lambda x: natural_key(x.id))


def source_text(study: Study, source_id: str) -> str:
    with study.read() as s:
        text = s.scalar(select(m.SourceRow.text).where(m.SourceRow.id == source_id))
    if text is None:
        raise NotFoundError(f"no source {source_id!r}")
    return text


def list_segments(
    study: Study,
    case: str | None = None,
    source: str | None = None,
    include_interviewer: bool = False,
    ids: Sequence[str] | None = None,
) -> list[Segment]:
    """Codable units in reading order; interviewer turns only when asked for."""
    with study.read() as s:
        query = (
            select(m.SegmentRow, m.SourceRow.case_id)
            .join(m.SourceRow, m.SourceRow.id == m.SegmentRow.source_id)
            .order_by(m.SegmentRow.source_id, m.SegmentRow.ordinal)
        )
        if case is not None:
            query = query.where(m.SourceRow.case_id == case)
        if source is not None:
            query = query.where(m.SegmentRow.source_id == source)
        if not include_interviewer:
            query = query.where(m.SegmentRow.role == "respondent")
        if ids is not None:
            query = query.where(m.SegmentRow.id.in_(list(ids)))
        rows = s.execute(query).all()
        needed = {seg.source_id for seg, _ in rows}
        text_query = select(m.SourceRow.id, m.SourceRow.text)
        if source is not None:
            text_query = text_query.where(m.SourceRow.id == source)
        elif case is not None:
            text_query = text_query.where(m.SourceRow.case_id == case)
        texts = {sid: t for sid, t in s.execute(text_query).all() if sid in needed}
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
        )
        for seg, case_id in rows
    ]
    order = {sid: natural_key(sid) for sid in needed}
    return sorted(out, key=lambda g: (order[g.source], g.start))
