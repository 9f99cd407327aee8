"""Read & code's coding keys: apply a theme, the shortcuts, same as last, remove and
change a coding.

Every action takes the document, the span and the theme from what is on screen when
its key is handled, and keys are handled one after another in the order typed (see
:mod:`qualcode.tui.shared.keyorder`); the write itself goes through the app's queue, so undo
and redo cover it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.binding import Binding

from qualcode.domain.documents import OTHER
from qualcode.domain.model import Coding, Theme
from qualcode.services import coding_batches
from qualcode.services import codings as coding_service
from qualcode.services.study import Study
from qualcode.tui.read.data import Catalogue, Opened, shortcuts_for
from qualcode.tui.read.document import Mark
from qualcode.tui.read.docview import DocumentView
from qualcode.tui.read.inline_picker import InlinePicker
from qualcode.tui.shared import changes
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.dialogs import ConfirmDialog
from qualcode.tui.shared.keyorder import InOrderKeys
from qualcode.tui.shared.messages import Saved
from qualcode.tui.shared.picker import PickItem
from qualcode.tui.shared.workspace import Workspace

Span = tuple[str, int, int]  # source, start, end

SHORTCUTS = [
    Binding(str(n), f"shortcut({n})", f"Code with shortcut {n}", show=False, id=f"read.theme{n}")
    for n in range(1, 10)
]


@dataclass
class CodingAdded(Saved):
    """A span is coded (or already was): drawn at once, before the reload confirms it."""

    coding: Coding

    @classmethod
    def of(cls, outcome: Outcome) -> CodingAdded:
        return cls(outcome, outcome.data["coding"])


class CodingActions(InOrderKeys, Workspace):
    """The document on screen and the keys that code it."""

    # listed by the screen, so that its footer keeps the reading keys first
    CODING_BINDINGS = [
        Binding("enter,a", "pick_theme", "Apply theme", id="read.apply"),
        Binding("full_stop", "same_as_last", "Same as last", id="read.same"),
        *SHORTCUTS,
        Binding("x,delete", "remove_coding", "Remove coding", id="read.remove"),
        Binding("c", "change_coding", "Change theme", id="read.change"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalogue: Catalogue | None = None
        self.opened: Opened | None = None

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    @property
    def picker(self) -> InlinePicker:
        return self.query_one(InlinePicker)

    def show_marks(self) -> None:
        """Draw the codings of ``opened`` (override)."""

    # --- what to code ---------------------------------------------------------------

    def target_span(self) -> Span | None:
        """(source, start, end) to code: the selection, else the turn at the cursor."""
        doc = self.view.doc
        if doc is None:
            return None
        selected = self.view.selection
        if selected is not None:
            start, end = doc.trim(*selected)
        else:
            unit = doc.turn_at(self.view.here)
            if unit is None or unit.role == OTHER:  # context: nobody's words (below)
                return None
            start, end = unit.start, unit.end
        if end <= start:
            return None
        return doc.to_source(start, end)

    def offered_themes(self) -> tuple[Theme, ...]:
        """The themes whose framework applies to the open document."""
        if self.catalogue is None:
            return ()
        return self.catalogue.themes_for(self.opened.key if self.opened else None)

    def current_shortcuts(self) -> list[str]:
        """Keys 1-9 for the open document (see data.shortcuts_for)."""
        if self.catalogue is None:
            return list(self.qapp.shortcuts)
        return shortcuts_for(self.qapp.shortcuts, self.offered_themes(), self.catalogue.depth)

    def theme_items(self) -> list[PickItem]:
        if self.catalogue is None:
            return []
        keys = {tid: str(n + 1) for n, tid in enumerate(self.current_shortcuts()) if tid}
        return [
            PickItem(
                t.id,
                t.label,
                f"[{keys[t.id]}]" if t.id in keys else "",
                self.catalogue.depth.get(t.id, 0),
                self.catalogue.colours[t.id][1],
            )
            for t in self.offered_themes()
        ]

    def pick_theme_then(self, title: str, then: Callable[[str], None]) -> None:
        self.picker.open(title, self.theme_items(), then, "type letters of a label or id")

    # --- applying a theme -------------------------------------------------------------

    def no_span(self) -> None:
        """Why nothing is coded: a title, a date or a task prompt at the cursor is
        context, nobody's words (a key typed on it coded it into the matrix and the
        quotes, walk48d); a selection of its words codes them anyway."""
        doc = self.view.doc
        unit = doc.turn_at(self.view.here) if doc is not None else None
        if unit is not None and unit.role == OTHER:
            self.notify(
                "This is context (a title or a prompt), not anyone's words: not coded. "
                "Select its words to code them anyway",
                severity="warning",
                timeout=4,
            )
        else:
            self.notify("Put the cursor in a turn or select a passage first", timeout=3)

    def action_pick_theme(self) -> None:
        span = self.target_span()
        if span is None:
            self.no_span()
            return
        self.pick_theme_then("Apply theme", lambda theme: self.apply(theme, span))

    def action_shortcut(self, number: int) -> None:
        shortcuts = self.current_shortcuts()
        if number <= len(shortcuts) and shortcuts[number - 1]:
            self.apply(shortcuts[number - 1])
        else:
            self.notify(f"No theme on key {number}: set one in the framework (k)", timeout=3)

    def action_same_as_last(self) -> None:
        if self.qapp.last_theme is None:
            self.notify("No theme applied yet", timeout=2)
        else:
            self.apply(self.qapp.last_theme)

    def apply(self, theme: str, span: Span | None = None) -> None:
        span = span or self.target_span()
        if span is None:
            self.no_span()
            return
        source, start, end = span
        if self.catalogue is not None and theme not in {t.id for t in self.offered_themes()}:
            owner = self.catalogue.frameworks.framework_of(theme)
            self.notify(
                f"{theme} is in framework {owner.name!r}, which codes "
                f"{owner.applies_to.describe()}, not this document",
                severity="warning",
                timeout=4,
            )
            return
        self.qapp.last_theme = theme

        def run(study: Study) -> Outcome:
            coding, entry = changes.code_span(study, source, start, end, theme)
            # the coloured span is the feedback; a toast would only cost a redraw
            said = "" if entry else f"Already coded {theme}"
            return Outcome(said, entry, {"coding": coding})

        self.submit(run, saved=CodingAdded.of)
        self.keep_cursor_in(span)

    def keep_cursor_in(self, span: Span) -> None:
        """After coding, the cursor goes to the coded span's start (not just after it),
        so that the side panel shows what was coded."""
        doc = self.view.doc
        at = doc.to_doc(span[0], span[1]) if doc is not None else None
        if at is None:
            self.view.clear_selection()
        else:
            self.view.move_to(at)

    def add_shown_coding(self, event: CodingAdded) -> None:
        """Show a stored coding at once; the reload that follows confirms the rest."""
        coding = event.coding
        if self.opened is None:
            return
        if all(c.id != coding.id for c in self.opened.codings):
            self.opened = Opened(
                self.opened.key,
                self.opened.title,
                self.opened.doc,
                (*self.opened.codings, coding),
                self.opened.memo_segments,
            )
            self.show_marks()

    # --- removing and changing ------------------------------------------------------------

    def _marks_here(self) -> list[Mark]:
        doc = self.view.doc
        if doc is None:
            return []
        selected = self.view.selection
        if selected is not None:
            return doc.marks_in(*selected)
        return doc.marks_at(self.view.cursor)

    def _choose_mark(self, title: str, then: Callable[[Mark], None]) -> None:
        marks = self._marks_here()
        if not marks:
            self.notify("No coding at the cursor", timeout=2)
            return
        if len(marks) == 1:
            then(marks[0])
            return
        labels = {t.id: t.label for t in self.catalogue.themes} if self.catalogue else {}
        me = self.study.coder
        items = [
            PickItem(
                str(m.coding),
                f"{m.theme} {labels.get(m.theme, '')}"
                + (f" ({m.coder})" if m.coder and m.coder != me else ""),
            )
            for m in marks
        ]
        by_id = {str(m.coding): m for m in marks}
        self.picker.open(title, items, lambda key: then(by_id[key]))

    def _if_theirs_ask(self, mark: Mark, doing: str, then: Callable[[], None]) -> None:
        """``then()``, after asking first when the coding is a colleague's: in a double-
        coded sample, changing their coding changes the agreement being measured."""
        if not mark.coder or mark.coder == self.study.coder:
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(
            ConfirmDialog(
                "Someone else's coding",
                f"This {mark.theme} coding is {mark.coder}'s, not yours ({self.study.coder}). "
                f"{doing} it all the same? (C shows one coder's codings only)",
                doing,
            ),
            answered,
        )

    def action_remove_coding(self) -> None:
        def remove(mark: Mark) -> None:
            def run(study: Study) -> Outcome:
                coding_batches.remove_codings(study, [mark.coding])
                entry = changes.logged(study, f"remove {mark.theme}")
                return Outcome(f"Removed {mark.theme}", entry)

            self._if_theirs_ask(mark, "Remove", lambda: self.submit(run))

        self._choose_mark("Remove which coding?", remove)

    def action_change_coding(self) -> None:
        def change(mark: Mark) -> None:
            def chosen(theme: str) -> None:
                if theme == mark.theme:
                    return

                def run(study: Study) -> Outcome:
                    coding_service.change_theme(study, mark.coding, theme)
                    entry = changes.logged(study, f"change {mark.theme} to {theme}")
                    return Outcome(f"Changed {mark.theme} to {theme}", entry)

                self.submit(run)

            self._if_theirs_ask(
                mark,
                "Change",
                lambda: self.pick_theme_then(f"Change {mark.theme} to", chosen),
            )

        self._choose_mark("Change which coding?", change)
