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
from textual.widgets import Input

from qualcode.tui.shared.keyorder import escaped_key, pass_on

_ACTIONS = {key.strip(): b.action for b in Input.BINDINGS for key in b.key.split(",")}  # type: ignore[union-attr]


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
