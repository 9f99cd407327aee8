"""Matrix: the framework matrix sheet by sheet - cases grouped by an attribute, one
column per sub-theme - and each cell's passages beside its summary.

``MatrixScreen`` (the sheet: loading a page, moving, grouping, export, synthesis) is
built on :class:`~qualcode.tui.matrix.dimension_work.DimensionWork` (dimension values and
key issues) over :class:`~qualcode.tui.matrix.cell_work.CellWork` (everything done to one cell).
The widgets are :mod:`.grid` (the sheet) and :mod:`.cell` (a cell's passages and
summary); :mod:`.data` lays a page out, :mod:`.keys` holds keys typed while a page
loads, and :mod:`.changes` holds the writes, each undoable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, Footer, Header, Static
from textual.worker import Worker, WorkerState

from qualcode.domain.anonymise import ACCEPTED
from qualcode.domain.wording import counted, first_few
from qualcode.errors import InputError
from qualcode.services import anonymise, export_formats, matrix_export, study_settings
from qualcode.services.study import Study
from qualcode.tui.matrix import changes as writes
from qualcode.tui.matrix.data import (
    SYNTHESIS,
    GridRow,
    MatrixPage,
    describe_cell,
    grid_rows,
    load_page,
    next_grouping,
)
from qualcode.tui.matrix.dimension_work import DimensionWork
from qualcode.tui.matrix.grid import MatrixGrid
from qualcode.tui.matrix.keys import on_sheet, on_wanted
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.dialogs import ConfirmDialog, MemoDialog, PromptDialog
from qualcode.tui.shared.messages import NotSaved
from qualcode.tui.shared.picker import Picker, PickItem

LEGEND = (
    "· empty  – not discussed  ◐ drafted  ○ written  ● final  * unsaved    "
    "the number: coded passages (deeper shade: more)"
)
GRID_ACTIONS = {
    "open_cell",
    "sheet",
    "pick_sheet",
    "group",
    "toggle_synthesis",
    "draft_sheet",
    "export",
    "reload_sheet",
    "move",
    "page",
    "edge",
    "jump_group",
}
CELL_ACTIONS = {"back", "jump", "quote", "accept", "save", "edit", "take_stored", "history", "step"}
CELL_ACTIONS |= {"dimension"}


def _move(key: str, action: str, name: str, ident: str) -> Binding:
    return Binding(key, action, name, show=False, id=f"matrix.{ident}")


@dataclass
class PageLoaded(Message):
    """One sheet of the matrix (None: no themes yet), for key request ``request``."""

    page: MatrixPage | None
    request: int


@dataclass
class MatrixExported(Message):
    said: str


@dataclass
class SynthesisNotSaved(NotSaved):
    """A group's synthesis was refused: its text is kept to edit again."""

    key: tuple[str, str, str]  # theme, attribute, value
    text: str


