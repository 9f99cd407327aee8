"""Search: keyword-in-context across the study, filtered by case attribute and theme;
code all hits, or the ones marked with space, with one key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualcode.domain.frameworks import StudyFrameworks
from qualcode.domain.model import Theme
from qualcode.domain.wording import counted
from qualcode.services import framework, frameworks, queries
from qualcode.services.search import MODES, Hit, code_hits, search
from qualcode.services.study import Study
from qualcode.tui.shared import changes, themes
from qualcode.tui.shared.case_filter import example_filter, parse_filter
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.colours import theme_colours
from qualcode.tui.shared.messages import ReadRequest
from qualcode.tui.shared.ordered_input import OrderedInput
from qualcode.tui.shared.picker import Picker, PickItem
from qualcode.tui.shared.workspace import Workspace

SHOWN = 2000  # rows drawn in the table; coding "all" still codes every hit


@dataclass(frozen=True)
class Results:
    query: str
    hits: tuple[Hit, ...]


@dataclass
class SearchThemesLoaded(Message):
    """The themes the theme filter offers, (theme, depth) in display order."""

    themes: list[tuple[Theme, int]]
    frameworks: StudyFrameworks | None = None
    case_filter: str = ""  # an example case filter from the study's own attributes


@dataclass
class HitsFound(Message):
    """A search's hits."""

    results: Results


class QueryInput(OrderedInput):
    """The search box. ``/`` is the key that leads here (README: "`/` type a search"),
    so a ``/`` pressed while the box is still empty is not typed into it."""

    # Textual calls these handlers and then Input's own, unless the default is prevented

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "/" and not self.value:
            event.stop()
            event.prevent_default()

    def edit(self, text: str | None = None) -> None:
        """Focus with the cursor at the end (``text`` replacing the words), not the
        whole text selected as focusing otherwise does."""
        if text is not None:
            self.value = text
        self.cursor_position = len(self.value)
        self.select_on_focus = False
        self.focus()

    def _on_blur(self, event: events.Blur) -> None:
        self.select_on_focus = True


