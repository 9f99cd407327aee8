"""The speakers of a case's transcripts, or of the whole study, and their roles.

Opened from Cases (``S``). ``r`` gives the speaker under the cursor another role: in
that transcript when one case is shown, in every transcript when the whole study is.
The change goes through the app's write queue, so ``ctrl+z`` takes it back; segments
and codings stay as they are (see :mod:`qualcode.services.speakers`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from qualcode.domain.documents import INTERVIEWER, OTHER, RESPONDENT
from qualcode.domain.wording import counted, plural
from qualcode.services import speakers
from qualcode.services.study import Study
from qualcode.tui.shared.changes import Outcome, logged
from qualcode.tui.shared.picker import Picker, PickItem
from qualcode.tui.shared.workspace import Workspace

ROLE_CHOICES = (
    PickItem(INTERVIEWER, "asks the questions; not coded, not counted"),
    PickItem(RESPONDENT, "the participant; coded and counted"),
    PickItem(OTHER, "context nobody in the study said: prompts, a topic guide"),
)


@dataclass(frozen=True)
class Row:
    """One line of the table: ``source`` is None on the whole-study view."""

    speaker: str
    role: str
    source: str | None
    sources: int
    turns: int
    words: int


@dataclass
class SpeakersLoaded(Message):
    rows: tuple[Row, ...]
    case: str | None  # None: the whole study
    version: int


def load_rows(study: Study, case: str | None) -> tuple[Row, ...]:
    if case is not None:
        found = speakers.list_speakers(study, case=case)
        return tuple(Row(x.speaker, x.role, x.source, 1, x.turns, x.words) for x in found)
    totals = speakers.speaker_totals(speakers.list_speakers(study))
    return tuple(Row(t.speaker, t.role, None, t.sources, t.turns, t.words) for t in totals)


def change_role(study: Study, row: Row, role: str) -> Outcome:
    """Runs in the write queue, inside one action: one undo takes it all back."""
    changed = speakers.set_role(study, row.speaker, role, row.source)
    where = f" in {row.source}" if row.source else " in every transcript"
    if not changed:
        return Outcome(f"{row.speaker} was already {role}{where}")
    entry = logged(study, f"{row.speaker} as {role}{where}")
    said = f"{row.speaker} is now {role}{where}: {counted(changed, 'segment')}, codings kept"
    return Outcome(said, entry)


class SpeakersScreen(Workspace):
    AUTO_FOCUS = "#speakers-table"
    BINDINGS = [
        Binding("r", "change_role", "Change role", id="speakers.role"),
        Binding("a", "toggle_scope", "This case / whole study", id="speakers.scope"),
        Binding("escape,q", "back", "Back to cases", id="speakers.back"),
    ]

    def __init__(self, case: str | None) -> None:
        super().__init__()
        self.case = case  # the case opened from; None: it had none
        self.whole_study = case is None
        self.rows: tuple[Row, ...] = ()
        self.shown_version = -2

    @property
    def scope(self) -> str | None:
        return None if self.whole_study else self.case

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading speakers…", id="speakers-title")
        yield DataTable(id="speakers-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            "r change the role · a this case / whole study · ctrl+z undo · escape back",
            id="speakers-hint",
        )
        yield Footer()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("#speakers-table", DataTable)

    def on_mount(self) -> None:
        self.reload()

    @property
    def busy(self) -> bool:
        """True until the newest load is shown (tests wait for it)."""
        return self.shown_version != self.loaded_version

    def reload(self) -> None:
        super().reload()
        self.shown_version = -2
        self._load(self.loaded_version, self.scope)

    @work(thread=True, exit_on_error=False, exclusive=True, group="speakers-load")
    def _load(self, version: int, case: str | None) -> None:
        self.post_message(SpeakersLoaded(load_rows(self.study, case), case, version))

    def on_speakers_loaded(self, event: SpeakersLoaded) -> None:
        if event.version != self.loaded_version or event.case != self.scope:
            return  # an older load, or the other view's
        self.rows = event.rows
        self.shown_version = event.version
        self._fill()

    def _fill(self) -> None:
        table = self.table
        keep = table.cursor_row
        table.clear(columns=True)
        first = (
            ("speaker", "role", "sources") if self.whole_study else ("source", "speaker", "role")
        )
        for name in (*first, "turns", "words"):
            table.add_column(name, key=name)
        for n, row in enumerate(self.rows):
            lead = (
                (row.speaker, row.role, str(row.sources))
                if self.whole_study
                else (row.source or "", row.speaker, row.role)
            )
            table.add_row(*lead, str(row.turns), str(row.words), key=str(n))
        if self.rows:
            table.move_cursor(row=min(max(keep, 0), len(self.rows) - 1))
        where = "the whole study" if self.whole_study else f"case {self.case}"
        if not self.rows:
            said = f"No transcript speakers in {where}"
        else:
            sources = len({r.source for r in self.rows}) if not self.whole_study else None
            count = f" ({counted(sources, 'transcript')})" if sources else ""
            n = len(self.rows)
            said = (
                f"Speakers of {where}{count} · {counted(n, 'speaker')} "
                f"with {plural(n, 'its role', 'their roles')}"
            )
        self.query_one("#speakers-title", Static).update(said)

    def current(self) -> Row | None:
        row = self.table.cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.row_count else None

    def action_change_role(self) -> None:
        row = self.current()
        if row is None:
            return
        where = f"in {row.source}" if row.source else "in every transcript"
        others = [x for x in ROLE_CHOICES if x.key != row.role]
        now = [replace(x, detail="(its role now)") for x in ROLE_CHOICES if x.key == row.role]

        def chosen(role: str | None) -> None:
            if role is not None:
                self.submit(lambda study: change_role(study, row, role))

        self.app.push_screen(Picker(f"Role of {row.speaker} {where}", others + now), chosen)

    def action_toggle_scope(self) -> None:
        if self.case is None:
            self.notify("Opened with no case: showing the whole study", timeout=3)
            return
        self.whole_study = not self.whole_study
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
