"""Turn a passage into canonical content tokens, remembering where each came from.

Steps: blank out speaker labels ("R:", "Interviewer:") and editorial brackets
("[laughs]", "[X] college"); split into words; map abbreviations as written (NQSWs,
ICS) and informal shorthand (mgr, sw) to one form; map American spellings to British;
lemmatise with spaCy's lookup table; fold multi-word expansions into their
abbreviation ("newly qualified social workers" -> nqsw); drop stop words but keep
negations and the few that carry meaning here ("front door", "part time").

The same function normalises theme keywords, so matching is consistent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from qualcode.nlp import lexicon
from qualcode.nlp.language import english_stop_words, lemma

WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*|£")
LABEL = re.compile(
    r"^[ \t]*(?:[A-Z][\w.'\u2019-]*(?:[ \t][A-Z][\w.'\u2019-]*){0,3}|[IRQA]|Int)[ \t]*:[ \t]",
    re.MULTILINE,
)
BRACKET = re.compile(r"\[[^\]\n]{0,60}\]")
CONTRACTION_BASE = {"ca": "can", "wo": "will", "sha": "shall"}
LEMMA_MERGE = {"practise": "practice"}
# Lookup-table slips: "does" is not the plural of "doe" here.
LEMMA_FIX = {"does": "do", "doing": "do", "data": "data", "staff": "staff", "media": "media"}
Span = tuple[int, int]


@dataclass(frozen=True)
class Analysed:
    """Content tokens of a passage and the character span each was read from."""

    tokens: tuple[str, ...]
    spans: tuple[Span, ...]

    @property
    def joined(self) -> str:
        return " ".join(self.tokens)

    def surface(self, text: str, start: int, length: int) -> str:
        """The original words behind ``tokens[start:start + length]``."""
        a = self.spans[start][0]
        b = self.spans[start + length - 1][1]
        return " ".join(text[a:b].split())


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def clean(text: str) -> str:
    """Blank out speaker labels and editorial brackets, keeping every offset."""
    return BRACKET.sub(_blank, LABEL.sub(_blank, text))


def _british(word: str) -> str:
    if word in lexicon.US_TO_UK:
        return lexicon.US_TO_UK[word]
    if "iz" in word and not word.endswith(lexicon.IZE_KEEP):
        for us, uk in (
            ("ization", "isation"),
            ("izing", "ising"),
            ("ized", "ised"),
            ("izes", "ises"),
            ("izer", "iser"),
            ("ize", "ise"),
        ):
            if us in word:
                return word.replace(us, uk)
    if "yz" in word:
        return word.replace("yze", "yse").replace("yzing", "ysing")
    for us, uk in lexicon.OR_TO_OUR.items():
        if word.startswith(us) and not word.startswith(uk):
            return uk + word[len(us) :]
    return word


_LOWER_ABBREV = {
    k.lower(): v for k, v in lexicon.ABBREVIATIONS.items() if k not in lexicon.CASE_SENSITIVE
}


@lru_cache(maxsize=100_000)
def word_tokens(raw: str) -> tuple[str, ...]:
    """Canonical tokens (stop words still in) of one word as written."""
    word = raw.replace("\u2019", "'")
    tail: tuple[str, ...] = ()
    if "'" in word:
        base, _, suffix = word.rpartition("'")
        if suffix.lower() == "t" and base.lower().endswith("n"):
            base = base[:-1]
            base = CONTRACTION_BASE.get(base.lower(), base)
            tail = ("not",)
        word = base
    if len(word) >= 2:
        key = word[:-1] if word.endswith("s") and word[:-1].isupper() and len(word) > 2 else word
        if key.isupper() and key in lexicon.ABBREVIATIONS:
            return (lexicon.ABBREVIATIONS[key], *tail)
    lower = word.lower()
    if lower in _LOWER_ABBREV:
        return (_LOWER_ABBREV[lower], *tail)
    if lower in lexicon.SHORTHAND:
        return (*lexicon.SHORTHAND[lower], *tail)
    base_form = LEMMA_FIX.get(lower) or lemma(_british(lower))
    return (LEMMA_MERGE.get(base_form, base_form), *tail)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = english_stop_words()
    return frozenset(w for w in words if w not in lexicon.KEEP_STOP) | {"s", "'s"}


@lru_cache(maxsize=1)
def _expansions() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, abbrev in lexicon.EXPANSIONS.items():
        toks = tuple(t for m in WORD.finditer(phrase) for t in word_tokens(m.group(0)))
        table.setdefault(toks[0], []).append((toks, abbrev))
    for options in table.values():
        options.sort(key=lambda o: -len(o[0]))
    return table


def analyse(text: str) -> Analysed:
    """The content tokens of ``text`` with their spans."""
    raw: list[tuple[str, int, int]] = []
    for m in WORD.finditer(clean(text)):
        for tok in word_tokens(m.group(0)):
            raw.append((tok, m.start(), m.end()))
    expansions = _expansions()
    stops = stop_words()
    tokens: list[str] = []
    spans: list[Span] = []
    i, n = 0, len(raw)
    while i < n:
        tok, a, b = raw[i]
        for phrase, abbrev in expansions.get(tok, ()):
            k = len(phrase)
            if i + k <= n and all(raw[i + j][0] == phrase[j] for j in range(1, k)):
                tokens.append(abbrev)
                spans.append((a, raw[i + k - 1][2]))
                i += k
                break
        else:
            if tok not in stops and (len(tok) > 1 or tok == "£"):
                tokens.append(tok)
                spans.append((a, b))
            i += 1
    return Analysed(tuple(tokens), tuple(spans))


def analyse_all(texts: Iterable[str]) -> list[Analysed]:
    return [analyse(t) for t in texts]


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A keyword or label as canonical content tokens (for phrase matching)."""
    return analyse(phrase).tokens


def find_phrase(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> int:
    """Index of the first occurrence of ``phrase`` in ``tokens``, or -1."""
    k = len(phrase)
    if k == 0:
        return -1
    first = phrase[0]
    for i, tok in enumerate(tokens):
        if tok == first and tokens[i : i + k] == phrase:
            return i
    return -1
