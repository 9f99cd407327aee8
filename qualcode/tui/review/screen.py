"""Review suggestions: every pending suggestion, highest score first, with its passage;
accept, reject or pick another theme with one key; refresh them in the background."""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from qualcode.domain.wording import counted
from qualcode.services import framework, frameworks, queries
from qualcode.services.study import Study
from qualcode.services.suggest import Cancelled, mode_line, suggest
from qualcode.services.suggest_review import (
    ReviewItem,
    ReviewList,
    cached_vectors,
    review_list,
)
from qualcode.tui.review import changes as review_changes
from qualcode.tui.review.bulk import BulkAcceptActions
from qualcode.tui.review.checks import CHECK_RUN
from qualcode.tui.review.messages import (
    Choices,
    ChoicesLoaded,
    Decided,
    DecisionNotSaved,
    RefreshCancelled,
    RefreshFailed,
    ReviewListLoaded,
    SuggestionsRefreshed,
)
from qualcode.tui.review.reliability import ReliabilityActions
from qualcode.tui.review.view import (
    REVIEW_CSS,
    case_items,
    column_widths,
    context_text,
    other_theme_items,
    row_cells,
    theme_items,
)
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.messages import ReadRequest
from qualcode.tui.shared.picker import Picker
from qualcode.tui.shared.progress import NEEDS_EXTRA, RunBar, RunProgress
from qualcode.tui.shared.workspace import Workspace

SHOWN = 500  # rows in the table; the rest follow as these are decided
TOP = 3  # themes suggested per passage


