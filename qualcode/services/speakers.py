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

from qualcode.domain.documents import ROLES
from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services.study import Study
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.queries import speakers as speakers_q

UNLABELLED = "(unlabelled)"  # how text with no speaker label is named here


@dataclass(frozen=True)
class Speaker:
    """One speaker in one source: ``turns`` are runs of consecutive segments."""

    source: str
    speaker: str  # UNLABELLED for text with no label
    role: str
    turns: int
    segments: int
    words: int


def _key(speaker: str | None) -> str:
    return UNLABELLED if speaker is None else speaker


def list_speakers(study: Study, source: str | None = None) -> list[Speaker]:
    """Every (source, speaker, role) of the study's transcripts, in source order."""
    with study.read() as s:
        if source is not None and s.get(m.SourceRow, source) is None:
            raise NotFoundError(f"no source {source!r}")
        counts: dict[tuple[str, str, str], list[int]] = {}
        previous: tuple[str, str, str] | None = None
        for source_id, text, seg in speakers_q.transcript_segments(s, source):
            key = (source_id, _key(seg.speaker), seg.role)
            row = counts.setdefault(key, [0, 0, 0])
            row[0] += key != previous
            row[1] += 1
            row[2] += len(text[seg.start : seg.end].split())
            previous = key
    return [Speaker(src, who, role, *numbers) for (src, who, role), numbers in counts.items()]


def set_role(study: Study, speaker: str, role: str, source: str | None = None) -> int:
    """Give ``speaker`` ``role`` in every transcript (or in ``source``); the number of
    segments whose role changed. Codings are kept (see the module's docstring)."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} (use {', '.join(ROLES)})", "speakers set")
    with study.write() as s:
        if source is not None and s.get(m.SourceRow, source) is None:
            raise NotFoundError(f"no source {source!r}")
        rows = speakers_q.speaker_segments(s, None if speaker == UNLABELLED else speaker, source)
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
