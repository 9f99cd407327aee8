"""Undoable changes: each knows how to do, undo and redo itself through the services.

No Textual here: these run inside thread workers and are tested without a screen.
Re-created codings get new ids, so entries update the ids they hold as they go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qualcode.domain.model import Coding, Theme
from qualcode.services import codings as coding_service
from qualcode.services import framework, undoing
from qualcode.services.study import Study
from qualcode.services.undoing import ThemeSnapshot


class Change:
    """Base of undoable changes; ``label`` says what it was ("code 1.2", "merge 3 into 4")."""

    label = "change"

    def undo(self, study: Study) -> None:
        raise NotImplementedError

    def redo(self, study: Study) -> None:
        raise NotImplementedError


@dataclass
class AddCodings(Change):
    codings: list[Coding]
    label: str = "code"

    def undo(self, study: Study) -> None:
        undoing.remove_codings(study, [c.id for c in self.codings])

    def redo(self, study: Study) -> None:
        self.codings = undoing.add_codings(study, self.codings)


@dataclass
class RemoveCodings(Change):
    codings: list[Coding]
    label: str = "remove coding"

    def undo(self, study: Study) -> None:
        self.codings = undoing.add_codings(study, self.codings)

    def redo(self, study: Study) -> None:
        undoing.remove_codings(study, [c.id for c in self.codings])


@dataclass
class ChangeTheme(Change):
    coding_id: int
    before: str
    after: str
    label: str = "change theme"

    def undo(self, study: Study) -> None:
        coding_service.change_theme(study, self.coding_id, self.before)

    def redo(self, study: Study) -> None:
        coding_service.change_theme(study, self.coding_id, self.after)


@dataclass
class AddTheme(Change):
    theme: Theme
    label: str = "add theme"

    def undo(self, study: Study) -> None:
        framework.delete_theme(study, self.theme.id)

    def redo(self, study: Study) -> None:
        t = self.theme
        framework.add_theme(
            study,
            t.id,
            t.label,
            t.parent,
            definition=t.definition,
            inclusion=t.inclusion,
            exclusion=t.exclusion,
            keywords=t.keywords,
        )


@dataclass
class UpdateTheme(Change):
    before: Theme
    after: Theme
    label: str = "edit theme"
    fields: tuple[str, ...] = ("label", "definition", "inclusion", "exclusion", "keywords")

    def _values(self, theme: Theme) -> dict[str, Any]:
        return {name: getattr(theme, name) for name in self.fields}

    def undo(self, study: Study) -> None:
        framework.update_theme(study, self.before.id, **self._values(self.before))

    def redo(self, study: Study) -> None:
        framework.update_theme(study, self.after.id, **self._values(self.after))


@dataclass
class MoveTheme(Change):
    theme_id: str
    before: str | None
    after: str | None
    label: str = "move theme"

    def undo(self, study: Study) -> None:
        framework.move_theme(study, self.theme_id, self.before)

    def redo(self, study: Study) -> None:
        framework.move_theme(study, self.theme_id, self.after)


@dataclass
class MergeTheme(Change):
    snapshot: ThemeSnapshot
    target: str
    label: str = "merge themes"

    def undo(self, study: Study) -> None:
        undoing.unmerge_theme(study, self.snapshot)

    def redo(self, study: Study) -> None:
        source = self.snapshot.themes[0].id
        self.snapshot = undoing.snapshot_theme(study, source, self.target)
        framework.merge_themes(study, source, self.target)


@dataclass
class DeleteTheme(Change):
    snapshot: ThemeSnapshot
    label: str = "delete theme"

    def undo(self, study: Study) -> None:
        undoing.restore_deleted_theme(study, self.snapshot)

    def redo(self, study: Study) -> None:
        theme_id = self.snapshot.themes[0].id
        self.snapshot = undoing.snapshot_theme(study, theme_id)
        framework.delete_theme(study, theme_id)


# --- doing a change the first time: the service call plus the entry to record ----------


def code_span(
    study: Study, source: str, start: int, end: int, theme: str
) -> tuple[Coding, AddCodings | None]:
    """Code a span; the entry is None when that exact coding already existed."""
    coding, new = undoing.add_coding_once(study, source, start, end, theme)
    if not new:
        return coding, None
    return coding, AddCodings([coding], label=f"code {theme}")


def merge(study: Study, source: str, target: str) -> tuple[int, MergeTheme]:
    snap = undoing.snapshot_theme(study, source, target)
    moved = framework.merge_themes(study, source, target)
    return moved, MergeTheme(snap, target, label=f"merge {source} into {target}")


def delete(study: Study, theme_id: str) -> tuple[int, DeleteTheme]:
    snap = undoing.snapshot_theme(study, theme_id)
    gone = framework.delete_theme(study, theme_id)
    return gone, DeleteTheme(snap, label=f"delete theme {theme_id}")


@dataclass
class Outcome:
    """What a write worker reports back: a message for the status line and an entry."""

    message: str
    change: Change | None = None
    data: dict[str, Any] = field(default_factory=dict)
