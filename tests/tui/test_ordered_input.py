"""Editing keys in a burst take effect in the order typed (a threshold of "0.8",
backspaced and retyped as 0.95 in one burst, read "0.80.9" and Accept all above
coded at 0.8)."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from qualcode.tui.shared.ordered_input import OrderedInput


class Field(App[None]):
    def __init__(self, kind: type[Input]) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(value="0.8")

    @property
    def field(self) -> Input:
        return self.query_one(Input)


def burst(field: Input, *keys: str) -> None:
    """Keys delivered together, as the terminal driver hands a burst to the app."""
    for key in keys:
        character = {"backspace": "\x7f"}.get(key, key if len(key) == 1 else None)
        field.app.post_message(events.Key(key, character))


KEYS = ("end", "backspace", "backspace", "backspace", "0", ".", "9", "5")


async def test_a_burst_of_edits_lands_in_order() -> None:
    app = Field(OrderedInput)
    async with app.run_test() as pilot:
        burst(app.field, *KEYS)
        await pilot.pause()
        await pilot.pause()
        assert app.field.value == "0.95"


async def test_textuals_own_field_does_not() -> None:
    """The reason for OrderedInput: if Textual's field ever keeps the order, drop it."""
    app = Field(Input)
    async with app.run_test() as pilot:
        burst(app.field, *KEYS)
        await pilot.pause()
        await pilot.pause()
        assert app.field.value != "0.95"
