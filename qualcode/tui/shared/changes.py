"""Undoable changes, built on the audit trail.

Every write the app makes runs inside ``Study.action()``, so its audit entries share
one batch; the undo entry for it is just that batch and a label. Undo reverts the
batch from the log (:func:`qualcode.services.undo_log.revert`); redo reverts the undo.
No Textual here: these run inside thread workers and are tested without a screen.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, TypeVar

from qualcode.domain.model import Coding
from qualcode.services import coding_batches, theme_edits, theme_removal, undo_log
from qualcode.services.study import Study


class Change:
    """Base of undoable changes; ``label`` says what it was ("code 1.2", "merge 3 into 4")."""

    label = "change"

    def undo(self, study: Study) -> None:
        raise NotImplementedError

    def redo(self, study: Study) -> None:
        raise NotImplementedError


@dataclass
class Logged(Change):
    """A user action as the audit trail holds it: ``batch`` is the batch to revert
    next - the action's own, then the undo's, then the redo's, and so on."""

    batch: str
    label: str = "change"

    def undo(self, study: Study) -> None:
        self.batch = undo_log.revert(study, self.batch).batch

    def redo(self, study: Study) -> None:
        self.batch = undo_log.revert(study, self.batch).batch


def logged(study: Study, label: str) -> Logged | None:
    """The undo entry for what this thread's current action wrote (None: nothing)."""
    action = study.current_action
    if action is None or not action.changes:
        return None
    return Logged(action.batch, label)


P = ParamSpec("P")
R = TypeVar("R")


def one_action(fn: Callable[Concatenate[Study, P], R]) -> Callable[Concatenate[Study, P], R]:
    """Run ``fn(study, ...)`` as one action, so that one undo takes back all it wrote."""

    @functools.wraps(fn)
    def run(study: Study, *args: P.args, **kwargs: P.kwargs) -> R:
        with study.action():
            return fn(study, *args, **kwargs)

    return run


# --- doing a change the first time: the service call plus the entry to record ----------


def code_span(
    study: Study, source: str, start: int, end: int, theme: str
) -> tuple[Coding, Logged | None]:
    """Code a span; the entry is None when that exact coding already existed."""
    with study.action():
        coding, _ = coding_batches.add_coding_once(study, source, start, end, theme)
        return coding, logged(study, f"code {theme}")


def merge(study: Study, source: str, target: str) -> tuple[int, Logged | None]:
    with study.action():
        moved = theme_edits.merge_themes(study, source, target)
        return moved, logged(study, f"merge {source} into {target}")


def delete(study: Study, theme_id: str) -> tuple[int, Logged | None]:
    with study.action():
        gone = theme_removal.delete_theme(study, theme_id)
        return gone, logged(study, f"delete theme {theme_id}")


@dataclass
class Outcome:
    """What a write worker reports back: a message for the status line and an entry."""

    message: str
    change: Change | None = None
    data: dict[str, Any] = field(default_factory=dict)
