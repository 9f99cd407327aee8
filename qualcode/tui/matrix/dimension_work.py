"""The Matrix workspace's mapping keys: place the open cell on a dimension of its theme
(v: a picker of the declared values), and write a theme's key issues (K, in the grid
or a cell). The cell view shows the cell's values under its title."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.binding import Binding
from textual.message import Message

from qualcode.domain.key_issues import KeyIssues
from qualcode.services import key_issues
from qualcode.services.study import Study
from qualcode.tui.matrix import dimension_changes as writes
from qualcode.tui.matrix.cell_work import CellWork
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.dialogs import MemoDialog
from qualcode.tui.shared.journal import Draft
from qualcode.tui.shared.messages import NotSaved
from qualcode.tui.shared.picker import Picker, PickItem
from qualcode.tui.shared.workspace import gist

CLEAR = "\x00"  # the picker key's value part meaning "remove the value"


@dataclass
class KeyIssuesNotSaved(NotSaved):
    """A theme's key issues were refused: the text is kept, and K opens it again."""

    theme: str
    text: str


@dataclass
class KeyIssuesLoaded(Message):
    theme: str
    note: KeyIssues | None


def dimension_line(dims: tuple[tuple[str, tuple[str, ...]], ...], values: dict[str, str]) -> str:
    """ "stance: mixed · mention: — · standing: typical" for the cell view."""
    return " · ".join(f"{name}: {values.get(name, '—')}" for name, _ in dims)


class DimensionWork(CellWork):
    BINDINGS = [
        Binding("v", "dimension", "Set a dimension value…", show=False, id="matrix.dimension"),
        Binding(
            "K", "key_issues", "Key issues of the theme…", show=False, id="matrix.key_issues"
        ),  # fmt: skip
    ]

    def __init__(self) -> None:
        super().__init__()
        self.key_drafts: dict[str, str] = {}  # theme -> key issues text not saved

    def open_cell(self) -> None:
        super().open_cell()
        self.show_cell_dimensions()

    def _cell_dimensions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        key = self.cell_view.key if self.cell_view_built else None
        if key is None or self.page is None:
            return ()
        dims = self.page.dimensions.get(key[1], ())
        return tuple((d.name, d.values) for d in dims)

    def show_cell_dimensions(self) -> None:
        """The open cell's values under its title (only for themes that declare
        dimensions or cells with a value: the rest stay as they were)."""
        if not self.cell_view_built or self.cell_view.key is None or self.page is None:
            return
        values = dict(self.page.values.get(self.cell_view.key, {}))
        dims = self._cell_dimensions()
        declared = len(dims) > 1 or bool(values)  # more than the built-in standing
        self.cell_view.show_dimensions(dimension_line(dims, values) if declared else "")

    def action_dimension(self) -> None:
        key = self.cell_view.key if self.in_cell else None
        if key is None or self.page is None:
            return
        case, theme = key
        current = dict(self.page.values.get(key, {}))
        items: list[PickItem] = []
        for name, values in self._cell_dimensions():
            for value in values:
                now = " (now)" if current.get(name) == value else ""
                items.append(
                    PickItem(f"{name}={value}", f"{name}: {value}", now.strip(), show_key=False)
                )
            if name in current:
                items.append(
                    PickItem(f"{name}={CLEAR}", f"{name}: remove the value", show_key=False)
                )

        def chosen(picked: str | None) -> None:
            if picked is None:
                return
            name, _, value = picked.partition("=")
            wanted = None if value == CLEAR else value

            def run(study: Study) -> Outcome:
                return writes.set_dimension(study, case, theme, name, wanted)

            self.submit(run)

        self.app.push_screen(Picker(f"Place {case} on {theme}", items), chosen)

    def action_key_issues(self) -> None:
        theme = self.cell_view.key[1] if self.in_cell and self.cell_view.key else self.grid.theme
        if theme is None:
            return
        self._load_key_issues(theme)

    @work(thread=True, exit_on_error=False, group="matrix-key-issues")
    def _load_key_issues(self, theme: str) -> None:
        self.post_message(KeyIssuesLoaded(theme, key_issues.get_key_issues(self.study, theme)))

    def on_key_issues_loaded(self, event: KeyIssuesLoaded) -> None:
        theme, note = event.theme, event.note
        version = note.version if note else 0
        kept = self.key_drafts.pop(theme, None)
        text = kept if kept is not None else (note.text if note else "")
        label = self.page.labels.get(theme, "") if self.page else ""
        hint = f"Version {version} by {note.coder}" if note else "Closes the theme's report section"
        if kept is not None:  # saving now knowingly replaces the version shown
            hint = f"Your unsaved text; stored now: version {version}"
            if note is not None and note.text != kept:
                # a colleague's text, which ctrl+s replaces: shown, so it is read first
                said = gist(note.text)
                hint = (
                    f"Your unsaved text. Stored now, version {version} by {note.coder} "
                    f"(ctrl+s replaces it): {said}"
                )

        def done(result: str | None) -> None:
            if result is None:
                return

            def run(study: Study) -> Outcome:
                return writes.save_key_issues(study, theme, result, version)

            self.submit(run, not_saved=KeyIssuesNotSaved(theme, result))

        def kept_now(typed: str | None) -> None:
            if typed is None:
                self.key_drafts.pop(theme, None)
            else:
                self.key_drafts[theme] = typed

        stored = note.text if note else ""
        dialog = MemoDialog(
            f"Key issues: {theme} {label}", text, hint, stored=stored, kept=kept_now,
            journal=(("key_issues", theme), f"the key issues of {theme}"),
        )  # fmt: skip
        self.app.push_screen(dialog, done)

    @on(KeyIssuesNotSaved)
    def _key_issues_refused(self, event: KeyIssuesNotSaved) -> None:
        self.key_drafts[event.theme] = event.text  # K opens it again over the new version

    def unsaved_work(self) -> list[str]:
        return super().unsaved_work() + [f"the key issues of {t}" for t in self.key_drafts]

    def draft_items(self) -> list[Draft]:
        return super().draft_items() + [
            Draft("", ("key_issues", theme), f"the key issues of {theme}", text)
            for theme, text in self.key_drafts.items()
        ]

    def restore_draft(self, draft: Draft) -> bool:
        if draft.key[0] == "key_issues" and len(draft.key) == 2:
            self.key_drafts[str(draft.key[1])] = draft.text
            return True
        return super().restore_draft(draft)
