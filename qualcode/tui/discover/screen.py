"""Discover: key phrases, terms distinctive of one group against another, and candidate
themes for the study, a case or a group; one key adds a candidate to the framework."""

from __future__ import annotations

import threading

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from qualcode.domain.wording import counted
from qualcode.services import framework, queries
from qualcode.services.discover import CandidateTheme, Discovery, adopt_candidate
from qualcode.services.study import Study
from qualcode.services.suggest_review import cached_vectors
from qualcode.tui.discover.run import (
    Discovered,
    DiscoveryCancelled,
    DiscoveryFailed,
    PassageFound,
    SettingLoaded,
    run_discovery,
)
from qualcode.tui.discover.view import (
    COLUMNS,
    DISCOVER_CSS,
    Scope,
    Setting,
    Side,
    adopted_as,
    attribute_values,
    candidate_cells,
    candidate_text,
    contrast_title,
    phrase_cells,
    phrase_text,
    pick_scope,
    scope_items,
    status_line,
    term_cells,
    value_items,
)
from qualcode.tui.review.view import theme_items
from qualcode.tui.shared import changes
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.messages import ReadRequest
from qualcode.tui.shared.picker import Picker, PickItem
from qualcode.tui.shared.progress import NEEDS_EXTRA, RunBar, RunProgress
from qualcode.tui.shared.workspace import Workspace

KINDS = (None, "transcript", "survey")
TABS = ("phrases", "distinctive", "candidates")


