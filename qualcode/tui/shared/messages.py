"""Messages between the app's write queue and the workspaces (workers never touch
widgets). What a workspace's read workers find comes back as a message class defined
beside the worker, e.g. ``CasesLoaded`` in :mod:`qualcode.tui.cases.screen`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from textual.message import Message
from textual.message_pump import MessagePump

from qualcode.services.study import Study
from qualcode.tui.shared.changes import Change, Outcome

WriteKind = Literal["do", "undo", "redo"]  # checked by mypy: not a free-form tag


@dataclass
class WriteJob:
    """One change to the study, run in order with every other write.

    ``kind`` is "do" (a new change: its entry is recorded for undo), "undo" or "redo".
    ``target`` receives ``saved(outcome)`` when the job succeeds and ``not_saved`` when
    it fails: typed messages (subclasses of :class:`Saved` / :class:`NotSaved`) defined
    beside the screen that submits the write.
    """

    run: Callable[[Study], Outcome]
    target: MessagePump | None = None
    saved: Callable[[Outcome], Saved] | None = None
    not_saved: NotSaved | None = None
    kind: WriteKind = "do"
    entry: Change | None = None


@dataclass(frozen=True)
class ReadRequest:
    """What the read & code workspace should open next."""

    key: str | None = None  # a document key (see qualcode.tui.read.data)
    case: str | None = None
    source: str | None = None
    offset: int | None = None


class WriteDone(Message):
    def __init__(self, job: WriteJob, outcome: Outcome) -> None:
        super().__init__()
        self.job = job
        self.outcome = outcome


class WriteFailed(Message):
    def __init__(self, job: WriteJob, error: BaseException) -> None:
        super().__init__()
        self.job = job
        self.error = error


@dataclass
class Saved(Message):
    """Sent to the screen that asked for a write, once it is stored. Writes whose result
    a screen acts on send a subclass of their own (``CodingAdded``, ``SummarySaved``...),
    handled by ``@on(TheSubclass)``; ``Workspace.after_saved`` sees every one."""

    outcome: Outcome


@dataclass
class NotSaved(Message):
    """Sent to the screen that asked for a write that failed (the dialog is shown
    already). A screen that must put something back sends a subclass carrying what."""


class StudyChanged(Message):
    """The study changed (a write, an undo or a redo): reload what is shown."""