class ReviewScreen(BulkAcceptActions, ReliabilityActions, Workspace):
    AUTO_FOCUS = "#review-table"
    DEFAULT_CSS = REVIEW_CSS
    BINDINGS = [
        Binding("a", "accept", "Accept", id="review.accept"),
        *BulkAcceptActions.BULK_BINDINGS,
        Binding("x", "reject", "Reject", id="review.reject"),
        Binding("p", "pick_other", "Code with another theme…", id="review.other"),
        Binding("enter", "open", "Open in Read & code", id="review.open"),
        Binding("t", "theme_filter", "Filter by theme", id="review.theme"),
        Binding("c", "case_filter", "Filter by case", id="review.case"),
        Binding("r", "refresh", "Refresh suggestions", id="review.refresh"),
        Binding("escape", "cancel", "Cancel refresh or check / clear filters", id="review.cancel"),
        Binding("m", "toggle_mode", "Lexical / embeddings", id="review.mode"),
        *ReliabilityActions.RELIABILITY_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.theme: str | None = None
        self.case: str | None = None
        self.data: ReviewList | None = None
        self.shown: list[ReviewItem] = []
        self.widths: list[tuple[str, int]] = []  # the table's columns as last set
        self.choices: Choices | None = None
        self.use_embeddings: bool | None = None  # None: not chosen yet (see _choices_loaded)
        # suggestion id -> None while its decision is queued, then the last list load
        # started before it was stored: rows stay hidden until a newer list arrives
        self.deciding: dict[int, int | None] = {}
        self.load_seq = 0
        self.to_top = False
        self.stop_run: threading.Event | None = None
        self.checks: list[str] = []  # checks running in the background (see working)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-status", markup=False)
        yield RunBar("escape cancels", id="review-run")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="review-context"):
            yield Static("", id="review-passage")
        yield Footer()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#review-table", DataTable)

    @property
    def run_bar(self) -> RunBar:
        return self.query_one("#review-run", RunBar)

    def on_mount(self) -> None:
        self._columns(column_widths([]))
        self.table.focus()

    def _columns(self, widths: list[tuple[str, int]]) -> None:
        """Set the table's columns (clearing it) when their widths change."""
        if widths == self.widths:
            return
        self.widths = widths
        table = self.table
        table.clear(columns=True)
        for label, width in widths:
            table.add_column(label, width=width)

    def on_unmount(self) -> None:
        if self.stop_run is not None:
            self.stop_run.set()
        self.cancel_checks()

    # --- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        super().reload()
        self._load_choices()
        self._load_list()

    def _load_list(self) -> None:
        self.load_seq += 1
        self._load(self.load_seq, self.theme, self.case)

    @work(thread=True, exit_on_error=False, exclusive=True, group="review-load")
    def _load(self, seq: int, theme: str | None, case: str | None) -> None:
        self.post_message(ReviewListLoaded(review_list(self.study, theme, case, SHOWN), seq))

    @work(thread=True, exit_on_error=False, exclusive=True, group="review-choices")
    def _load_choices(self) -> None:
        choices = Choices(
            framework.framework_tree(self.study),
            tuple(queries.list_cases(self.study)),
            cached_vectors(self.study),
            frameworks.study_frameworks(self.study),
        )
        self.post_message(ChoicesLoaded(choices))

    def on_review_list_loaded(self, event: ReviewListLoaded) -> None:
        if event.seq != self.load_seq:
            return  # a newer load (another filter) is on its way
        self.data = event.listed
        stored = [k for k, v in self.deciding.items() if v is not None and v < event.seq]
        for sid in stored:
            del self.deciding[sid]
        self._fill(top=self.to_top)
        self.to_top = False

    def on_choices_loaded(self, event: ChoicesLoaded) -> None:
        self.choices = event.choices
        if self.use_embeddings is None:  # lexical unless the vectors are already there
            self.use_embeddings = self.choices.vectors.ready
        self._status()

    def on_suggestions_refreshed(self, event: SuggestionsRefreshed) -> None:
        self._refresh_ended()
        self.notify(event.said, timeout=6, markup=False)
        self.qapp.data_version += 1  # other workspaces show suggestions too
        self.to_top = True  # new suggestions: start from the best
        self.reload()

    def on_refresh_cancelled(self, event: RefreshCancelled) -> None:
        self._refresh_ended()
        self.notify("Refresh cancelled; the suggestions are as they were", timeout=4)

    def on_refresh_failed(self, event: RefreshFailed) -> None:
        self._refresh_ended()
        self.qapp.report_failure(event.error)

    def _fill(self, top: bool = False) -> None:
        """Fill the table, keeping the cursor on the same suggestion (by passage and
        theme: a refresh stores new ones) or else on the same row."""
        if self.data is None:
            return
        table = self.table
        current = self.current()
        keep = (current.segment.id, current.suggestion.theme) if current else None
        keep_row = 0 if top else table.cursor_row
        self.shown = [i for i in self.data.items if i.suggestion.id not in self.deciding]
        table.clear()
        self._columns(column_widths(self.shown))
        for item in self.shown:
            table.add_row(*row_cells(item, self.widths), key=str(item.suggestion.id))
        if self.shown:
            keys = [(i.segment.id, i.suggestion.theme) for i in self.shown]
            row = keys.index(keep) if keep in keys and not top else min(keep_row, len(keys) - 1)
            table.move_cursor(row=row)
        self._status()
        self._show_context()

    def _status(self) -> None:
        parts = []
        if self.data is not None:
            total = self.data.total - (len(self.data.items) - len(self.shown))
            shown = f" ({len(self.shown)} shown)" if total > len(self.shown) else ""
            parts.append(f"{total:,} pending{shown}")
        parts.append(f"theme: {self.theme or 'any'} (t)")
        parts.append(f"case: {self.case or 'any'} (c)")
        if self.data is not None and self.data.mode:
            parts.append(f"made: {self.data.mode}")
        parts.append(f"refresh (r): {self._mode_said()} (m)")
        self.query_one("#review-status", Static).update(" · ".join(parts))

    def _mode_said(self) -> str:
        if not self.use_embeddings:
            return "lexical"
        vectors = self.choices.vectors if self.choices else None
        if vectors is not None and not vectors.ready:
            return f"embeddings + {vectors.segments - vectors.cached:,} new vectors"
        return "embeddings"

    def current(self) -> ReviewItem | None:
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @on(DataTable.RowHighlighted, "#review-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_context()

    def _show_context(self) -> None:
        item = self.current()
        if item is None:
            empty = (
                "No pending suggestions here. Press r to make suggestions for every "
                "uncoded passage, or change the filters (t, c; escape clears them)."
            )
            self.query_one("#review-passage", Static).update(Text(empty, style="dim"))
            return
        others = [i for i in self.shown if i.segment.id == item.segment.id and i is not item]
        self.query_one("#review-passage", Static).update(context_text(item, others))

    # --- deciding ---------------------------------------------------------------------

    def _decide(self, item: ReviewItem) -> None:
        """Hide the row at once; the write queue stores the decision."""
        self.deciding[item.suggestion.id] = None
        self._fill()

    def action_accept(self) -> None:
        item = self.current()
        if item is None:
            return
        sid, theme, seg = item.suggestion.id, item.suggestion.theme, item.segment.id

        def run(study: Study) -> Outcome:
            _, entry = review_changes.accept(study, sid)
            return Outcome(f"Coded {seg} with {theme}", entry)

        self._decide(item)
        self._submit_decision(run, sid)

    def action_reject(self) -> None:
        item = self.current()
        if item is None:
            return
        sid, theme, seg = item.suggestion.id, item.suggestion.theme, item.segment.id

        def run(study: Study) -> Outcome:
            entry = review_changes.reject(study, sid)
            return Outcome(f"Rejected {theme} for {seg}", entry)

        self._decide(item)
        self._submit_decision(run, sid)

    def action_pick_other(self) -> None:
        item = self.current()
        if item is None or self.choices is None:
            return
        sid, suggested, seg = item.suggestion.id, item.suggestion.theme, item.segment.id
        also = [i for i in self.shown if i.segment.id == seg and i is not item]
        items = other_theme_items(self.choices.tree, item, also, self.choices.frameworks)

        def chosen(theme: str | None) -> None:
            if not theme:
                return

            def run(study: Study) -> Outcome:
                _, entry = review_changes.accept(study, sid, theme)
                said = f"Coded {seg} with {theme} (not {suggested})"
                return Outcome(said, entry)

            if self.current() is item:
                self._decide(item)
                self._submit_decision(run, sid)

        title = f"Code {seg} with (instead of {suggested})"
        self.app.push_screen(Picker(title, items), chosen)

    def _submit_decision(self, run: Callable[[Study], Outcome], sid: int) -> None:
        self.submit(
            run,
            saved=lambda outcome: Decided(outcome, sid),
            not_saved=DecisionNotSaved(sid),
        )

    def on_decided(self, event: Decided) -> None:
        self.deciding[event.suggestion] = self.load_seq

    def on_decision_not_saved(self, event: DecisionNotSaved) -> None:
        # not stored (the error dialog is up): show the row again
        self.deciding.pop(event.suggestion, None)
        self._fill()

    # --- moving around ----------------------------------------------------------------

    @on(DataTable.RowSelected, "#review-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        item = self.current()
        if item is not None:
            seg = item.segment
            key = f"q:{item.question}" if item.question else None  # all answers to it
            self.qapp.open_reader(
                ReadRequest(key=key, case=seg.case, source=seg.source, offset=seg.start)
            )

    def action_theme_filter(self) -> None:
        if self.choices is None:
            return
        items = theme_items(self.choices.tree, "(any theme)")

        def chosen(theme: str | None) -> None:
            if theme is not None:
                self.theme = theme or None
                self.to_top = True
                self._load_list()
                self._status()

        self.app.push_screen(Picker("Only suggestions of (with sub-themes)", items), chosen)

    def shown_scope(self) -> tuple[str | None, str | None]:
        return self.theme, self.case

    def action_case_filter(self) -> None:
        if self.choices is None:
            return
        items = case_items(self.choices.cases)

        def chosen(case: str | None) -> None:
            if case is not None:
                self.case = case or None
                self.to_top = True
                self._load_list()
                self._status()

        self.app.push_screen(Picker("Only suggestions for case", items), chosen)

    # --- refreshing -------------------------------------------------------------------

    def action_toggle_mode(self) -> None:
        vectors = self.choices.vectors if self.choices else None
        if not self.use_embeddings and vectors is not None and not vectors.installed:
            self.notify(NEEDS_EXTRA, timeout=5, markup=False)
            return
        self.use_embeddings = not self.use_embeddings
        self._status()
        # said too: on a narrow terminal the status line is cut before the mode
        mode = "sentence embeddings" if self.use_embeddings else "lexical (words)"
        self.notify(f"The next refresh (r) uses the {mode} model", timeout=3)

    def action_refresh(self) -> None:
        if self.stop_run is not None:
            self.notify("Suggestions are being refreshed; escape cancels", timeout=3)
            return
        self.stop_run = threading.Event()
        mode = "embeddings" if self.use_embeddings else "lexical"
        self.run_bar.start(f"Refreshing suggestions ({mode})")
        self._refresh(bool(self.use_embeddings), self.stop_run)

    @work(thread=True, exit_on_error=False, group="review-refresh")
    def _refresh(self, use_embeddings: bool, stop: threading.Event) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(RunProgress("review", stage, done, total))

        try:
            run = suggest(
                self.study,
                TOP,
                use_embeddings=use_embeddings,
                progress=progress,
                cancel=stop.is_set,
                nlp_model=self.qapp.settings.nlp_model,
            )
        except Cancelled:
            self.post_message(RefreshCancelled())
            return
        except Exception as exc:  # the one error dialog, once the bar is hidden
            self.post_message(RefreshFailed(exc))
            return
        made = sum(len(r.suggestions) for r in run.results)
        said = (
            f"{counted(made, 'suggestion', grouped=True)} for "
            f"{counted(len(run.results), 'uncoded passage', grouped=True)}. {mode_line(run)}"
        )
        self.post_message(SuggestionsRefreshed(said))

    @on(RunProgress)
    def _progress(self, event: RunProgress) -> None:
        if event.run == "review" or (event.run == CHECK_RUN and self.stop_run is None):
            self.run_bar.step(event.stage, event.done, event.total)

    def _refresh_ended(self) -> None:
        self.stop_run = None
        self.run_bar.stop()
        if self.checks:  # a check started during the refresh still runs
            self.run_bar.start(self.checks[-1])

    def working(self, what: str) -> None:
        # A check (bulk accept's plan, the reliability report) has the bar while no
        # refresh has it; a refresh started meanwhile takes it over.
        self.checks.append(what)
        if self.stop_run is None:
            self.run_bar.start(what)

    def done_working(self, what: str) -> None:
        if what in self.checks:
            self.checks.remove(what)
        if self.stop_run is None:
            if self.checks:
                self.run_bar.start(self.checks[-1])
            else:
                self.run_bar.stop()

    def action_cancel(self) -> None:
        if self.stop_run is not None:
            self.stop_run.set()
            self.run_bar.start("Cancelling", cancellable=False)
        elif self.cancel_checks():
            self.run_bar.start("Cancelling", cancellable=False)
        elif self.theme or self.case:
            self.theme = self.case = None
            self.to_top = True
            self._load_list()
            self._status()
