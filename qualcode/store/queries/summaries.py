"""Framework-matrix cells: case summaries, their history, and group syntheses."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def summary_rows(s: Session, themes: Collection[str] | None = None) -> list[m.SummaryRow]:
    """Every summary, or those of the given themes."""
    query = select(m.SummaryRow)
    if themes is not None:
        query = query.where(m.SummaryRow.theme_id.in_(list(themes)))
    return list(s.scalars(query))


def synthesis_rows_of(s: Session, themes: Collection[str]) -> list[m.SynthesisRow]:
    """The group syntheses written on these themes."""
    query = select(m.SynthesisRow).where(m.SynthesisRow.theme_id.in_(list(themes)))
    return list(s.scalars(query))


def summary_history_rows(s: Session, case: str, theme: str) -> list[m.SummaryHistoryRow]:
    """Every saved version of one cell, oldest first."""
    query = (
        select(m.SummaryHistoryRow)
        .where(m.SummaryHistoryRow.case_id == case, m.SummaryHistoryRow.theme_id == theme)
        .order_by(m.SummaryHistoryRow.version, m.SummaryHistoryRow.id)
    )
    return list(s.scalars(query))


def synthesis_rows(s: Session, attribute: str | None = None) -> list[m.SynthesisRow]:
    """Every synthesis, or those of one grouping."""
    query = select(m.SynthesisRow)
    if attribute is not None:
        query = query.where(m.SynthesisRow.attribute == attribute)
    return list(s.scalars(query))


def all_summary_texts(s: Session) -> list[str]:
    return list(s.scalars(select(m.SummaryRow.text)))


def all_synthesis_texts(s: Session) -> list[str]:
    return list(s.scalars(select(m.SynthesisRow.text)))


def summary_guids(s: Session) -> list[str | None]:
    return list(s.scalars(select(m.SummaryRow.guid)))


def locked_row(s: Session, model: type[Any], *where: Any) -> Any:
    """The row, locked until the transaction ends on PostgreSQL (SQLite's write
    transaction already holds the database lock)."""
    return s.scalar(select(model).where(*where).with_for_update())


def synthesis_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(m.SynthesisRow)) or 0)
