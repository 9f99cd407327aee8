"""Keys take effect in the order typed, however fast, in the Matrix workspace.

The sheet is read in a worker. A key that acts on the sheet on screen (move, open a
cell, draft, change a status) waits while a newer sheet is on its way - after ``]``
or ``g``, the next keys apply to the new sheet, not the old one (and they wait for
the cell view, mounted just after the first sheet is drawn); a key that only
changes what is wanted (next sheet, group by) waits only for the very first sheet.
Once a key waits, every later key queues behind it. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial, wraps
from typing import Any, Protocol, TypeVar, cast


@dataclass
class KeyQueue:
    requests: int = 0  # sheet loads asked for
    shown: int = 0  # the load whose sheet is on screen
    first: bool = False  # a first sheet (or "no themes") has come in
    held: int = 0  # other things keys wait for (the cell view being mounted)
    entries: list[tuple[bool, Callable[[], None]]] = field(default_factory=list)
    wake: Callable[[], None] | None = None  # called when a key starts waiting on a hold

    def request(self) -> int:
        self.requests += 1
        return self.requests

    @property
    def loading(self) -> bool:
        return self.shown != self.requests

    @property
    def busy(self) -> bool:
        return self.loading or self.held > 0

    def must_wait(self, needs_sheet: bool) -> bool:
        return bool(self.entries) or not self.first or (needs_sheet and self.busy)

    def hold(self) -> None:
        self.held += 1

    def release(self) -> None:
        self.held = max(0, self.held - 1)
        self.replay()

    def arrived(self, request: int) -> None:
        self.shown = request
        self.first = True

    def replay(self) -> None:
        """Run the waiting keys in order until one needs a sheet still on its way."""
        while self.entries and not (self.entries[0][0] and self.busy):
            _, action = self.entries.pop(0)
            action()

    def failed(self) -> None:
        """The load failed (the dialog says why): drop the waiting keys."""
        self.shown = self.requests
        self.first = True
        self.entries.clear()


class HasKeys(Protocol):
    keys: KeyQueue


Action = TypeVar("Action", bound=Callable[..., None])


def _waiting(needs_sheet: bool) -> Callable[[Action], Action]:
    def decorate(action: Action) -> Action:
        @wraps(action)
        def run(self: HasKeys, *args: Any) -> None:
            keys = self.keys
            if keys.must_wait(needs_sheet):
                keys.entries.append((needs_sheet, partial(action, self, *args)))
                if keys.held and keys.wake is not None:
                    keys.wake()  # hurry what is held: a key is waiting for it
                return
            action(self, *args)

        return cast(Action, run)

    return decorate


on_sheet = _waiting(True)  # acts on the sheet on screen
on_wanted = _waiting(False)  # changes which sheet is wanted
