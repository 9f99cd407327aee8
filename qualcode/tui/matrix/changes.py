"""The Matrix workspace's writes: summaries, drafts, statuses, syntheses and quote marks.

Each runs in the app's ordered write queue (a thread worker) through the services and
returns an :class:`Outcome`; summary edits and quote marks are undoable (from the
audit trail, see :mod:`qualcode.tui.shared.changes`). Every summary
edit carries the version it started from, so a cell someone else changed meanwhile is
refused with a ConflictError (shown in the error dialog) instead of overwritten.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.domain.matrix import DRAFTED, FINAL, Passage, Summary
from qualcode.domain.wording import counted
from qualcode.errors import ConflictError
from qualcode.services import codings, drafts, matrix, quotes, summaries
from qualcode.services.study import Study
from qualcode.tui.shared.changes import Change, Outcome, logged, one_action


def _edited(study: Study, base: Summary, saved: Summary, label: str) -> Change | None:
    if saved.version == base.version:
        return None  # nothing changed
    return logged(study, f"{label} {base.case} {base.theme}")


@one_action
def save_summary(study: Study, base: Summary, text: str, status: str | None = None) -> Outcome:
    """Save ``text`` over the version ``base`` was read at (``status`` None: the
    service's rule - new text becomes written, a final cell stays final)."""
    saved = summaries.set_summary(
        study, base.case, base.theme, text, status, expected_version=base.version
    )
    entry = _edited(study, base, saved, "summary")
    return Outcome("" if entry else "No change to save", entry, {"summary": saved})


@one_action
def set_status(study: Study, base: Summary, status: str) -> Outcome:
    saved = summaries.set_summary(
        study, base.case, base.theme, None, status, expected_version=base.version
    )
    entry = _edited(study, base, saved, f"status {status}")
    data = {"summary": saved, "started": base.version}
    return Outcome("", entry, data)  # the glyph in the grid or the cell's state line shows it


@one_action
def accept(study: Study, base: Summary, text: str | None) -> Outcome:
    """Make the cell final: its stored draft, or ``text`` when the editor holds
    changes (saved and accepted in one go)."""
    if text is None:
        saved = summaries.accept_summary(study, base.case, base.theme, base.version)
    else:
        saved = summaries.set_summary(
            study, base.case, base.theme, text, FINAL, expected_version=base.version
        )
    entry = _edited(study, base, saved, "accept")
    return Outcome("", entry, {"summary": saved})


@one_action
def draft_cell(study: Study, base: Summary) -> Outcome:
    """Propose an extractive draft and store it as drafted (never final)."""
    proposal = drafts.draft_cell(study, base.case, base.theme)
    if not proposal.text:
        return Outcome("Nothing to draft from: the cell has no coded passages", None)
    saved = summaries.set_summary(
        study, base.case, base.theme, proposal.text, DRAFTED, expected_version=base.version
    )
    entry = _edited(study, base, saved, "draft")
    return Outcome("", entry, {"summary": saved})


def draft_sheet(study: Study, top: str, by: Sequence[str]) -> Outcome:
    """Drafts for every empty cell with passages on the sheet, stored as drafted (final
    cells untouched); one undo takes them all back."""
    sheet = matrix.sheet(study, top=top, by=by)
    drafted = skipped = 0
    with study.action():
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
            drafted += saved.version != proposal.version
        entry = (
            logged(study, f"draft {counted(drafted, 'cell')} of sheet {top}") if drafted else None
        )
    if not drafted and not skipped:
        return Outcome("No empty cells with passages to draft on this sheet", None)
    said = f"Drafted {counted(drafted, 'cell')}"
    if skipped:
        said += f"; {skipped} skipped (changed meanwhile)"
    return Outcome(said, entry, {"saved": drafted})


@one_action
def save_synthesis(
    study: Study, theme: str, attribute: str, value: str, text: str, version: int
) -> Outcome:
    saved = summaries.set_synthesis(study, theme, attribute, value, text, expected_version=version)
    entry = logged(study, f"synthesis of {value} on {theme}")  # ctrl+z takes it back
    return Outcome(f"Saved the synthesis of {value} on {theme}", entry, {"synthesis": saved})


@one_action
def mark_passage(study: Study, passage: Passage, marked: bool) -> Outcome:
    """Mark (or unmark) a passage as a quote: every coding of that exact span and
    theme, so that a double-coded passage changes as one."""
    same = [
        c.id
        for c in codings.list_codings(study, source=passage.source, theme=passage.theme)
        if (c.start, c.end) == (passage.start, passage.end)
    ] or [passage.coding]
    quotes.mark_quotes(study, same, marked)
    entry = logged(study, f"{'mark' if marked else 'unmark'} quote {passage.ref}")
    return Outcome("", entry, {"coding": passage.coding, "marked": marked})
