"""Extractive draft summaries of a matrix cell: the most representative sentences.

A sentence is representative when it shares many words with the cell's other
sentences (cosine similarity to the centroid of all of them) and with the theme's
label and keywords. Very short sentences and questions score lower. The chosen
sentences keep their reading order, lose verbal fillers ("I mean", "you know"), are
cut to a few words, and each ends with the line it came from: ``(int03 l.42)``.

Standard library only: a cell holds a handful of passages, and a draft must be quick
enough to propose for a whole sheet.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.domain.matrix import Passage
from qualcode.domain.quoting import cut_words, sentence_spans, squash, word_count

MAX_SENTENCES = 3
MAX_WORDS_PER_SENTENCE = 22
MIN_WORDS = 5

_WORD = re.compile(r"[a-z][a-z'\u2019-]+")
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further get got had has have having he her here hers him his how i if
    in into is it its itself just like me more most my no nor not now of off on once
    only or other our ours out over own quite really same she should so some such than
    that the their them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yes yeah well mean know think sort kind lot things thing one actually bit going said
    say erm um er
    sure nice fine great perfect cool alright mm mmm mmmm hmm hmmm uh huh mhm ah oh wow
"""
_STOP = frozenset(re.findall(r"\S+", _STOP_WORDS))
_FILLERS = re.compile(
    r"\b(?:I mean|you know|sort of|kind of|to be honest|if you like|erm+|um+|er)\b,?\s*"
    r"|^(?:well|so|yeah|yes|oh|right|okay|ok|and|but)\b,?\s*"
    r"|\[(?:laughs?|laughter|pause|inaudible|crosstalk|sighs?)\]\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """One sentence of a cell's passages, with where it came from."""

    order: int
    text: str
    ref: str


def candidates(passages: Sequence[Passage]) -> list[Candidate]:
    """Every sentence of the passages, each with its own line reference."""
    out: list[Candidate] = []
    for passage in passages:
        for start, end in sentence_spans(passage.text):
            if _theirs(passage.asked_spans, start, end):
                continue  # the interviewer's words are no summary of the case's

            line = passage.line + passage.text.count("\n", 0, start)
            ref = passage.ref if passage.question is not None else f"{passage.source} l.{line}"
            out.append(Candidate(len(out), squash(passage.text[start:end]), ref))
    return out


def _theirs(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether most of text[start:end] lies in the interviewer's turns."""
    inside = sum(min(b, end) - max(a, start) for a, b in spans if a < end and start < b)
    return inside * 2 > end - start


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def shorten(text: str, max_words: int = MAX_WORDS_PER_SENTENCE) -> str:
    """Drop fillers and bracketed noises, then cut to ``max_words`` words."""
    previous = None
    while previous != text:
        previous, text = text, _FILLERS.sub("", text).strip()
    if text:
        text = text[0].upper() + text[1:]
    return cut_words(text, max_words)


def draft(
    passages: Sequence[Passage],
    theme_words: Iterable[str] = (),
    max_sentences: int = MAX_SENTENCES,
    max_words: int = MAX_WORDS_PER_SENTENCE,
) -> str:
    """A draft summary of the passages, or "" when they hold no usable sentence."""
    # a sentence left with no word of substance once its fillers go ("Okay.", "Okay
    # then.", "Oh nice.", "Mmmm ...") would be cited as "." or "Then."
    pool = [c for c in candidates(passages) if words(shorten(c.text))]
    if not pool:
        return ""
    bags = [Counter(words(c.text)) for c in pool]
    centroid: Counter[str] = Counter()
    for bag in bags:
        centroid.update(set(bag))
    focus = {w for phrase in theme_words for w in words(phrase)}
    scored: list[tuple[float, Candidate, set[str]]] = []
    for cand, bag in zip(pool, bags, strict=True):
        score = _cosine(bag, centroid) if len(pool) > 1 else 1.0
        if focus:
            score += 0.5 * len(focus & set(bag)) / len(focus) ** 0.5
        if word_count(cand.text) < MIN_WORDS:
            score *= 0.3
        if cand.text.endswith("?"):
            score *= 0.5
        scored.append((score, cand, set(bag)))
    scored.sort(key=lambda item: (-item[0], item[1].order))
    chosen: list[tuple[Candidate, set[str]]] = []
    for _score, cand, vocab in scored:
        if len(chosen) >= max_sentences:
            break
        if any(_overlap(vocab, other) > 0.6 for _, other in chosen):
            continue  # near-repeats add nothing to a summary
        chosen.append((cand, vocab))
    parts = []
    for cand, _ in sorted(chosen, key=lambda item: item[0].order):
        text = shorten(cand.text, max_words).rstrip()
        if text and text[-1] not in ".!?":
            text = text.rstrip(",;:") + "."
        parts.append(f"{text} ({cand.ref})")
    return " ".join(parts)


def _cosine(bag: Counter[str], centroid: Counter[str]) -> float:
    dot = sum(n * centroid[w] for w, n in bag.items())
    norm = math.sqrt(sum(n * n for n in bag.values())) * math.sqrt(
        sum(n * n for n in centroid.values())
    )
    return dot / norm if norm else 0.0


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
