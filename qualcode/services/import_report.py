"""What a transcript import says about each file: its layout, turns by role, warnings,
and the interviewer proposed where no label named one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.documents import INTERVIEWER, ROLES, ParsedTranscript
from qualcode.domain.speaker_roles import propose_interviewers, with_role
from qualcode.store.queries import speakers as speakers_q


def study_speakers(s: Session) -> tuple[Counter[str], set[str]]:
    """How many transcripts of the study each speaker is in, and who is an interviewer."""
    presence: Counter[str] = Counter()
    interviewers: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for source_id, speaker, role in speakers_q.speaker_roles(s):
        if (source_id, speaker) not in seen:
            seen.add((source_id, speaker))
            presence[speaker] += 1
        if role == INTERVIEWER:
            interviewers.add(speaker)
    return presence, interviewers


def with_proposals(
    parsed: list[tuple[Path, ParsedTranscript]],
    elsewhere: Counter[str] | None = None,
    interviewers: set[str] | None = None,
) -> tuple[list[tuple[Path, ParsedTranscript]], list[str]]:
    """Transcripts with no interviewer get the proposed one; the messages saying so."""
    documents = [(doc.text, doc.turns) for _path, doc in parsed]
    proposals = propose_interviewers(documents, elsewhere, interviewers or set())
    out: list[tuple[Path, ParsedTranscript]] = []
    for (path, doc), names in zip(parsed, proposals, strict=True):
        for name in names:
            doc = replace(doc, turns=with_role(doc.turns, name, INTERVIEWER))
        out.append((path, doc))
    taken = Counter(name for names in proposals for name in names)
    messages = [
        f"{name} taken as the interviewer in {count} of {len(parsed)} transcripts; "
        "change with `qualcode speakers set`"
        for name, count in sorted(taken.items(), key=lambda item: (-item[1], item[0]))
    ]
    return out, messages


def file_report(path: Path, doc: ParsedTranscript, source: str | None) -> dict[str, Any]:
    turns = Counter(turn.role for turn in doc.turns)
    return {
        "file": str(path),
        "source": source,
        "layout": doc.layout,
        "turns": {role: turns.get(role, 0) for role in ROLES},
        "speakers": sorted({t.speaker for t in doc.turns if t.speaker is not None}),
        "warnings": list(doc.warnings),
    }


def unmatched_interviewers(
    parsed: list[tuple[Path, ParsedTranscript]], interviewers: Sequence[str]
) -> list[str]:
    """A warning for each ``--interviewer`` name that no imported file's speaker has."""
    speakers = {t.speaker.casefold() for _p, doc in parsed for t in doc.turns if t.speaker}
    return [
        f"--interviewer {name!r} matches no speaker in these files"
        for name in interviewers
        if name.strip().casefold() not in speakers
    ]
