"""Compare coders: agreement per theme for two coders, and a walk through the segments
where they disagree - take A's coding, take B's, or keep both, one key each."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from qualcode.domain.wording import counted
from qualcode.services import framework
from qualcode.services.agreement import agreement
from qualcode.services.coders import coder_activity
from qualcode.services.codings import list_codings, segment_themes
from qualcode.services.compare import Disagreement, disagreements
from qualcode.services.study import Study
from qualcode.tui.compare import changes as compare_changes
from qualcode.tui.compare import view
from qualcode.tui.compare.view import CompareData, Key, key
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.colours import theme_colours
from qualcode.tui.shared.messages import NotSaved, ReadRequest, Saved
from qualcode.tui.shared.picker import Picker, PickItem
from qualcode.tui.shared.workspace import Workspace


@dataclass
class CompareLoaded(Message):
    """Two coders' agreement and disagreements: load number ``asked`` (older loads that
    finish late are dropped), as of the study's ``version``."""

    asked: int
    data: CompareData
    version: int


@dataclass
class Settled(Saved):
    """A disagreement is settled."""

    key: Key


@dataclass
class SettleNotSaved(NotSaved):
    """Settling failed: the disagreement is shown again."""

    key: Key


class CompareScreen(Workspace):
    AUTO_FOCUS = "#compare-text"
    # under 100 columns the table gives the walk room: its theme column stays whole,
    # the figures scroll into view with the walk's theme
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    DEFAULT_CSS = """
    #compare-bar { height: 1; padding: 0 1; background: $boost; }
    #compare-body { height: 1fr; }
    #compare-agreement { width: 60; height: 100%; border-right: vkey $primary 50%; }
    /* the columns, their padding, the border and a thin scrollbar (many themes) */
    CompareScreen.-narrow #compare-agreement { width: 46; scrollbar-size-vertical: 1; }
    #compare-walk { width: 1fr; padding: 0 1; }
    #compare-where { height: auto; margin-bottom: 1; }
    #compare-themes { height: auto; max-height: 12; margin-bottom: 1; }
    #compare-text { height: 1fr; background: $panel; padding: 0 1; }
    #compare-hint { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "settle('a')", "Take A's coding", id="compare.take_a"),
        Binding("b", "settle('b')", "Take B's coding", id="compare.take_b"),
        Binding("k", "settle('both')", "Keep both", id="compare.keep_both"),
        Binding("n", "step(1)", "Next disagreement", id="compare.next"),
        Binding("p", "step(-1)", "Previous disagreement", id="compare.previous"),
        Binding("enter,o", "open", "Open in Read & code", id="compare.open"),
        Binding("c", "choose_coders", "Choose coders", id="compare.coders"),
        Binding("t", "theme_filter", "One theme only", id="compare.theme"),
        Binding("v", "toggle_kept", "Show kept both", id="compare.kept"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: CompareData | None = None
        self._theme_width = view.THEME_WIDTH  # narrower at 80 columns (see _add_columns)
        self.pair: tuple[str, str] | None = None  # chosen with c (else the default pair)
        self.theme: str | None = None
        self.show_kept = False
        self.shown: list[Disagreement] = []
        self.position = 0
        self.current: Key | None = None
        # settled here but maybe not in the data yet: key -> data version once stored
        self.pending: dict[Key, int | None] = {}
        self._asked = 0  # loads started, so that an older one arriving late is ignored
        self._seen = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="compare-bar")
        with Horizontal(id="compare-body"):
            yield DataTable(id="compare-agreement", cursor_type="row", zebra_stripes=True)
            with Vertical(id="compare-walk"):
                yield Static("", id="compare-where")
                yield Static("", id="compare-themes")
                with VerticalScroll(id="compare-text"):
                    yield Static("", id="compare-segment")
                yield Static("", id="compare-hint")
        yield Footer()

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#compare-agreement", DataTable)

    def on_mount(self) -> None:
        self.table.can_focus = False  # a summary that follows the walk; keys go to the walk
        self._add_columns()

    def _add_columns(self) -> None:
        """Fixed widths: nothing to wait for or jump when the figures change. At 80
        columns the theme gives way, so that every figure shows ("9" read as 9%)."""
        self._theme_width = view.THEME_WIDTH if self.size.width >= 100 else view.NARROW_THEME
        for label, width in (("theme", self._theme_width), ("kappa", 5), ("agree", 5)):
            self.table.add_column(label, key=label, width=width)
        for label, width in (("A", 3), ("B", 3), ("open", 4)):
            self.table.add_column(label, key=label, width=width)

    def on_resize(self) -> None:
        wanted = view.THEME_WIDTH if self.size.width >= 100 else view.NARROW_THEME
        if wanted != self._theme_width:
            self.table.clear(columns=True)
            self._add_columns()
            self._fill_agreement(self.current_item())

    # --- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        super().reload()
        self._asked += 1
        self._load(self.pair, self._asked, self.qapp.data_version)

    @work(thread=True, exit_on_error=False, exclusive=True, group="compare-load")
    def _load(self, pair: tuple[str, str] | None, asked: int, version: int) -> None:
        study = self.study
        activity = tuple(coder_activity(study))
        names = {c.coder for c in activity}
        a, b = pair if pair and set(pair) <= names else view.default_pair(activity)
        tree = framework.framework_tree(study)
        ordered = [t.id for t in tree.ordered()]
        colours = theme_colours(ordered)
        empty = CompareData(
            activity,
            a,
            b,
            labels={t: tree.themes[t].label for t in ordered},
            colours={t: fg for t, (_bg, fg) in colours.items()},
            backgrounds={t: bg for t, (bg, _fg) in colours.items()},
        )
        if a is None or b is None:
            self.post_message(CompareLoaded(asked, empty, version))
            return
        report = agreement(study, [a, b])
        items = tuple(disagreements(study, a, b))
        segments = {d.segment for d in items}
        wanted = {(d.source, d.theme) for d in items}
        themes = {}
        spans: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
        for coder in (a, b):
            per = segment_themes(study, coder=coder)
            themes[coder] = {s: frozenset(per[s]) for s in segments if s in per}
            for c in list_codings(study, coder=coder):
                if (c.source, c.theme) in wanted:
                    spans.setdefault((coder, c.source, c.theme), []).append((c.start, c.end))
        data = replace(
            empty,
            report=report,
            items=items,
            themes=themes,
            spans={k: tuple(v) for k, v in spans.items()},
        )
        self.post_message(CompareLoaded(asked, data, version))

    def on_compare_loaded(self, event: CompareLoaded) -> None:
        asked, data = event.asked, event.data
        if asked < self._seen:
            return  # an older load that finished after a newer one
        self._seen = asked
        same_pair = self.data is not None and (self.data.a, self.data.b) == (data.a, data.b)
        had = {key(d) for d in self.shown} if same_pair else None
        self.data = data
        if data.a is not None and data.b is not None:
            self.pair = (data.a, data.b)
        self.pending = {
            k: v for k, v in self.pending.items() if v is None or v > event.version
        }  # what the data now holds is no longer pending
        self._refresh(had)

    # --- what is shown ----------------------------------------------------------------

    def _visible(self) -> list[Disagreement]:
        if self.data is None:
            return []
        return [
            d
            for d in self.data.items
            if key(d) not in self.pending
            and (self.show_kept or not d.kept_both)
            and (self.theme is None or d.theme == self.theme)
        ]

    def _refresh(self, had: set[Key] | None = None) -> None:
        """Recompute the walk and keep the place: the same disagreement if it is still
        there, else the next one that is. ``had``: the walk's keys before a reload; a
        difference that came back (a settlement undone) is shown rather than passed."""
        old, at = self.shown, self.position
        new = self._visible()
        where = {key(d): n for n, d in enumerate(new)}
        back = [n for n, d in enumerate(new) if had is not None and key(d) not in had]
        position: int | None = back[0] if back else None
        if position is None and self.current:
            position = where.get(self.current)
        if position is None:
            after = [where[key(d)] for d in old[at:] if key(d) in where]
            before = [where[key(d)] for d in reversed(old[:at]) if key(d) in where]
            position = (after or before or [0])[0]
        self.shown = new
        self.position = min(position, max(len(new) - 1, 0))
        moved = self.current != (key(new[self.position]) if new else None)
        self.current = key(new[self.position]) if new else None
        self._show(scroll_home=moved)

    def current_item(self) -> Disagreement | None:
        return self.shown[self.position] if self.shown else None

    def _show(self, scroll_home: bool = False) -> None:
        data = self.data
        if data is None:
            return
        d = self.current_item()
        settled = [x for x in data.items if key(x) not in self.pending]
        kept = sum(1 for x in settled if x.kept_both)
        bar = view.summary_line(
            data, len(settled), kept, len(self.shown), self.position, self.theme
        )
        self.query_one("#compare-bar", Static).update(bar)
        self._fill_agreement(d)
        where = self.query_one("#compare-where", Static)
        themes = self.query_one("#compare-themes", Static)
        segment = self.query_one("#compare-segment", Static)
        where.display = themes.display = d is not None
        if d is None:
            segment.update(view.empty_walk(data))
        else:
            others = {x.theme for x in data.items if x.segment == d.segment} - {d.theme}
            where.update(view.where_line(d))
            themes.update(view.side_by_side(d, data, others))
            segment.update(view.segment_text(d, data))
        self.query_one("#compare-hint", Static).update(view.keys_hint(d))
        if scroll_home:
            self.query_one("#compare-text", VerticalScroll).scroll_home(animate=False)

    def _fill_agreement(self, d: Disagreement | None) -> None:
        table = self.table
        table.clear()
        data = self.data
        if data is None or data.report is None:
            return
        waiting: dict[str, int] = {}
        for x in data.items:
            if not x.kept_both and key(x) not in self.pending:
                waiting[x.theme] = waiting.get(x.theme, 0) + 1
        for t in data.report.themes:
            cells = view.agreement_row(t, waiting.get(t.theme, 0), self._theme_width)
            table.add_row(*cells, key=t.theme)
        if d is not None:
            row = next((n for n, t in enumerate(data.report.themes) if t.theme == d.theme), 0)
            table.move_cursor(row=row, animate=False)

    # --- settling ---------------------------------------------------------------------

    def action_settle(self, keep: str) -> None:
        d = self.current_item()
        if d is None:
            self.notify("No disagreement here", timeout=2)
            return
        if keep == "both" and d.kept_both:
            self.action_step(1)
            return
        k = key(d)
        self.pending[k] = None

        def run(study: Study) -> Outcome:
            _done, entry = compare_changes.settle(study, d, keep)
            # no toast: in a run of keys they would pile up over the walk, which shows
            # the outcome itself (and ctrl+z names what it undoes)
            return Outcome("", entry)

        self.submit(run, saved=lambda outcome: Settled(outcome, k), not_saved=SettleNotSaved(k))
        self._refresh()  # on to the next one at once: keys can come in quick bursts

    def on_settled(self, event: Settled) -> None:
        if event.key in self.pending:
            self.pending[event.key] = self.qapp.data_version

    def on_settle_not_saved(self, event: SettleNotSaved) -> None:
        self.pending.pop(event.key, None)
        self._refresh()

    # --- moving -----------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        if not self.shown:
            return
        position = self.position + delta
        if not 0 <= position < len(self.shown):
            self.notify("Last disagreement" if delta > 0 else "First disagreement", timeout=2)
            return
        self.position = position
        self.current = key(self.shown[position])
        self._show(scroll_home=True)

    def action_open(self) -> None:
        d = self.current_item()
        if d is not None:
            self.qapp.open_reader(ReadRequest(case=d.case, source=d.source, offset=d.start))

    def action_toggle_kept(self) -> None:
        self.show_kept = not self.show_kept
        self.notify("Showing kept both" if self.show_kept else "Hiding kept both", timeout=2)
        self._refresh()

    def action_theme_filter(self) -> None:
        if self.data is None or self.data.report is None:
            return
        counts: dict[str, int] = {}
        for d in self.data.items:
            counts[d.theme] = counts.get(d.theme, 0) + 1
        items = [PickItem("", "(every theme)")] + [
            PickItem(t.theme, t.label, _count(counts.get(t.theme, 0), "disagreement"))
            for t in self.data.report.themes
        ]

        def chosen(theme: str | None) -> None:
            if theme is not None:
                self.theme = theme or None
                self.current, self.shown, self.position = None, [], 0  # from its first
                self._refresh()

        self.app.push_screen(Picker("Walk the disagreements on", items), chosen)

    def action_choose_coders(self) -> None:
        if self.data is None:
            return
        everyone = list(self.data.coders)

        def items(without: str | None) -> list[PickItem]:
            return [
                PickItem(c.coder, counted(c.codings, "coding"), counted(c.memos, "memo"))
                for c in everyone
                if c.coder != without
            ]

        def second(a: str, b: str | None) -> None:
            if b is None:
                return
            self.pair = (a, b)
            self.pending.clear()
            self.current, self.shown, self.position, self.theme = None, [], 0, None
            self.query_one("#compare-bar", Static).update("Loading…")
            self.reload()

        def first(a: str | None) -> None:
            if a is None:
                return
            self.app.push_screen(Picker(f"Coder B (A is {a})", items(a)), lambda b: second(a, b))

        if len(everyone) < 2:
            self.notify("Only one coder in this study so far", timeout=3)
            return
        self.app.push_screen(Picker("Coder A", items(None)), first)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
