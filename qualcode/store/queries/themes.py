"""Themes and the framework tree."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.framework import FrameworkTree
from qualcode.store import convert
from qualcode.store import models as m


def theme_rows(s: Session) -> list[m.ThemeRow]:
    return list(s.scalars(select(m.ThemeRow)))


def themes_by_id(s: Session) -> dict[str, m.ThemeRow]:
    return {r.id: r for r in s.scalars(select(m.ThemeRow))}


def theme_ids(s: Session) -> set[str]:
    return set(s.scalars(select(m.ThemeRow.id)))


def framework_tree(s: Session) -> FrameworkTree:
    """The study's themes as a validated tree."""
    return FrameworkTree.build(convert.theme(r) for r in s.scalars(select(m.ThemeRow)))


def child_count(s: Session, parent: str | None) -> int:
    """How many themes sit directly under ``parent`` (top level for None)."""
    query = select(func.count()).select_from(m.ThemeRow).where(m.ThemeRow.parent_id == parent)
    return int(s.scalar(query) or 0)


def children_of(s: Session, parent: str) -> list[m.ThemeRow]:
    return list(s.scalars(select(m.ThemeRow).where(m.ThemeRow.parent_id == parent)))


def themes_in(s: Session, ids: Collection[str]) -> list[m.ThemeRow]:
    return list(s.scalars(select(m.ThemeRow).where(m.ThemeRow.id.in_(list(ids)))))


def work_on_theme(s: Session, theme_id: str) -> list[tuple[str, int]]:
    """How many codings, sub-themes and summaries hang on a theme, in that order."""
    out = []
    for model, col, what in (
        (m.CodingRow, m.CodingRow.theme_id, "codings"),
        (m.ThemeRow, m.ThemeRow.parent_id, "sub-themes"),
        (m.SummaryRow, m.SummaryRow.theme_id, "summaries"),
    ):
        n = s.scalar(select(func.count()).select_from(model).where(col == theme_id)) or 0
        out.append((what, int(n)))
    return out
