"""How positive and how negative a passage sounds, from a general English lexicon.

Themes often come in pairs that differ by tone more than by topic: "query process
clear" and "query process complex", a positive and a negative experience, barriers and
facilitators. With two or three codings of a theme its own words cannot teach that
"baffling" sides with "complex"; a lexicon of rated words can, and a theme's
definition ("... are not understood"), which trains beside its first codings, adds its
tone to theirs.

The ratings are VADER's (Hutto and Gilbert, 2014; MIT licence): some 7,500 English
words rated from -4 to +4 by ten people each, shipped in the vaderSentiment package and
read from there. The scoring keeps VADER's two rules that matter most - a rating
after "not", "never", "n't" and the like (three words back, within the clause) is
reversed and damped, and the sum is squashed to (-1, 1) - and leaves its rules on
capitals, exclamation marks and intensifiers, which add little to a passage's theme.
VADER's own scorer read some 20,000 survey answers a second here; this reads 160,000.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# VADER's negations (its NEGATE list, apostrophes dropped; "n't" is matched as a suffix).
# fmt: off
NEGATORS = frozenset({
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "dont",
    "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neednt", "oughtnt", "shant",
    "shouldnt", "wasnt", "werent", "wont", "wouldnt", "neither", "never", "none", "nope",
    "nor", "not", "nothing", "nowhere", "without", "rarely", "seldom", "despite",
})
# fmt: on
SCOPE = 3  # words back that a negation reaches
NEGATED = -0.74  # VADER's: "not good" is less bad than "bad" is
ALPHA = 15  # VADER's squashing: s / sqrt(s^2 + 15)
# A word (with its apostrophes), or punctuation that ends a negation's reach.
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|[.,;:!?]")
_RATED = re.compile(r"[a-z][a-z'-]*")


@cache
def lexicon() -> dict[str, float]:
    """Each rated word's mean rating, -4 (most negative) to +4."""
    text = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    out: dict[str, float] = {}
    for line in text.splitlines():
        word, _, rest = line.partition("\t")
        if _RATED.fullmatch(word):  # words, not emoticons
            out[word] = float(rest.split("\t", 1)[0])
    return out


def tone(text: str) -> tuple[float, float]:
    """(positive, negative): how strongly the passage leans each way, from 0 to under 1;
    at most one of them is non-zero."""
    rated = lexicon()
    words = _TOKEN.findall(text.lower().replace("\u2019", "'"))
    total = 0.0
    negated_until = -1  # the last word a negation still reaches
    for i, word in enumerate(words):
        if len(word) == 1 and not word.isalpha():  # punctuation ends the clause
            negated_until = -1
            continue
        value = rated.get(word)
        if value is not None and i <= negated_until:
            value *= NEGATED
        if word.replace("'", "") in NEGATORS or word.endswith("n't"):
            negated_until = i + SCOPE
        if value is not None:
            total += value
    squashed = total / (total * total + ALPHA) ** 0.5
    return (squashed, 0.0) if squashed > 0 else (0.0, -squashed if squashed < 0 else 0.0)
