"""Checks that Review runs in the background (bulk accept's plan, the reliability
report): the hooks a screen implements to show them on its progress line."""

from __future__ import annotations

from qualcode.tui.shared.workspace import Workspace


class BackgroundChecks(Workspace):
    def working(self, what: str) -> None:
        """Show that ``what`` runs in the background (the screen may show a bar)."""

    def done_working(self, what: str) -> None:
        """``what`` ended."""
