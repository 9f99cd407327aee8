"""Key phrases and distinctive terms of a set of passages.

Key phrases are noun-ish n-grams (1-3 content words, not starting or ending in a
generic word; with a trained spaCy pipeline, ending in a noun), ranked by how many
passages use them, longer phrases favoured and sub-phrases folded into them.

Distinctive terms compare two groups of passages with the weighted log-odds ratio
with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008): the prior is the
whole study's word frequencies, which keeps rare words from topping the list, the
usual failure of plain ratios (and of G2 ranking) on small corpora; z > 1.96 is the
conventional mark of a real difference.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.nlp.normalise import Analysed

GENERIC = frozenset(
    [
        "think",
        "guess",
        "suppose",
        "know",
        "say",
        "get",
        "go",
        "mean",
        "want",
        "really",
        "just",
        "actually",
        "lot",
        "thing",
        "things",
        "way",
        "bit",
        "kind",
        "sort",
        "good",
        "bad",
        "big",
        "little",
        "able",
        "need",
        "use",
        "come",
        "look",
        "try",
        "make",
        "let",  # "let's see", "let me": talk, not a topic
        "tell",
        "feel",
        "probably",
        "obviously",
        "maybe",
        "perhaps",
        "yes",
        "yeah",
        "okay",
        "ok",
        # talk that fills a think-aloud, not a topic: serdif's biggest candidate theme was
        # "Oh (sorry, fine)", 431 passages
        "oh",
        "ah",
        "um",
        "uh",
        "erm",
        "hmm",
        "mm",
        "mmm",
        "sorry",
        "fine",
        "alright",
        "cool",
        "wow",
        "right",
        "sure",
        "certainly",
        "quite",
        "pretty",
        "year",
        "time",
        "people",
        "work",
        "day",
        "week",
        "month",
        "try",
        "well",
        "great",
        "much",
        "many",
        "more",
        "less",
        "most",
        "few",
        "first",
        "last",
        "back",
        "part",
        "full",
        "off",
        "top",
        "like",
        "issue",
        "point",
        "fact",
        "area",
        "level",
        "number",
        "sense",
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "without",
        "cent",
        "per",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "thousand",
        "million",
    ]
)
Span = tuple[int, int, int]  # document, first token, length


@dataclass(frozen=True)
class PhraseCount:
    tokens: tuple[str, ...]
    count: int  # occurrences
    documents: tuple[int, ...]  # indices of documents using it
    spans: tuple[Span, ...]  # where it occurs (for surface forms and examples)


def key_phrases(
    docs: Sequence[Analysed],
    top: int = 20,
    max_n: int = 3,
    nouns: frozenset[str] | None = None,
    min_documents: int = 2,
) -> list[PhraseCount]:
    """The most used noun-ish phrases of ``docs``."""
    counts: Counter[tuple[str, ...]] = Counter()
    where: dict[tuple[str, ...], list[Span]] = {}
    for d, doc in enumerate(docs):
        toks = doc.tokens
        for n in range(1, max_n + 1):
            for i in range(len(toks) - n + 1):
                gram = toks[i : i + n]
                if not _nounish(gram, nouns) or not _close(doc, i, n):
                    continue
                counts[gram] += 1
                where.setdefault(gram, []).append((d, i, n))
    scored = []
    for gram, count in counts.items():
        documents = tuple(sorted({d for d, _, _ in where[gram]}))
        if len(documents) < min_documents:
            continue
        scored.append((len(documents) * (1 + 0.8 * (len(gram) - 1)), gram, count, documents))
    scored.sort(key=lambda s: (-s[0], s[1]))
    pool = scored[: top * 6]
    chosen: list[PhraseCount] = []
    for _, gram, count, documents in pool:
        # Fold a phrase into a longer one that accounts for most of its uses
        # ("social" and "workers" into "social workers").
        if any(_inside(gram, other) and c >= 0.5 * count for _, other, c, _ in pool):
            continue
        chosen.append(PhraseCount(gram, count, documents, tuple(where[gram])))
        if len(chosen) >= top:
            break
    return chosen


def _nounish(gram: tuple[str, ...], nouns: frozenset[str] | None) -> bool:
    if gram[0] in GENERIC or gram[-1] in GENERIC:
        return False
    if any(t == "£" or t.isdigit() for t in gram):
        return False
    if len(gram) == 1 and len(gram[0]) < 3:
        return False
    return nouns is None or gram[-1] in nouns


def _close(doc: Analysed, i: int, n: int, gap: int = 10) -> bool:
    """Whether the phrase's words stand close together in the original text."""
    return all(doc.spans[j + 1][0] - doc.spans[j][1] <= gap for j in range(i, i + n - 1))


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


@dataclass(frozen=True)
class TermContrast:
    term: str
    group_count: int
    other_count: int
    group_rate: float  # per 1,000 content words
    other_rate: float
    z: float  # positive: used more in the group


def distinctive_terms(
    group: Sequence[Analysed],
    other: Sequence[Analysed],
    background: Sequence[Analysed],
    top: int = 20,
    prior_total: float = 500.0,
    min_count: int = 3,
) -> list[TermContrast]:
    """Terms (words and two-word phrases) most over-used in ``group`` against
    ``other``, by weighted log-odds with an informative Dirichlet prior from
    ``background``; the most under-used ones follow with negative z."""
    ga, gb, bg = _grams(group), _grams(other), _grams(background)
    na, nb, nbg = sum(ga.values()), sum(gb.values()), sum(bg.values()) or 1
    if not na or not nb:
        return []
    out = []
    for term in set(ga) | set(gb):
        ya, yb = ga.get(term, 0), gb.get(term, 0)
        if ya + yb < min_count:
            continue
        alpha = prior_total * (bg.get(term, 0) + 1) / (nbg + len(bg))
        a0 = prior_total
        delta = math.log((ya + alpha) / (na + a0 - ya - alpha)) - math.log(
            (yb + alpha) / (nb + a0 - yb - alpha)
        )
        z = delta / math.sqrt(1 / (ya + alpha) + 1 / (yb + alpha))
        out.append(
            TermContrast(
                " ".join(term),
                ya,
                yb,
                1000 * ya / _words(group),
                1000 * yb / _words(other),
                round(z, 3),
            )
        )
    out.sort(key=lambda t: (-t.z, t.term))  # a tie in the term order, not the hash order
    over = [t for t in out if t.z > 0][:top]
    under = [t for t in reversed(out) if t.z < 0][:top]
    return over + under


def _grams(docs: Sequence[Analysed]) -> Counter[tuple[str, ...]]:
    c: Counter[tuple[str, ...]] = Counter()
    for doc in docs:
        toks = doc.tokens
        c.update((t,) for t in toks if len(t) > 2 and t not in GENERIC)
        c.update(
            toks[i : i + 2]
            for i in range(len(toks) - 1)
            if toks[i] not in GENERIC and toks[i + 1] not in GENERIC and _close(doc, i, 2)
        )
    return c


def _words(docs: Sequence[Analysed]) -> int:
    return max(1, sum(len(d.tokens) for d in docs))
