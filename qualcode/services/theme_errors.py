"""The error for a theme id the study does not have, with the closest ids and labels
("no theme '13'; did you mean 1.3 (Agency staff)?")."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from qualcode.domain.framework import FrameworkTree
from qualcode.domain.wording import did_you_mean
from qualcode.errors import NotFoundError
from qualcode.store.queries import themes as themes_q


def no_theme(theme: str, labels: Mapping[str, str]) -> NotFoundError:
    return NotFoundError(f"no theme {theme!r}{did_you_mean(theme, labels)}")


def no_theme_in_tree(tree: FrameworkTree, theme: str) -> NotFoundError:
    return no_theme(theme, {tid: t.label for tid, t in tree.themes.items()})


def no_theme_in_study(s: Session, theme: str) -> NotFoundError:
    return no_theme(theme, {tid: row.label for tid, row in themes_q.themes_by_id(s).items()})
