"""The base of every workspace screen: loading off the UI thread, reloading after a
change, sending writes through the app's ordered queue, and memos."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on, work
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from qualcode.services import memos
from qualcode.services.study import Study
from qualcode.tui.shared.changes import Outcome, logged
from qualcode.tui.shared.dialogs import MemoDialog
from qualcode.tui.shared.journal import Draft
from qualcode.tui.shared.messages import NotSaved, Saved, StudyChanged, WriteJob

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp


@dataclass
class MemoLoaded(Message):
    """A memo's stored text, to open in the memo editor."""

    kind: str
    target: str | None
    title: str
    text: str
    others: str = ""  # colleagues' memos on the same target, shown above the editor


@dataclass
class MemoSaved(Saved):
    """A memo is stored (``kept`` False: it was emptied, so deleted)."""

    kind: str
    target: str | None
    kept: bool


@dataclass
class MemoNotSaved(NotSaved):
    """A memo could not be stored: its text is kept to edit again."""

    kind: str
    target: str | None
    text: str


class Workspace(Screen[None]):
    """A top-level workspace (a Textual mode)."""

    # (title, screen) of views that a key here opens: Help lists their keys too
    VIEWS: ClassVar[tuple[tuple[str, type[Screen[None]]], ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.loaded_version = -1
        self.drafts: dict[tuple[str, str | None], str] = {}

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    @property
    def study(self) -> Study:
        return self.qapp.study

    # --- loading ----------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        if self.loaded_version < self.qapp.data_version:
            self.reload()

    def reload(self) -> None:
        """Start the read workers that fill this workspace (override)."""
        self.loaded_version = self.qapp.data_version

    @on(StudyChanged)
    def _study_changed(self, event: StudyChanged) -> None:
        self.reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.qapp.report_failure(event.worker.error)

    # --- writing ----------------------------------------------------------------------

    def submit(
        self,
        run: Callable[[Study], Outcome],
        *,
        saved: Callable[[Outcome], Saved] = Saved,
        not_saved: NotSaved | None = None,
    ) -> None:
        """Queue a change; ``saved(outcome)`` comes back to this screen once it is
        stored, ``not_saved`` (if given) when it fails."""
        self.qapp.submit(WriteJob(run, self, saved, not_saved))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self.after_saved(event)

    def unsaved_work(self) -> list[str]:
        """What the user typed here that is not stored yet, one line each (asked about
        before the app quits). Memo texts kept unsaved (a failed save, or an editor
        closed with escape) count; screens with editors of their own add theirs."""
        return [memo_label(kind, target) for kind, target in self.drafts]

    def draft_items(self) -> list[Draft]:
        """What is typed here and not saved, for the journal that outlives a crash
        (shared/journal.py); screens with editors of their own add theirs. The mode is
        filled in by the app."""
        return [
            Draft("", ("memo", kind, target), memo_label(kind, target), text)
            for (kind, target), text in self.drafts.items()
        ]

    def restore_draft(self, draft: Draft) -> bool:
        """Put a draft from a session that ended unsaved back where it was typed
        (override for other kinds); False: not one of this screen's."""
        if draft.key[0] == "memo" and len(draft.key) == 3:
            self.drafts[(str(draft.key[1]), draft.key[2])] = draft.text
            return True
        return False

    @on(events.Mount)
    def _take_recovered(self) -> None:
        for draft in self.qapp.recovered_for(self):
            self.restore_draft(draft)

    def after_saved(self, event: Saved) -> None:
        """Any write this screen asked for is stored (override). Not named ``on_saved``:
        Textual would call that by name as well, running every override twice."""

    @on(MemoSaved)
    def _memo_saved(self, event: MemoSaved) -> None:
        self.drafts.pop((event.kind, event.target), None)

    @on(MemoNotSaved)
    def _memo_not_saved(self, event: MemoNotSaved) -> None:
        self.drafts[(event.kind, event.target)] = event.text  # nothing typed is lost

    # --- memos ------------------------------------------------------------------------

    def edit_memo(self, kind: str, target: str | None, title: str) -> None:
        self._load_memo(kind, target, title)

    @work(thread=True, exit_on_error=False, group="memo")
    def _load_memo(self, kind: str, target: str | None, title: str) -> None:
        # memos are each coder's own: a colleague's on this target is shown, read-only,
        # or a "has a memo" mark opened onto an empty editor, as if the memo were lost
        every = memos.list_memos(self.study, kind, target)
        text = next((m.text for m in every if m.coder == self.study.coder), "")
        others = "\n".join(
            f"{m.coder}'s memo: {gist(m.text)}" for m in every if m.coder != self.study.coder
        )
        self.post_message(MemoLoaded(kind, target, title, text, others))

    def on_memo_loaded(self, event: MemoLoaded) -> None:
        event.stop()
        self._open_memo(event.kind, event.target, event.title, event.text, event.others)

    def _open_memo(
        self, kind: str, target: str | None, title: str, stored: str, others: str = ""
    ) -> None:
        """The memo's editor, on its unsaved text if there is some (a failed save, or
        closed with escape), else on ``stored``; ``others``: colleagues' memos."""
        key = (kind, target)

        def done(result: str | None) -> None:
            if result is None:
                return

            def run(study: Study) -> Outcome:
                # one action, so that ctrl+z takes it back as `qualcode undo` does
                with study.action():
                    memo = memos.set_memo(study, kind, target, result, expected=stored)
                    said = "memo saved" if memo else "memo deleted"
                    entry = logged(
                        study, f"{'save' if memo else 'delete'} {memo_label(kind, target)}"
                    )
                return Outcome(said, entry, data={"saved": bool(memo)})

            def stored_now(outcome: Outcome) -> MemoSaved:
                return MemoSaved(outcome, kind, target, bool(outcome.data["saved"]))

            self.submit(run, saved=stored_now, not_saved=MemoNotSaved(kind, target, result))

        def kept(text: str | None) -> None:
            if text is None:
                self.drafts.pop(key, None)
            else:
                self.drafts[key] = text

        text = self.drafts.get(key, stored)
        subtitle = f"{others}\n(yours below)" if others else ""
        if key in self.drafts and stored and text != stored:
            # kept after a refusal or an escape: what is stored now is shown, as ctrl+s
            # replaces it
            subtitle = "\n".join(
                x for x in (subtitle, f"Stored now (ctrl+s replaces it): {gist(stored)}") if x
            )
        dialog = MemoDialog(
            title, text, subtitle, stored=stored, kept=kept,
            journal=(("memo", kind, target), memo_label(kind, target)),
        )  # fmt: skip
        self.app.push_screen(dialog, done)


def memo_label(kind: str, target: str | None) -> str:
    return f"a {kind} memo" + (f" on {target}" if target else "")


def gist(text: str, most: int = 300) -> str:
    """A colleague's text on one line, cut to fit above an editor."""
    said = " ".join(text.split())
    return said if len(said) <= most else said[: most - 1] + "…"
