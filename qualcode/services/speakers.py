"""The speakers of each transcript and their roles; changing a role everywhere it occurs.

A role lives on the segments of a speaker's turns. Changing it keeps every segment's
id and offsets (a segment never spans two speakers, so the boundaries do not depend on
the role), so codings, which are offsets into the text, are untouched: a coding on a
turn that became the interviewer's stays where it is, but that segment no longer counts
towards "coded n/m", suggestions or agreement, which look at respondent segments only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.domain.documents import OTHER, ROLES
from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services.study import Study
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.queries import speakers as speakers_q

# Names for text with no speaker label, derived from the stored role (nothing is stored
# under these names, so studies imported before they existed read the same): unlabelled
# words, and unlabelled context - numbered task prompts, a topic guide - whose role is
# OTHER. Kept apart so that changing the role of one leaves the other alone.
UNLABELLED = "(unlabelled)"
PROMPT = "(prompt)"
UNNAMED = (UNLABELLED, PROMPT)


@dataclass(frozen=True)
class Speaker:
    """One speaker in one source: ``turns`` are runs of consecutive segments."""

    source: str
    speaker: str  # UNLABELLED or PROMPT for text with no label
    role: str
    turns: int
    segments: int
    words: int


def speaker_name(speaker: str | None, role: str) -> str:
    """How a segment's speaker is named in the speakers table."""
    if speaker is not None:
        return speaker
    return PROMPT if role == OTHER else UNLABELLED


def _named(rows: Sequence[m.SegmentRow], speaker: str) -> list[m.SegmentRow]:
    """The rows that the table names ``speaker`` (they all have no label when it is one
    of the UNNAMED names)."""
    if speaker not in UNNAMED:
        return list(rows)
    return [row for row in rows if speaker_name(None, row.role) == speaker]


@dataclass(frozen=True)
class SpeakerTotal:
    """One speaker with one role across the study's transcripts."""

    speaker: str
    role: str
    sources: int
    turns: int
    segments: int
    words: int


def list_speakers(
    study: Study, source: str | None = None, case: str | None = None
) -> list[Speaker]:
    """Every (source, speaker, role) of the study's transcripts (or of ``source``, or
    of ``case``'s transcripts), in source order."""
    with study.read() as s:
        if source is not None and s.get(m.SourceRow, source) is None:
            raise NotFoundError(f"no source {source!r}")
        if case is not None and s.get(m.CaseRow, case) is None:
            raise NotFoundError(f"no case {case!r}")
        counts: dict[tuple[str, str, str], list[int]] = {}
        previous: tuple[str, str, str] | None = None
        for source_id, text, seg in speakers_q.transcript_segments(s, source, case):
            key = (source_id, speaker_name(seg.speaker, seg.role), seg.role)
            row = counts.setdefault(key, [0, 0, 0])
            row[0] += key != previous
            row[1] += 1
            row[2] += len(text[seg.start : seg.end].split())
            previous = key
    return [Speaker(src, who, role, *numbers) for (src, who, role), numbers in counts.items()]


def speaker_totals(items: Sequence[Speaker]) -> list[SpeakerTotal]:
    """``items`` added up per speaker and role over their sources, most words first."""
    totals: dict[tuple[str, str], list[int]] = {}
    for x in items:
        row = totals.setdefault((x.speaker, x.role), [0, 0, 0, 0])
        row[0] += 1
        row[1] += x.turns
        row[2] += x.segments
        row[3] += x.words
    out = [SpeakerTotal(who, role, *numbers) for (who, role), numbers in totals.items()]
    return sorted(out, key=lambda t: (-t.words, t.speaker, t.role))


def set_role(study: Study, speaker: str, role: str, source: str | None = None) -> int:
    """Give ``speaker`` ``role`` in every transcript (or in ``source``); the number of
    segments whose role changed. Codings are kept (see the module's docstring)."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} (use {', '.join(ROLES)})", "speakers set")
    with study.write() as s:
        if source is not None and s.get(m.SourceRow, source) is None:
            raise NotFoundError(f"no source {source!r}")
        label = None if speaker in UNNAMED else speaker
        rows = _named(speakers_q.speaker_segments(s, label, source), speaker)
        if not rows:
            where = f" in source {source!r}" if source else ""
            raise NotFoundError(f"no speaker {speaker!r}{where} (see `qualcode speakers`)")
        changed = {row.id: row.role for row in rows if row.role != role}
        if not changed:
            return 0
        speakers_q.set_roles(s, changed, role)
        audit.record(
            s,
            study.coder,
            "update",
            "speaker",
            speaker,
            before={"speaker": speaker, "source": source, "roles": changed},
            after={"speaker": speaker, "source": source, "roles": dict.fromkeys(changed, role)},
        )
    return len(changed)


def unset_role(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of a role change: the segments it changed get their old roles back,
    unless someone has changed their role since. Audited as a role change itself, so
    that redo can invert it in turn."""
    before, after = states.read(change.before), states.read(change.after)
    old: dict[str, str] = dict(before.get("roles") or {})
    new: dict[str, str] = dict(after.get("roles") or {})
    rows: Sequence[m.SegmentRow] = speakers_q.segments_in(s, old)
    if any(row.role not in (old[row.id], new.get(row.id)) for row in rows):
        raise ConflictError(f"the role of {change.entity_id} was changed since; undo refused")
    back = {row.id: row.role for row in rows if row.role != old[row.id]}
    if not back:
        return  # already as it was
    for row in rows:
        row.role = old[row.id]
    s.flush()
    who_where = {"speaker": before.get("speaker"), "source": before.get("source")}
    audit.record(
        s,
        who,
        "update",
        "speaker",
        change.entity_id,
        before={**who_where, "roles": back},
        after={**who_where, "roles": {key: old[key] for key in back}},
    )
