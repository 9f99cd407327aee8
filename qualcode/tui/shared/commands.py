"""The command palette offers every action of the screen it was opened from."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


class WorkbenchCommands(Provider):
    """One command per active binding of the calling screen (its own, its focused
    widget's and the app's), named by the binding's description."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        out: list[tuple[str, str, Callable[[], object]]] = []
        generic: list[bool] = []
        seen: set[tuple[int, str]] = set()
        for active in self.screen.active_bindings.values():
            binding: Binding = active.binding
            if not binding.description or not active.enabled:
                continue
            ident = (id(active.node), binding.action)
            if ident in seen:
                continue
            seen.add(ident)
            shown = self.app.get_key_display(binding)
            help_text = f"{shown}  ·  {binding.id or binding.action}"
            out.append((binding.description, help_text, partial(_run, active.node, binding)))
            generic.append(binding.id is None)
        # qualcode's own actions (each binding has an id) before the movement keys that
        # Textual's widgets bring ("Cursor up", "Page left"), which the palette opened on
        order = sorted(range(len(out)), key=lambda n: generic[n])
        return [out[n] for n in order]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


def _run(node: DOMNode, binding: Binding) -> None:
    node.call_later(node.app.run_action, binding.action, node)
