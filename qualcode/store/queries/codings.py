"""Codings: a theme applied to a span of a source by a coder."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from qualcode.store import models as m
from qualcode.store.queries.bulk_insert import insert_rows
from qualcode.store.queries.chunks import rows_in

_TABLE = cast(Table, m.CodingRow.__table__)


def coding_values(
    source_id: str,
    start: int,
    end: int,
    theme_id: str,
    coder: str,
    origin: str,
    suggestion_id: int | None = None,
    created_at: datetime | None = None,
) -> dict[str, Any]:
    """Every column of a new coding but its id: for :func:`add_codings`, or as an ORM
    row's arguments. One ``created_at`` shared by a batch is bound once."""
    return {
        "source_id": source_id,
        "start": start,
        "end": end,
        "theme_id": theme_id,
        "coder": coder,
        "created_at": created_at or m.utcnow(),
        "origin": origin,
        "suggestion_id": suggestion_id,
        "quote": False,
        "guid": None,
    }


def add_codings(s: Session, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert many new codings (:func:`coding_values`) at once; their ids, in order."""
    return insert_rows(s, _TABLE, rows)


def coding_at(
    s: Session, source: str | None, start: int | None, end: int | None, theme: str | None,
    coder: str | None,
) -> m.CodingRow | None:  # fmt: skip
    """The coding of exactly this span, theme and coder, if there is one."""
    return s.scalar(
        select(m.CodingRow).where(
            m.CodingRow.source_id == source,
            m.CodingRow.start == start,
            m.CodingRow.end == end,
            m.CodingRow.theme_id == theme,
            m.CodingRow.coder == coder,
        )
    )


def coding_rows(
    s: Session,
    source: str | None = None,
    theme: str | None = None,
    coder: str | None = None,
    case: str | None = None,
    by_id: bool = False,
) -> list[m.CodingRow]:
    """Codings, optionally of one source, theme, coder or case (ordered by id if asked)."""
    query = select(m.CodingRow)
    if source is not None:
        query = query.where(m.CodingRow.source_id == source)
    if theme is not None:
        query = query.where(m.CodingRow.theme_id == theme)
    if coder is not None:
        query = query.where(m.CodingRow.coder == coder)
    if case is not None:
        query = query.join(m.SourceRow, m.SourceRow.id == m.CodingRow.source_id).where(
            m.SourceRow.case_id == case
        )
    if by_id:
        query = query.order_by(m.CodingRow.id)
    return list(s.scalars(query))


def codings_of_themes(s: Session, theme_ids: Collection[str]) -> list[m.CodingRow]:
    query = select(m.CodingRow).where(m.CodingRow.theme_id.in_(list(theme_ids)))
    return list(s.scalars(query))


def count_codings_of_themes(s: Session, theme_ids: Collection[str]) -> int:
    query = select(func.count()).select_from(m.CodingRow)
    return int(s.scalar(query.where(m.CodingRow.theme_id.in_(list(theme_ids)))) or 0)


def count_codings_of_sources(s: Session, source_ids: Collection[str]) -> int:
    query = select(func.count()).select_from(m.CodingRow)
    return int(s.scalar(query.where(m.CodingRow.source_id.in_(list(source_ids)))) or 0)


def coders_of_sources(s: Session, source_ids: Collection[str]) -> dict[str, int]:
    """How many codings each coder has on the sources."""
    query = (
        select(m.CodingRow.coder, func.count())
        .where(m.CodingRow.source_id.in_(list(source_ids)))
        .group_by(m.CodingRow.coder)
    )
    return {str(c): int(n) for c, n in s.execute(query)}


def count_quotes(s: Session) -> int:
    """Codings marked as quotes."""
    query = select(func.count()).select_from(m.CodingRow).where(m.CodingRow.quote)
    return int(s.scalar(query) or 0)


def codings_in(s: Session, ids: Collection[int], chunk: int = 500) -> list[m.CodingRow]:
    """The codings with these ids (asked in chunks, for long lists)."""
    return rows_in(s, select(m.CodingRow), m.CodingRow.id, ids, chunk)


def coder_codings_of_themes(
    s: Session, coder: str, theme_ids: Collection[str]
) -> list[m.CodingRow]:
    """One coder's codings of these themes: a query or two whatever the number of
    sources (asked by source, 30,000 survey answers took 60 queries, seconds on a
    server)."""
    c = m.CodingRow
    return rows_in(s, select(c).where(c.coder == coder), c.theme_id, theme_ids)


def coding_ids(s: Session) -> list[int]:
    return list(s.scalars(select(m.CodingRow.id)))


def coders_of_codings(s: Session) -> list[str]:
    """Everyone who has a coding, sorted."""
    return sorted(s.scalars(select(m.CodingRow.coder).distinct()))


def theme_case_pairs(s: Session) -> list[tuple[str, str]]:
    """(theme, case) for every coding."""
    query = select(m.CodingRow.theme_id, m.SourceRow.case_id).join(
        m.SourceRow, m.SourceRow.id == m.CodingRow.source_id
    )
    return [(t, c) for t, c in s.execute(query).all()]


def coded_spans(s: Session, coder: str | None = None) -> list[tuple[str, int, int]]:
    """(source, start, end) of every coding (of one coder when given)."""
    query = select(m.CodingRow.source_id, m.CodingRow.start, m.CodingRow.end)
    if coder is not None:
        query = query.where(m.CodingRow.coder == coder)
    return [(a, b, c) for a, b, c in s.execute(query)]


def coded_span_themes(s: Session) -> list[tuple[str, int, int, str]]:
    """(source, start, end, theme) of every coding, all coders (plain columns, fast on
    large studies)."""
    c = m.CodingRow
    return [
        (a, b, e, t) for a, b, e, t in s.execute(select(c.source_id, c.start, c.end, c.theme_id))
    ]


def codings_from_suggestion(s: Session, suggestion_id: int) -> list[m.CodingRow]:
    """The codings accepting this suggestion made."""
    query = select(m.CodingRow).where(m.CodingRow.suggestion_id == suggestion_id)
    return list(s.scalars(query))


def coded_kinds(s: Session, case: str | None = None) -> list[tuple[str, str]]:
    """Distinct (theme, source kind) pairs among the codings (of one case when given)."""
    query = (
        select(m.CodingRow.theme_id, m.SourceRow.kind)
        .join(m.SourceRow, m.SourceRow.id == m.CodingRow.source_id)
        .distinct()
    )
    if case is not None:
        query = query.where(m.SourceRow.case_id == case)
    return [(t, k) for t, k in s.execute(query)]


def codings_overlapping(
    s: Session,
    source: str,
    start: int,
    end: int,
    themes: Collection[str],
    coders: Collection[str],
) -> list[m.CodingRow]:
    """These coders' codings of these themes that overlap ``source[start:end]``."""
    query = select(m.CodingRow).where(
        m.CodingRow.source_id == source,
        m.CodingRow.theme_id.in_(list(themes)),
        m.CodingRow.coder.in_(list(coders)),
        m.CodingRow.start < end,
        m.CodingRow.end > start,
    )
    return list(s.scalars(query))


def coder_codings(s: Session, coders: Collection[str]) -> Sequence[Any]:
    """(source_id, start, end, theme_id, coder) rows of these coders' codings (Core rows,
    fast on large studies)."""
    c = m.CodingRow
    query = select(c.source_id, c.start, c.end, c.theme_id, c.coder)
    return s.execute(query.where(c.coder.in_(list(coders)))).all()


def coding_tuples(s: Session, source: str | None = None) -> Sequence[Any]:
    """Every coding (of one source when given) as a Core row of the columns of
    :class:`~qualcode.domain.model.Coding`, by source and position."""
    c = m.CodingRow.__table__.c
    query = select(
        c.id, c.source_id, c.start, c.end, c.theme_id, c.coder, c.created_at, c.origin, c.quote
    ).order_by(c.source_id, c.start, c.end, c.theme_id)
    if source is not None:
        query = query.where(c.source_id == source)
    return s.execute(query).all()


def passages(
    s: Session, themes: Collection[str] | None = None, case: str | None = None
) -> Sequence[Any]:
    """Codings with their source's case, kind and question, by id, as Core rows (reading
    20,000 codings this way takes milliseconds): id, source_id, case_id, kind, question,
    theme_id, start, end, coder, quote."""
    query = select(
        m.CodingRow.id,
        m.CodingRow.source_id,
        m.SourceRow.case_id,
        m.SourceRow.kind,
        m.SourceRow.question,
        m.CodingRow.theme_id,
        m.CodingRow.start,
        m.CodingRow.end,
        m.CodingRow.coder,
        m.CodingRow.quote,
    ).join(m.SourceRow, m.SourceRow.id == m.CodingRow.source_id)
    if case is not None:
        query = query.where(m.SourceRow.case_id == case)
    if themes is not None:
        query = query.where(m.CodingRow.theme_id.in_(list(themes)))
    return s.connection().execute(query.order_by(m.CodingRow.id)).all()


def coding_spans(s: Session) -> Sequence[Any]:
    """Every coding by id, without joining its source (the caller has the sources: a
    join on the source id took three times as long in SQLite), as Core rows: id,
    source_id, theme_id, start, end, coder, quote."""
    c = m.CodingRow
    query = select(c.id, c.source_id, c.theme_id, c.start, c.end, c.coder, c.quote)
    return s.connection().execute(query.order_by(c.id)).all()


def coding_times(s: Session) -> list[tuple[str, int, int, str, Any, str]]:
    """(source, start, end, theme, created, origin) of every coding, all coders."""
    c = m.CodingRow
    query = select(c.source_id, c.start, c.end, c.theme_id, c.created_at, c.origin)
    return [(a, b, e, t, at, o) for a, b, e, t, at, o in s.execute(query)]
