"""The Matrix workspace's cell side: opening a cell, saving, accepting and drafting
its summary, cycling its status, marking quotes, jumping to the transcript, and what
comes back from those writes (a refused save keeps the user's text)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.message import Message
from textual.widgets import ContentSwitcher

from qualcode.domain.case_wording import describe_attributes
from qualcode.domain.matrix import EMPTY, FINAL, WRITTEN, Cell, Summary, SummaryVersion
from qualcode.domain.wording import counted
from qualcode.services import drafts, summaries
from qualcode.tui.matrix import changes as writes
from qualcode.tui.matrix.cell import CellView, HistoryDialog
from qualcode.tui.matrix.data import CASE, MatrixPage, next_status
from qualcode.tui.matrix.grid import MatrixGrid
from qualcode.tui.matrix.keys import KeyQueue, on_sheet
from qualcode.tui.shared.changes import Outcome
from qualcode.tui.shared.journal import Draft
from qualcode.tui.shared.keyorder import after_typed
from qualcode.tui.shared.messages import NotSaved, ReadRequest, Saved
from qualcode.tui.shared.workspace import Workspace


@dataclass
class SummarySaved(Saved):
    """A cell's summary is saved, accepted or drafted; ``show_text``: the stored text
    replaces the editor's (a draft or an accept may hold text the editor does not)."""

    summary: Summary | None
    show_text: bool

    @staticmethod
    def shown(show_text: bool) -> Callable[[Outcome], SummarySaved]:
        return lambda outcome: SummarySaved(outcome, outcome.data.get("summary"), show_text)


@dataclass
class StatusSaved(Saved):
    """A cell's status is stored; ``started``: the version the change was made over."""

    summary: Summary | None
    started: int

    @classmethod
    def of(cls, outcome: Outcome) -> StatusSaved:
        return cls(outcome, outcome.data.get("summary"), outcome.data["started"])


@dataclass
class SummaryNotSaved(NotSaved):
    """A summary or status change was refused: the cell shows what is stored now."""

    base: Summary


@dataclass
class StoredLoaded(Message):
    """A cell's summary as stored now (after a refused save: what someone else saved)."""

    summary: Summary


@dataclass
class DraftProposed(Message):
    """A fresh draft for a final cell, put in the editor unsaved."""

    case: str
    theme: str
    text: str


@dataclass
class HistoryLoaded(Message):
    title: str
    versions: list[SummaryVersion]


