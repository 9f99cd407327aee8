"""Anonymise: review the names found in the study and their placeholders - accept,
reject, change the placeholder - with excerpts of where each name occurs.

The mapping is shown here and nowhere else: no copy-out (text selection is off), no
names in notifications or undo labels, and the study's texts never change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Label, ProgressBar, Static
from textual.worker import get_current_worker

from qualcode.domain.anonymise import PROPOSED, Proposal
from qualcode.domain.model import Segment
from qualcode.domain.wording import counted
from qualcode.services import anonymise, queries
from qualcode.services.study import Study
from qualcode.tui.anonymise import changes as anonymise_changes
from qualcode.tui.anonymise import view
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.dialogs import ConfirmDialog, PromptDialog
from qualcode.tui.shared.messages import NotSaved, Saved
from qualcode.tui.shared.workspace import Workspace

FIND_HINT = (
    "Optional: a file of names to hide for certain - one per line (`place: Name` allowed) "
    "or a CSV with name[,kind][,placeholder]; listed names are accepted at once. Enter with "
    "nothing searches the text only. Earlier decisions and placeholders are kept."
)


@dataclass
class ProposalsLoaded(Message):
    """Every proposed replacement: load number ``asked`` (older loads that finish late
    are dropped), as of the study's ``version``."""

    asked: int
    proposals: tuple[Proposal, ...]
    version: int


@dataclass
class TextsLoaded(Message):
    """Every segment's text (interviewer turns too), where names are looked up."""

    segments: tuple[Segment, ...]


@dataclass
class ExcerptMade(Message):
    """Where a proposal's name occurs, for the context pane."""

    proposal: int
    text: Text


@dataclass
class NameDecided(Saved):
    """A proposed name's status or placeholder is stored."""

    proposal: int


@dataclass
class DecisionNotSaved(NotSaved):
    """A decision on a name failed: the stored row is shown again."""

    proposal: int


@dataclass
class NamesFound(Saved):
    """Finding names is done and its proposals are stored."""


@dataclass
class FindNotSaved(NotSaved):
    """Finding names failed."""


