"""Quotes for a report: sentences, attributions from a template, and ``...`` elision.

Pure functions over strings (standard library only).

Attribution templates use ``{attribute}`` fields over case attributes, e.g. the default
``[{role}, {authority_type}]``. A field whose value is missing is dropped together
with the separator (spaces and ``, ; : / | -``) before it - or after it, when it opens
the template or a bracket - and brackets left empty are dropped. So a PVI case
without an authority type gets ``[Director]``, never ``[Director, ]``, and a case
with neither value gets an empty attribution. Other words in the template stay.
"""

from __future__ import annotations

import re
import string
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

ELLIPSIS = "..."

_ABBREVIATIONS = frozenset(
    ("e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "prof", "st", "vs", "approx", "no", "cf")
)
# A sentence ends at ., ! or ? (optionally after a closing quote or bracket) followed by
# white space; a blank line always ends one.
_END = re.compile(r"(?:[.!?\u2026]+[\"'\u2019\u201d)\]]*)(?=\s)|\n\s*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)[.]$")
_SPACES = re.compile(r"\s+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, without surrounding white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        piece = text[start:end]
        if match.group().startswith(("..", "\u2026")):
            continue  # "It's... I mean": in speech an ellipsis is a pause, not a full stop
        before = _WORD_BEFORE.search(piece.rstrip())
        if before and before.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        _add(spans, text, start, end)
        start = end
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentences(text: str) -> list[str]:
    return [squash(text[a:b]) for a, b in sentence_spans(text)]


def squash(text: str) -> str:
    """Collapse runs of white space (line breaks in a transcript) into single spaces."""
    return _SPACES.sub(" ", text).strip()


def word_count(text: str) -> int:
    return len(text.split())


def cut_words(text: str, max_words: int) -> str:
    """The start of ``text`` in at most ``max_words`` words, ending with ``...``.

    Cuts after a comma, semicolon or dash when one falls in the second half of the
    allowance, so the fragment reads as a clause.
    """
    words = text.split()
    if len(words) <= max_words:
        return text
    head = words[: max(max_words, 1)]
    for i in range(len(head) - 1, len(head) // 2 - 1, -1):
        if head[i].endswith((",", ";", ":")) or head[i] in ("-", "\u2013"):
            head = head[: i + 1]
            break
    kept = " ".join(head).rstrip(",;:-\u2013 ")
    return f"{kept} {ELLIPSIS}"


def respondent_words(text: str, asked: Sequence[tuple[int, int]]) -> str:
    """``text`` without the interviewer's turns inside it (``asked``: offsets into it),
    each run left out marked "...": a passage coded across a question and its answer
    quoted the moderator under the participant's name. Unchanged when the whole of it
    is the interviewer's (nothing would be left to quote)."""
    if not asked:
        return text
    kept, at = [], 0
    for a, b in sorted(asked):
        kept.append(text[at:a])
        kept.append("\0")  # where words were left out
        at = max(at, b)
    kept.append(text[at:])
    pieces = [x.strip() for x in "".join(kept).split("\0")]
    if not any(pieces):
        return text
    return " ... ".join(x for x in pieces if x)  # a turn left out at an end: no mark


def elide(text: str, max_words: int | None) -> str:
    """``text`` shortened to ``max_words`` words by dropping whole sentences.

    Keeps the opening sentences while they fit, then the closing sentence when it
    still fits; each run of dropped sentences becomes ``...``. When not even the
    first sentence fits it is cut at a word (or clause) boundary.
    """
    flat = squash(text)
    if max_words is None or word_count(flat) <= max_words:
        return flat
    if max_words < 1:
        raise ValueError("max_words must be at least 1")
    parts = sentences(flat)
    kept: list[str] = []
    used = 0
    for part in parts:
        if used + word_count(part) > max_words:
            break
        kept.append(part)
        used += word_count(part)
    if not kept:
        return cut_words(parts[0], max_words)
    last = parts[-1]
    if len(kept) < len(parts) - 1 and used + word_count(last) <= max_words:
        kept += [ELLIPSIS, last]
    else:
        kept.append(ELLIPSIS)
    return " ".join(kept)


# --- attribution templates ---------------------------------------------------------

_SEPARATOR = " \t,;:/|-\u2013"
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|\{\s*\}")
_GAP = "\x00"  # where a missing value was
# An anonymised value ("[Case 1]", "[Person 3]"), in brackets of its own.
_PLACEHOLDER = re.compile(r"\[[^\[\]]+\]")


def template_fields(template: str) -> list[str]:
    """The attribute names a template uses; ValueError for a malformed template."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"attribution template {template!r}: {exc}") from None
    names: list[str] = []
    for _literal, name, _spec, _conversion in parsed:
        if name is None:
            continue
        if not name.strip():
            raise ValueError(f"attribution template {template!r} has an empty {{}} field")
        names.append(key(name))
    return names


def key(name: str) -> str:
    """Template field and attribute names compare as lower-case snake_case."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill ``template`` from ``values``; missing or empty values leave no stray separators.

    A missing value takes the separator before it (``", "``) with it, or the one after
    it when it opens a bracket or the template; brackets left empty disappear.
    """
    template_fields(template)  # validates
    lookup = {key(k): v for k, v in values.items()}
    out: list[str] = []
    fields = present = 0
    for literal, name, spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            value = _formatted(lookup.get(key(name)), spec or "")
            if _PLACEHOLDER.fullmatch(value) and _open_square(out):
                value = value[1:-1]  # "[Case 1, DASS]", not "[[Case 1], DASS]"
            fields += 1
            present += bool(value)
            out.append(value or _GAP)
    if fields and not present:
        return ""  # no "[]" and no template words standing alone
    text = "".join(out)
    while _GAP in text:
        i = text.index(_GAP)
        before = text[:i].rstrip(" \t")
        if not before or before[-1] in "([{":
            text = before + text[i + 1 :].lstrip(_SEPARATOR)
        else:
            text = text[:i].rstrip(_SEPARATOR) + text[i + 1 :]
    previous = None
    while previous != text:
        previous, text = text, _EMPTY_BRACKETS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _open_square(parts: list[str]) -> bool:
    """Whether the text so far leaves a square bracket open."""
    text = "".join(parts)
    return text.count("[") > text.count("]")


def _formatted(value: object, spec: str) -> str:
    if value is None:
        return ""
    if spec:
        try:
            return format(value, spec).strip()
        except (TypeError, ValueError):
            pass
    return str(value).strip()


def unknown_fields(template: str, known: Iterable[str]) -> list[str]:
    have = {key(k) for k in known}
    return [name for name in template_fields(template) if name not in have]


# Under this many words a passage reads as a fragment ("Heat map"), not as a quote.
FRAGMENT_WORDS = 8


class Quotable(Protocol):
    @property
    def case(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def marked(self) -> bool: ...
    @property
    def asked(self) -> float: ...


Q = TypeVar("Q", bound=Quotable)


def spread(quotes: Sequence[Q]) -> list[Q]:
    """The order to pick illustrative quotes from ``quotes`` (in reading order): the
    researcher's marked quotes first, as they come; then one case at a time - each
    case's first full passage, then each case's second, ..., the cases that have marked
    quotes further back, the cases in a fixed order that does not follow their ids -
    and last of all fragments ("Heat map"), passages that take in the interviewer's
    words (a report would attribute them to the interviewee) and transcriber's notes
    alone ("(The participant reads the task again)"). The interviewer's words alone
    are no quote of the interviewee's and are not picked. The first few quotes
    of a group then come from different people rather than three turns of one case."""
    quotes = [q for q in quotes if q.marked or q.asked < ASKED_ONLY]
    marked = [q for q in quotes if q.marked]
    taken: dict[str, int] = {}
    for q in marked:
        taken[q.case] = taken.get(q.case, 0) + 1
    by_case: dict[str, list[Q]] = {}
    for q in quotes:
        if not q.marked:
            by_case.setdefault(q.case, []).append(q)
    ranked: list[tuple[bool, int, int, int, Q]] = []
    # the cases in an order of their own, not their ids': a survey's ids often start
    # with the service or site, and id order took all three quotes from the first one
    for case, items in by_case.items():
        index = zlib.crc32(case.encode("utf-8"))
        ordered = sorted(items, key=_weak)
        for rank, q in enumerate(ordered, start=taken.get(case, 0)):
            ranked.append((_weak(q), rank, index, len(ranked), q))
    ranked.sort(key=lambda item: item[:4])
    return marked + [item[4] for item in ranked]


ASKED_ONLY = 0.95  # a passage this much in the interviewer's turns is theirs, not a quote
_NOTE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*")


def _weak(q: Quotable) -> bool:
    """A passage a report should pick last: a fragment, one holding an interviewer's
    words, or a transcriber's note alone."""
    return word_count(q.text) < FRAGMENT_WORDS or q.asked > 0 or bool(_NOTE.fullmatch(q.text))
