"""Cut speaker turns into codable segments, and map offsets to line numbers."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.domain.documents import Turn
from qualcode.domain.turns import paragraph_spans, strip_span

DEFAULT_MAX_CHARS = 1200


@dataclass(frozen=True)
class SegmentSpan:
    """A segment's offsets into the source text, without surrounding whitespace."""

    start: int
    end: int
    speaker: str | None
    role: str


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
        span = strip_span(text, turn.start, turn.end)
        if span is None:
            continue
        pieces = [span]
        if span[1] - span[0] > max_chars:
            pieces = _pack(paragraph_spans(text, span[0], span[1]), max_chars)
        segments.extend(SegmentSpan(a, b, turn.speaker, turn.role) for a, b in pieces)
    return tuple(segments)


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
