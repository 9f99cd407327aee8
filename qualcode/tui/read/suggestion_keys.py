"""Read & code's suggestion keys: one accepts the suggestion the panel shows, one
rejects it, one codes another theme instead; the decision goes through the app's write
queue, so it can be undone. The panel itself (what is suggested, and working it out)
is the :class:`~.suggestions.SuggestionsPanel` widget."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from qualcode.services.study import Study
from qualcode.tui.read import suggest_changes
from qualcode.tui.read.coding import CodingActions, CodingAdded
from qualcode.tui.read.suggest_changes import Shown
from qualcode.tui.read.suggestions import Suggested, SuggestionsPanel
from qualcode.tui.shared.changes import Outcome


class SuggestionActions(CodingActions):
    """The suggestion keys of Read & code, acting on the panel ``#read-suggest``."""

    SUGGESTION_BINDINGS = [
        Binding("y", "accept_suggestion", "Accept suggestion", id="read.suggest_accept"),
        Binding(
            "r", "reject_suggestion", "Reject suggestion", show=False, id="read.suggest_reject"
        ),
        Binding("p", "other_theme", "Another theme instead", show=False, id="read.suggest_other"),
        Binding("v", "next_suggestion", "Next suggestion", show=False, id="read.suggest_next"),
        Binding("S", "toggle_suggestions", "Suggestions on/off", show=False, id="read.suggest"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.panel = SuggestionsPanel(id="read-suggest")  # composed by the screen

    # what tests and the screen ask of the panel

    @property
    def suggesting(self) -> bool:
        return self.panel.on

    @property
    def suggested(self) -> Suggested | None:
        return self.panel.found

    @property
    def suggestions_current(self) -> bool:
        """The panel shows the suggestions for the turn at the cursor, as of now."""
        return self.panel.current

    @property
    def suggestions_busy(self) -> bool:
        return self.panel.busy

    def suggestions_text(self) -> Text:
        return self.panel.text()

    def suggest_here(self) -> None:
        """The cursor moved, or what is shown changed: the panel follows."""
        panel = self.panel
        panel.catalogue = self.catalogue
        panel.follow(self.view.doc, self.view.here)

    # --- deciding ---------------------------------------------------------------------

    def action_accept_suggestion(self) -> None:
        shown = self.panel.shown()
        if shown is not None:
            self._decide(shown, None)
        elif self.panel.busy:
            self.notify("The suggestions here are still being worked out", timeout=3)
        else:
            self.notify("No suggestion here to accept", timeout=3)

    def action_other_theme(self) -> None:
        shown = self.panel.shown()
        if shown is not None:
            self.pick_theme_then(
                f"Instead of {shown.theme}", lambda theme: self._decide(shown, theme)
            )

    def _decide(self, shown: Shown, other: str | None) -> None:
        if other == shown.theme:
            other = None
        self.qapp.last_theme = other or shown.theme

        def run(study: Study) -> Outcome:
            coding, entry = suggest_changes.accept(study, shown, other)
            return Outcome(
                "" if entry else f"Already coded {coding.theme}", entry, {"coding": coding}
            )

        self.submit(run, saved=CodingAdded.of)

    def action_reject_suggestion(self) -> None:
        shown = self.panel.shown()
        if shown is None:
            return

        def run(study: Study) -> Outcome:
            return Outcome(f"Rejected {shown.theme}", suggest_changes.reject(study, shown))

        self.submit(run)

    def action_next_suggestion(self) -> None:
        self.panel.next_choice()

    def action_toggle_suggestions(self) -> None:
        on = self.panel.toggle()
        self.notify(f"Suggestions {'on' if on else 'off'}", timeout=2)
        self.suggest_here()
