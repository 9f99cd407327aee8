"""REFI-QDA notes and selection descriptions into memos and matrix summaries.

A note is a memo on whatever refers to it: a coding, a passage (a segment when the
passage is one), a source, a code (theme), a case (through a Link) or, when nothing
does, the study. A note both referenced by a code and linked to a case is a
framework-matrix summary - how qualcode exports them, the standard having none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.domain.matrix import DRAFTED, EMPTY, STATUSES
from qualcode.exchange.refi import conventions as cv
from qualcode.exchange.refi import model as r
from qualcode.services import refi_turns
from qualcode.store import models as m
from qualcode.store.models import utcnow
from qualcode.store.queries import memos as memos_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import summaries as summaries_q

if TYPE_CHECKING:
    from qualcode.services.refi_import import ProjectImport

Passage = tuple[str, int, int]  # source id, start, end


def import_notes(imp: ProjectImport) -> None:
    code_notes: dict[str, str] = {}
    for code, _parent in imp.p.walk_codes():
        for ref in code.notes:
            if code.guid in imp.code_map:
                code_notes.setdefault(ref, imp.code_map[code.guid])
    source_notes: dict[str, str] = {}
    coding_notes: dict[str, int] = {}
    passage_notes: dict[str, Passage] = {}
    for source in imp.p.sources:
        source_id = imp.source_ids.get(source.guid)
        if source_id is None:
            continue
        for ref in source.notes:
            source_notes.setdefault(ref, source_id)
        for sel in source.selections:
            for ref in sel.notes:
                passage_notes.setdefault(ref, (source_id, sel.start, sel.end))
            for coding in sel.codings:
                for ref in coding.notes:
                    if imp.coding_ids.get(coding.guid):
                        coding_notes.setdefault(ref, imp.coding_ids[coding.guid])
            _description(imp, sel, source_id)
    case_links: dict[str, str] = {}
    for link in imp.p.links:
        if link.target in imp.case_guids:
            case_links.setdefault(link.origin, imp.case_guids[link.target])
    known_memos = {g.lower() for g in memos_q.memo_guids(imp.s) if g}
    known_summaries = {g.lower() for g in summaries_q.summary_guids(imp.s) if g}
    for note in imp.p.notes:
        if note.guid in known_memos or note.guid in known_summaries:
            continue
        if refi_turns.is_turn_note(note):
            continue  # turn times, given to the segments (refi_turns), not a memo
        status = cv.summary_status(note.description)
        coder = imp.coder_of(note.creator)
        text = note.text.strip("\n")
        if status is None and note.description:
            text = f"{note.description.strip()}\n\n{text}".strip()
        title = (note.name or "").strip()
        if status is None and title and not imp.ours and not text.startswith(title):
            text = f"{title}\n\n{text}".strip()  # another tool's memo title: its first line
        theme, case = code_notes.get(note.guid), case_links.get(note.guid)
        if theme is not None and case is not None:
            _summary(imp, note, case, theme, status, coder)
        elif not text.strip():
            continue
        elif note.guid in coding_notes:
            _memo(imp, "coding", str(coding_notes[note.guid]), coder, text, note)
        elif note.guid in passage_notes:
            _passage_memo(imp, passage_notes[note.guid], coder, text, note)
        elif note.guid in source_notes:
            _memo(imp, "source", source_notes[note.guid], coder, text, note)
        elif theme is not None:
            _memo(imp, "theme", theme, coder, text, note)
        elif case is not None:
            _memo(imp, "case", case, coder, text, note)
        else:
            _memo(imp, "study", None, coder, text, note)
    _descriptions(imp)
    if imp.notes_joined:
        imp.warn(
            f"{imp.notes_joined} note(s) added to a memo of the same coder on the same "
            "passage, source, theme, case or study (qualcode keeps one memo each), after "
            "a blank line"
        )


def _descriptions(imp: ProjectImport) -> None:
    """A Case's and a TextSource's Description: NVivo, MAXQDA and ATLAS.ti keep a case's
    or a document's memo there (they were dropped without a word)."""
    for case in imp.p.cases:
        text = (case.description or "").strip()
        if text and case.guid in imp.case_guids:
            _memo(imp, "case", imp.case_guids[case.guid], imp.coder_of(), text, None)
    for source in imp.p.sources:
        text = (source.description or "").strip()
        source_id = imp.source_ids.get(source.guid)
        if text and source_id is not None:
            _memo(imp, "source", source_id, imp.coder_of(source.creator), text, None)


