"""Sources (imported documents and survey answers) and their segments."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from qualcode.store import models as m
from qualcode.store.queries.chunks import rows_in


def source_rows(s: Session, case: str | None = None) -> list[m.SourceRow]:
    """Every source, or one case's."""
    query = select(m.SourceRow)
    if case is not None:
        query = query.where(m.SourceRow.case_id == case)
    return list(s.scalars(query))


def sources_in(s: Session, ids: Collection[str]) -> list[m.SourceRow]:
    return list(s.scalars(select(m.SourceRow).where(m.SourceRow.id.in_(list(ids)))))


def source_ids(s: Session) -> set[str]:
    return set(s.scalars(select(m.SourceRow.id)))


def source_ids_named(s: Session, file_name: str) -> list[str]:
    """Sources imported from a file of this name."""
    return list(s.scalars(select(m.SourceRow.id).where(m.SourceRow.name == file_name)))


def source_chars(s: Session, source_id: str) -> int | None:
    """A source's length, or None when there is no such source."""
    return s.scalar(select(m.SourceRow.chars).where(m.SourceRow.id == source_id))


def source_text(s: Session, source_id: str) -> str | None:
    return s.scalar(select(m.SourceRow.text).where(m.SourceRow.id == source_id))


def source_texts(
    s: Session,
    ids: Collection[str] | None = None,
    source: str | None = None,
    case: str | None = None,
) -> dict[str, str]:
    """Source id -> text, of the given sources, one source, one case's, or all."""
    query = select(m.SourceRow.id, m.SourceRow.text)
    if ids is not None:
        query = query.where(m.SourceRow.id.in_(list(ids)))
    if source is not None:
        query = query.where(m.SourceRow.id == source)
    elif case is not None:
        query = query.where(m.SourceRow.case_id == case)
    return dict(s.connection().execute(query).all())  # Core rows: long texts, many sources


def all_source_texts(s: Session) -> list[str]:
    return list(s.scalars(select(m.SourceRow.text)))


def source_names(s: Session) -> list[str]:
    """The distinct names of the files the sources came from."""
    return list(s.scalars(select(m.SourceRow.name).distinct()))


def file_names_of_case(s: Session, case_id: str, kind: str) -> list[str]:
    """The names of the files a case's sources of ``kind`` came from."""
    query = select(m.SourceRow.name).where(m.SourceRow.case_id == case_id, m.SourceRow.kind == kind)
    return sorted(set(s.scalars(query)))


def source_cases(s: Session) -> dict[str, str]:
    """Source id -> case id."""
    return dict(s.execute(select(m.SourceRow.id, m.SourceRow.case_id)).all())


def source_kinds_by_case(s: Session) -> list[tuple[str, str, str | None]]:
    """Distinct (case, source kind, survey question) triples."""
    query = select(m.SourceRow.case_id, m.SourceRow.kind, m.SourceRow.question).distinct()
    return [(c, k, q) for c, k, q in s.execute(query)]


def source_facts(s: Session) -> list[tuple[str, str, str, str | None]]:
    """(id, case, kind, survey question) of every source, as plain tuples (Core rows:
    a survey of 10,000 respondents has 30,000 answers)."""
    r = m.SourceRow
    query = select(r.id, r.case_id, r.kind, r.question)
    return [(a, b, c, d) for a, b, c, d in s.connection().execute(query).all()]


def source_contexts(s: Session) -> list[tuple[str, str, int, str, str | None]]:
    """(id, kind, chars, case, question) of every source, without its text."""
    r = m.SourceRow
    query = select(r.id, r.kind, r.chars, r.case_id, r.question)
    return [(a, b, c, d, e) for a, b, c, d, e in s.execute(query)]


def source_questions(s: Session, ids: Collection[str]) -> dict[str, str]:
    """Source id -> survey question, of those of the given sources that have one."""
    query = select(m.SourceRow.id, m.SourceRow.question).where(
        m.SourceRow.id.in_(sorted(ids)), m.SourceRow.question.is_not(None)
    )
    return {sid: q for sid, q in s.execute(query) if q is not None}