class SearchScreen(Workspace):
    AUTO_FOCUS = "#search-query"
    BINDINGS = [
        Binding("slash", "focus_query", "Search for…", id="search.query"),
        Binding("ctrl+r", "cycle_mode", "Words/phrase/regex", id="search.mode"),
        Binding("ctrl+f", "focus_filter", "Filter cases", id="search.filter"),
        Binding("ctrl+t", "theme_filter", "Filter by theme", id="search.theme"),
        Binding("space", "toggle_hit", "Mark hit", id="search.mark"),
        Binding("a", "code(True)", "Code all hits", id="search.code_all"),
        Binding("c", "code(False)", "Code marked hits", id="search.code_marked"),
        Binding("o", "open_hit", "Open in reader", id="search.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = "words"
        self.theme: str | None = None
        self.themes: list[tuple[Theme, int]] = []
        self.frameworks: StudyFrameworks | None = None
        self.results: Results | None = None
        self.marked: set[int] = set()
        self._retyping = False  # letters typed in the hits are on their way to the search

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-bar"):
            yield QueryInput(
                placeholder="search: words (recruit*), a phrase, or a regex", id="search-query"
            )
            yield Static("", id="search-mode")
        with Horizontal(id="search-filters"):
            yield OrderedInput(
                placeholder="cases: sector=CSD role=director (ctrl+f)", id="search-filter"
            )
            yield Static("", id="search-theme")
        yield Static("Type a search and press enter.", id="search-count")
        yield DataTable(id="search-hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#search-hits", DataTable)

    def on_mount(self) -> None:
        self.table.add_columns("✓", "case", "line", "before", "match", "after")
        self._show_settings()
        self.query_one("#search-query", Input).focus()

    def reload(self) -> None:
        super().reload()
        self._load_themes()
        if self.results is not None:
            self._run()

    @work(thread=True, exit_on_error=False, exclusive=True, group="search-themes")
    def _load_themes(self) -> None:
        found = list(themes.walk(framework.framework_tree(self.study)))
        first = queries.first_case(self.study)
        example = example_filter(queries.attribute_names(self.study), [first] if first else [])
        self.post_message(
            SearchThemesLoaded(found, frameworks.study_frameworks(self.study), example)
        )

    def _show_settings(self) -> None:
        self.query_one("#search-mode", Static).update(f"mode: {self.mode} (ctrl+r)")
        theme = self.theme or "any"
        self.query_one("#search-theme", Static).update(f"theme: {theme} (ctrl+t)")

    # --- searching --------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.query_one("#search-query", Input).value.strip():
            self._run()
            self.table.focus()

    def _run(self) -> None:
        query = self.query_one("#search-query", Input).value
        wanted, _ = parse_filter(self.query_one("#search-filter", Input).value)
        self.query_one("#search-count", Static).update("Searching…")
        self._search(query, self.mode, wanted, self.theme)

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def _search(self, query: str, mode: str, wanted: dict[str, str], theme: str | None) -> None:
        hits = search(self.study, query, mode, wanted or None, theme)
        self.post_message(HitsFound(Results(query, tuple(hits))))

    def on_search_themes_loaded(self, event: SearchThemesLoaded) -> None:
        self.themes = list(event.themes)  # (theme, depth) in display order
        self.frameworks = event.frameworks
        if event.case_filter:
            hint = f"cases: {event.case_filter} (ctrl+f)"
            self.query_one("#search-filter", Input).placeholder = hint

    def on_hits_found(self, event: HitsFound) -> None:
        same = self.results is not None and self.results.query == event.results.query
        self.results = event.results
        if not same:
            self.marked.clear()
        self._fill()
        if not event.results.hits and self.table.has_focus:
            self._query.edit()  # nothing to act on: back to the words to change them

    def _fill(self) -> None:
        assert self.results is not None
        table = self.table
        keep = table.cursor_row
        table.clear()
        hits = self.results.hits
        for n, hit in enumerate(hits[:SHOWN]):
            table.add_row(*self._cells(n, hit), key=str(n))
        if hits:
            table.move_cursor(row=min(keep, len(hits[:SHOWN]) - 1))
        self._count()

    def _cells(self, n: int, hit: Hit) -> list[Text | str]:
        left = hit.left[-40:].rjust(40)
        style = "dim" if hit.role != "respondent" else ""
        return [
            "✓" if n in self.marked else " ",
            hit.case,
            str(hit.line),
            Text(left, style=style),
            Text(hit.match, style="bold reverse"),
            Text(hit.right[:40], style=style),
        ]

    def _count(self) -> None:
        assert self.results is not None
        hits = self.results.hits
        cases = len({h.case for h in hits})
        more = f" (first {SHOWN} shown)" if len(hits) > SHOWN else ""
        self.query_one("#search-count", Static).update(
            # what a search reads: an interviewer's turn is context, not searched
            f"{counted(len(hits), 'hit')} in {counted(cases, 'case')}{more} (answers only) · "
            f"{len(self.marked)} marked (space) · "
            "a codes all · c codes marked · enter opens · / new search"
        )

    # --- actions --------------------------------------------------------------------

    @property
    def _query(self) -> QueryInput:
        return self.query_one("#search-query", QueryInput)

    def action_focus_query(self) -> None:
        self._query.focus()
        self._query.select_all()  # typing replaces the last search; an arrow key keeps it

    def on_key(self, event: events.Key) -> None:
        """A letter typed in the hits that no key binding claims starts a new search
        instead of vanishing (space, a, c, o and / keep their meaning)."""
        if not (self.table.has_focus and event.is_printable and event.character):
            return
        if self._retyping:  # a fast typist's next letters, before the focus has moved
            self._query.insert_text_at_cursor(event.character)
        elif event.key in self.app.active_bindings:
            return
        else:
            self._retyping = True
            self._query.edit(event.character)
        event.stop()
        event.prevent_default()

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        if event.widget is self.table:
            self._retyping = False

    def action_focus_filter(self) -> None:
        self.query_one("#search-filter", Input).focus()

    def action_cycle_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self._show_settings()
        if self.results is not None:
            self._run()

    def _theme_items(
        self, any_item: bool, hits: Sequence[Hit] = (), some: bool = False
    ) -> list[PickItem]:
        """Every theme; for coding ``hits``, those whose framework applies to them all
        (``some``: to any of them)."""
        colours = theme_colours(t.id for t, _ in self.themes)
        items = [PickItem("", "(any theme)")] if any_item else []
        where = {(h.kind, h.question) for h in hits}
        owned = self.frameworks
        which = any if some else all
        return items + [
            PickItem(t.id, t.label, indent=d, colour=colours[t.id][1])
            for t, d in self.themes
            if owned is None or which(owned.applies(t.id, *w) for w in where)
        ]

    def _coded_by(self, theme: str, hits: Sequence[Hit]) -> list[Hit]:
        """The hits ``theme``'s framework codes."""
        owned = self.frameworks
        if owned is None:
            return list(hits)
        return [h for h in hits if owned.applies(theme, h.kind, h.question)]

    def action_theme_filter(self) -> None:
        def chosen(theme: str | None) -> None:
            if theme is not None:
                self.theme = theme or None
                self._show_settings()
                if self.query_one("#search-query", Input).value.strip():
                    self._run()

        self.app.push_screen(Picker("Only hits coded with", self._theme_items(True)), chosen)

    def action_toggle_hit(self) -> None:
        if self.results is None or not self.results.hits:
            return
        row = self.table.cursor_row
        if row in self.marked:
            self.marked.discard(row)
        else:
            self.marked.add(row)
        self.table.update_cell_at(Coordinate(row, 0), "✓" if row in self.marked else " ")
        self.table.move_cursor(row=min(row + 1, len(self.results.hits[:SHOWN]) - 1))
        self._count()

    def action_code(self, everything: bool) -> None:
        if self.results is None or not self.results.hits:
            self.notify("Search first", timeout=2)
            return
        hits = (
            list(self.results.hits)
            if everything
            else [self.results.hits[n] for n in sorted(self.marked)]
        )
        if not hits:
            self.notify("Mark hits with space first (or press a to code all)", timeout=3)
            return

        def chosen(theme: str | None) -> None:
            if not theme:
                return
            taken = self._coded_by(theme, hits)
            left = len(hits) - len(taken)
            # hits in interviews and in survey answers: a theme codes those of its kind
            passed = f"; {counted(left, 'hit')} left: its framework does not code them"

            def run(study: Study) -> Outcome:
                new = code_hits(study, taken, theme)
                entry = changes.logged(study, f"code {counted(len(new), 'hit')} {theme}")
                said = f"Coded {counted(len(new), 'passage')} with {theme}"
                return Outcome(said + (passed if left else ""), entry)

            self.marked.clear()
            self.submit(run)

        offered = self._theme_items(False, hits)
        title = f"Code the passages of {counted(len(hits), 'hit')} with"
        if not offered:  # no one framework codes them all: each theme codes its own kind
            offered = self._theme_items(False, hits, some=True)
            title = (
                f"Code with (each theme codes only the hits its framework codes, of {len(hits)})"
            )
        if not offered:
            self.notify("No theme's framework codes these hits", severity="warning", timeout=5)
            return
        self.app.push_screen(Picker(title, offered), chosen)

    @on(DataTable.RowSelected, "#search-hits")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_hit()

    def action_open_hit(self) -> None:
        if self.results is None or not self.results.hits:
            return
        hit = self.results.hits[self.table.cursor_row]
        self.qapp.open_reader(ReadRequest(case=hit.case, source=hit.source, offset=hit.start))
