"""How a suggestion's score is written for people: two decimals, never certainty."""

from __future__ import annotations

import math

SHOWN_MAX = 0.99


def shown_score(score: float) -> str:
    """``0.87``, rounded down: a score shown as 0.45 is at least 0.45, so a bulk accept
    "at least 0.45" takes every suggestion that shows 0.45 or more and leaves none that
    does. A score that would reach 1.00 reads 0.99: a suggestion, learned from codings
    or matched on keywords, is never certain, and "1.00" invites accepting it unread.
    JSON output keeps the score itself."""
    # scores are stored to four decimals: the nudge keeps 0.87 (0.86999...) at 0.87
    return f"{min(math.floor(score * 100 + 1e-6) / 100, SHOWN_MAX):.2f}"
