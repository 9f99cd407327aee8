"""The fuzzy picker of Read & code, drawn over the passage and fed keys by its screen.

It is a widget of the reading screen rather than a screen of its own, and it never
takes the focus: the reading screen hands it every key in the order typed, so letters
typed straight after Enter always reach the query, and Enter always picks from the
query typed so far (a separate screen only gets keys once it has the focus, and a
quick Enter used to pick its first theme before the letters arrived).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events
from textual.widget import Widget

from qualcode.tui.shared.picker import PickItem, rank

WIDTH = 80
HEAD = 4  # title, query, hint, rule


class InlinePicker(Widget):
    DEFAULT_CSS = """
    InlinePicker {
        layer: overlay;
        dock: top;
        display: none;
        width: 80;
        height: 80%;
        margin-top: 2;
        padding: 0 1;
        border: thick $primary;
        background: $surface;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.title_text = ""
        self.placeholder = ""
        self.items: list[PickItem] = []
        self.typed = ""
        self.shown: list[PickItem] = []
        self.highlight = 0
        self.top = 0
        self._on_pick: Callable[[str], None] | None = None
        # Items on their way (see ``expect_items``): Enter waits for them.
        self.items_coming = False
        self._pick_when_ready = False

    @property
    def is_open(self) -> bool:
        return self._on_pick is not None

    def open(
        self,
        title: str,
        items: Sequence[PickItem],
        on_pick: Callable[[str], None],
        placeholder: str = "type to filter",
    ) -> None:
        self.title_text, self.placeholder = title, placeholder
        self.items = list(items)
        self._on_pick = on_pick
        self.items_coming = self._pick_when_ready = False
        self._set_query("")
        width = self.screen.size.width
        self.styles.offset = (max(0, (width - WIDTH) // 2), 0)
        self.display = True

    def close(self) -> None:
        self._on_pick = None
        self.items_coming = self._pick_when_ready = False
        self.display = False

    @property
    def waiting(self) -> bool:
        """Enter was typed and waits for the fresher items: keys typed since are not
        the picker's (its screen holds them for what is picked)."""
        return self._pick_when_ready

    def expect_items(self) -> None:
        """Fresher items are on their way: an Enter typed before they come waits for
        them, so an id typed in full is looked for among them (another shell may have
        just imported it) rather than matched loosely to an old one."""
        self.items_coming = True

    def replace_items(self, items: Sequence[PickItem]) -> None:
        """The fresher items: the query typed so far is ranked again, the highlight
        stays on its item where it is still there, and a waiting Enter picks."""
        if not self.is_open:
            return
        was = self.shown[self.highlight].key if self.shown else None
        self.items = list(items)
        self.shown = rank(self.items, self.typed)
        keys = [item.key for item in self.shown]
        self.highlight = keys.index(was) if was in keys and self.highlight else 0
        self.top = 0
        self.items_coming = False
        self.refresh()
        if self._pick_when_ready:
            self.pick()

    def items_failed(self) -> None:
        """The fresher items did not come: a waiting Enter picks from those shown."""
        self.items_coming = False
        if self._pick_when_ready and self.is_open:
            self.pick()

    def pick(self) -> None:
        """Choose the highlighted match of the query typed so far."""
        chosen = self.shown[self.highlight] if self.shown else None
        then = self._on_pick
        self.close()
        if chosen is not None and then is not None:
            then(chosen.key)

    def feed(self, event: events.Key) -> None:
        """One key typed while the picker is open (every key goes here until it closes)."""
        key = event.key
        if key == "enter":
            if self.items_coming:
                self._pick_when_ready = True
            else:
                self.pick()
        elif key == "escape":
            self.close()
        elif key == "backspace":
            self._set_query(self.typed[:-1])
        elif key == "ctrl+u":
            self._set_query("")
        elif key in ("down", "up", "pagedown", "pageup"):
            step = {"down": 1, "up": -1, "pagedown": 10, "pageup": -10}[key]
            self._move(step)
        elif event.is_printable and event.character:
            self._set_query(self.typed + event.character)

    def _set_query(self, query: str) -> None:
        self.typed = query
        self.shown = rank(self.items, query)
        self.highlight = self.top = 0
        self.refresh()

    def _move(self, step: int) -> None:
        if self.shown:
            self.highlight = min(max(self.highlight + step, 0), len(self.shown) - 1)
            self.refresh()

    def _rows(self) -> int:
        return max(1, self.content_region.height - HEAD)

    def render(self) -> Text:
        rows = self._rows()
        if self.highlight < self.top:
            self.top = self.highlight
        elif self.highlight >= self.top + rows:
            self.top = self.highlight - rows + 1
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(self.title_text + "\n", style="bold")
        out.append("› ", style="bold")
        out.append(self.typed)
        out.append(" ", style="reverse")
        if not self.typed:
            out.append(" " + self.placeholder, style="dim")
        out.append("\n")
        count = f"{len(self.shown)} of {len(self.items)}"
        out.append(f"{count} · enter picks · escape cancels\n", style="dim")
        out.append("─" * max(1, self.content_region.width) + "\n", style="dim")
        for n, item in enumerate(self.shown[self.top : self.top + rows], start=self.top):
            line = Text("  " * item.indent)
            line.append(item.key, style=f"bold {item.colour}" if item.colour else "bold")
            line.append("  " + item.label)
            if item.detail:
                line.append("  " + item.detail, style="dim")
            if n == self.highlight:
                line.pad_right(max(0, self.content_region.width - len(line)))
                line.stylize("reverse")
            out.append_text(line)
            out.append("\n")
        if not self.shown:
            out.append("  (no match)", style="dim")
        out.rstrip()
        return out

    def on_click(self, event: events.Click) -> None:
        row = event.get_content_offset(self)
        if row is None or not self.is_open:
            return
        index = self.top + row.y - HEAD
        if 0 <= index < len(self.shown) and row.y >= HEAD:
            self.highlight = index
            self.pick()
