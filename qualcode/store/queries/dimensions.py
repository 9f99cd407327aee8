"""Dimensions within themes: declarations, values on cells and codings; key issues."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def declared_rows(s: Session, theme: str | None = None) -> list[m.ThemeDimensionRow]:
    """Declared dimensions (of one theme when given), in declared order."""
    query = select(m.ThemeDimensionRow)
    if theme is not None:
        query = query.where(m.ThemeDimensionRow.theme_id == theme)
    return list(
        s.scalars(query.order_by(m.ThemeDimensionRow.theme_id, m.ThemeDimensionRow.position))
    )


def declared_row(s: Session, theme: str, name: str) -> m.ThemeDimensionRow | None:
    return s.get(m.ThemeDimensionRow, (theme, name))


def cell_rows(
    s: Session,
    themes: Collection[str] | None = None,
    case: str | None = None,
    dimension: str | None = None,
) -> list[m.CellDimensionRow]:
    """Cell values, narrowed by whatever is given, by case, theme and dimension."""
    query = select(m.CellDimensionRow)
    if themes is not None:
        query = query.where(m.CellDimensionRow.theme_id.in_(list(themes)))
    if case is not None:
        query = query.where(m.CellDimensionRow.case_id == case)
    if dimension is not None:
        query = query.where(m.CellDimensionRow.dimension == dimension)
    order = (m.CellDimensionRow.case_id, m.CellDimensionRow.theme_id, m.CellDimensionRow.dimension)
    return list(s.scalars(query.order_by(*order)))


def cell_row(s: Session, case: str, theme: str, dimension: str) -> m.CellDimensionRow | None:
    return s.get(m.CellDimensionRow, (case, theme, dimension))


def coding_value_rows(
    s: Session,
    themes: Collection[str] | None = None,
    case: str | None = None,
    dimension: str | None = None,
) -> list[Any]:
    """Coding values with their coding's case and theme: (case, theme, coding, dimension,
    value, coder) rows, by coding id."""
    query = (
        select(
            m.SourceRow.case_id,
            m.CodingRow.theme_id,
            m.CodingDimensionRow.coding_id,
            m.CodingDimensionRow.dimension,
            m.CodingDimensionRow.value,
            m.CodingDimensionRow.coder,
        )
        .join(m.CodingRow, m.CodingRow.id == m.CodingDimensionRow.coding_id)
        .join(m.SourceRow, m.SourceRow.id == m.CodingRow.source_id)
    )
    if themes is not None:
        query = query.where(m.CodingRow.theme_id.in_(list(themes)))
    if case is not None:
        query = query.where(m.SourceRow.case_id == case)
    if dimension is not None:
        query = query.where(m.CodingDimensionRow.dimension == dimension)
    order = (m.CodingDimensionRow.coding_id, m.CodingDimensionRow.dimension)
    return list(s.execute(query.order_by(*order)).all())


def coding_value_row(s: Session, coding: int, dimension: str) -> m.CodingDimensionRow | None:
    return s.get(m.CodingDimensionRow, (coding, dimension))


def coding_case(s: Session, coding: int) -> tuple[str, str] | None:
    """(case, theme) of a coding, or None when there is no such coding."""
    row = s.execute(
        select(m.SourceRow.case_id, m.CodingRow.theme_id)
        .join(m.SourceRow, m.SourceRow.id == m.CodingRow.source_id)
        .where(m.CodingRow.id == coding)
    ).first()
    return None if row is None else (str(row[0]), str(row[1]))


def key_issue_rows(s: Session) -> list[m.KeyIssuesRow]:
    return list(s.scalars(select(m.KeyIssuesRow).order_by(m.KeyIssuesRow.theme_id)))


def key_issue_row(s: Session, theme: str) -> m.KeyIssuesRow | None:
    return s.get(m.KeyIssuesRow, theme)
