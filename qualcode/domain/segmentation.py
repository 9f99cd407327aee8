"""Cut speaker turns into codable segments, and map offsets to line numbers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.domain.documents import Turn
from qualcode.domain.turns import TIME, paragraph_spans, strip_span

# A timestamp alone on a line inside a turn ("[00:05:00]", a page of a .docx export):
# the turn goes on, but the stamp is no one's words.
_LEADING_STAMP = re.compile(
    rf"(?:\[{TIME}\]|\({TIME}\)|\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?(?=\s))"
    r"[ \t]*(?:[-\u2013][ \t]*)?"
)
_STAMP_LINE = re.compile(rf"^[ \t]*(?:\[{TIME}\]|\({TIME}\)|{TIME})[ \t]*$", re.MULTILINE)

DEFAULT_MAX_CHARS = 1200


@dataclass(frozen=True)
class SegmentSpan:
    """A segment's offsets into the source text, without surrounding whitespace."""

    start: int
    end: int
    speaker: str | None
    role: str
    time: str | None = None  # the timestamp of the turn the segment belongs to


def _pack(paragraphs: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Greedily join neighbouring paragraphs while the joined span fits in max_chars."""
    packed: list[tuple[int, int]] = []
    start, end = paragraphs[0]
    for para_start, para_end in paragraphs[1:]:
        if para_end - start <= max_chars:
            end = para_end
        else:
            packed.append((start, end))
            start, end = para_start, para_end
    packed.append((start, end))
    return packed


def segment_turns(
    text: str, turns: Sequence[Turn], max_chars: int = DEFAULT_MAX_CHARS
) -> tuple[SegmentSpan, ...]:
    """One segment per turn; a turn over max_chars is split at its paragraph breaks."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    segments: list[SegmentSpan] = []
    for turn in turns:
        for span in _between_stamps(text, turn.start, turn.end):
            pieces = [span]
            if span[1] - span[0] > max_chars:
                pieces = _pack(paragraph_spans(text, span[0], span[1]), max_chars)
            segments.extend(
                SegmentSpan(a, b, turn.speaker, turn.role, turn.time)
                for a, b in (_past_stamp(text, *piece) for piece in pieces)
            )
    return tuple(segments)


def _past_stamp(text: str, start: int, end: int) -> tuple[int, int]:
    """A segment never starts with a timestamp: ``[00:05:10] and then...`` starts at
    "and". Bare times count only as H:MM:SS; "10:30 is when we meet" is words."""
    found = _LEADING_STAMP.match(text, start, end)
    if found is None or not text[found.end() : end].strip():
        return start, end
    return found.end(), end


def _between_stamps(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-blank stretches of ``text[start:end]`` around lines that are only a time."""
    spans: list[tuple[int, int]] = []
    pos = start
    for stamp in _STAMP_LINE.finditer(text, start, end):
        span = strip_span(text, pos, stamp.start())
        if span is not None:
            spans.append(span)
        pos = stamp.end()
    span = strip_span(text, pos, end)
    if span is not None:
        spans.append(span)
    return spans


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of ``text`` starts (line 1 starts at 0)."""
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def line_of(starts: Sequence[int], offset: int) -> int:
    """The 1-based line number holding ``offset``, given ``line_starts(text)``."""
    return max(bisect_right(starts, offset), 1)