class AnonymiseScreen(Workspace):
    AUTO_FOCUS = "#anon-table"
    ALLOW_SELECT = False  # the names and their placeholders are not for copying out
    DEFAULT_CSS = """
    #anon-bar { height: 1; padding: 0 1; background: $boost; }
    #anon-table { height: 1fr; }
    #anon-context {
        height: 9;
        padding: 0 1;
        border-top: hkey $primary 50%;
        background: $panel;
    }
    #anon-progress { height: 1; padding: 0 1; display: none; }
    #anon-progress.running { display: block; }
    #anon-progress Label { width: auto; margin-right: 2; }
    """
    BINDINGS = [
        Binding("a", "decide('accepted')", "Accept", id="anonymise.accept"),
        Binding("x", "decide('rejected')", "Reject", id="anonymise.reject"),
        Binding("e", "edit", "Edit placeholder", id="anonymise.edit"),
        Binding("A", "accept_all", "Accept all", id="anonymise.accept_all"),
        Binding("f", "find", "Find names", id="anonymise.find"),
        Binding("s", "cycle_status", "Show by status", id="anonymise.status"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.proposals: list[Proposal] = []
        self.loaded = False
        self.segments: tuple[Segment, ...] | None = None
        self.status: str | None = None  # None: every status
        self.shown: list[Proposal] = []
        self.current: int | None = None  # the highlighted proposal's id
        # decided here, maybe not in the data yet: id -> (proposal, data version once stored)
        self.overrides: dict[int, tuple[Proposal, int | None]] = {}
        self._widths: dict[str, int] = {}
        self.rank: dict[int, int] = {}  # proposal id -> row, in the order first loaded
        self._asked = 0
        self._seen = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="anon-bar")
        yield DataTable(id="anon-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="anon-progress"):
            yield Label("Finding names in the study's text… (other changes wait for it)")
            yield ProgressBar(total=None, show_eta=False, show_percentage=False)
        yield Static("", id="anon-context")
        yield Footer()

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#anon-table", DataTable)

    def _columns(self, proposals: list[Proposal]) -> None:
        """Fixed widths, from every name (not only those shown), so that the columns
        neither jump when the filter changes nor wait for the table's own measuring."""
        name = min(max([len(p.original) for p in proposals] + [12]), 40)
        place = min(max([len(p.placeholder) for p in proposals] + [12]), 30)
        widths = {"status": 10, "name": name, "placeholder": place, "kind": 12, "found": 5}
        widths["by"] = 9
        table = self.table
        if self._widths == widths:
            return
        self._widths = widths
        table.clear(columns=True)
        for column, width in widths.items():
            table.add_column(column, key=column, width=width)

    # --- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        super().reload()
        self._asked += 1
        self._load(self._asked, self.qapp.data_version)
        if self.segments is None:
            self._load_texts()

    @work(thread=True, exit_on_error=False, exclusive=True, group="anon-load")
    def _load(self, asked: int, version: int) -> None:
        found = tuple(anonymise.list_proposals(self.study))
        self.post_message(ProposalsLoaded(asked, found, version))

    @work(thread=True, exit_on_error=False, group="anon-texts")
    def _load_texts(self) -> None:
        segments = tuple(queries.list_segments(self.study, include_interviewer=True))
        self.post_message(TextsLoaded(segments))

    @work(thread=True, exit_on_error=False, exclusive=True, group="anon-excerpt")
    def _excerpt(self, proposal: Proposal, segments: tuple[Segment, ...]) -> None:
        worker = get_current_worker()
        text = view.excerpts(proposal, segments, stop=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.post_message(ExcerptMade(proposal.id, text))

    def on_proposals_loaded(self, event: ProposalsLoaded) -> None:
        asked, found = event.asked, event.proposals
        if asked < self._seen:
            return  # an older load that finished after a newer one
        self._seen = asked
        for p in found:  # rows keep their place while reviewing (a new placeholder
            self.rank.setdefault(p.id, len(self.rank))  # would re-sort them)
        self.proposals = sorted(found, key=lambda p: self.rank[p.id])
        self.loaded = True
        self.overrides = {
            k: (p, v) for k, (p, v) in self.overrides.items() if v is None or v > event.version
        }
        self._fill()

    def on_texts_loaded(self, event: TextsLoaded) -> None:
        self.segments = event.segments
        self._show_context()

    def on_excerpt_made(self, event: ExcerptMade) -> None:
        if event.proposal == self.current:
            self.query_one("#anon-context", Static).update(event.text)

    # --- what is shown ----------------------------------------------------------------

    def _all(self) -> list[Proposal]:
        return [self.overrides[p.id][0] if p.id in self.overrides else p for p in self.proposals]

    def _fill(self) -> None:
        """Rebuild the table, keeping the highlighted name (or the next one still shown)."""
        everything = self._all()
        new = [p for p in everything if self.status is None or p.status == self.status]
        where = {p.id: n for n, p in enumerate(new)}
        position = where.get(self.current) if self.current is not None else None
        if position is None:
            old = [p.id for p in self.shown]
            at = old.index(self.current) if self.current in old else 0
            after = [where[i] for i in old[at:] if i in where]
            before = [where[i] for i in reversed(old[:at]) if i in where]
            position = (after or before or [0])[0]
        self.shown = new
        self._columns(everything)
        table = self.table
        table.clear()
        for p in new:
            table.add_row(*view.row_cells(p), key=str(p.id))
        if new:
            table.move_cursor(row=position, animate=False)
            self.current = new[position].id
        else:
            self.current = None
        self.query_one("#anon-bar", Static).update(
            view.counts_line(everything, len(new), self.status)
        )
        self._show_context()

    def current_proposal(self) -> Proposal | None:
        row = self.table.cursor_row
        return self.shown[row] if self.shown and 0 <= row < len(self.shown) else None

    @on(DataTable.RowHighlighted, "#anon-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        p = self.current_proposal()
        if p is not None and p.id != self.current:
            self.current = p.id
            self._show_context()

    def _show_context(self) -> None:
        context = self.query_one("#anon-context", Static)
        p = next((x for x in self.shown if x.id == self.current), None)
        if p is None:
            context.update(
                "No names found yet: press f to look for names of people, places and "
                "organisations in the study's text."
                if self.loaded and not self.proposals
                else ""
            )
            return
        if self.segments is None:
            context.update("Loading the texts…")
            return
        self._excerpt(p, self.segments)

    # --- decisions --------------------------------------------------------------------

    def _next_id(self, p: Proposal) -> int | None:
        """The row after ``p``, where the cursor goes once ``p`` is decided."""
        ids = [x.id for x in self.shown]
        n = ids.index(p.id) if p.id in ids else -1
        return ids[n + 1] if 0 <= n < len(ids) - 1 else p.id

    def action_decide(self, status: str) -> None:
        p = self.current_proposal()
        if p is None:
            return
        self.overrides[p.id] = (replace(p, status=status), None)
        self.current = self._next_id(p)
        pid = p.id

        def run(study: Study) -> Outcome:
            _after, entry = anonymise_changes.decide(study, pid, status=status)
            return Outcome("", entry)  # the row shows it; no names here

        self._submit_decision(run, pid)
        self._fill()

    def action_edit(self) -> None:
        p = self.current_proposal()
        if p is None:
            return

        def done(value: str | None) -> None:
            if value is None:
                return
            if not value.strip():
                self.notify("A placeholder cannot be empty; nothing changed", timeout=3)
                return
            self.overrides[p.id] = (replace(p, placeholder=value.strip()), None)
            pid = p.id

            def run(study: Study) -> Outcome:
                _after, entry = anonymise_changes.decide(study, pid, placeholder=value)
                return Outcome("Placeholder changed" if entry else "", entry)

            self._submit_decision(run, pid)
            self._fill()

        self.app.push_screen(
            PromptDialog(
                f"Placeholder for {p.original}",
                p.placeholder,
                hint="Shown instead of the name in --anonymised exports, e.g. [Person 3], "
                "[neighbouring county], [X] college. Enter saves, escape cancels.",
            ),
            done,
        )

    def action_accept_all(self) -> None:
        waiting = sum(1 for p in self._all() if p.status == PROPOSED)
        if not waiting:
            self.notify("Nothing is waiting for review", timeout=2)
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return

            def run(study: Study) -> Outcome:
                n, entry = anonymise_changes.accept_all(study)
                return Outcome(f"Accepted {n} name{'s' if n != 1 else ''}", entry)

            self.submit(run)

        self.app.push_screen(
            ConfirmDialog(
                "Accept all",
                f"Accept the {counted(waiting, 'name')} still waiting for review? Each is "
                "then replaced by its placeholder in --anonymised exports. ctrl+z takes it back.",
                yes="Accept all",
            ),
            answer,
        )

    def _submit_decision(self, run: Callable[[Study], Outcome], pid: int) -> None:
        self.submit(
            run, saved=lambda outcome: NameDecided(outcome, pid), not_saved=DecisionNotSaved(pid)
        )

    def on_name_decided(self, event: NameDecided) -> None:
        if event.proposal in self.overrides:
            shown = self.overrides[event.proposal][0]
            self.overrides[event.proposal] = (shown, self.qapp.data_version)

    def on_decision_not_saved(self, event: DecisionNotSaved) -> None:
        self.overrides.pop(event.proposal, None)
        self._fill()

    def on_names_found(self, event: NamesFound) -> None:
        self._finding(False)
        self.rank.clear()  # new names: back to the service's order (variants together)

    def on_find_not_saved(self, event: FindNotSaved) -> None:
        self._finding(False)

    # --- finding names ----------------------------------------------------------------

    def action_find(self) -> None:
        def chosen(value: str | None) -> None:
            if value is None:
                return
            names = Path(value.strip()).expanduser() if value.strip() else None

            nlp_model = self.qapp.settings.nlp_model

            def run(study: Study) -> Outcome:
                report = anonymise.find_names(study, names, nlp_model=nlp_model)
                how = f"the {report.pipeline} pipeline" if report.pipeline else "heuristics"
                return Outcome(
                    f"{report.added} new names found with {how}; {report.known} known before"
                )

            self._finding(True)
            self.submit(run, saved=NamesFound, not_saved=FindNotSaved())

        self.app.push_screen(
            PromptDialog("Find names", placeholder="names file (optional)", hint=FIND_HINT),
            chosen,
        )

    def _finding(self, running: bool) -> None:
        self.query_one("#anon-progress").set_class(running, "running")

    def action_cycle_status(self) -> None:
        filters = view.FILTERS
        self.status = filters[(filters.index(self.status) + 1) % len(filters)]
        self._fill()
