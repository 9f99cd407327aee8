"""Small typed modal dialogs that ``dismiss(value)``: error, confirm, prompt, memo, theme notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from qualcode.tui.shared.journal import Draft
from qualcode.tui.shared.keyorder import after_typed
from qualcode.tui.shared.ordered_input import OrderedInput, OrderedTextArea


class ErrorDialog(ModalScreen[None]):
    """A failure's title and its whole message (nothing cut), plus details if any."""

    BINDINGS = [
        Binding("escape,enter", "dismiss_dialog", "Close", id="dialog.close"),
    ]

    def __init__(self, title: str, message: str, details: str | None = None) -> None:
        super().__init__(classes="dialog error-dialog")
        self.title_text = title
        self.message = message
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title", id="error-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.message, markup=False, id="error-message")
                if self.details:
                    yield Static(self.details, markup=False, classes="details")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="error", id="ok")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="dialog.no"),
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.message = message
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, markup=False, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class PromptDialog(ModalScreen[str | None]):
    """One line of text; Enter accepts, Escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", hint: str = ""):
        super().__init__(classes="dialog")
        self.answered = False  # Enter or Escape closed it; it is on its way out
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield OrderedInput(
                self.value, placeholder=self.placeholder, id="prompt-input", select_on_focus=False
            )
            if self.hint:
                yield Static(self.hint, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer(event.value)

    def action_cancel(self) -> None:
        self.answer(None)

    def answer(self, value: str | None) -> None:
        # once: a second Enter in a burst, arriving after the first closed the dialog,
        # popped the workspace beneath it and ended the app (ScreenStackError); keys
        # arriving while it closes go on to the screen beneath (see keyorder.py)
        if self.is_current and not self.answered:
            self.answered = True
            self.dismiss(value)


class MemoDialog(ModalScreen[str | None]):
    """Edit a memo: ctrl+s saves (blank text deletes the memo). Escape closes it; text
    changed from what is stored is handed to ``kept`` (which keeps it for the session,
    as the Matrix keeps an unsaved summary), and ``kept(None)`` says nothing differs any
    more. Without ``kept``, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="memo.save", priority=True),
        Binding("escape", "cancel", "Close (keeps changes)", id="memo.cancel"),
    ]

    def __init__(
        self,
        title: str,
        text: str = "",
        subtitle: str = "",
        *,
        stored: str | None = None,
        kept: Callable[[str | None], None] | None = None,
        journal: tuple[tuple[str | None, ...], str] | None = None,
    ) -> None:
        """``text``: what the editor opens with (an unsaved draft, or ``stored``);
        ``stored``: the text as saved (None: ``text`` is); ``journal``: the (key,
        label) its typed text is kept on disk under until saved (shared/journal.py)."""
        super().__init__(classes="dialog memo-dialog")
        self.title_text = title
        self.text = text
        self.subtitle = subtitle
        self.stored = text if stored is None else stored
        self.kept = kept
        self.journal = journal

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            if self.subtitle:
                yield Static(self.subtitle, classes="dialog-hint", markup=False)
            yield TextArea(self.text, id="memo-text", soft_wrap=True)
            closing = "escape keeps changes unsaved" if self.kept else "escape cancel"
            yield Static(f"ctrl+s save · {closing} · empty text deletes", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def typed(self) -> str:
        return self.query_one(TextArea).text

    @property
    def dirty(self) -> bool:
        """The text differs from what is stored (ctrl+q asks before losing it)."""
        return self.typed != self.stored

    def action_save(self) -> None:
        after_typed(self.app, lambda: _dismiss(self, self.typed))

    def action_cancel(self) -> None:
        if self.kept is not None:
            dirty = self.dirty
            self.kept(self.typed if dirty else None)
            if dirty:
                self.app.notify(
                    "Not saved: kept for this session (open it again to save it with ctrl+s)",
                    timeout=4,
                )
        self.dismiss(None)


@dataclass(frozen=True)
class ThemeNotes:
    label: str
    definition: str | None
    inclusion: str | None
    exclusion: str | None
    keywords: tuple[str, ...]


def notes_draft(mode: str, theme_id: str, notes: ThemeNotes) -> Draft:
    """Typed theme notes as a draft for the journal (shared/journal.py)."""
    text = "\n".join(
        x for x in (notes.label, notes.definition, notes.inclusion, notes.exclusion) if x
    )
    return Draft(mode, ("notes", theme_id), f"theme {theme_id}'s notes", text, asdict(notes))


def notes_of(draft: Draft) -> ThemeNotes:
    """The typed notes a journal draft holds."""
    extra = dict(draft.extra)
    extra["keywords"] = tuple(extra.get("keywords") or ())
    return ThemeNotes(**extra)


class ThemeNotesDialog(ModalScreen[ThemeNotes | None]):
    """Edit a theme's label, definition, inclusion/exclusion notes and keywords."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="notes.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="notes.cancel"),
    ]

    def __init__(
        self, theme_id: str, notes: ThemeNotes, stored: ThemeNotes | None = None, hint: str = ""
    ) -> None:
        """``notes``: what the fields open with (notes kept after a refused save, or
        ``stored``); ``stored``: the notes as saved (None: ``notes`` are)."""
        super().__init__(classes="dialog notes-dialog")
        self.theme_id = theme_id
        self.notes = notes
        self.stored = stored if stored is not None else notes
        self.hint = hint
        self.dropped = False  # closed by "Drop": what it opened with is unwanted too

    def compose(self) -> ComposeResult:
        n = self.notes
        # scrolls: at 80x24 Exclude and Keywords were below the screen, even focused
        with VerticalScroll(classes="dialog-box", can_focus=False):
            yield Label(f"Theme {self.theme_id}", classes="dialog-title")
            # the hint under the title: at the foot it fell below a 36-row terminal
            yield Static("ctrl+s save · escape cancel · tab next field", classes="dialog-hint")
            if self.hint:
                yield Static(self.hint, classes="dialog-hint", markup=False)
            # Tab puts the cursor at the end of a field, not over the whole of it: typing
            # ", charts" to add a keyword replaced every keyword
            yield Label("Label")
            yield OrderedInput(n.label, id="notes-label", select_on_focus=False)
            yield Label("Definition")
            yield OrderedTextArea(n.definition or "", id="notes-definition", soft_wrap=True)
            yield Label("Include")
            yield OrderedTextArea(n.inclusion or "", id="notes-inclusion", soft_wrap=True)
            yield Label("Exclude")
            yield OrderedTextArea(n.exclusion or "", id="notes-exclusion", soft_wrap=True)
            yield Label("Keywords (comma-separated)")
            yield OrderedInput(", ".join(n.keywords), id="notes-keywords", select_on_focus=False)

    @property
    def typed(self) -> ThemeNotes:
        def area(name: str) -> str | None:
            return self.query_one(f"#notes-{name}", TextArea).text.strip() or None

        keywords = self.query_one("#notes-keywords", Input).value
        return ThemeNotes(
            label=self.query_one("#notes-label", Input).value.strip(),
            definition=area("definition"),
            inclusion=area("inclusion"),
            exclusion=area("exclusion"),
            keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
        )

    def action_save(self) -> None:
        after_typed(self.app, lambda: _dismiss(self, self.typed))

    @property
    def dirty(self) -> bool:
        """Differs from what is stored (ctrl+q asks before losing it)."""
        return self.typed != as_shown(self.stored)

    def action_cancel(self) -> None:
        """Close; with changes typed, only once the user says to drop them (a
        definition written field by field is too much to lose to one escape)."""
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dropped = True
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Unsaved notes",
                f"Drop the changes to theme {self.theme_id}'s notes? "
                "(n goes back to them; ctrl+s there saves them)",
                "Drop",
            ),
            answered,
        )


def as_shown(notes: ThemeNotes) -> ThemeNotes:
    """``notes`` as the editor's ``typed`` reads them back untouched."""
    return ThemeNotes(
        notes.label.strip(),
        (notes.definition or "").strip() or None,
        (notes.inclusion or "").strip() or None,
        (notes.exclusion or "").strip() or None,
        tuple(k.strip() for k in notes.keywords if k.strip()),
    )


def _dismiss(screen: ModalScreen[Any], result: object) -> None:
    """Dismiss ``screen`` with ``result`` unless it has gone already (ctrl+s twice)."""
    if screen.is_current:
        screen.dismiss(result)
