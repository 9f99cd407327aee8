"""Codings: a theme applied to a span of a source by a coder."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.store import models as m


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


def count_quotes(s: Session) -> int:
    """Codings marked as quotes."""
    query = select(func.count()).select_from(m.CodingRow).where(m.CodingRow.quote)
    return int(s.scalar(query) or 0)


def codings_in(s: Session, ids: Collection[int], chunk: int = 500) -> list[m.CodingRow]:
    """The codings with these ids (asked in chunks, for long lists)."""
    wanted = list(ids)
    out: list[m.CodingRow] = []
    for i in range(0, len(wanted), chunk):
        part = wanted[i : i + chunk]
        out.extend(s.scalars(select(m.CodingRow).where(m.CodingRow.id.in_(part))))
    return out


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
    return list(s.execute(query).tuples())


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