class CellWork(Workspace):
    """The base of the Matrix screen: everything done to one cell."""

    def __init__(self) -> None:
        super().__init__()
        self.page: MatrixPage | None = None
        self.unsaved: dict[tuple[str, str], tuple[str, Summary]] = {}  # (case, theme)
        self.synth_unsaved: dict[tuple[str, str, str], str] = {}  # (theme, attribute, value)
        self.keys = KeyQueue()
        self.cell_view_built = False

    async def _mount_cell_view(self) -> None:
        """Built after the first sheet is drawn: the workspace opens sooner."""
        if self.cell_view_built:
            return
        self.cell_view_built = True
        view = CellView(id="matrix-cell")
        view.display = False  # the switcher shows it when a cell is opened
        await self.query_one(ContentSwitcher).mount(view)
        self.keys.release()

    @property
    def grid(self) -> MatrixGrid:
        return self.query_one(MatrixGrid)

    @property
    def cell_view(self) -> CellView:
        return self.query_one(CellView)

    @property
    def in_cell(self) -> bool:
        return self.query_one(ContentSwitcher).current == "matrix-cell"

    def grid_cell(self) -> Cell | None:
        row = self.grid.current
        if row is None or row.kind != CASE or row.row is None or not row.row.cells:
            return None
        return row.row.cells[self.grid.column]

    def open_cell(self) -> None:
        """Open the cell at the grid's cursor (its unsaved text, if any, comes back)."""
        row = self.grid.current
        cell = self.grid_cell()
        if cell is None or self.page is None or row is None or row.row is None:
            return
        labels = self.page.labels
        title = f"{cell.case} · {cell.theme} {labels.get(cell.theme, '')}  ·  "
        # the case's attributes in what is left of the title's line
        room = max(20, self.size.width - len(title) - 2)
        title += describe_attributes(row.row.attributes, self.page.groupable, width=room)
        kept = self.unsaved.pop((cell.case, cell.theme), None)
        self.grid.set_unsaved(self.unsaved)
        view = self.cell_view
        self.query_one(ContentSwitcher).current = "matrix-cell"
        view.open(cell, title, labels, self.page.colours, kept)
        view.passages.focus()  # the focus change refreshes the footer's keys

    # --- acting on the cell -------------------------------------------------------------

    def _target(self) -> Summary | None:
        """The summary a status change or a draft applies to."""
        if self.in_cell:
            return self.cell_view.stored if self.cell_view.cell else None
        cell = self.grid_cell()
        return cell.summary if cell is not None else None

    def action_back(self) -> None:
        view = self.cell_view
        if view.editor.has_focus:
            view.passages.focus()
            return
        self._leave_cell()

    def unsaved_work(self) -> list[str]:
        cells = set(self.unsaved)
        view = self.cell_view if self.cell_view_built else None
        if view is not None and view.key is not None and view.dirty:
            cells.add(view.key)
        out = [f"the summary of {case} on {theme}" for case, theme in sorted(cells)]
        out += [f"the synthesis of {value} on {theme}" for theme, _, value in self.synth_unsaved]
        return super().unsaved_work() + out

    def draft_items(self) -> list[Draft]:
        kept = dict(self.unsaved)
        view = self.cell_view if self.cell_view_built else None
        if view is not None and view.key is not None and view.dirty:
            kept[view.key] = (view.text, view.base)  # the editor's text is newest
        out = [
            Draft("", ("summary", case, theme), f"the summary of {case} on {theme}", text,
                  {"base": summary_state(base)})
            for (case, theme), (text, base) in sorted(kept.items())
        ]  # fmt: skip
        out += [
            Draft("", ("synthesis", *key), f"the synthesis of {key[2]} on {key[0]}", text)
            for key, text in self.synth_unsaved.items()
        ]
        return super().draft_items() + out

    def restore_draft(self, draft: Draft) -> bool:
        kind, *rest = draft.key
        if kind == "summary" and len(rest) == 2:
            base = summary_from(draft.extra.get("base"), str(rest[0]), str(rest[1]))
            self.unsaved[(str(rest[0]), str(rest[1]))] = (draft.text, base)
            return True
        if kind == "synthesis" and len(rest) == 3:
            self.synth_unsaved[(str(rest[0]), str(rest[1]), str(rest[2]))] = draft.text
            return True
        return super().restore_draft(draft)

    def _keep_unsaved(self) -> None:
        view = self.cell_view
        if view.key is None:
            return
        if view.dirty:
            self.unsaved[view.key] = (view.text, view.base)
            self.notify("Summary not saved: kept for this session (ctrl+s in the cell saves it)")
        else:
            self.unsaved.pop(view.key, None)

    def _leave_cell(self) -> None:
        self._keep_unsaved()
        self.cell_view.cell = None
        self.query_one(ContentSwitcher).current = "matrix-grid-pane"
        self.grid.set_unsaved(self.unsaved)
        self.grid.focus()  # the focus change refreshes the footer's keys

    def action_step(self, step: int) -> None:
        grid = self.grid
        before = grid.row
        grid.move(rows=step, only=CASE)
        if grid.row == before:
            self.notify("No more cases this way", timeout=2)
            return
        self._keep_unsaved()
        self.open_cell()

    def action_edit(self) -> None:
        self.cell_view.editor.focus()

    def action_jump(self) -> None:
        p = self.cell_view.current_passage
        if p is None:
            return
        key = f"q:{p.question}" if p.question is not None else f"src:{p.source}"
        self.qapp.open_reader(ReadRequest(key=key, case=p.case, source=p.source, offset=p.start))

    def action_quote(self) -> None:
        p = self.cell_view.current_passage
        if p is not None:
            self.submit(lambda study: writes.mark_passage(study, p, not p.quote))

    def action_save(self) -> None:
        after_typed(self.app, self._save)

    def _save(self) -> None:
        view = self.cell_view
        if view.key is None:
            return  # the cell was left by a key typed before ctrl+s
        if not view.dirty:
            self.notify("No changes to save", timeout=2)
            return
        base, text = view.base, view.text
        self.submit(
            lambda study: writes.save_summary(study, base, text),
            saved=SummarySaved.shown(False),
            not_saved=SummaryNotSaved(base),
        )

    def action_accept(self) -> None:
        view = self.cell_view
        base, dirty = view.base, view.dirty
        if not dirty and view.stored.status == FINAL:
            self.notify("Already final", timeout=2)
            return
        if not view.text.strip():
            self.notify("Nothing to accept: write a summary or draft one (d) first", timeout=3)
            return
        text = view.text if dirty else None
        self.submit(
            lambda study: writes.accept(study, base, text),
            saved=SummarySaved.shown(True),
            not_saved=SummaryNotSaved(base),
        )

    @on_sheet
    def action_draft(self) -> None:
        target = self._target()
        cell = self.cell_view.cell if self.in_cell else self.grid_cell()
        if target is None or cell is None:
            return
        if not cell.passages:
            self.notify("No coded passages in this cell to draft from", timeout=3)
            return
        if target.status in (FINAL, WRITTEN):  # the researcher's words: never replaced unasked
            if self.in_cell:
                self._propose(target.case, target.theme)
            else:
                self.notify(
                    f"This cell's summary is {target.status} (yours): open it (enter) to redraft",
                    timeout=3,
                )
            return
        base = self.cell_view.base if self.in_cell else target
        self.submit(
            lambda study: writes.draft_cell(study, base),
            saved=SummarySaved.shown(True),
            not_saved=SummaryNotSaved(base),
        )

    @work(thread=True, exit_on_error=False, exclusive=True, group="matrix-proposal")
    def _propose(self, case: str, theme: str) -> None:
        found = drafts.draft_cell(self.study, case, theme)
        self.post_message(DraftProposed(case, theme, found.text))

    @on_sheet
    def action_cycle_status(self) -> None:
        target = self._target()
        cell = self.cell_view.cell if self.in_cell else self.grid_cell()
        if target is None:
            return
        coded = len(cell.passages) if cell is not None else 0
        status = next_status(target.text, target.status, coded=bool(coded))
        if status is None:
            self.notify(
                f"The case spoke to this theme ({counted(coded, 'coded passage')}), so it is not "
                "“not discussed”: write a summary (enter) or draft one (d)",
                timeout=5,
            )
            return
        self.submit(
            lambda study: writes.set_status(study, target, status),
            saved=StatusSaved.of,
            not_saved=SummaryNotSaved(target),
        )

    def action_take_stored(self) -> None:
        self.cell_view.take_stored()
        self.refresh_bindings()  # "r" is offered only while a newer stored text is shown

    def action_history(self) -> None:
        key = self.cell_view.key
        if key is not None:
            self._history(*key)

    @work(thread=True, exit_on_error=False, group="matrix-history")
    def _history(self, case: str, theme: str) -> None:
        versions = summaries.summary_history(self.study, case, theme)
        self.post_message(HistoryLoaded(f"History of {case} · {theme}", versions))

    # --- write results ----------------------------------------------------------------

    def on_status_saved(self, event: StatusSaved) -> None:
        views = self.query(CellView)
        if views and isinstance(event.summary, Summary):
            views.first().rebase_status(event.summary, event.started)

    def on_summary_saved(self, event: SummarySaved) -> None:
        views = self.query(CellView)
        if not views or not isinstance(event.summary, Summary):
            return
        view = views.first()
        had_conflict = view.conflict is not None
        view.saved(event.summary, show_text=event.show_text)
        if had_conflict:
            self.refresh_bindings()

    @on(SummaryNotSaved)
    def _summary_refused(self, event: SummaryNotSaved) -> None:
        base = event.base
        if self.in_cell and self.cell_view.key == (base.case, base.theme):
            self._stored(base.case, base.theme)

    @on(NotSaved)
    def _refused(self, event: NotSaved) -> None:
        """Runs after the handlers of the particular refusals (they are subclasses)."""
        self.reload()  # a refusal means someone else changed the study: show it

    @work(thread=True, exit_on_error=False, group="matrix-stored")
    def _stored(self, case: str, theme: str) -> None:
        self.post_message(StoredLoaded(summaries.get_summary(self.study, case, theme)))

    def on_stored_loaded(self, event: StoredLoaded) -> None:
        self.cell_view.show_stored(event.summary)
        self.refresh_bindings()  # offers "r", take the stored text

    def on_draft_proposed(self, event: DraftProposed) -> None:
        if self.cell_view.key == (event.case, event.theme) and event.text:
            status = self.cell_view.base.status
            note = f"This cell's summary is {status}: the draft is in the editor, not saved. "
            self.cell_view.propose(event.text, note + "ctrl+s saves it; a accepts it as final.")

    def on_history_loaded(self, event: HistoryLoaded) -> None:
        self.app.push_screen(HistoryDialog(event.title, event.versions))


def summary_state(base: Summary) -> dict[str, object]:
    """The summary an unsaved text was typed over, as the journal keeps it: saving it
    later is refused if someone saved the cell since (its version)."""
    return {
        "text": base.text,
        "status": base.status,
        "coder": base.coder,
        "version": base.version,
        "updated": base.updated.isoformat() if base.updated else None,
    }


def summary_from(state: object, case: str, theme: str) -> Summary:
    data = state if isinstance(state, dict) else {}
    updated = data.get("updated")
    return Summary(
        case,
        theme,
        str(data.get("text") or ""),
        str(data.get("status") or EMPTY),
        data.get("coder") if isinstance(data.get("coder"), str) else None,
        int(data.get("version") or 0),
        datetime.fromisoformat(updated) if isinstance(updated, str) else None,
    )
