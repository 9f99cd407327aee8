"""The coding workbench: an App that routes between workspaces (Textual modes), runs
every write in order in thread workers, keeps the undo history and shows failures.

``make_app(study, **options)`` is shared by the CLI (``run_app``) and the tests.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from qualcode.config import Settings, load_settings
from qualcode.domain.wording import counted, first_few
from qualcode.errors import ConflictError, NotFoundError, QualcodeError
from qualcode.services import coders, study_settings
from qualcode.services.study import Study, read_only, study_info
from qualcode.tui.shared import journal
from qualcode.tui.shared.changes import Change, Outcome
from qualcode.tui.shared.commands import WorkbenchCommands
from qualcode.tui.shared.dialogs import (
    ConfirmDialog,
    ErrorDialog,
    MemoDialog,
    ThemeNotesDialog,
    notes_draft,
)
from qualcode.tui.shared.failures import describe_failure
from qualcode.tui.shared.keyorder import after_typed
from qualcode.tui.shared.messages import (
    ReadRequest,
    StudyChanged,
    WriteDone,
    WriteFailed,
    WriteJob,
)
from qualcode.tui.shared.undo import History
from qualcode.tui.shared.workspace import Workspace
from qualcode.tui.workspaces import REGISTERED, Registration, workspace_bindings

UNSAVED = "Unsaved work"
JOURNAL_EVERY = 3.0  # seconds between looks at what is unsaved (shared/journal.py)


@dataclass
class TitleLoaded(Message):
    """The study's title, shown under the app's."""

    title: str
    lookalike: str | None = None  # a coder whose name differs from ours only in case
    read_only: bool = False  # the study file cannot be written


# mode -> screen, in the order Help lists them (see qualcode.tui.workspaces)
WORKSPACES: dict[str, type[Workspace]] = {entry.mode: entry.screen for entry in REGISTERED}


class QualcodeApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "qualcode"
    MODES = dict(WORKSPACES)
    REGISTERED: tuple[Registration, ...] = REGISTERED  # what Help lists
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [
        *workspace_bindings(),  # F1 Help, F2 Cases, ... one per registration
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        Binding("ctrl+y", "redo", "Redo", id="app.redo"),
        Binding("f6", "study_memo", "Study memo", id="app.study_memo"),
        Binding("ctrl+l", "refresh_study", "Refresh", id="app.refresh", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        study: Study,
        *,
        start: str = "cases",
        keymap: Mapping[str, str] | None = None,
        undo_limit: int = 200,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.study = study
        self.settings = settings or Settings()  # read once, at start (make_app)
        self.start = start
        self.keymap_setting = dict(keymap or {})
        self.history: History[Change] = History(undo_limit)
        self.data_version = 0
        self.read_request: ReadRequest | None = None
        remembered = study_settings.coder_preferences(study, study.coder)
        # keys 1-9, as this coder last had them (a key keeps its theme between sessions)
        self.shortcuts: list[str] = remembered.shortcuts
        self.last_theme: str | None = None
        # Read & code and Cases: this coder only (C); as this coder last chose it
        self.coder_filter: str | None = remembered.coder_filter
        self.previous_mode = start
        self._jobs: deque[WriteJob] = deque()
        self._current_job: WriteJob | None = None
        self._after_writes: list[Callable[[], None]] = []

    def on_mount(self) -> None:
        if self.keymap_setting:
            self.set_keymap(self.keymap_setting)
        self._recover_drafts()  # before the first workspace mounts and takes its own
        self.switch_mode(self.start)
        self._load_title()
        self.set_interval(JOURNAL_EVERY, self.write_journal)

    # --- drafts kept on disk until saved (shared/journal.py) ------------------------------

    def _recover_drafts(self) -> None:
        self.journal = journal.journal_path(self.study.url, self.study.coder)
        self._journaled: list[journal.Draft] = []
        self.recovered: list[journal.Draft] = []
        # the files of sessions that ended unsaved: gone once this one's file holds
        # their drafts (or the user quits saying to lose them)
        self._left_behind = journal.left_behind(self.study.url, self.study.coder)
        if self.journal is None:
            return
        drafts: list[journal.Draft] = []
        times = []
        for path in self._left_behind:
            when, found = journal.load(path)
            drafts.extend(d for d in found if d not in drafts)
            if when is not None:
                times.append(when)
        if not drafts:
            return
        self.recovered = drafts
        when = max(times) if times else None
        at = when.astimezone().strftime("%d %b %H:%M") if when else "an earlier session"
        listed = first_few([d.label for d in drafts], 4, "; ", say_rest=True)
        self.notify(
            f"{counted(len(drafts), 'draft')} not saved when the session of {at} ended "
            f"(a dropped connection?): {listed}. Each is back where it was typed, still "
            "unsaved: open it and ctrl+s saves it.",
            title="Unsaved work recovered",
            severity="warning",
            timeout=30,
        )

    def recovered_for(self, screen: Workspace) -> list[journal.Draft]:
        """The recovered drafts of the workspace ``screen`` is (taken: it keeps them)."""
        mode = next((m for m, stack in self._stacks() if stack[:1] == [screen]), None)
        mine = [d for d in self.recovered if d.mode == mode]
        self.recovered = [d for d in self.recovered if d.mode != mode]
        return mine

    def unsaved_drafts(self) -> list[journal.Draft]:
        """Every text typed and not saved, in every workspace and open editor."""
        out: list[journal.Draft] = []
        for mode, stack in self._stacks():
            for screen in stack:
                if isinstance(screen, Workspace):
                    out.extend(replace(d, mode=mode) for d in screen.draft_items())
                elif isinstance(screen, MemoDialog) and screen.dirty and screen.journal:
                    key, label = screen.journal
                    out = [d for d in out if d.key != key]  # the editor's text is newer
                    out.append(journal.Draft(mode, key, label, screen.typed))
                elif isinstance(screen, ThemeNotesDialog) and screen.dirty:
                    key = ("notes", screen.theme_id)
                    out = [d for d in out if d.key != key]
                    out.append(notes_draft(mode, screen.theme_id, screen.typed))
        return out + self.recovered  # those of a workspace not opened yet

    def _stacks(self) -> Iterable[tuple[str, list[Screen[Any]]]]:
        """Each workspace opened so far, with the screens over it."""
        for mode in WORKSPACES:
            try:
                yield mode, list(self.get_screen_stack(mode))
            except KeyError:  # never opened
                continue

    def write_journal(self) -> None:
        """Keep the unsaved drafts on disk (only when they changed)."""
        if self.journal is None:
            return
        drafts = self.unsaved_drafts()
        if drafts != self._journaled or self._left_behind:
            try:
                journal.save(self.journal, drafts)
            except OSError as exc:  # said once; the session goes on as before
                self.journal = None
                self.notify(f"Unsaved drafts cannot be kept on disk: {exc}", severity="warning")
                return
            self._journaled = drafts
            self._forget_left_behind()  # their drafts are in this session's file now

    def _forget_left_behind(self) -> None:
        for path in self._left_behind:
            journal.clear(path)
        self._left_behind = []

    def choose_coder_filter(self, shown: str | None) -> None:
        """Show ``shown``'s codings only (None: every coder's), from now and in the
        sessions to come."""
        if shown != self.coder_filter:
            self.coder_filter = shown
            self._remember_coder_filter(shown)

    def set_shortcuts(self, keys: list[str]) -> None:
        """Keys 1-9 from now on, and in the sessions to come."""
        if keys != self.shortcuts:
            self.shortcuts = keys
            self._remember_shortcuts(list(keys))

    @work(thread=True, exit_on_error=False, group="shortcuts")
    def _remember_shortcuts(self, keys: list[str]) -> None:
        with contextlib.suppress(QualcodeError):  # a view's setting, as the filter
            study_settings.remember_shortcuts(self.study, self.study.coder, keys)

    @work(thread=True, exit_on_error=False, group="coder-filter")
    def _remember_coder_filter(self, shown: str | None) -> None:
        # a view's setting: not worth an error (a read-only study says so when it opens)
        with contextlib.suppress(QualcodeError):
            study_settings.remember_coder_filter(self.study, self.study.coder, shown)

    @work(thread=True, exit_on_error=False, group="title")
    def _load_title(self) -> None:
        self.post_message(
            TitleLoaded(
                study_info(self.study).title,
                coders.lookalike(self.study),
                read_only(self.study),
            )
        )

    def on_title_loaded(self, event: TitleLoaded) -> None:
        self.sub_title = event.title
        if event.read_only:  # said before a day of coding that could not be saved
            self.notify(
                "This study file (or its folder) is read-only: you can read it, but "
                "nothing you code or write will be saved. Quit and copy it somewhere you "
                "can write to.",
                title="Read-only study",
                severity="error",
                timeout=30,
            )
        if event.lookalike is not None:
            self.notify(
                f"You are {self.study.coder!r}, new to this study, and {event.lookalike!r} "
                "has worked on it: names count exactly as typed (quit and open with "
                f"--coder {event.lookalike!r} to work as them)",
                severity="warning",
                timeout=12,
            )

    # --- routing ----------------------------------------------------------------------

    def action_workspace(self, mode: str) -> None:
        if self.current_mode != "help":
            self.previous_mode = self.current_mode
        self.switch_mode(mode)

    def action_show_help(self) -> None:
        if self.current_mode == "help":
            self.action_workspace(self.previous_mode)
        else:
            self.action_workspace("help")

    def open_reader(self, request: ReadRequest) -> None:
        self.read_request = request
        if self.current_mode != "read":
            self.action_workspace("read")
        # a reader that is already loaded takes the request on a reload, even when
        # nothing changed since it was last shown
        self.screen.post_message(StudyChanged())

    def workspace(self) -> Workspace | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, Workspace):
                return screen
        return None

    def action_study_memo(self) -> None:
        target = self.workspace()
        if target is not None:
            target.edit_memo("study", None, "Study memo")

    def action_refresh_study(self) -> None:
        """Reload the workspace on screen from the study, to show what others changed
        meanwhile (in another process); every other workspace reloads when next shown."""
        self.data_version += 1
        target = self.workspace()
        if target is not None:
            target.reload()
        self.notify("Reloaded from the study", timeout=2)

    # --- writes, undo and redo --------------------------------------------------------

    @property
    def writing(self) -> bool:
        return self._current_job is not None or bool(self._jobs)

    def after_writes(self, action: Callable[[], None]) -> None:
        """Run ``action`` once every change submitted so far is stored (now, if none is
        on its way): a read that must see them, as `w` must see the coding just typed."""
        if self.writing:
            self._after_writes.append(action)
        else:
            action()

    def submit(self, job: WriteJob) -> None:
        self._jobs.append(job)
        if self._current_job is None:
            self._next_job()

    def _next_job(self) -> None:
        if not self._jobs:
            self._current_job = None
            waiting, self._after_writes = self._after_writes, []
            for action in waiting:
                action()
            return
        self._current_job = self._jobs.popleft()
        self._write(self._current_job)

    @work(thread=True, exit_on_error=False, group="write")
    def _write(self, job: WriteJob) -> None:
        try:
            with self.study.action():  # one batch in the audit trail: what undo reverts
                outcome = job.run(self.study)
        except Exception as exc:  # every failure goes to the one error dialog
            self.post_message(WriteFailed(job, exc))
            return
        self.post_message(WriteDone(job, outcome))

    def on_write_done(self, event: WriteDone) -> None:
        job, outcome = event.job, event.outcome
        if job.kind == "do" and outcome.change is not None:
            self.history.record(outcome.change)
        elif job.kind == "undo" and job.entry is not None:
            self.history.undone(job.entry)
        elif job.kind == "redo" and job.entry is not None:
            self.history.redone(job.entry)
        self.data_version += 1
        if outcome.message:
            self.notify(outcome.message, timeout=3)
        if job.target is not None and job.saved is not None:
            job.target.post_message(job.saved(outcome))
        current = self.workspace()
        if current is not None:
            current.post_message(StudyChanged())
        self._next_job()

    def on_write_failed(self, event: WriteFailed) -> None:
        job = event.job
        if job.entry is not None and isinstance(event.error, ConflictError):
            # the study moved on (someone changed what this would revert): it can
            # never succeed, so it leaves the history instead of blocking older entries
            self.notify(f"Taken off the {job.kind} list: {job.entry.label}", timeout=5)
        elif job.kind == "undo" and job.entry is not None:
            self.history.undo_failed(job.entry)
        elif job.kind == "redo" and job.entry is not None:
            self.history.redo_failed(job.entry)
        if job.target is not None and job.not_saved is not None:
            job.target.post_message(job.not_saved)
        current = self.workspace()
        if isinstance(event.error, (ConflictError, NotFoundError)) and current is not None:
            # someone else changed the study (settled this, deleted that coding): what
            # is shown is stale, so it is read again rather than waiting for ctrl+l
            current.post_message(StudyChanged())
        self.report_failure(event.error)
        self._next_job()

    def action_undo(self) -> None:
        if self.writing:  # undo what is being saved, not the change before it
            self._after_writes.append(self.action_undo)
            return
        entry = self.history.take_undo()
        if entry is None:
            # the list is this session's; earlier work is in the log, undoable there
            self.notify(
                "Nothing to undo in this session (`qualcode log` lists earlier work and "
                "`qualcode undo BATCH` takes it back)",
                timeout=4,
            )
            return

        def run(study: Study) -> Outcome:
            entry.undo(study)
            return Outcome(f"Undid: {entry.label}")

        self.submit(WriteJob(run, kind="undo", entry=entry))

    def action_redo(self) -> None:
        if self.writing:
            self._after_writes.append(self.action_redo)
            return
        entry = self.history.take_redo()
        if entry is None:
            self.notify("Nothing to redo", timeout=2)
            return

        def run(study: Study) -> Outcome:
            entry.redo(study)
            return Outcome(f"Redid: {entry.label}")

        self.submit(WriteJob(run, kind="redo", entry=entry))

    # --- quitting without losing work ------------------------------------------------

    async def action_quit(self) -> None:
        after_typed(self, self._quit)

    def _quit(self) -> None:
        if self.writing:  # let queued changes reach the study first
            self.notify("Saving your last changes, then quitting…", timeout=3)
            self._after_writes.append(self._quit_later)
            return
        unsaved = self.unsaved_work()
        asking = isinstance(self.screen, ConfirmDialog) and self.screen.title_text == UNSAVED
        if not unsaved or asking:  # ctrl+q again on the question: quit
            self._quit_dropping_drafts()
            return
        listed = first_few(unsaved, 5, "; ", say_rest=True)

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self._quit_dropping_drafts()

        self.push_screen(
            ConfirmDialog(
                UNSAVED,
                f"Not saved yet: {listed}. Quit and lose it? "
                "(n goes back; ctrl+s in its editor saves it)",
                "Quit",
            ),
            answered,
        )

    def _quit_later(self) -> None:
        self.call_later(self._quit)

    def _quit_dropping_drafts(self) -> None:
        """Quit as the user said: what was unsaved is dropped, and not recovered next
        time (only an ending nobody chose keeps the drafts)."""
        if self.journal is not None:
            journal.clear(self.journal)
            self.journal = None
        self._forget_left_behind()
        self.exit()

    def unsaved_work(self) -> list[str]:
        out: list[str] = []
        for mode in WORKSPACES:
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:  # never opened
                continue
            for screen in stack:
                if isinstance(screen, Workspace):
                    out.extend(screen.unsaved_work())
                elif isinstance(screen, MemoDialog) and screen.dirty:
                    out.append(f"{screen.title_text} (open in its editor)")
                elif isinstance(screen, ThemeNotesDialog) and screen.dirty:
                    out.append(f"theme {screen.theme_id}'s notes (open in their editor)")
        return out + [f"{d.label} (recovered)" for d in self.recovered]

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # no "Screenshot": an SVG of a transcript or of the Anonymise list would put
        # participants' words and names in a file outside the study
        for command in super().get_system_commands(screen):
            if command.title == "Theme":  # Textual's word; here a theme is a code
                yield SystemCommand(
                    "Colour scheme",
                    "Change the workbench's colours (not a theme of the framework)",
                    self.search_colour_schemes,
                )
            elif command.title != "Screenshot":
                yield command

    def search_colour_schemes(self) -> None:
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(
            CommandPalette(providers=[ThemeProvider], placeholder="Search for colour schemes…")
        )

    # --- failures ---------------------------------------------------------------------

    def report_failure(self, error: BaseException) -> None:
        """The one place that turns a failure into an error dialog."""
        title, message, details = describe_failure(error)
        self.log.error(f"{title}: {message}")
        self.push_screen(ErrorDialog(title, message, details))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_failure(event.worker.error)


def make_app(
    study: Study,
    *,
    start: str = "cases",
    keymap: Mapping[str, str] | None = None,
    undo_limit: int = 200,
) -> QualcodeApp:
    """The workbench on an open study; ``keymap`` defaults to the user's settings."""
    settings = load_settings()
    if keymap is None:
        keymap = settings.keymap
    return QualcodeApp(study, start=start, keymap=keymap, undo_limit=undo_limit, settings=settings)


def run_app(study: Study) -> None:
    make_app(study).run()
