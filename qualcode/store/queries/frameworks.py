"""Named frameworks and which themes belong to them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qualcode.domain.framework import FrameworkTree
from qualcode.domain.frameworks import AppliesTo, Framework, StudyFrameworks
from qualcode.store import models as m
from qualcode.store.queries.themes import framework_tree


def framework_rows(s: Session) -> list[m.FrameworkRow]:
    return list(s.scalars(select(m.FrameworkRow).order_by(m.FrameworkRow.position)))


def framework_row(s: Session, name: str) -> m.FrameworkRow | None:
    return s.get(m.FrameworkRow, name)


def next_position(s: Session) -> int:
    return int(s.scalar(select(func.max(m.FrameworkRow.position))) or 0) + 1


def to_framework(row: m.FrameworkRow) -> Framework:
    return Framework(
        name=row.name,
        title=row.title,
        applies_to=AppliesTo(row.kind, tuple(row.questions or ())),
        position=row.position,
    )


def study_frameworks(s: Session, tree: FrameworkTree | None = None) -> StudyFrameworks:
    """The frameworks with each theme's framework resolved through its top-level theme."""
    if tree is None:
        tree = framework_tree(s)
    rows = s.execute(select(m.ThemeRow.id, m.ThemeRow.framework)).all()
    stored: dict[str, str | None] = {row[0]: row[1] for row in rows}
    return StudyFrameworks.build(
        (to_framework(r) for r in framework_rows(s)), tree.themes.values(), stored
    )


def set_theme_framework(s: Session, theme_ids: Collection[str], name: str | None) -> None:
    if theme_ids:
        s.execute(
            update(m.ThemeRow).where(m.ThemeRow.id.in_(list(theme_ids))).values(framework=name)
        )


def rename_in_themes(s: Session, old: str, new: str | None) -> None:
    s.execute(update(m.ThemeRow).where(m.ThemeRow.framework == old).values(framework=new))


def rename_in_themes_without(s: Session, new: str) -> None:
    """Themes in no named framework (the default one) go to ``new``."""
    s.execute(update(m.ThemeRow).where(m.ThemeRow.framework.is_(None)).values(framework=new))
