"""segment_turns: one segment per turn, long turns split at paragraph breaks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qualcode.domain.documents import INTERVIEWER, RESPONDENT, Turn
from qualcode.domain.layouts import parse_turns
from qualcode.domain.segmentation import SegmentSpan, line_of, line_starts, segment_turns

if TYPE_CHECKING:
    from tests.ingest.conftest import Spoken


def _para(letter: str, size: int) -> str:
    return letter * size


def test_one_segment_per_short_turn(spoken: Spoken) -> None:
    text = "I: Question one?\n\nR: Answer one.\n\nMore of answer one.\n"
    segments = segment_turns(text, parse_turns(text))
    assert spoken(text, segments) == ["Question one?", "Answer one.\n\nMore of answer one."]
    assert [(s.speaker, s.role) for s in segments] == [("I", INTERVIEWER), ("R", RESPONDENT)]


def test_long_turn_packs_whole_paragraphs_greedily(spoken: Spoken) -> None:
    paragraphs = [_para("a", 500), _para("b", 500), _para("c", 500), _para("d", 100)]
    text = "R: " + "\n\n".join(paragraphs) + "\n\nI: Thanks.\n"
    segments = segment_turns(text, parse_turns(text), max_chars=1200)
    assert spoken(text, segments) == [
        paragraphs[0] + "\n\n" + paragraphs[1],
        paragraphs[2] + "\n\n" + paragraphs[3],
        "Thanks.",
    ]
    assert all(s.speaker == "R" for s in segments[:2])
    assert all(s.end - s.start <= 1200 for s in segments)


def test_paragraph_longer_than_max_stays_whole(spoken: Spoken) -> None:
    big, small = _para("x", 1500), _para("y", 50)
    text = f"Margaret: {small}\n\n  {big}  \n\n{small}\n"
    segments = segment_turns(text, parse_turns(text), max_chars=1200)
    assert spoken(text, segments) == [small, big, small]


def test_long_turn_without_paragraph_breaks_is_one_segment(spoken: Spoken) -> None:
    words = "word " * 400
    text = f"R: {words}\nand a second line\n"
    segments = segment_turns(text, parse_turns(text), max_chars=100)
    assert spoken(text, segments) == [words + "\nand a second line"]


def test_segments_trim_whitespace_of_loose_turns(spoken: Spoken) -> None:
    text = "  padded words  \n\n   \n"
    segments = segment_turns(text, [Turn(0, len(text), None), Turn(16, len(text), "R")])
    assert segments == (SegmentSpan(2, 14, None, RESPONDENT),)
    assert spoken(text, segments) == ["padded words"]


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        segment_turns("R: x", parse_turns("R: x"), max_chars=0)


def test_line_numbers() -> None:
    text = "first\nsecond\n\nfourth"
    starts = line_starts(text)
    assert starts == [0, 6, 13, 14]
    assert [line_of(starts, offset) for offset in (0, 5, 6, 13, 14, len(text))] == [
        1,
        1,
        2,
        3,
        4,
        4,
    ]
    assert line_starts("") == [0]


def test_segment_line_reference() -> None:
    text = "I: Hello.\n\nR: Line three.\n"
    segments = segment_turns(text, parse_turns(text))
    starts = line_starts(text)
    assert [line_of(starts, s.start) for s in segments] == [1, 3]
