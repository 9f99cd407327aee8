"""Who the interviewer is when no label says so (standard library only).

Real transcripts name people ("Jo Bloggs  12:34"), not roles. The interviewer is the
speaker who turns up across many transcripts of a study, asks most of the questions
and says least per turn; each transcript with two or more named speakers and no
interviewer gets the speaker who best fits that, and the proposal is reported so that
the researcher can change it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from qualcode.domain.documents import INTERVIEWER, Turn

# weight of "present in at least twice as many transcripts as anyone else here"
_PRESENCE_WEIGHT = 2.0
# in at least this many transcripts, and this many times as many as a participant
_EVERYWHERE = 3


# A transcription service's numbered voice ("Speaker 1", "SPEAKER_00", "Speaker A",
# "Unknown Speaker") names someone within one file only: "Speaker 1" asks the questions
# in one interview and answers them in the next, so it carries no role across files.
_GENERIC = re.compile(
    r"(?:unknown[ _-]*)?(?:speaker|spk|voice|guest)(?:[ _-]*(?:\d+|[a-z]))?|unknown",
    re.IGNORECASE,
)


def is_generic_speaker(name: str) -> bool:
    return _GENERIC.fullmatch(name.strip()) is not None


@dataclass(frozen=True)
class SpeakerStats:
    turns: int = 0
    questions: int = 0
    words: int = 0


def speaker_stats(text: str, turns: Sequence[Turn]) -> dict[str, SpeakerStats]:
    """Turns, turns holding a question, and words for each named speaker."""
    stats: dict[str, SpeakerStats] = {}
    for turn in turns:
        if turn.speaker is None:
            continue
        words = text[turn.start : turn.end]
        old = stats.get(turn.speaker, SpeakerStats())
        stats[turn.speaker] = SpeakerStats(
            old.turns + 1, old.questions + ("?" in words), old.words + len(words.split())
        )
    return stats


def propose_interviewers(
    documents: Sequence[tuple[str, Sequence[Turn]]],
    elsewhere: Mapping[str, int] | None = None,
    interviewers: Collection[str] = (),
) -> list[tuple[str, ...]]:
    """For each (text, turns), the speakers proposed as its interviewers: none when a
    turn already has the interviewer role or fewer than two speakers are named; all
    the speakers who turn up in far more transcripts than the others (an interviewer
    and a co-interviewer in every session); else the one who best fits.

    ``elsewhere`` counts the study's other transcripts each speaker appears in, and a
    speaker in ``interviewers`` (the interviewer of some of them) is taken first, so
    that importing one file at a time proposes the same as importing them together.
    """
    stats = [speaker_stats(text, turns) for text, turns in documents]
    presence: Counter[str] = Counter(
        name for found in stats for name in found if not is_generic_speaker(name)
    )
    presence.update({n: c for n, c in (elsewhere or {}).items() if not is_generic_speaker(n)})
    for found in stats:  # a numbered voice is in its own transcript only
        presence.update(
            {name: 1 for name in found if is_generic_speaker(name) and not presence[name]}
        )
    proposals: list[tuple[str, ...]] = []
    for (_text, turns), found in zip(documents, stats, strict=True):
        if len(found) < 2 or any(t.role == INTERVIEWER for t in turns):
            proposals.append(())
            continue
        known = tuple(
            sorted(name for name in found if name in interviewers and not is_generic_speaker(name))
        )
        rarest = min(presence[name] for name in found)
        everywhere = tuple(
            sorted(
                name
                for name in found
                if presence[name] >= _EVERYWHERE and presence[name] >= _EVERYWHERE * rarest
            )
        )
        if known and len(known) < len(found):
            proposals.append(known)
        elif everywhere and len(everywhere) < len(found):
            proposals.append(everywhere)
        else:
            scores = _scores(found, presence)
            proposals.append((max(sorted(found), key=scores.__getitem__),))
    return proposals


def _scores(found: dict[str, SpeakerStats], presence: Counter[str]) -> dict[str, float]:
    """Share of the questions, plus shortness of turns, plus presence across transcripts."""
    questions = sum(s.questions for s in found.values()) or 1
    per_turn = {name: s.words / s.turns for name, s in found.items()}
    longest = max(per_turn.values()) or 1.0
    scores = {}
    for name, stats in found.items():
        others = max(presence[other] for other in found if other != name)
        dominant = presence[name] >= 2 and presence[name] >= 2 * others
        scores[name] = (
            stats.questions / questions
            + (1 - per_turn[name] / longest)
            + (_PRESENCE_WEIGHT if dominant else 0.0)
        )
    return scores


def with_role(turns: Sequence[Turn], speaker: str, role: str) -> tuple[Turn, ...]:
    """``turns`` with every turn of ``speaker`` given ``role``."""
    return tuple(replace(t, role=role) if t.speaker == speaker else t for t in turns)
