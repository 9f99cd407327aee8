"""What a passage does beside what it is about: asks a question, or wishes and suggests.

A think-aloud participant who asks "where is the export button?" is lost; a manager who
says "they should fund the posts" or "it would help if" is recommending. Frameworks
have themes for both (confusion, a task unclear; suggestions, recommendations, what
could be better), and their words are the commonest of English - "should", "would",
"need" are stop words to the word block - so a theme coded two or three times cannot
learn them from its codings. Two columns say how much of each a passage holds:
question marks, and the modal verbs and phrases of wishing and suggesting, each count
squashed as n / (n + 1).
"""

from __future__ import annotations

import re

_QUESTION = re.compile(r"\?")
_WISH = re.compile(
    r"\b(?:should|shouldn't|could|would|might|ought|need|needs|needed|wish|hope|prefer"
    r"|suggest|suggestion|recommend|better if|if only|would like|i'd like|it'd be)\b"
)


def mood(text: str) -> tuple[float, float]:
    """(asks, wishes): how much the passage asks and how much it wishes or suggests,
    each from 0 (not at all) towards 1."""
    lowered = text.lower().replace("\u2019", "'")
    asks = len(_QUESTION.findall(lowered))
    wishes = len(_WISH.findall(lowered))
    return asks / (asks + 1.0), wishes / (wishes + 1.0)
