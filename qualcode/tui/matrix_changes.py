"""The Matrix workspace's writes: summaries, drafts, statuses, syntheses and quote marks.

Each runs in the app's ordered write queue (a thread worker) through the services and
returns an :class:`Outcome`; summary edits and quote marks are undoable. Every summary
edit carries the version it started from, so a cell someone else changed meanwhile is
refused with a ConflictError (shown in the error dialog) instead of overwritten.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.domain.matrix import DRAFTED, FINAL, Passage, Summary
from qualcode.errors import ConflictError
from qualcode.services import codings, drafts, matrix, quotes, summaries
from qualcode.services.study import Study
from qualcode.tui.changes import Change, Outcome


@dataclass
class SummaryEdit(Change):
    """A cell's summary (text and status) from ``before`` to ``after``; ``version`` is
    the stored version after the latest do, undo or redo, so undo is refused when
    someone else changed the cell since."""

    case: str
    theme: str
    before: tuple[str, str]
    after: tuple[str, str]
    version: int
    label: str = "summary"

    def _set(self, study: Study, value: tuple[str, str]) -> None:
        text, status = value
        saved = summaries.set_summary(
            study, self.case, self.theme, text, status, expected_version=self.version
        )
        self.version = saved.version

    def undo(self, study: Study) -> None:
        self._set(study, self.before)

    def redo(self, study: Study) -> None:
        self._set(study, self.after)


@dataclass
class Several(Change):
    """Changes done together and undone together (last first)."""

    entries: list[Change]
    label: str = "changes"

    def undo(self, study: Study) -> None:
        for entry in reversed(self.entries):
            entry.undo(study)

    def redo(self, study: Study) -> None:
        for entry in self.entries:
            entry.redo(study)


@dataclass
class QuoteMarks(Change):
    coding_ids: list[int]
    marked: bool
    label: str = "mark quote"

    def undo(self, study: Study) -> None:
        quotes.mark_quotes(study, self.coding_ids, not self.marked)

    def redo(self, study: Study) -> None:
        quotes.mark_quotes(study, self.coding_ids, self.marked)


def _edited(base: Summary, saved: Summary, label: str) -> SummaryEdit | None:
    if saved.version == base.version:
        return None  # nothing changed
    return SummaryEdit(
        base.case,
        base.theme,
        (base.text, base.status),
        (saved.text, saved.status),
        saved.version,
        label=f"{label} {base.case} {base.theme}",
    )


def save_summary(study: Study, base: Summary, text: str, status: str | None = None) -> Outcome:
    """Save ``text`` over the version ``base`` was read at (``status`` None: the
    service's rule - new text becomes drafted, a drafted or final cell keeps its
    status)."""
    saved = summaries.set_summary(
        study, base.case, base.theme, text, status, expected_version=base.version
    )
    entry = _edited(base, saved, "summary")
    return Outcome("" if entry else "No change to save", entry, {"summary": saved})


def set_status(study: Study, base: Summary, status: str) -> Outcome:
    saved = summaries.set_summary(
        study, base.case, base.theme, None, status, expected_version=base.version
    )
    entry = _edited(base, saved, f"status {status}")
    data = {"summary": saved, "started": base.version}
    return Outcome("", entry, data)  # the glyph in the grid or the cell's state line shows it


def accept(study: Study, base: Summary, text: str | None) -> Outcome:
    """Make the cell final: its stored draft, or ``text`` when the editor holds
    changes (saved and accepted in one go)."""
    if text is None:
        saved = summaries.accept_summary(study, base.case, base.theme, base.version)
    else:
        saved = summaries.set_summary(
            study, base.case, base.theme, text, FINAL, expected_version=base.version
        )
    entry = _edited(base, saved, "accept")
    return Outcome("", entry, {"summary": saved})


def draft_cell(study: Study, base: Summary) -> Outcome:
    """Propose an extractive draft and store it as drafted (never final)."""
    proposal = drafts.draft_cell(study, base.case, base.theme)
    if not proposal.text:
        return Outcome("Nothing to draft from: the cell has no coded passages", None)
    saved = summaries.set_summary(
        study, base.case, base.theme, proposal.text, DRAFTED, expected_version=base.version
    )
    entry = _edited(base, saved, "draft")
    return Outcome("", entry, {"summary": saved})


def draft_sheet(study: Study, top: str, by: Sequence[str]) -> Outcome:
    """Drafts for every empty cell with passages on the sheet, stored as drafted (final
    cells untouched); one undo takes them all back."""
    sheet = matrix.sheet(study, top=top, by=by)
    entries: list[Change] = []
    skipped = 0
    for proposal in drafts.propose(sheet):
        try:
            saved = summaries.set_summary(
                study,
                proposal.case,
                proposal.theme,
                proposal.text,
                DRAFTED,
                expected_version=proposal.version,
            )
        except ConflictError:  # changed since the sheet was read: leave it alone
            skipped += 1
            continue
        base = Summary(proposal.case, proposal.theme, version=proposal.version)
        entry = _edited(base, saved, "draft")
        if entry is not None:
            entries.append(entry)
    if not entries and not skipped:
        return Outcome("No empty cells with passages to draft on this sheet", None)
    said = f"Drafted {len(entries)} cell{'s' if len(entries) != 1 else ''}"
    if skipped:
        said += f"; {skipped} skipped (changed meanwhile)"
    label = f"draft {len(entries)} cells of sheet {top}"
    return Outcome(said, Several(entries, label) if entries else None, {"saved": len(entries)})


def save_synthesis(
    study: Study, theme: str, attribute: str, value: str, text: str, version: int
) -> Outcome:
    saved = summaries.set_synthesis(study, theme, attribute, value, text, expected_version=version)
    return Outcome(f"Saved the synthesis of {value} on {theme}", None, {"synthesis": saved})


def mark_passage(study: Study, passage: Passage, marked: bool) -> Outcome:
    """Mark (or unmark) a passage as a quote: every coding of that exact span and
    theme, so that a double-coded passage changes as one."""
    same = [
        c.id
        for c in codings.list_codings(study, source=passage.source, theme=passage.theme)
        if (c.start, c.end) == (passage.start, passage.end)
    ] or [passage.coding]
    quotes.mark_quotes(study, same, marked)
    entry = QuoteMarks(same, marked, label=f"{'mark' if marked else 'unmark'} quote {passage.ref}")
    return Outcome("", entry, {"coding": passage.coding, "marked": marked})
