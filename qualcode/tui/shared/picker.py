"""A fuzzy picker: type a few letters of an id or a label, Enter picks, Escape cancels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.domain.model import Case
from qualcode.tui.shared.keyorder import escaped_key, pass_on
from qualcode.tui.shared.ordered_input import OrderedInput


@dataclass(frozen=True)
class PickItem:
    key: str  # what the picker returns
    label: str
    detail: str = ""  # shown dimmed after the label
    indent: int = 0
    colour: str | None = None
    show_key: bool = True  # False: the key is internal (e.g. "stance=mixed"), the label says it


def case_item(case: Case, width: int) -> PickItem:
    """A case as a pick: its id, then its attributes by name ("sector: CSD · role:
    manager"), so a row of bare values ("7 1 1 8 2.26") is not left to decode; the
    names and values both match what is typed."""
    said = " · ".join(f"{name}: {value}" for name, value in case.attributes.items())
    return PickItem(case.id, said if len(said) <= width else said[: width - 1].rstrip() + "…")


def rank(items: Sequence[PickItem], query: str) -> list[PickItem]:
    """Items matching ``query`` best first; an id that starts with the query wins."""
    query = query.strip()
    if not query:
        return list(items)
    matcher = Matcher(query)
    scored: list[tuple[float, int, PickItem]] = []
    folded = query.casefold()
    for n, item in enumerate(items):
        score = matcher.match(f"{item.key} {item.label}")
        key = item.key.casefold()
        if key == folded:
            score += 4
        elif key.startswith(folded):
            score += 2
        if score > 0:
            scored.append((score, n, item))
    # on a tie the shorter (usually more specific) theme wins: "agen" -> "Agency staff"
    scored.sort(key=lambda s: (-round(s[0], 6), len(s[2].label), s[1]))
    return [item for _, _, item in scored]


class Picker(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="picker.pagedown"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="picker.pageup"),
    ]

    def __init__(self, title: str, items: Sequence[PickItem], placeholder: str = "type to filter"):
        super().__init__(classes="dialog picker")
        self.title_text = title
        self.items = list(items)
        self.placeholder = placeholder
        self.shown: list[PickItem] = list(items)
        self.shown_for = ""  # the query that ``shown`` was ranked for

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box picker-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield OrderedInput(placeholder=self.placeholder, id="picker-input")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _prompt(self, item: PickItem) -> Text:
        text = Text("  " * item.indent)
        if item.show_key:
            text.append(item.key, style=f"bold {item.colour}" if item.colour else "bold")
            text.append("  ")
        text.append(item.label)
        if item.detail:
            text.append("  " + item.detail, style="dim")
        return text

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        self.shown = rank(self.items, query)
        self.shown_for = query
        options.clear_options()
        options.add_options([Option(self._prompt(i), id=i.key) for i in self.shown])
        if self.shown:
            options.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    def _choose(self) -> None:
        """Pick from what is typed now, even if the list has not caught up with it."""
        if not self.is_current:
            return
        query = self.query_one(Input).value
        if query != self.shown_for:
            self._fill(query)
        options = self.query_one(OptionList)
        if self.shown:
            self.dismiss(self.shown[options.highlighted or 0].key)

    def on_key(self, event: events.Key) -> None:
        # Keys reach the screen itself before its field has the focus (the field
        # consumes letters, so a letter here was never typed into it), and Enter is
        # answered here so that it picks from every letter typed before it.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._choose()
        elif (escaped := escaped_key(event)) is not None:
            # Escape and a key sent together (a burst over SSH) read as alt+key: cancel,
            # and the key goes to the screen beneath rather than into the filter (the
            # filter field passes such keys up to here)
            event.stop()
            event.prevent_default()
            below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
            self.dismiss(None)
            if below is not None:
                pass_on(events.Key(*escaped), below)
        elif event.is_printable and event.character:
            event.stop()
            self.query_one(Input).insert_text_at_cursor(event.character)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if not self.shown:
            return
        current = options.highlighted or 0
        options.highlighted = min(max(current + delta, 0), len(self.shown) - 1)

    def action_cancel(self) -> None:
        self.dismiss(None)
