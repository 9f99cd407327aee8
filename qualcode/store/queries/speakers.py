"""Speakers of the study's transcripts: who speaks where, and the roles of their turns."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qualcode.domain.model import TRANSCRIPT
from qualcode.store import models as m


def speaker_roles(s: Session) -> set[tuple[str, str, str]]:
    """(source, speaker, role) of every named speaker's turns."""
    rows = s.execute(
        select(m.SegmentRow.source_id, m.SegmentRow.speaker, m.SegmentRow.role)
        .where(m.SegmentRow.speaker.is_not(None))
        .distinct()
    )
    return {(source, speaker, role) for source, speaker, role in rows if speaker is not None}


def transcript_segments(
    s: Session, source: str | None = None, case: str | None = None
) -> Iterator[tuple[str, str, m.SegmentRow]]:
    """(source id, source text, segment) of the transcripts' segments in reading order,
    of one source or one case's sources when given."""
    query = (
        select(m.SourceRow.id, m.SourceRow.text, m.SegmentRow)
        .join(m.SegmentRow, m.SegmentRow.source_id == m.SourceRow.id)
        .where(m.SourceRow.kind == TRANSCRIPT)
        .order_by(m.SourceRow.id, m.SegmentRow.ordinal)
    )
    if source is not None:
        query = query.where(m.SourceRow.id == source)
    if case is not None:
        query = query.where(m.SourceRow.case_id == case)
    for row in s.execute(query):
        yield row[0], row[1], row[2]


def speaker_segments(s: Session, speaker: str | None, source: str | None) -> list[m.SegmentRow]:
    """A speaker's transcript segments (``None``: the unlabelled ones), or in one source."""
    query = (
        select(m.SegmentRow)
        .join(m.SourceRow, m.SourceRow.id == m.SegmentRow.source_id)
        .where(m.SourceRow.kind == TRANSCRIPT)
    )
    if speaker is None:
        query = query.where(m.SegmentRow.speaker.is_(None))
    else:
        query = query.where(m.SegmentRow.speaker == speaker)
    if source is not None:
        query = query.where(m.SegmentRow.source_id == source)
    return list(s.scalars(query))


def segments_in(s: Session, ids: Collection[str]) -> list[m.SegmentRow]:
    return list(s.scalars(select(m.SegmentRow).where(m.SegmentRow.id.in_(list(ids)))))


def set_roles(s: Session, ids: Collection[str], role: str) -> None:
    """Give these segments ``role``."""
    s.execute(update(m.SegmentRow).where(m.SegmentRow.id.in_(list(ids))).values(role=role))


def segment_times(s: Session) -> dict[str, str]:
    """Segment id -> the timestamp of its turn, for the segments that have one."""
    rows = s.execute(
        select(m.SegmentRow.id, m.SegmentRow.time).where(m.SegmentRow.time.is_not(None))
    )
    return {segment: time for segment, time in rows if time is not None}


def segments_of_timed_sources(s: Session) -> list[m.SegmentRow]:
    """Every segment of the sources that have a timed turn, by source and position."""
    timed = select(m.SegmentRow.source_id).where(m.SegmentRow.time.is_not(None)).distinct()
    query = (
        select(m.SegmentRow)
        .where(m.SegmentRow.source_id.in_(timed))
        .order_by(m.SegmentRow.source_id, m.SegmentRow.ordinal)
    )
    return list(s.scalars(query))
