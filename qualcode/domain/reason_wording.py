"""How a suggestion's reasons read: in full where there is room (the CLI, the detail
pane) and in brief in a narrow column, where a whole prompt would hide the words
after it.

A reason is a word or phrase of the passage, or one of the phrases made here for
what lies beside the words: the prompt or question before the passage, its place,
a case attribute, its tone or mood, or its meaning. Reasons are stored as text, so
``brief`` reads back the phrases this module makes and leaves any other as it is.
"""

from __future__ import annotations

import re

PROMPT_CUT = 60  # characters of a prompt or question quoted in full
CLOSE_TO_CODED = "close in meaning to passages coded with it"

_AFTER = re.compile(r'^after "(.*)"$', re.DOTALL)
_ANSWERING = re.compile(r'^answering "(.*)"$', re.DOTALL)
_PLACE = re.compile(r"^its place in the source \((\d+)% in\)$")
_CLOSE_WORD = re.compile(r'^"(.+)", close in meaning to words coded with it$')
_TONE = re.compile(r"^its (positive|negative) tone$")
_BRIEF = {
    CLOSE_TO_CODED: "meaning",
    "the question it asks": "a question",
    "the wish or suggestion in it": "a wish",
}
_LABEL = re.compile(r"^(?:Q\s*)?\d+(?:[.)]?[a-z0-9]{1,3})*[.):]?$", re.IGNORECASE)


def _quoted(text: str) -> str:
    said = " ".join(text.split())
    return said if len(said) <= PROMPT_CUT else said[: PROMPT_CUT - 1].rstrip() + "…"


def after_prompt(prompt: str) -> str:
    """A passage suggested for the prompt before it (interviews)."""
    return f'after "{_quoted(prompt)}"'


def answering(question: str) -> str:
    """A survey answer suggested for the question it answers."""
    return f'answering "{_quoted(question)}"'


def place(fraction: float) -> str:
    """A passage suggested for where in its source it sits (0 start, 1 end)."""
    return f"its place in the source ({round(100 * fraction)}% in)"


def attribute(name: str, value: str) -> str:
    return f"{name}: {value}"


def tone(positive: bool) -> str:
    return f"its {'positive' if positive else 'negative'} tone"


def mood(asks: bool) -> str:
    return "the question it asks" if asks else "the wish or suggestion in it"


def close_word(word: str) -> str:
    """A passage suggested because one of its words means what coded words mean."""
    return f'"{word}", close in meaning to words coded with it'


def brief(reason: str) -> str:
    """A reason in a few characters: ``after "1.a Was the information…"`` reads
    ``prompt 1.a``, ``its place in the source (2% in)`` reads ``place 2%``; words of
    the passage stay as they are."""
    if m := _AFTER.match(reason):
        return _numbered("prompt", m.group(1))
    if m := _ANSWERING.match(reason):
        return _numbered("question", m.group(1))
    if m := _PLACE.match(reason):
        return f"place {m.group(1)}%"
    if m := _CLOSE_WORD.match(reason):
        return f"near {m.group(1)}"
    if m := _TONE.match(reason):
        return f"{m.group(1)} tone"
    return _BRIEF.get(reason, reason)


def _numbered(what: str, text: str) -> str:
    """A prompt or question by its number in the topic guide or questionnaire
    ("prompt 1.a", "question Q7"), which names it in a few characters; without one,
    just what it is."""
    first = text.split(maxsplit=1)
    return f"{what} {first[0]}" if first and _LABEL.match(first[0]) else what


def brief_list(reasons: list[str] | tuple[str, ...]) -> str:
    return ", ".join(brief(r) for r in reasons)
