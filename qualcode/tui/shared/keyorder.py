"""Keys that take effect in the order they were typed, even in a fast burst.

Textual chooses a key's widget when the app takes the key off its queue, but runs the
key's binding only after the key has bubbled back up to the app, one message queue per
hop. A burst of keys (a fast typist, a paste, ``tmux send-keys``) is therefore all
delivered to the widget that had the focus before the first key took effect, and each
binding runs against whatever screen is current by the time the key gets back to the
app: ``/int03`` lost its letters to the cases table, and letters typed right after
Enter opened the theme picker went to the reading pane (``g`` jumped to the top, ``a``
opened a second picker) while a stale Enter picked the picker's first theme.

A screen with :class:`InOrderKeys` runs the bindings of its focus chain itself as each
key reaches it, so every key sees what the keys before it did. A key that reaches it
after an earlier key opened another screen (a dialog, another workspace) is passed on
to that screen, still in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.widgets import Input


def after_typed(app: App[Any], action: Callable[[], Any]) -> None:
    """Run ``action`` once the focused widget has handled every key sent to it before.

    A priority binding (ctrl+s, ctrl+q) runs as soon as the app takes its key off the
    queue, while the keys typed just before it may still wait in an editor's queue: a
    summary typed and saved in one burst was saved as its first word, or not at all. The
    action is queued behind those keys instead."""
    # A key bubbles from the focused widget to its screen (which runs the bindings of
    # an InOrderKeys screen: Read & code's theme keys) one queue per hop: the action
    # waits behind each queue in turn, or a coding typed just before ctrl+q was lost.
    focused = app.focused
    chain: list[Any] = [] if focused is None else list(focused.ancestors_with_self)
    if not chain or chain[-1] is not app:
        chain.append(app)

    def step(i: int) -> None:
        if i == len(chain):
            action()
        else:
            chain[i].call_later(step, i + 1)

    step(0)


def escaped_key(event: events.Key) -> tuple[str, str] | None:
    """(key, character) of the key typed after Escape, when the two came together and
    the terminal read them as alt+key (a burst over SSH); None for any other key.
    "alt+shift+g" is "G", as typed."""
    if not event.key.startswith("alt+") or not event.character:
        return None
    character = event.character
    if len(character) != 1 or not character.isprintable():
        return None
    return _character_to_key(character), character


class PassedKey(events.Key, bubble=False):
    """A key typed for a screen that was not current yet when the key was sent."""


def pass_on(event: events.Key, screen: Screen[object], tries: int = 0) -> None:
    """Hand ``event`` to ``screen`` (the current one): as a key for its own ordered
    handling when it has one, else to its focused widget as if typed there."""
    if isinstance(screen, InOrderKeys):
        screen.post_message(PassedKey(event.key, event.character))
        return
    # a dialog: to the widget that has (or is about to get) the focus; one just pushed
    # has no widgets yet, so the key waits for them (a burst's "A 21 two Enter" lost
    # everything after the A: the new theme dialog was not composed yet)
    chain = screen.focus_chain
    if not chain and tries < 3:
        screen.call_after_refresh(pass_on, event, screen, tries + 1)
        return
    target = screen.focused or (chain[0] if chain else screen)
    target.post_message(events.Key(event.key, event.character))


class InOrderKeys(Screen[None]):
    """Runs its own bindings as keys arrive, in the order they were typed."""

    async def on_key(self, event: events.Key) -> None:
        await self._take(event)

    async def on_passed_key(self, event: PassedKey) -> None:
        await self._take(event)

    async def _take(self, event: events.Key) -> None:
        top = self.app.screen
        if top is not self and not getattr(top, "answered", False):
            # an earlier key opened a dialog over this screen, or another workspace
            if isinstance(top, InOrderKeys) or self in self.app.screen_stack:
                event.stop()
                event.prevent_default()
                pass_on(event, top)
            elif isinstance(event, PassedKey):
                pass_on(event, top)
            # else the key goes on to the app, which applies that screen's bindings
            return
        event.stop()
        event.prevent_default()
        if not await self.take_key(event):
            await self.run_bindings(event)

    async def take_key(self, event: events.Key) -> bool:
        """A screen's own handling before its bindings (override); True: handled."""
        return False

    async def run_bindings(self, event: events.Key) -> bool:
        """What the app would do with the key: the first binding of the focus chain
        (the focused widget, its parents, this screen, the app) that runs."""
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable and event.character:
            # sent to another widget before an earlier key moved the focus to the field
            focused.insert_text_at_cursor(event.character)
            return True
        for namespace, bindings in self._modal_binding_chain:
            for binding in bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, namespace):
                    return True
        return False
