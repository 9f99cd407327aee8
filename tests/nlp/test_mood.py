"""What a passage does beside what it is about - asks, or wishes and suggests - is a
feature: themes of confusion and of suggestions learn it from a few codings."""

from __future__ import annotations

import pytest

from qualcode.nlp.coldstart import ThemeProfile
from qualcode.nlp.mood import mood
from qualcode.nlp.passages import BlockWeights
from tests.nlp.conftest import first_suggestions

THEMES = [ThemeProfile("L", "Group one"), ThemeProfile("S", "Group two")]
# The same few topics each way: what tells the themes apart is asking or suggesting.
TOPICS = ["the map", "the table", "the export", "the filter", "the legend", "the chart"]
CODED = {
    "L": ["Where is {}?", "How do I open {}?", "What does {} show?"],
    "S": ["{} should be bigger.", "I would move {} up.", "{} could have colours."],
}
NEW = {
    "L": ["Why is {} empty?", "Which one is {}?", "Why?"],
    "S": ["I'd like {} in blue.", "I wish {} was faster."],
}


def test_questions_and_wishes_are_counted() -> None:
    asks, wishes = mood("Where is the button? Is it this one?")
    assert asks == pytest.approx(2 / 3)
    assert wishes == 0
    assert mood("It should be bigger and they could add colours")[1] == pytest.approx(2 / 3)
    assert mood("I\u2019d like a map")[1] > 0  # a curly apostrophe as typed in Word
    assert mood("They couldn't find it.") == (0.0, 0.0)  # a negated modal is no wish
    assert mood("") == (0.0, 0.0)


def _first(weights: BlockWeights) -> dict[str, tuple[str, tuple[str, ...]]]:
    coded = [(f.format(t).capitalize(), k) for k, fs in CODED.items() for f in fs for t in TOPICS]
    new = [f.format(t) for fs in NEW.values() for f in fs for t in TOPICS]
    return first_suggestions(THEMES, coded, new, weights)


def test_a_question_or_a_wish_tells_themes_apart() -> None:
    want = {f.format(t): k for k, fs in NEW.items() for f in fs for t in TOPICS}
    got = _first(BlockWeights())
    assert {text: theme for text, (theme, _) in got.items()} == want
    # Where no word of the passage was learned, the reasons say what was.
    assert got["Why?"][1] == ("the question it asks",)
    assert got["I wish the map was faster."][1] == ("the wish or suggestion in it",)
    # Without the mood block (and the word vectors, which place "why" and "wish" too)
    # the same words leave some of them wrong.
    off = _first(BlockWeights(mood=0.0, meaning=0.0))
    assert sum(off[text][0] == theme for text, theme in want.items()) < len(want)
