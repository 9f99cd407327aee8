"""How a suggestion's score is written for people: two decimals, never certainty."""

from __future__ import annotations

SHOWN_MAX = 0.99


def shown_score(score: float) -> str:
    """``0.87``. A score that would round to 1.00 reads 0.99: a suggestion, learned from
    codings or matched on keywords, is never certain, and "1.00" invites accepting it
    unread. JSON output keeps the score itself."""
    return f"{min(score, SHOWN_MAX):.2f}"