def _description(imp: ProjectImport, sel: r.Selection, source_id: str) -> None:
    """ATLAS.ti and others put a comment on a passage into its Description."""
    text = (sel.description or "").strip()
    if not text:
        return
    coder = imp.coder_of(sel.creator)
    first = next((imp.coding_ids[c.guid] for c in sel.codings if imp.coding_ids.get(c.guid)), None)
    if first is not None:
        _memo(imp, "coding", str(first), coder, text, None)
    else:
        _passage_memo(imp, (source_id, sel.start, sel.end), coder, text, None)


def _passage_memo(
    imp: ProjectImport, passage: Passage, coder: str, text: str, note: r.Note | None
) -> None:
    source_id, start, end = passage
    segment = sources_q.segment_id_at(imp.s, source_id, start, end)
    if segment is not None:
        _memo(imp, "segment", segment, coder, text, note)
        return
    whole = sources_q.source_text(imp.s, source_id) or ""
    quoted = " ".join(whole[start:end].split())
    if len(quoted) > 80:
        quoted = quoted[:79] + "\u2026"
    _memo(
        imp, "source", source_id, coder, f"On \u201c{quoted}\u201d ({start}-{end}):\n{text}", note
    )


def _memo(
    imp: ProjectImport, kind: str, target: str | None, coder: str, text: str, note: r.Note | None
) -> None:
    s = imp.s
    existing = memos_q.own_memo(s, kind, target, coder)
    if existing is not None:  # one memo per coder and target: add to it
        if not _holds(existing.text, text):
            existing.text = f"{existing.text.rstrip()}\n\n{text}"
            existing.updated_at = utcnow()
            imp.notes_joined += 1
        return
    created = (note.created if note else None) or utcnow()
    s.add(
        m.MemoRow(
            kind=kind, target=target, coder=coder, text=text, created_at=created,
            updated_at=(note.modified if note else None) or created,
            guid=note.guid if note else None,
        )
    )  # fmt: skip
    s.flush()
    imp.c.memos_added += 1


def _holds(memo: str, text: str) -> bool:
    """Whether ``memo`` holds ``text`` as a paragraph block of its own (imported
    before): a note whose words only appear inside another's is a note of its own
    ("supervision" beside "Follow up on supervision next week" was dropped)."""
    memo, text = memo.strip(), text.strip()
    return (
        memo == text
        or memo.startswith(text + "\n\n")
        or memo.endswith("\n\n" + text)
        or f"\n\n{text}\n\n" in memo
    )


def _summary(
    imp: ProjectImport, note: r.Note, case: str, theme: str, status: str | None, coder: str
) -> None:
    s = imp.s
    text = note.text.strip()
    if status not in STATUSES:
        status = DRAFTED if text else EMPTY
    row = s.get(m.SummaryRow, (case, theme))
    if row is not None and (row.text.strip() or row.status != EMPTY):
        if row.text.strip() != text:
            imp.warn(f"matrix cell {case} / {theme} already has a summary; the study's was kept")
        return
    when = note.modified or note.created or utcnow()
    if row is None:
        row = m.SummaryRow(case_id=case, theme_id=theme, version=1)
        s.add(row)
    else:
        row.version += 1
    row.text, row.status, row.coder, row.updated_at, row.guid = text, status, coder, when, note.guid
    s.add(
        m.SummaryHistoryRow(
            case_id=case, theme_id=theme, text=text, status=status, coder=coder,
            version=row.version, changed_at=when,
        )
    )  # fmt: skip
    s.flush()
    imp.c.summaries_added += 1