def source_named(s: Session, kind: str, name: str) -> m.SourceRow | None:
    """The source of this kind imported from a file of this name."""
    query = select(m.SourceRow).where(m.SourceRow.kind == kind, m.SourceRow.name == name)
    return s.scalar(query)


def source_with_checksum(s: Session, kind: str, checksum: str) -> m.SourceRow | None:
    """A source of this kind whose text has this checksum."""
    query = select(m.SourceRow).where(m.SourceRow.kind == kind, m.SourceRow.checksum == checksum)
    return s.scalars(query).first()


def texts_of_kind(s: Session, kind: str) -> list[tuple[str, str, str]]:
    """(id, name, text) of every source of this kind."""
    query = select(m.SourceRow.id, m.SourceRow.name, m.SourceRow.text).where(
        m.SourceRow.kind == kind
    )
    return [(i, n, t) for i, n, t in s.execute(query)]


def add_sources(s: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many sources at once (plain column dicts)."""
    if rows:
        s.execute(insert(m.SourceRow), rows)


# --- segments -----------------------------------------------------------------------


def segment_rows(s: Session) -> list[m.SegmentRow]:
    return list(s.scalars(select(m.SegmentRow)))


def segments_in(s: Session, ids: Collection[str]) -> list[m.SegmentRow]:
    """The segments with these ids (asked in chunks, for long lists)."""
    return rows_in(s, select(m.SegmentRow), m.SegmentRow.id, ids)


def segment_spans(s: Session) -> dict[str, list[tuple[int, int, str]]]:
    """Source id -> its segments as (start, end, segment id), in the stored order."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    for r in s.scalars(select(m.SegmentRow)):
        out.setdefault(r.source_id, []).append((r.start, r.end, r.id))
    return out


def segment_spans_of(s: Session, ids: Collection[str] | None) -> list[tuple[str, int, int, str]]:
    """(source, start, end, segment id) of the given sources' segments (all for None)."""
    query = select(m.SegmentRow.source_id, m.SegmentRow.start, m.SegmentRow.end, m.SegmentRow.id)
    if ids is not None:
        query = query.where(m.SegmentRow.source_id.in_(list(ids)))
    # .all(): fetched at once, not a row at a time (30,000 survey answers)
    return [(a, b, c, d) for a, b, c, d in s.connection().execute(query).all()]


def asked_spans_of(s: Session, ids: Collection[str] | None) -> list[tuple[str, int, int]]:
    """(source, start, end) of the given sources' segments that are not a respondent's
    (the interviewer's, or other speakers'): all sources' for None."""
    g = m.SegmentRow
    query = select(g.source_id, g.start, g.end).where(g.role != "respondent")
    if ids is not None:
        query = query.where(g.source_id.in_(list(ids)))
    return [(a, b, c) for a, b, c in s.connection().execute(query).all()]


def respondent_segment_spans(s: Session) -> list[tuple[str, str, int, int, str]]:
    """(segment id, source, start, end, case id) of every respondent segment, as plain
    tuples: the suggester reads tens of thousands and needs no ORM objects."""
    g = m.SegmentRow
    query = (
        select(g.id, g.source_id, g.start, g.end, m.SourceRow.case_id)
        .join(m.SourceRow, m.SourceRow.id == g.source_id)
        .where(g.role == "respondent")
    )
    return [(a, b, c, d, e) for a, b, c, d, e in s.connection().execute(query)]


def segments_in_reading_order(
    s: Session,
    case: str | None = None,
    source: str | None = None,
    respondents_only: bool = True,
    ids: Collection[str] | None = None,
) -> list[tuple[m.SegmentRow, str]]:
    """(segment, case id) pairs in reading order, narrowed by whatever is given."""
    query = (
        select(m.SegmentRow, m.SourceRow.case_id)
        .join(m.SourceRow, m.SourceRow.id == m.SegmentRow.source_id)
        .order_by(m.SegmentRow.source_id, m.SegmentRow.ordinal)
    )
    if case is not None:
        query = query.where(m.SourceRow.case_id == case)
    if source is not None:
        query = query.where(m.SegmentRow.source_id == source)
    if respondents_only:
        query = query.where(m.SegmentRow.role == "respondent")
    if ids is not None:
        query = query.where(m.SegmentRow.id.in_(list(ids)))
    return [(seg, cid) for seg, cid in s.execute(query).all()]


def non_respondent_turns(s: Session) -> list[tuple[str, int, int, str]]:
    """(source, start, end, role) of every turn not a respondent's (interviewers'
    questions, prompts), by source and position."""
    g = m.SegmentRow
    query = (
        select(g.source_id, g.start, g.end, g.role)
        .where(g.role != "respondent")
        .order_by(g.source_id, g.start)
    )
    return [(a, b, c, d) for a, b, c, d in s.execute(query)]


def segment_fingerprint(s: Session) -> tuple[int, int, str | None]:
    """(count, sum of ends, greatest id) of the segments: changes when segments are
    added or removed, so a cache built from them knows when it is stale."""
    g = m.SegmentRow
    query = select(func.count(), func.coalesce(func.sum(g.end), 0), func.max(g.id))
    count, total, last = s.execute(query).one()
    return int(count), int(total), last


def count_segments(s: Session, role: str | None = None) -> int:
    """How many segments there are (of one role when given)."""
    query = select(func.count()).select_from(m.SegmentRow)
    if role is not None:
        query = query.where(m.SegmentRow.role == role)
    return int(s.scalar(query) or 0)


def speakers(s: Session) -> list[str]:
    """The distinct speaker names of the study's segments, sorted."""
    return sorted({x for x in s.scalars(select(m.SegmentRow.speaker).distinct()) if x})


def segment_id_at(s: Session, source_id: str, start: int, end: int) -> str | None:
    query = select(m.SegmentRow.id).where(
        m.SegmentRow.source_id == source_id, m.SegmentRow.start == start, m.SegmentRow.end == end
    )
    return s.scalar(query)


def add_segments(s: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many segments at once (plain column dicts)."""
    if rows:
        s.execute(insert(m.SegmentRow), rows)


# --- imports (files a survey came from) ---------------------------------------------


def import_named(s: Session, kind: str, name: str) -> m.ImportRow | None:
    query = select(m.ImportRow).where(m.ImportRow.kind == kind, m.ImportRow.name == name)
    return s.scalar(query)


def source_ids_of_import(s: Session, import_id: int) -> list[str]:
    """The sources an import (a survey file) brought in."""
    return list(s.scalars(select(m.SourceRow.id).where(m.SourceRow.import_id == import_id)))


def import_with_checksum(s: Session, kind: str, checksum: str) -> m.ImportRow | None:
    query = select(m.ImportRow).where(m.ImportRow.kind == kind, m.ImportRow.checksum == checksum)
    return s.scalars(query).first()


def forget_imports_named(s: Session, name: str) -> None:
    s.execute(delete(m.ImportRow).where(m.ImportRow.name == name))


def respondent_spans(s: Session) -> list[tuple[str, int, int]]:
    """(source, start, end) of every respondent segment (what progress counts)."""
    query = select(m.SegmentRow.source_id, m.SegmentRow.start, m.SegmentRow.end).where(
        m.SegmentRow.role == "respondent"
    )
    return [(a, b, c) for a, b, c in s.execute(query)]


def segment_bounds(s: Session) -> Sequence[Any]:
    """(id, source_id, start, end, role) of every segment, as Core rows."""
    g = m.SegmentRow
    return s.execute(select(g.id, g.source_id, g.start, g.end, g.role)).all()


def survey_questions(s: Session) -> set[str]:
    """The survey questions the study's sources answer."""
    query = select(m.SourceRow.question).where(m.SourceRow.question.is_not(None)).distinct()
    return {q for q in s.scalars(query) if q is not None}


def kinds_of_sources(s: Session, ids: Collection[str]) -> dict[str, tuple[str, str | None]]:
    """Source id -> (kind, survey question) of the given sources."""
    r = m.SourceRow
    out: dict[str, tuple[str, str | None]] = {}
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), 500):
        query = select(r.id, r.kind, r.question).where(r.id.in_(wanted[i : i + 500]))
        out.update({sid: (kind, question) for sid, kind, question in s.execute(query)})
    return out
