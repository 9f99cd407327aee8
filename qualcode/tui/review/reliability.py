"""``R`` in Review suggestions: how far to trust the suggestions, checked on the
researcher's own codings (``qualcode suggest reliability --curve``): overall, score by
score, theme by theme, so the themes that need more codings show up, and as a learning
curve, so whether coding more still helps shows too."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from qualcode.errors import QualcodeError
from qualcode.services.suggest import Cancelled
from qualcode.services.suggest_reliability import ReliabilityReport, reliability_report
from qualcode.tui.review.checks import BackgroundChecks

CHECKING = "Checking the suggestions on your own codings…"
CHECKING_BAR = "Checking the suggestions"  # on the progress line, with its stage


@dataclass
class ReportMade(Message):
    report: ReliabilityReport | None
    error: str | None = None
    cancelled: bool = False


class ReliabilityDialog(ModalScreen[None]):
    """The report, scrollable; escape or q closes it."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close", id="reliability.close")]

    def __init__(self, report: ReliabilityReport) -> None:
        super().__init__(classes="dialog reliability-dialog")
        self.report = report

    def compose(self) -> ComposeResult:
        title, *rest = self.report.lines()
        with Vertical(classes="dialog-box"):
            yield Label(title, classes="dialog-title")
            with VerticalScroll(id="reliability-body"):
                yield Static("\n".join(rest), markup=False, id="reliability-text")
            yield Static("escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#reliability-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class ReliabilityActions(BackgroundChecks):
    RELIABILITY_BINDINGS = [
        Binding("R", "reliability", "How reliable…", id="review.reliability"),
    ]

    def action_reliability(self) -> None:
        # Cross-validation on a big study takes seconds: say what is happening.
        self.notify(CHECKING, title="How reliable")
        stop = self.start_check(CHECKING_BAR)
        self._report(getattr(self, "use_embeddings", None), stop)

    @work(thread=True, exit_on_error=False, group="reliability", exclusive=True)
    def _report(self, use_embeddings: bool | None, stop: threading.Event) -> None:
        try:
            # with the learning curve: on a big study its fits take a second or two
            report = reliability_report(
                self.study, use_embeddings, self.check_progress(), stop.is_set, curve=True
            )
        except Cancelled:
            self.post_message(ReportMade(None, cancelled=True))
            return
        except QualcodeError as exc:
            self.post_message(ReportMade(None, str(exc)))
            return
        self.post_message(ReportMade(report))

    def on_report_made(self, event: ReportMade) -> None:
        self.end_check(CHECKING_BAR)
        if event.cancelled:
            self.notify("Check cancelled", title="How reliable", timeout=4)
            return
        if event.report is None:
            self.notify(event.error or "", title="How reliable", severity="error")
            return
        self.app.push_screen(ReliabilityDialog(event.report))