class DiscoverScreen(Workspace):
    AUTO_FOCUS = "#discover-phrases"
    DEFAULT_CSS = DISCOVER_CSS
    BINDINGS = [
        Binding("s", "choose_scope", "Scope: study, case or group", id="discover.scope"),
        Binding("g", "compare", "Compare two groups", id="discover.compare"),
        Binding("k", "cycle_kind", "Transcripts / survey / both", id="discover.kind"),
        Binding("m", "toggle_mode", "Lexical / embeddings", id="discover.mode"),
        Binding("1", "tab('phrases')", "Key phrases", id="discover.phrases"),
        Binding("2", "tab('distinctive')", "Distinctive terms", id="discover.distinctive"),
        Binding("3", "tab('candidates')", "Candidate themes", id="discover.candidates"),
        Binding("a", "adopt(False)", "Add candidate as a theme", id="discover.adopt"),
        Binding("A", "adopt(True)", "Add candidate under a theme…", id="discover.adopt_under"),
        Binding("enter", "open", "Open passage in Read & code", id="discover.open"),
        Binding("escape", "cancel", "Cancel", id="discover.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope = Scope()
        self.result: Discovery | None = None
        self.setting: Setting | None = None
        self.use_embeddings: bool | None = None
        self.run_seq = 0
        self.stop_run: threading.Event | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="discover-status", markup=False)
        yield RunBar("escape cancels", steps=True, id="discover-run")
        with TabbedContent(id="discover-tabs"):
            with TabPane("Key phrases (1)", id="phrases"), Horizontal(classes="discover-pane"):
                yield DataTable(id="discover-phrases", cursor_type="row", zebra_stripes=True)
                with Side(classes="discover-side"):
                    yield Static("", id="discover-phrase-text")
            with TabPane("Distinctive terms (2)", id="distinctive"), Vertical():
                yield Static("", id="discover-contrast")
                yield DataTable(id="discover-terms", cursor_type="row", zebra_stripes=True)
            with (
                TabPane("Candidate themes (3)", id="candidates"),
                Horizontal(classes="discover-pane"),
            ):
                yield DataTable(id="discover-themes", cursor_type="row", zebra_stripes=True)
                with Side(classes="discover-side"):
                    yield Static("", id="discover-theme-text")
        yield Footer()

    def table(self, name: str) -> DataTable[object]:
        return self.query_one(f"#discover-{name}", DataTable)

    def on_mount(self) -> None:
        for name, wanted in COLUMNS.items():  # fixed widths: the same whatever came before
            for label, width in wanted:
                self.table(name).add_column(label, width=width)
        self.table("phrases").focus()
        self._run()  # the whole study, from the start

    def on_unmount(self) -> None:
        if self.stop_run is not None:
            self.stop_run.set()

    # --- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        """Discovery depends on the passages only, not on codings: a change to the
        study reloads the framework (to mark adopted candidates), not the analysis."""
        super().reload()
        self._load_setting()

    @work(thread=True, exit_on_error=False, exclusive=True, group="discover-setting")
    def _load_setting(self) -> None:
        setting = Setting(
            tuple(queries.list_cases(self.study)),
            framework.framework_tree(self.study),
            cached_vectors(self.study),
        )
        self.post_message(SettingLoaded(setting))

    def _run(self) -> None:
        if self.stop_run is not None:
            self.stop_run.set()  # the older run stops at its next step
        self.stop_run = threading.Event()
        self.run_seq += 1
        self.query_one("#discover-run", RunBar).start(f"Reading {self.scope.said()}")
        self._status()
        self._discover(self.run_seq, self.scope, self.use_embeddings, self.stop_run)

    @work(thread=True, exit_on_error=False, group="discover-run")
    def _discover(self, seq: int, scope: Scope, use: bool | None, stop: threading.Event) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(RunProgress(f"discover-{seq}", stage, done, total))

        nlp_model = self.qapp.settings.nlp_model
        self.post_message(
            run_discovery(self.study, seq, scope, use, stop.is_set, progress, nlp_model)
        )

    @on(RunProgress)
    def _progress(self, event: RunProgress) -> None:
        if event.run == f"discover-{self.run_seq}":
            self.query_one("#discover-run", RunBar).step(event.stage, event.done, event.total)

    def on_setting_loaded(self, event: SettingLoaded) -> None:
        self.setting = event.setting
        self._fill_candidates()
        self._status()

    def on_passage_found(self, event: PassageFound) -> None:
        self.qapp.open_reader(event.request)

    def on_discovered(self, event: Discovered) -> None:
        if event.seq == self.run_seq:
            self.result = event.found
            if self.use_embeddings is None:
                self.use_embeddings = self.result.mode == "embeddings"
            self._ended()
            self._fill()

    def on_discovery_cancelled(self, event: DiscoveryCancelled) -> None:
        if event.seq == self.run_seq:
            self._ended()
            said = "the previous results stay" if self.result else "s, k or m reads again"
            self.notify(f"Cancelled: {said}", timeout=3)

    def on_discovery_failed(self, event: DiscoveryFailed) -> None:
        if event.seq == self.run_seq:
            self._ended()
            self.qapp.report_failure(event.error)

    def _ended(self) -> None:
        self.stop_run = None
        self.query_one("#discover-run", RunBar).stop()
        self._status()

    def _status(self) -> None:
        vectors = self.setting.vectors if self.setting else None
        running = self.stop_run is not None
        said = status_line(self.scope, self.result, bool(self.use_embeddings), vectors, running)
        self.query_one("#discover-status", Static).update(said)

    def _fill(self) -> None:
        d = self.result
        if d is None:
            return
        phrases = self.table("phrases")
        phrases.clear()
        for n, p in enumerate(d.phrases):
            phrases.add_row(*phrase_cells(p), key=str(n))
        terms = self.table("terms")
        terms.clear()
        for n, t in enumerate(d.distinctive or ()):
            terms.add_row(*term_cells(t), key=str(n))
        self.query_one("#discover-contrast", Static).update(contrast_title(d, self.scope))
        self._fill_candidates()
        self._show_phrase()

    def _fill_candidates(self) -> None:
        if self.result is None:
            return
        table = self.table("themes")
        keep = table.cursor_row
        table.clear()
        for n, c in enumerate(self.result.themes):
            table.add_row(*candidate_cells(c, self._adopted(c)), key=str(n))
        if self.result.themes:
            table.move_cursor(row=min(max(keep, 0), len(self.result.themes) - 1))
        self._show_candidate()

    def _adopted(self, candidate: CandidateTheme) -> str | None:
        if self.setting is None:
            return None
        return adopted_as(candidate, list(self.setting.tree.themes.values()))

    def _current(self, name: str) -> int | None:
        table = self.table(name)
        return table.cursor_row if table.row_count and table.cursor_row >= 0 else None

    def candidate(self) -> CandidateTheme | None:
        row = self._current("themes")
        return self.result.themes[row] if self.result is not None and row is not None else None

    @on(DataTable.RowHighlighted, "#discover-phrases")
    def _show_phrase(self) -> None:
        row = self._current("phrases")
        shown = self.query_one("#discover-phrase-text", Static)
        if self.result is not None and not self.result.phrases:
            shown.update("Nothing to show: no passages in this scope (s changes it).")
        elif self.result is None or row is None:
            shown.update("")
        else:
            shown.update(phrase_text(self.result.phrases[row]))

    @on(DataTable.RowHighlighted, "#discover-themes")
    def _show_candidate(self) -> None:
        c = self.candidate()
        shown = self.query_one("#discover-theme-text", Static)
        shown.update(candidate_text(c, self._adopted(c)) if c is not None else "")

    # --- choosing what to read --------------------------------------------------------

    def action_choose_scope(self) -> None:
        if self.setting is None:
            return

        def chosen(key: str | None) -> None:
            if key is not None:
                self.scope = pick_scope(key, cases, self.scope.kind)
                self._run()

        cases = self.setting.cases
        items = scope_items(cases)
        self.app.push_screen(Picker("Discover in", items), chosen)

    def action_compare(self) -> None:
        if self.setting is None:
            return
        values = attribute_values(self.setting.cases)
        names = [PickItem(n, "", counted(len(v), "value")) for n, v in sorted(values.items())]

        def attribute(by: str | None) -> None:
            if not by:
                return

            def first(group: str | None) -> None:
                if group is None:
                    return

                def second(against: str | None) -> None:
                    if against is None:
                        return
                    self.scope = Scope(
                        by=by, group=group, against=against or None, kind=self.scope.kind
                    )
                    self.action_tab("distinctive")
                    self._run()

                others = [PickItem("", "(every other case)"), *value_items(values[by], group)]
                self.app.push_screen(Picker(f"Compare {by} = {group} with", others), second)

            self.app.push_screen(
                Picker(f"Terms distinctive of {by} =", value_items(values[by])), first
            )

        self.app.push_screen(Picker("Compare groups of cases by", names), attribute)

    def action_cycle_kind(self) -> None:
        kind = KINDS[(KINDS.index(self.scope.kind) + 1) % len(KINDS)]
        self.scope = Scope(
            self.scope.case, self.scope.by, self.scope.group, self.scope.against, kind
        )
        self._run()

    def action_toggle_mode(self) -> None:
        vectors = self.setting.vectors if self.setting else None
        if not self.use_embeddings and vectors is not None and not vectors.installed:
            self.notify(NEEDS_EXTRA, timeout=5, markup=False)
            return
        self.use_embeddings = not self.use_embeddings
        self._run()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # once the pane is shown: focusing a hidden table would be moved off again
        name = {"phrases": "phrases", "distinctive": "terms", "candidates": "themes"}
        table = self.table(name[event.pane.id or "phrases"])
        self.call_after_refresh(table.focus)

    def action_cancel(self) -> None:
        if self.stop_run is not None:  # stops before its next step
            self.stop_run.set()
            self.query_one("#discover-run", RunBar).start("Cancelling", cancellable=False)

    # --- acting on what was found -----------------------------------------------------

    def action_adopt(self, under: bool) -> None:
        if self.query_one(TabbedContent).active != "candidates":
            self.action_tab("candidates")
            return
        c = self.candidate()
        if c is None or self.setting is None:
            return
        already = self._adopted(c)
        if already:
            self.notify(f"Already in the framework as {already}", timeout=3)
            return
        if not under:
            self._adopt(c, None)
            return
        items = theme_items(self.setting.tree)

        def chosen(parent: str | None) -> None:
            if parent:
                self._adopt(c, parent)

        self.app.push_screen(Picker(f"Add {c.label!r} under", items), chosen)

    def _adopt(self, candidate: CandidateTheme, parent: str | None) -> None:
        def run(study: Study) -> Outcome:
            theme = adopt_candidate(study, candidate, parent)
            return Outcome(
                f"Added theme {theme.id} {theme.label!r} to the framework (F4 to edit it)",
                changes.logged(study, f"add theme {theme.id}"),
                {"theme": theme.id},
            )

        self.submit(run)

    def action_open(self) -> None:
        if self.result is None:
            return
        active = self.query_one(TabbedContent).active
        passage = None
        if active == "phrases" and (row := self._current("phrases")) is not None:
            examples = self.result.phrases[row].examples
            passage = examples[0] if examples else None
        elif active == "candidates" and (c := self.candidate()) is not None:
            passage = c.passages[0] if c.passages else None
        if passage is not None:
            self._find(passage.segment)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    @work(thread=True, exit_on_error=False, exclusive=True, group="discover-open")
    def _find(self, segment: str) -> None:
        for seg in queries.list_segments(self.study, ids=[segment]):
            sources = queries.list_sources(self.study, case=seg.case)
            question = next((s.question for s in sources if s.id == seg.source), None)
            key = f"q:{question}" if question else None  # a survey answer: its question
            request = ReadRequest(key=key, case=seg.case, source=seg.source, offset=seg.start)
            self.post_message(PassageFound(request))
