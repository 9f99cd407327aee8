"""Cases: every case with its attributes and coding progress; filter, sort, open.

Keys apply in the order typed (:mod:`qualcode.tui.shared.keyorder`): ``/int03`` enter enter
filters to int03 and opens it, however fast it is typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualcode.domain.framework import natural_key
from qualcode.domain.model import Case
from qualcode.services import queries
from qualcode.services.progress import CaseProgress, case_progress, coding_counts
from qualcode.tui.cases.speakers import SpeakersScreen
from qualcode.tui.shared import coder_filter
from qualcode.tui.shared.case_filter import FILTER_HINT, example_filter, matches, parse_filter
from qualcode.tui.shared.keyorder import InOrderKeys
from qualcode.tui.shared.messages import ReadRequest
from qualcode.tui.shared.ordered_input import OrderedInput
from qualcode.tui.shared.picker import Picker, PickItem
from qualcode.tui.shared.workspace import Workspace


@dataclass(frozen=True)
class CaseRows:
    names: tuple[str, ...]
    cases: tuple[Case, ...]
    progress: Mapping[str, CaseProgress]
    coder: str | None  # whose codings the progress counts (None: everyone's)
    coders: Mapping[str, int]  # codings per coder, for the coder filter


@dataclass
class CasesLoaded(Message):
    """The table's rows, as of the study's ``version`` (older loads are dropped)."""

    rows: CaseRows
    version: int


class FilterInput(OrderedInput):
    async def action_submit(self) -> None:
        # at once, not through a message: the key after Enter goes to the table
        cast("CasesScreen", self.screen).filter_done()


class CaseTable(DataTable[str]):
    # j and k move as in Read & code and the Matrix ("j m" wrote a memo on the wrong case)
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def action_select_cursor(self) -> None:
        # at once, not through a message: keys after Enter belong to Read & code
        cast("CasesScreen", self.screen).action_open_case()


class CasesScreen(InOrderKeys, Workspace):
    AUTO_FOCUS = "#cases-table"
    BINDINGS = [
        Binding("slash,f", "focus_filter", "Filter", id="cases.filter"),
        Binding("s", "sort", "Sort by column", id="cases.sort"),
        Binding("escape", "clear_filter", "Clear filter", id="cases.clear"),
        Binding("enter,o", "open_case", "Open case", id="cases.open"),
        Binding("m", "case_memo", "Case memo", id="cases.memo"),
        Binding("C", "coder_filter", "Coder filter", show=False, id="cases.coder"),
        Binding("S", "speakers", "Speakers and roles", show=False, id="cases.speakers"),
    ]
    VIEWS = (("Speakers (S in Cases)", SpeakersScreen),)

    def __init__(self) -> None:
        super().__init__()
        self.data: CaseRows | None = None
        self.shown: list[Case] = []
        self.sort_column = 0
        self.sort_reverse = False
        self.shown_version = -2

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterInput(
            placeholder=FILTER_HINT.format("attribute=value"),
            id="cases-filter",
        )
        yield Static("Loading cases…", id="cases-count")
        yield CaseTable(id="cases-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("#cases-table", DataTable)

    def on_mount(self) -> None:
        self.table.focus()

    @property
    def busy(self) -> bool:
        """True until the newest load is shown (tests wait for it)."""
        stale = self.data is not None and self.data.coder != self.qapp.coder_filter
        return self.shown_version != self.loaded_version or stale

    def on_screen_resume(self) -> None:
        # Codings made elsewhere (the CLI, a colleague on the shared database) count
        # too: coming back to the table reloads it even when this app changed nothing.
        # (Workspace's own handler reloads after this app's changes.)
        if self.loaded_version >= self.qapp.data_version:
            self.reload()

    def reload(self) -> None:
        super().reload()
        self._load(self.loaded_version, self.qapp.coder_filter)

    @work(thread=True, exit_on_error=False, exclusive=True, group="cases-load")
    def _load(self, version: int, coder: str | None) -> None:
        rows = CaseRows(
            tuple(queries.attribute_names(self.study)),
            tuple(queries.list_cases(self.study)),
            case_progress(self.study, coder),  # None: every coder's codings count
            coder,
            coding_counts(self.study),
        )
        self.post_message(CasesLoaded(rows, version))

    def on_cases_loaded(self, event: CasesLoaded) -> None:
        current = event.version == self.loaded_version
        if current and event.rows.coder == self.qapp.coder_filter:
            self.data = event.rows
            self.shown_version = event.version
            example = example_filter(event.rows.names, event.rows.cases)
            self.query_one("#cases-filter", Input).placeholder = FILTER_HINT.format(example)
            self._set_columns()
            self._fill()

    def _set_columns(self) -> None:
        """Columns as wide as their widest value over every case, worked out here: the
        table's own measuring waits for an idle moment, which a busy machine may not
        give before the first paint (so columns came out as narrow as their headers)."""
        assert self.data is not None
        table = self.table
        table.clear(columns=True)
        values = [self._values(case) for case in self.data.cases]
        for n, name in enumerate(self._columns()):
            widest = max((len(v[n]) for v in values), default=0)
            table.add_column(name, width=max(len(name), widest), key=name)

    def _values(self, case: Case) -> list[str]:
        assert self.data is not None
        p = self.data.progress.get(case.id)
        attrs = [str(case.attributes.get(n, "")) for n in self.data.names]
        coded = f"{p.coded}/{p.segments}" if p else ""
        share = f"{p.share:4.0%}" if p and p.segments else "-"
        return [case.id, share, coded, str(p.sources if p else 0), *attrs]

    def _columns(self) -> list[str]:
        assert self.data is not None
        return ["case", "progress", "coded", "sources", *self.data.names]

    def _sort_key(self, case: Case) -> tuple[object, ...]:
        assert self.data is not None
        column = self._columns()[self.sort_column]
        progress = self.data.progress.get(case.id)
        if column == "case":
            return (natural_key(case.id),)
        if column in ("sources", "coded", "progress"):
            if progress is None:
                return (0.0, natural_key(case.id))
            number = {
                "sources": float(progress.sources),
                "coded": float(progress.coded),
                "progress": progress.share,
            }[column]
            return (number, natural_key(case.id))
        attr = case.attributes.get(column)
        if isinstance(attr, int | float):
            return (0, attr, "", natural_key(case.id))
        return (1 if attr is not None else 2, 0, str(attr or "").casefold(), natural_key(case.id))

    def _fill(self) -> None:
        if self.data is None:
            return
        wanted, words = parse_filter(self.query_one("#cases-filter", Input).value)
        shown = [c for c in self.data.cases if matches(c, wanted, words)]
        shown.sort(key=self._sort_key, reverse=self.sort_reverse)
        self.shown = shown
        table = self.table
        keep = table.cursor_row
        table.clear()
        for case in shown:
            table.add_row(*self._values(case), key=case.id)
        if shown:
            table.move_cursor(row=min(keep, len(shown) - 1))
        column = self._columns()[self.sort_column]
        order = "descending" if self.sort_reverse else "ascending"
        coder = self.data.coder
        whose = f" · coder: {coder} (progress counts {coder}'s codings)" if coder else ""
        self.query_one("#cases-count", Static).update(
            f"{len(shown)} of {len(self.data.cases)} cases · sorted by {column} ({order}){whose}"
        )

    @on(Input.Changed, "#cases-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill()

    def filter_done(self) -> None:
        self._fill()
        self.set_focus(self.table)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self._sort_by(event.column_index)

    def _sort_by(self, column: int) -> None:
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self._fill()

    def action_sort(self) -> None:
        if self.data is None:
            return
        columns = self._columns()
        items = [PickItem(str(n), name) for n, name in enumerate(columns)]

        def chosen(key: str | None) -> None:
            if key is not None:
                self._sort_by(int(key))

        self.app.push_screen(Picker("Sort by (again: reverse)", items), chosen)

    def action_coder_filter(self) -> None:
        if self.data is None:
            return
        current = self.qapp.coder_filter
        items = coder_filter.choices(self.data.coders, self.study.coder, current)

        def picked(key: str | None) -> None:
            if key is not None and coder_filter.chosen(key) != self.qapp.coder_filter:
                self.qapp.choose_coder_filter(coder_filter.chosen(key))
                self.reload()

        self.app.push_screen(Picker(coder_filter.TITLE, items, coder_filter.HINT), picked)

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#cases-filter", Input))

    def action_clear_filter(self) -> None:
        self.query_one("#cases-filter", Input).value = ""
        self._fill()
        self.set_focus(self.table)

    def current_case(self) -> Case | None:
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_case()

    def action_open_case(self) -> None:
        case = self.current_case()
        if case is not None:
            self.qapp.open_reader(ReadRequest(case=case.id))

    def action_speakers(self) -> None:
        """The speakers of this case's transcripts (a: of the whole study), with roles."""
        case = self.current_case()
        self.app.push_screen(SpeakersScreen(case.id if case else None))

    def action_case_memo(self) -> None:
        case = self.current_case()
        if case is not None:
            self.edit_memo("case", case.id, f"Memo on case {case.id}")
