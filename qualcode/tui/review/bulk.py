"""``A`` in Review suggestions: accept every pending suggestion scored at least P, after
showing how many there are and the precision such suggestions have had in
cross-validation on the researcher's own codings. One undo takes them all back."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.message import Message

from qualcode.domain.wording import counted
from qualcode.errors import QualcodeError
from qualcode.services.study import Study
from qualcode.services.suggest import Cancelled
from qualcode.services.suggest_bulk import BulkPlan, accept_plan, plan_accept
from qualcode.tui.review.checks import BackgroundChecks
from qualcode.tui.shared.changes import Outcome, logged, one_action
from qualcode.tui.shared.dialogs import ConfirmDialog, PromptDialog
from qualcode.tui.shared.messages import Saved

DEFAULT_ABOVE = "0.8"
WORKING = "Working out the precision to expect from your own codings…"
PLANNING = "Working out the precision"  # on the progress line, with its stage


def writing(what: str) -> str:
    return f"Coding {what}…"


@dataclass
class PlanMade(Message):
    plan: BulkPlan | None
    error: str | None = None
    cancelled: bool = False


@one_action
def accept_above(study: Study, plan: BulkPlan) -> Outcome:
    done = accept_plan(study, plan)
    entry = logged(study, f"accept {counted(len(done), 'suggestion', grouped=True)}")
    what = plan.what if len(done) == len(plan.suggestions) else counted(len(done), "suggestion")
    # "3,639 suggestions on 1,806 passages": said once, not "... from suggestions" again
    said = f"Coded {what}" if "suggestion" in what else f"Coded {what} from suggestions"
    return Outcome(said, entry, {"count": len(done)})


@dataclass
class BulkAccepted(Saved):
    """The suggestions above the chosen score are coded."""


class BulkAcceptActions(BackgroundChecks):
    waiting_plan: BulkPlan | None = None  # checked while the user was elsewhere

    BULK_BINDINGS = [
        Binding("A", "accept_above", "Accept all above…", id="review.accept_above"),
    ]

    def action_accept_above(self) -> None:
        def chosen(value: str | None) -> None:
            if value is None:
                return
            try:
                above = float(value)
            except ValueError:
                self.notify(f"{value!r} is not a number", severity="error")
                return
            # Cross-validation on a big study takes seconds: say what is happening.
            self.notify(WORKING, title="Accept all above")
            self._plan(above, theme, case, self.start_check(PLANNING))

        # what the list shows is what is accepted: a filter to one case or theme holds
        theme, case = self.shown_scope()
        scope = (f" of theme {theme}" if theme else "") + (f" in case {case}" if case else "")
        dialog = PromptDialog(
            f"Accept every suggestion{scope} scored at least",
            DEFAULT_ABOVE,
            hint="a probability between 0 and 1; the expected precision is shown next",
        )
        self.app.push_screen(dialog, chosen)

    @work(thread=True, exit_on_error=False, group="bulk-plan", exclusive=True)
    def _plan(
        self, above: float, theme: str | None, case: str | None, stop: threading.Event
    ) -> None:
        try:
            plan = plan_accept(
                self.study,
                above,
                theme,
                case,
                progress=self.check_progress(),
                cancel=stop.is_set,
            )
        except Cancelled:
            self.post_message(PlanMade(None, cancelled=True))
            return
        except QualcodeError as exc:
            self.post_message(PlanMade(None, str(exc)))
            return
        self.post_message(PlanMade(plan))

    def on_plan_made(self, event: PlanMade) -> None:
        self.end_check(PLANNING)
        if event.cancelled:
            self.notify("Cancelled; nothing was coded", title="Accept all above", timeout=4)
            return
        plan = event.plan
        if plan is None:
            self.notify(event.error or "", title="Accept all above", severity="error")
            return
        if not plan.suggestions:
            self.notify(plan.describe(), title="Accept all above")
            return
        if self.app.screen is not self:
            # the user went on working elsewhere: a question popping up there would take
            # their next "y" (Read & code's accept) as "code them all"
            self.waiting_plan = plan
            self.notify(
                "The check is done: its question waits in Review (F8)",
                title="Accept all above",
                timeout=8,
            )
            return
        self._ask(plan)

    def shown_scope(self) -> tuple[str | None, str | None]:
        """The theme and case the list is filtered to (None: any)."""
        return None, None

    def on_screen_resume(self) -> None:
        plan = self.waiting_plan
        if plan is not None:
            self.waiting_plan = None
            self.call_after_refresh(self._ask, plan)

    def _ask(self, plan: BulkPlan) -> None:
        n = len(plan.suggestions)

        def confirmed(yes: bool | None) -> None:
            if yes:
                # Tens of thousands take seconds to write; the list updates once done.
                self.notify(writing(plan.what), title="Accept all above")
                self.submit(lambda study: accept_above(study, plan), saved=BulkAccepted)

        message = plan.describe() + ". One undo (ctrl+z) takes them all back."
        self.app.push_screen(
            ConfirmDialog("Accept all above", message, yes=f"Code {n:,}"), confirmed
        )

    def on_bulk_accepted(self, event: BulkAccepted) -> None:
        self.reload()
