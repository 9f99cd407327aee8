"""Mapping: which themes go together (a grid), how each theme differs between groups
(strongest first) and the types of cases; drill down to the passages and open them in
Read & code."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Footer, Header, Static

from qualcode.domain.mapping import Association, CoOccurrenceTable, Typology
from qualcode.domain.wording import counted
from qualcode.tui.mapping import changes
from qualcode.tui.mapping.chart import GroupBars
from qualcode.tui.mapping.data import MappingData, MappingLoaded, PassagesLoaded, load, passages
from qualcode.tui.shared.dialogs import PromptDialog
from qualcode.tui.shared.messages import ReadRequest
from qualcode.tui.shared.workspace import Workspace

VIEWS = ("mapping-grid", "mapping-associations", "mapping-types")
MAX_WITHIN = 10


NOTHING_CODED = (
    "\nNothing is coded yet: code passages in Read & code (F3) and the grid, the "
    "associations and the types fill in from the codings."
)


class MappingScreen(Workspace):
    AUTO_FOCUS = "#mapping-grid"
    BINDINGS = [
        Binding("1", "view(0)", "Co-occurrence", id="mapping.grid"),
        Binding("2", "view(1)", "Associations", id="mapping.associations"),
        Binding("3", "view(2)", "Typology", id="mapping.types"),
        Binding("w", "within(1)", "Within +1", id="mapping.within_more"),
        Binding("W", "within(-1)", "Within -1", id="mapping.within_less", show=False),
        Binding("b", "next_attribute", "Compare by…", id="mapping.by"),
        Binding("plus", "types(1)", "More types", id="mapping.more_types", show=False),
        Binding("minus", "types(-1)", "Fewer types", id="mapping.fewer_types", show=False),
        Binding("o", "open_passage", "Open in reader", id="mapping.open"),
        Binding("n", "name_type", "Name type", id="mapping.name_type"),
        Binding("s", "save_types", "Save types", id="mapping.save_types"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.within = 0
        self.by: str | None = None
        self.k = 3
        self.data: MappingData | None = None
        self.busy = True
        self.shown: list[str] = []  # the passages table's segment ids, in order
        self.passage_rows: list[tuple[str, str, int]] = []  # (case, source, start)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="mapping-status")
        with ContentSwitcher(initial=VIEWS[0], id="mapping-views"):
            yield DataTable(id="mapping-grid", cursor_type="cell")
            yield DataTable(id="mapping-associations", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="mapping-types", cursor_type="row", zebra_stripes=True)
        with Vertical(id="mapping-detail"):
            yield Static("", id="mapping-detail-title")
            yield DataTable(id="mapping-passages", cursor_type="row", zebra_stripes=True)
            yield GroupBars(id="mapping-chart")
        yield Footer()

    def table(self, name: str) -> DataTable[Text | str]:
        return self.query_one(f"#{name}", DataTable)

    def on_mount(self) -> None:
        self.table("mapping-passages").add_columns("segment", "where", "passage")
        self._detail_shows_chart(False)

    def _detail_shows_chart(self, chart: bool) -> None:
        """Below the associations a chart of the highlighted one; elsewhere the passages."""
        bars = self.query_one(GroupBars)
        bars.display = chart
        self.table("mapping-passages").display = not chart
        self._size_detail()

    def _size_detail(self) -> None:
        """The chart's panel grows to its bars (up to half the screen); passages: 1fr."""
        bars = self.query_one(GroupBars)
        wanted = min(bars.rows_wanted() + 1, max(10, self.size.height // 2))
        self.query_one("#mapping-detail").styles.height = wanted if bars.display else "1fr"

    def reload(self) -> None:
        super().reload()
        self.busy = True
        self._load(self.within, self.by, self.k)

    @work(thread=True, exit_on_error=False, exclusive=True, group="mapping")
    def _load(self, within: int, by: str | None, k: int) -> None:
        self.post_message(MappingLoaded(load(self.study, within, by, k)))

    def on_mapping_loaded(self, event: MappingLoaded) -> None:
        if self.data is not None and (self.data.by, self.data.table.within) != (
            event.data.by,
            event.data.table.within,
        ):
            # the sentence or passages shown were of the grouping or distance before
            self.query_one("#mapping-detail-title", Static).update("")
            self.table("mapping-passages").clear()
            self.passage_rows = []
        self.data = event.data
        self.by = event.data.by
        self._fill_grid(event.data.table)
        self._fill_associations(event.data.associations)
        self._fill_types(event.data.typology, event.data.typology_saved)
        self._status()
        self.busy = False

    def _status(self) -> None:
        data = self.data
        types = "none" if data is None or data.typology is None else str(len(data.typology.types))
        if data is not None and data.typology_problem:  # an empty table said nothing of why
            types += f" ({data.typology_problem})"
        if data is not None and data.typology is not None and data.typology.uncoded:
            types += f" ({counted(data.typology.uncoded, 'case', grouped=True)} not coded yet)"
        self.query_one("#mapping-status", Static).update(
            f"cells: cases·passages, enter lists the passages · passages within "
            f"{counted(self.within, 'segment')} (w/W) · compare by {self.by or '-'} (b) · "
            f"types: {types}, k = {self.k} (+/-)"
            + (NOTHING_CODED if data is not None and not data.table.themes else "")
        )

    # --- the three views ------------------------------------------------------------

    def _fill_grid(self, table: CoOccurrenceTable) -> None:
        grid = self.table("mapping-grid")
        keep = grid.cursor_coordinate
        grid.clear(columns=True)
        grid.add_column("theme", key="theme")
        for t in table.themes:
            grid.add_column(t, key=t)
        for a in table.themes:
            cells: list[Text | str] = [Text(f"{a} {table.labels.get(a, '')}"[:28], style="bold")]
            for b in table.themes:
                p = table.pair(a, b)
                style = "dim" if a == b else ("bold" if p.passages else "")
                cells.append(Text(f"{p.cases}·{p.passages}", style=style))
            grid.add_row(*cells, key=a)
        if table.themes:
            grid.cursor_coordinate = keep

    def _fill_associations(self, found: tuple[Association, ...]) -> None:
        rows = self.table("mapping-associations")
        rows.clear(columns=True)
        rows.add_columns("theme", "p", "q", "diff", "groups", "sentence")
        for a in found:
            groups = "  ".join(
                f"{g.group} {g.counts[a.focus]}/{g.total}" for g in a.groups if g.counts
            )
            p = "-" if a.test.startswith("no test") else f"{a.p_value:.3f}"
            q = "-" if a.q_value is None else f"{a.q_value:.3f}"
            rows.add_row(
                f"{a.subject} {a.label}"[:30], p, q, f"{a.difference:.0f}", groups, a.sentence,
                key=a.subject,
            )  # fmt: skip
        self._chart_row(rows.cursor_row)

    @on(DataTable.RowHighlighted, "#mapping-associations")
    def _association_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._chart_row(event.cursor_row)

    def _chart_row(self, row: int) -> None:
        chart = self.query_one(GroupBars)
        if self.data is None or not 0 <= row < len(self.data.associations):
            chart.clear_bars()
        else:
            chart.show(self.data.associations[row])
        self._size_detail()

    def _fill_types(self, typology: Typology | None, saved: bool) -> None:
        rows = self.table("mapping-types")
        rows.clear(columns=True)
        rows.add_columns("type", "name", "cases", "defining themes", "members")
        if typology is None:
            return
        for t in typology.types:
            defining = ", ".join(f"{d[0]} {d[1]:.0%}/{d[2]:.0%}" for d in t.defining) or "-"
            name = t.name if saved else f"{t.name} (preview)"
            rows.add_row(
                str(t.number), name, str(len(t.members)), defining, ", ".join(t.members),
                key=str(t.number),
            )  # fmt: skip

    # --- keys ---------------------------------------------------------------------------

    def action_view(self, index: int) -> None:
        self.query_one("#mapping-views", ContentSwitcher).current = VIEWS[index]
        self.table(VIEWS[index]).focus()
        self._detail_shows_chart(VIEWS[index] == "mapping-associations")

    def action_within(self, step: int) -> None:
        within = min(max(self.within + step, 0), MAX_WITHIN)
        if within != self.within:
            self.within = within
            self.reload()

    def action_next_attribute(self) -> None:
        if self.data is None or not self.data.attributes:
            return
        names = self.data.attributes
        at = names.index(self.by) if self.by in names else -1
        self.by = names[(at + 1) % len(names)]
        self.reload()

    def action_types(self, step: int) -> None:
        self.k = max(1, self.k + step)
        self.reload()

    # --- drilling down ------------------------------------------------------------------

    @on(DataTable.CellSelected, "#mapping-grid")
    def _grid_cell(self, event: DataTable.CellSelected) -> None:
        if self.data is None or event.coordinate.column == 0:
            return
        themes = self.data.table.themes
        a, b = themes[event.coordinate.row], themes[event.coordinate.column - 1]
        self.busy = True
        self._drill(a, b, self.within)

    @work(thread=True, exit_on_error=False, exclusive=True, group="mapping-drill")
    def _drill(self, a: str, b: str, within: int) -> None:
        found = passages(self.study, a, b, within)
        title = (
            f"{a} with {b}: {counted(len(found), 'passage')} within "
            f"{counted(within, 'segment')} (o opens)"
        )
        self.post_message(PassagesLoaded(title, found))

    def on_passages_loaded(self, event: PassagesLoaded) -> None:
        self.query_one("#mapping-detail-title", Static).update(event.title)
        rows = self.table("mapping-passages")
        rows.clear()
        self.passage_rows = []
        for g in event.passages:
            rows.add_row(g.id, f"{g.source} l.{g.line}", " ".join(g.text.split())[:200])
            self.passage_rows.append((g.case, g.source, g.start))
        self.busy = False
        if event.passages:
            rows.focus()

    @on(DataTable.RowSelected, "#mapping-passages")
    def _passage_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_open_passage()

    @on(DataTable.RowSelected, "#mapping-associations")
    def _association_chosen(self, event: DataTable.RowSelected) -> None:
        if self.data is None:
            return
        a = next(x for x in self.data.associations if x.subject == event.row_key.value)
        self.query_one("#mapping-detail-title", Static).update(
            f"{a.sentence}  {a.test}. {a.caveat}"
        )

    @on(DataTable.RowSelected, "#mapping-types")
    def _type_chosen(self, event: DataTable.RowSelected) -> None:
        if self.data is None or self.data.typology is None:
            return
        t = next(x for x in self.data.typology.types if str(x.number) == event.row_key.value)
        self.query_one("#mapping-detail-title", Static).update(
            f"{t.name}: {', '.join(t.members)}.  {self.data.typology.method}"
        )

    def action_open_passage(self) -> None:
        rows = self.table("mapping-passages")
        if not self.passage_rows or not rows.has_focus:
            return
        case, source, start = self.passage_rows[rows.cursor_row]
        self.qapp.open_reader(ReadRequest(case=case, source=source, offset=start))

    # --- naming and saving types -----------------------------------------------------------

    def _typology_row(self) -> int | None:
        """The type number under the cursor, when the typology view is shown."""
        view = self.query_one("#mapping-views", ContentSwitcher).current
        if view != "mapping-types" or self.data is None or self.data.typology is None:
            return None
        rows = self.table("mapping-types")
        return self.data.typology.types[rows.cursor_row].number if rows.row_count else None

    def _no_types(self) -> str:
        """Why there is no type to name or save: none could be made, or none is shown."""
        if self.data is not None and self.data.typology_problem:
            return f"No types: {self.data.typology_problem} (- for fewer)"
        return "Show the typology (3) and pick a type first"

    def action_name_type(self) -> None:
        number = self._typology_row()
        if number is None:
            self.notify(self._no_types(), severity="warning")
            return
        k = self.k

        def done(value: str | None) -> None:
            if value and value.strip():
                name = value.strip()
                self.submit(lambda study: changes.name_type(study, k, number, name))

        self.app.push_screen(PromptDialog(f"Name type {number}", placeholder="e.g. Positive"), done)

    def action_save_types(self) -> None:
        if self._typology_row() is None:
            self.notify(self._no_types(), severity="warning")
            return
        k = self.k

        def done(value: str | None) -> None:
            if value and value.strip():
                name = value.strip()
                self.submit(lambda study: changes.save_types(study, k, name))

        self.app.push_screen(
            PromptDialog(
                "Save each case's type as the case attribute",
                "type",
                hint="then group the matrix, quotes and exports by it",
            ),
            done,
        )
