"""A suggestion's score as people read it."""

from __future__ import annotations

from qualcode.domain.score_wording import shown_score


def test_a_score_is_two_decimals_and_never_reads_as_certain() -> None:
    assert shown_score(0.873) == "0.87"
    assert shown_score(0.05) == "0.05"
    assert shown_score(0.994) == "0.99"
    assert shown_score(0.9996) == "0.99"  # not 1.00
    assert shown_score(1.0) == "0.99"


def test_a_score_is_rounded_down_so_a_threshold_read_off_the_list_holds() -> None:
    # 0.4496 is below a bulk accept "at least 0.45": it must not read 0.45
    assert shown_score(0.4496) == "0.44"
    assert shown_score(0.45) == "0.45"
    assert shown_score(0.29) == "0.29"  # 0.29 * 100 is 28.999...
    assert shown_score(0.0) == "0.00"
    for n in range(100):  # every score of two decimals reads as itself
        assert shown_score(n / 100) == f"{n / 100:.2f}"
