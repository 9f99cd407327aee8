"""A suggestion's score as people read it."""

from __future__ import annotations

from qualcode.domain.score_wording import shown_score


def test_a_score_is_two_decimals_and_never_reads_as_certain() -> None:
    assert shown_score(0.873) == "0.87"
    assert shown_score(0.05) == "0.05"
    assert shown_score(0.994) == "0.99"
    assert shown_score(0.9996) == "0.99"  # not 1.00
    assert shown_score(1.0) == "0.99"
