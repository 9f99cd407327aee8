"""Cases: every case with its attributes and coding progress; filter, sort, open."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualcode.domain.framework import natural_key
from qualcode.domain.model import Case
from qualcode.services import queries
from qualcode.services.progress import CaseProgress, case_progress
from qualcode.tui.base import Workspace
from qualcode.tui.messages import Loaded, ReadRequest
from qualcode.tui.picker import Picker, PickItem


@dataclass(frozen=True)
class CaseRows:
    names: tuple[str, ...]
    cases: tuple[Case, ...]
    progress: Mapping[str, CaseProgress]


def parse_filter(text: str) -> tuple[dict[str, str], list[str]]:
    """``sector=CSD "role=Head of service" london`` -> ({sector: CSD, role: ...}, [london])."""
    try:
        terms = shlex.split(text)
    except ValueError:
        terms = text.split()
    wanted: dict[str, str] = {}
    words: list[str] = []
    for term in terms:
        term = term.lstrip("/")  # a "/" typed while the filter already had the focus
        if "=" in term:
            name, _, value = term.partition("=")
            wanted[name.strip().casefold()] = value.strip().casefold()
        elif term.strip():
            words.append(term.casefold())
    return wanted, words


def matches(case: Case, wanted: Mapping[str, str], words: Sequence[str]) -> bool:
    attrs = {k.casefold(): str(v).casefold() for k, v in case.attributes.items()}
    for name, value in wanted.items():
        if name == "case":
            if value not in case.id.casefold():
                return False
        elif value not in attrs.get(name, "\0"):
            return False
    haystack = " ".join([case.id.casefold(), *attrs.values()])
    return all(w in haystack for w in words)


class CasesScreen(Workspace):
    MODE = "cases"
    HELP = "Every case with its attributes and how much of it is coded."
    AUTO_FOCUS = "#cases-table"
    BINDINGS = [
        Binding("slash,f", "focus_filter", "Filter", id="cases.filter"),
        Binding("s", "sort", "Sort by column", id="cases.sort"),
        Binding("escape", "clear_filter", "Clear filter", id="cases.clear"),
        Binding("enter,o", "open_case", "Open case", id="cases.open"),
        Binding("m", "case_memo", "Case memo", id="cases.memo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: CaseRows | None = None
        self.shown: list[Case] = []
        self.sort_column = 0
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="filter: sector=CSD role=director, or any words (/ to focus)",
            id="cases-filter",
        )
        yield Static("", id="cases-count")
        yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("#cases-table", DataTable)

    def on_mount(self) -> None:
        self.table.focus()

    def reload(self) -> None:
        super().reload()
        self._load()

    @work(thread=True, exit_on_error=False, exclusive=True, group="cases-load")
    def _load(self) -> None:
        rows = CaseRows(
            tuple(queries.attribute_names(self.study)),
            tuple(queries.list_cases(self.study)),
            case_progress(self.study),
        )
        self.post_message(Loaded("cases", rows))

    def on_loaded(self, event: Loaded) -> None:
        if event.what == "cases":
            first = self.data is None
            self.data = event.data
            if first:
                table = self.table
                table.add_columns(*self._columns())
            self._fill()

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
            p = self.data.progress.get(case.id)
            values = [str(case.attributes.get(n, "")) for n in self.data.names]
            coded = f"{p.coded}/{p.segments}" if p else ""
            share = f"{p.share:4.0%}" if p and p.segments else "-"
            table.add_row(case.id, share, coded, str(p.sources if p else 0), *values, key=case.id)
        if shown:
            table.move_cursor(row=min(keep, len(shown) - 1))
        column = self._columns()[self.sort_column]
        order = "descending" if self.sort_reverse else "ascending"
        self.query_one("#cases-count", Static).update(
            f"{len(shown)} of {len(self.data.cases)} cases · sorted by {column} ({order})"
        )

    @on(Input.Changed, "#cases-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill()

    @on(Input.Submitted, "#cases-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.table.focus()

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

    def action_focus_filter(self) -> None:
        self.query_one("#cases-filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#cases-filter", Input).value = ""
        self.table.focus()

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

    def action_case_memo(self) -> None:
        case = self.current_case()
        if case is not None:
            self.edit_memo("case", case.id, f"Memo on case {case.id}")
