"""Checks that Review runs in the background (bulk accept's plan, the reliability
report): each gets a stop event that escape sets, and a progress callback; the hooks
``working`` and ``done_working`` let a screen show them on its progress line."""

from __future__ import annotations

import threading
from collections.abc import Callable

from qualcode.tui.shared.progress import RunProgress
from qualcode.tui.shared.workspace import Workspace

CHECK_RUN = "check"  # RunProgress.run of a background check


class BackgroundChecks(Workspace):
    def __init__(self) -> None:
        super().__init__()
        self._stops: dict[str, threading.Event] = {}  # each running check's stop event

    def start_check(self, what: str) -> threading.Event:
        """Say ``what`` runs and return the event that cancels it."""
        stop = threading.Event()
        self._stops[what] = stop
        self.working(what)
        return stop

    def end_check(self, what: str) -> None:
        self._stops.pop(what, None)
        self.done_working(what)

    def cancel_checks(self) -> bool:
        """Ask every running check to stop; False if none was running."""
        for stop in self._stops.values():
            stop.set()
        return bool(self._stops)

    def check_progress(self) -> Callable[[str, int, int], None]:
        """A progress callback for a check's worker thread."""

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(RunProgress(CHECK_RUN, stage, done, total))

        return progress

    def working(self, what: str) -> None:
        """Show that ``what`` runs in the background (the screen may show a bar)."""

    def done_working(self, what: str) -> None:
        """``what`` ended."""
