"""Help: every key of every workspace, as bound now (the keymap setting applied)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.widgets import Footer, Header, Static

from qualcode.tui.shared.dialogs import MemoDialog, ThemeNotesDialog
from qualcode.tui.shared.picker import Picker
from qualcode.tui.shared.workspace import Workspace

INTRO = (
    "qualcode: code transcripts and survey answers from the keyboard. Workspaces: "
    "{workspaces}. ctrl+p opens the command palette (every action of the current screen); "
    "ctrl+z / ctrl+y undo and redo; every change is saved at once. Rebind any key in "
    'the [keymap] table of your config file, e.g.  "read.apply" = "enter,space".'
)


class _Registered(Protocol):  # a tui.workspaces.Registration (which imports this module)
    @property
    def mode(self) -> str: ...
    @property
    def keys(self) -> str: ...
    @property
    def title(self) -> str: ...


def intro(registered: Iterable[_Registered], keymap: Mapping[str, str]) -> str:
    """The opening paragraph, naming every workspace by its key (keymap applied)."""
    named = []
    for entry in registered:
        keys = keymap.get(f"app.{entry.mode}", entry.keys)
        first = show_keys(keys).split()[0]
        named.append(f"{first.upper() if first.startswith('f') else first} {entry.title}")
    return INTRO.format(workspaces=", ".join(named))


def binding_rows(
    bindings: Iterable[BindingType], keymap: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(keys, description, id) for each binding, with keymap overrides applied."""
    rows = []
    for item in bindings:
        if not isinstance(item, Binding):
            continue
        keys = keymap.get(item.id or "", item.key) if item.id else item.key
        rows.append((show_keys(keys), item.description, item.id or ""))
    return rows


# keys Textual has no character for
_NAMED = {"plus": "+", "minus": "-", "underscore": "_", "slash": "/", "backslash": "\\", "at": "@"}


def show_keys(keys: str) -> str:
    """Keys as typed: "}" for right_curly_bracket, "+" for plus; names of keys that
    print nothing (enter, f1, ctrl+s, space) stay names."""
    return " ".join(_shown(k.strip()) for k in keys.split(","))


def _shown(key: str) -> str:
    if key in _NAMED:
        return _NAMED[key]
    char = key_to_character(key) if "+" not in key else None
    return char if char is not None and char.isprintable() and not char.isspace() else key


def screen_bindings(screen: type) -> list[BindingType]:
    """A workspace's bindings with those of the mixins it is made of (the Matrix's
    dimension and key-issues keys come from one): Textual binds them all, and help
    listed only the class's own."""
    out: list[BindingType] = []
    seen: set[str] = set()
    for cls in screen.__mro__:
        if cls is Workspace or not cls.__module__.startswith("qualcode."):
            continue
        for item in cls.__dict__.get("BINDINGS", []):
            key = item.id or item.key if isinstance(item, Binding) else repr(item)
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


class HelpScreen(Workspace):
    AUTO_FOCUS = "#help-body"
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="help.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            opening = intro(self.qapp.REGISTERED, self.app._keymap)
            yield Static(opening, id="help-intro", markup=False)
            # a section a workspace: help opens at the keys of the one it was asked from
            for mode, title, bindings in self._groups():
                yield Static(
                    self._table(title, bindings),
                    id=f"help-{mode}" if mode else None,
                    classes="help-section",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def on_screen_resume(self) -> None:
        mode = self.qapp.previous_mode
        found = self.query(f"#help-{mode}") if mode != "help" else None
        body = self.query_one("#help-body", VerticalScroll)
        if found:
            self.call_after_refresh(body.scroll_to_widget, found.first(), top=True, animate=False)
        else:
            body.scroll_home(animate=False)

    def _groups(self) -> list[tuple[str, str, Iterable[BindingType]]]:
        """(workspace mode or "", title, bindings) for each section, in order."""
        # the app's registrations (not an import of the app, which imports this screen)
        groups: list[tuple[str, str, Iterable[BindingType]]] = [
            ("", "Everywhere", self.app.BINDINGS)
        ]
        for entry in self.qapp.REGISTERED:
            groups.append(
                (entry.mode, f"{entry.help_title} - {entry.help}", screen_bindings(entry.screen))
            )
            groups += [("", title, view.BINDINGS) for title, view in entry.screen.VIEWS]
        groups += [
            ("", "Pickers", Picker.BINDINGS),
            ("", "Memo editor", MemoDialog.BINDINGS),
            ("", "Theme notes editor", ThemeNotesDialog.BINDINGS),
        ]
        return groups

    def keys_table(self) -> Group:
        """Every section's keys, as one renderable."""
        tables: list[Table | Text] = []
        for _mode, title, bindings in self._groups():
            tables += [self._table(title, bindings), Text("")]
        return Group(*tables)

    def _table(self, title: str, bindings: Iterable[BindingType]) -> Table:
        keymap = self.app._keymap  # what set_keymap stored, normalised
        table = Table(
            title=Text(title, style="bold underline"),
            title_justify="left",
            show_header=False,
            expand=True,
            box=None,
        )
        table.add_column("keys", style="bold", no_wrap=True, width=22)
        table.add_column("does")
        table.add_column("binding id", style="dim", no_wrap=True, width=26)
        for keys, description, ident in binding_rows(bindings, keymap):
            table.add_row(keys, description, ident)
        return table

    def action_back(self) -> None:
        self.qapp.action_show_help()
