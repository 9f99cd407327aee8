"""A text field whose editing keys take effect in the order typed.

Textual inserts a typed character when its key reaches the field, but runs a key's
binding (backspace, delete, home, end...) only after the key has bubbled back up to
the app. In a burst - a laggy SSH link, a paste, ``tmux send-keys`` - "backspace
backspace 0.95" in the threshold field of Accept all above became "0.80.9": the
characters went in first and the backspaces then took the end off. This field runs
its own bindings as each key arrives instead.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea

from qualcode.tui.shared.keyorder import escaped_key, pass_on

_ACTIONS = {key.strip(): b.action for b in Input.BINDINGS for key in b.key.split(",")}  # type: ignore[union-attr]


def moved_on(field: Widget, event: events.Key) -> bool:
    """Tab moves the focus as it arrives, and a key queued here before a Tab moved the
    focus on goes to the field focused now: Textual moves the focus only once Tab has
    bubbled up to the app, after the keys behind it reached this field, so "Tab AAA
    Tab BBB" in one burst (a paste, a laggy SSH link) put every field's text in the
    first (walk46d, walk49c)."""
    screen = field.screen
    if event.key in ("tab", "shift+tab"):
        event.stop()
        event.prevent_default()
        screen.focus_next() if event.key == "tab" else screen.focus_previous()
        return True
    focused = screen.focused
    if focused is not None and focused is not field and not getattr(event, MOVED, False):
        event.stop()
        event.prevent_default()
        moved = events.Key(event.key, event.character)
        # marked, so that it stays there if a later Tab has moved the focus on again
        setattr(moved, MOVED, True)
        focused.post_message(moved)
        return True
    return False


MOVED = "qualcode_moved"  # on a key handed on to the field a Tab focused: typed there


class OrderedTextArea(TextArea):
    """A text area in a form of several fields, taking Tab and the keys after it in
    order (see :func:`moved_on`)."""

    async def _on_key(self, event: events.Key) -> None:
        if moved_on(self, event):
            return
        await super()._on_key(event)

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        # at the end, as the form's one-line fields are: text tabbed to and typed went
        # in front of a definition, run together with its first word (walk49c)
        self.move_cursor(self.document.end)


class OrderedInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        if getattr(screen, "answered", False):
            # the dialog was answered (Enter) and is closing: the keys typed after that
            # Enter are for the screen beneath, not lost in this one
            event.stop()
            event.prevent_default()
            stack = self.app.screen_stack
            if screen not in stack:  # gone already: to whatever is on top now
                pass_on(event, self.app.screen)
            elif stack.index(screen) > 0:
                pass_on(event, stack[stack.index(screen) - 1])
            return
        if escaped_key(event) is not None:
            # Escape and a letter read together as alt+letter: not typed here; it goes
            # up to the dialog, which closes (see shared/picker.py)
            event.prevent_default()
            return
        if moved_on(self, event):
            return
        action = _ACTIONS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            answer = getattr(screen, "answer", None)
            if action == "submit" and callable(answer):
                # answered now, not by a message after the keys queued behind this Enter:
                # they went into this field ("A 21 two" of the next theme) and were lost
                answer(self.value)
                return
            await self.run_action(action)