class MatrixScreen(DimensionWork):
    AUTO_FOCUS = "#matrix-grid"
    BINDINGS = [
        Binding("enter", "open_cell", "Open cell", id="matrix.open"),
        Binding("right_square_bracket", "sheet(1)", "Next sheet", id="matrix.next_sheet"),
        Binding(
            "left_square_bracket", "sheet(-1)", "Previous sheet", show=False, id="matrix.prev_sheet"
        ),
        Binding("t", "pick_sheet", "Sheet…", id="matrix.pick_sheet"),
        Binding("g", "group(1)", "Group by", id="matrix.group"),
        Binding(
            "G", "group(-1)", "Group by previous attribute", show=False, id="matrix.group_back"
        ),
        Binding(
            "y", "toggle_synthesis", "Synthesis rows on/off", show=False, id="matrix.synthesis"
        ),
        Binding("D", "draft_sheet", "Draft every empty cell", show=False, id="matrix.draft_sheet"),
        Binding(
            "x",
            "export",
            "Export the matrix or report (.docx .xlsx .md)…",
            show=False,
            id="matrix.export",
        ),
        Binding(
            "X",
            "export('matrix-anonymised.xlsx', True)",  # not the real-names file's name
            "Export the matrix or report anonymised (names replaced)…",
            show=False,
            id="matrix.export_anonymised",
        ),
        Binding("r", "reload_sheet", "Reload (others' changes)", show=False, id="matrix.reload"),
        _move("down,j", "move(1, 0)", "Down", "down"),
        _move("up,k", "move(-1, 0)", "Up", "up"),
        _move("right,l", "move(0, 1)", "Right", "right"),
        _move("left,h", "move(0, -1)", "Left", "left"),
        _move("pagedown", "page(1)", "Page down", "pagedown"),
        _move("pageup", "page(-1)", "Page up", "pageup"),
        _move("home", "edge(-1)", "First case", "top"),
        _move("end", "edge(1)", "Last case", "bottom"),
        _move("right_curly_bracket", "jump_group(1)", "Next group", "next_group"),
        _move("left_curly_bracket", "jump_group(-1)", "Previous group", "prev_group"),
        Binding("enter,o", "jump", "Open in Read & code", id="matrix.jump"),
        Binding("q", "quote", "Mark quote", id="matrix.quote"),
        Binding("d", "draft", "Draft summary", id="matrix.draft"),
        Binding("a", "accept", "Accept as final", id="matrix.accept"),
        Binding("s", "cycle_status", "Cycle status", id="matrix.status"),
        Binding("ctrl+s", "save", "Save summary", id="matrix.save", priority=True),
        Binding("e", "edit", "Edit summary", show=False, id="matrix.edit"),
        Binding("r", "take_stored", "Take the stored text", id="matrix.take_stored"),
        Binding("H", "history", "Summary history", show=False, id="matrix.history"),
        _move("right_square_bracket", "step(1)", "Next case", "next_case"),
        _move("left_square_bracket", "step(-1)", "Previous case", "prev_case"),
        Binding("escape", "back", "Back to the grid", id="matrix.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.top: str | None = None
        self.by: list[str] | None = None  # None: the grouping the study remembers
        self.synthesis = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the matrix…", id="matrix-title", markup=False)
        # the cell view joins the switcher once the first sheet is drawn (_show_page)
        with (
            ContentSwitcher(initial="matrix-grid-pane", id="matrix-switcher"),
            Vertical(id="matrix-grid-pane"),
        ):
            yield MatrixGrid(id="matrix-grid")
            yield Static("", id="matrix-info", markup=False)
            yield Static(LEGEND, id="matrix-legend", markup=False)
        yield Footer()

    DEFAULT_CSS = """
    MatrixScreen #matrix-title {
        height: 1; padding: 0 1; background: $boost; color: $accent; text-style: bold;
    }
    MatrixScreen #matrix-switcher, MatrixScreen #matrix-grid-pane { height: 1fr; }
    MatrixScreen #matrix-grid { height: 1fr; }
    MatrixScreen #matrix-info { height: 1; padding: 0 1; background: $panel; }
    MatrixScreen #matrix-legend { height: 1; padding: 0 1; color: $text-muted; }
    """

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in GRID_ACTIONS:
            return not self.in_cell
        if action == "take_stored":
            return self.in_cell and self.cell_view.conflict is not None
        if action in CELL_ACTIONS:
            return self.in_cell
        return True

    # --- loading ----------------------------------------------------------------------

    def on_mount(self) -> None:
        # start reading at once, while the screen is laid out (resuming would be later)
        self.reload()

    def reload(self) -> None:
        super().reload()
        self._load(self.top, None if self.by is None else tuple(self.by), self.keys.request())

    @work(thread=True, exit_on_error=False, exclusive=True, group="matrix-load")
    def _load(self, top: str | None, by: tuple[str, ...] | None, request: int) -> None:
        if by is None:
            by = tuple(study_settings.remembered_grouping(self.study))
        self.post_message(PageLoaded(load_page(self.study, top, by), request))

    @work(thread=True, exit_on_error=False, group="matrix-grouping")
    def _remember_grouping(self, by: tuple[str, ...]) -> None:
        study_settings.remember_grouping(self.study, by)

    @on(Worker.StateChanged)
    def _load_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "matrix-load" and event.state == WorkerState.ERROR:
            self.keys.failed()  # the error dialog is up already: keys wait no more

    def on_page_loaded(self, event: PageLoaded) -> None:
        if event.request == self.keys.requests:  # else a newer page is on its way
            self.keys.arrived(event.request)
            self._show_page(event.page)

    def on_matrix_exported(self, event: MatrixExported) -> None:
        self.notify(event.said, timeout=5)

    def _show_page(self, page: MatrixPage | None) -> None:
        title = self.query_one("#matrix-title", Static)
        self.page = page
        if page is None:
            title.update("No themes yet: build the framework first (F4).", layout=False)
            if self.in_cell:
                self._leave_cell()
            self.grid.clear()
            self.keys.replay()
            return
        self.top, self.by = page.top, list(page.by)
        # one line, always: no layout pass
        title.update(page.title_for(title.size.width or self.app.size.width), layout=False)
        grid = self.grid
        keep = (grid.current.case if grid.current else None, grid.theme)
        grid.show(page.sheet, grid_rows(page.sheet, self.synthesis), page.colours, keep)
        grid.set_unsaved(self.unsaved)
        if self.keys.wake is None:  # the first sheet: build the cell view just after
            self.keys.hold()  # keys that need the cell view wait for it
            self.keys.wake = self._build_cell_view_now
            self.set_timer(0.2, self._mount_cell_view)  # once the sheet is on screen
        if self.in_cell and self.cell_view.key is not None:
            case, theme = self.cell_view.key
            try:
                self.cell_view.refresh_cell(page.sheet.cell(case, theme))
            except KeyError:  # the case or theme is gone from this sheet
                self._leave_cell()
            self.show_cell_dimensions()
        self.keys.replay()

    def _build_cell_view_now(self) -> None:
        self.call_later(self._mount_cell_view)

    @on(MatrixGrid.Moved)
    def _grid_moved(self, event: MatrixGrid.Moved) -> None:
        cell = self.grid_cell()
        info = ""
        if cell is not None and self.page is not None:
            info = describe_cell(cell, self.page.labels)
        elif self.grid.current is not None and self.grid.current.kind == SYNTHESIS:
            info = "A synthesis of this group on the theme: enter to write it."
        self.query_one("#matrix-info", Static).update(info, layout=False)

    # --- the grid ---------------------------------------------------------------------

    @on_sheet
    def action_move(self, rows: int, columns: int) -> None:
        self.grid.move(rows, columns)

    @on_sheet
    def action_page(self, direction: int) -> None:
        self.grid.page(direction)

    @on_sheet
    def action_edge(self, direction: int) -> None:
        self.grid.edge(direction)

    @on_sheet
    def action_jump_group(self, direction: int) -> None:
        self.grid.next_group(direction)

    def action_reload_sheet(self) -> None:
        self._reload_sheet()

    def _reload_sheet(self) -> None:
        self._load(self.top, tuple(self.by or ()), self.keys.request())

    @on_wanted
    def action_sheet(self, step: int) -> None:
        if self.page is None:
            return
        ids = [t.id for t in self.page.sheets]
        at = ids.index(self.top) if self.top in ids else self.page.index
        self.top = ids[(at + step) % len(ids)]  # from the wanted sheet: quick presses add up
        self._reload_sheet()

    @on_wanted
    def action_pick_sheet(self) -> None:
        if self.page is None:
            return
        items = [PickItem(t.id, t.label) for t in self.page.sheets]

        def chosen(top: str | None) -> None:
            if top is not None:
                self.top = top
                self._reload_sheet()

        self.app.push_screen(Picker("Show the sheet of", items), chosen)

    @on_wanted
    def action_group(self, step: int) -> None:
        if self.page is None:
            return
        self.by = next_grouping(self.by or [], self.page.groupings, step)
        self._remember_grouping(tuple(self.by))  # the next opening starts grouped so
        self._reload_sheet()

    @on_sheet
    def action_toggle_synthesis(self) -> None:
        if not self.by:
            self.notify("Group by an attribute first (g): a synthesis is per group", timeout=3)
            return
        self.synthesis = not self.synthesis
        if self.page is not None:
            self._show_page(self.page)

    @on(MatrixGrid.Chosen)
    def _chosen(self, event: MatrixGrid.Chosen) -> None:
        self.action_open_cell()

    @on_sheet
    def action_open_cell(self) -> None:
        row = self.grid.current
        if row is not None and row.kind == SYNTHESIS:
            self._edit_synthesis(row)
        else:
            self.open_cell()

    def _edit_synthesis(self, row: GridRow) -> None:
        theme = self.grid.theme
        if theme is None or self.page is None:
            return
        column = self.grid.column
        synthesis = row.syntheses[column]
        key = (theme, synthesis.attribute, synthesis.value)
        text = self.synth_unsaved.pop(key, synthesis.text)
        version = synthesis.version
        title = f"Synthesis: {synthesis.value} · {theme} {self.page.labels.get(theme, '')}"
        hint = f"Saved over version {version}" if version else "A new synthesis"

        def done(result: str | None) -> None:
            if result is not None:

                def run(study: Study) -> Outcome:
                    return writes.save_synthesis(study, *key, result, version)

                self.submit(run, not_saved=SynthesisNotSaved(key, result))

        def kept(typed: str | None) -> None:
            if typed is None:
                self.synth_unsaved.pop(key, None)
            else:
                self.synth_unsaved[key] = typed

        dialog = MemoDialog(
            title, text, hint, stored=synthesis.text, kept=kept,
            journal=(("synthesis", *key), f"the synthesis of {key[2]} on {key[0]}"),
        )  # fmt: skip
        self.app.push_screen(dialog, done)

    @on(SynthesisNotSaved)
    def _synthesis_refused(self, event: SynthesisNotSaved) -> None:
        self.synth_unsaved[event.key] = event.text  # before CellWork's reload

    @on_sheet
    def action_draft_sheet(self) -> None:
        if self.top is None:
            return
        top, by = self.top, list(self.by or ())
        self.notify("Drafting every empty cell with passages…", timeout=2)
        self.submit(lambda study: writes.draft_sheet(study, top, by))

    @on_sheet
    def action_export(self, typed: str = "matrix.xlsx", anonymised: bool = False) -> None:
        def chosen(value: str | None) -> None:
            if not (value and value.strip()):
                return
            path = Path(value.strip()).expanduser()
            by = list(self.by or ())
            try:  # before the book is built, which takes seconds on a large survey
                export_formats.check_matrix_path(path)
            except InputError as exc:
                self.notify(str(exc), severity="error", timeout=6)
                self.action_export(value.strip(), anonymised)  # asked again with what was typed
                return
            if not path.exists():
                self._export(path, by, anonymised)
                return

            def replace_it(yes: bool | None) -> None:
                if yes:
                    self._export(path, by, anonymised)

            # the prompt offers matrix.xlsx each time: a second export must not quietly
            # write over the first (a report already sent round, say)
            self.app.push_screen(
                ConfirmDialog("Replace the file?", f"{path.resolve()} exists.", "Replace"),
                replace_it,
            )

        hint = export_formats.matrix_prompt_hint()
        title = "Export the matrix, anonymised, to" if anonymised else "Export the matrix to"
        self.app.push_screen(PromptDialog(title, typed, "", hint), chosen)

    def _export(self, path: Path, by: list[str], anonymised: bool = False) -> None:
        unsaved = self.unsaved_work()
        if unsaved:  # on screen, not in the file: a report sent round would lack them
            listed = first_few(unsaved, 4, "; ", say_rest=True)

            def anyway(yes: bool | None) -> None:
                if yes:
                    self._export_now(path, by, anonymised)

            self.app.push_screen(
                ConfirmDialog(
                    "Typed but not saved",
                    f"Not in the export, as not saved: {listed}. Export without them? "
                    "(n goes back; ctrl+s in its editor saves it)",
                    "Export",
                ),
                anyway,
            )
            return
        self._export_now(path, by, anonymised)

    def _export_now(self, path: Path, by: list[str], anonymised: bool = False) -> None:
        how = ", anonymised," if anonymised else ""
        self.notify(f"Exporting the matrix{how} to {path.name}…", timeout=4)
        self._write_export(path, by, anonymised)

    @work(thread=True, exit_on_error=False, group="matrix-export")
    def _write_export(self, path: Path, by: list[str], anonymised: bool = False) -> None:
        chosen = self.qapp.settings
        report = matrix_export.export_matrix(
            self.study,
            path,
            by,
            template=chosen.attribution,
            survey_template=chosen.survey_attribution,
            # the settings' templates, as the CLI uses them when no --attribution is
            # given: a study without their attributes gets a report all the same
            strict=False,
            anonymised=anonymised,
            title_rules=chosen.title_rules,
        )
        said = (
            f"Exported {counted(report.sheets, 'sheet')}, {counted(report.cases, 'case')} "
            f"to {path.resolve()}"  # where: a bare "matrix.xlsx" leaves the folder to guess
        )
        # with real names unless asked: said when the study has names to replace, and
        # what an anonymised export could not replace (names not reviewed)
        if anonymised:
            said += " (anonymised)"
            for warning in anonymise.review_warnings(self.study):
                said += f"; {warning}"
        elif anonymise.list_proposals(self.study, ACCEPTED):
            said += " with real names (X exports it anonymised)"
        if report.mapping_left_out:  # a large study: `qualcode mapping export` writes them
            said += " (without the mapping sheets: too many cases)"
        if report.unattributed_quotes:  # the settings' templates name none of their attributes
            n, total = report.unattributed_quotes, report.quotes
            which = (
                f"none of its {total:,} quotes attributed"
                if n == total
                else f"{n:,} of its {total:,} quotes not attributed"
            )
            said += f"; {which} (set `attribution` in the settings)"
        self.post_message(MatrixExported(said))
