"""Comparison sentences and the small-numbers caveat, at their boundaries."""

from __future__ import annotations

import pytest

from qualcode.domain.comparison_wording import comparison_sentence, small_numbers_caveat


def test_the_issue_s_example_reads_as_written() -> None:
    sentence = comparison_sentence(
        "reported recruitment and retention problems",
        ("adult services", 4, 23),
        ("children's services", 14, 27),
    )
    assert sentence == (
        "Fewer cases in adult services (4 of 23) than in children's services (14 of 27) "
        "reported recruitment and retention problems."
    )


def test_more_when_the_first_group_has_the_larger_share_and_count() -> None:
    assert comparison_sentence("raised pay", ("CSD", 9, 10), ("DASS", 3, 10), "interviewees") == (
        "More interviewees in CSD (9 of 10) than in DASS (3 of 10) raised pay."
    )


@pytest.mark.parametrize(
    ("a", "b", "opening"),
    [
        (("A", 5, 30), ("B", 4, 10), "A smaller share of cases"),  # share down, count up
        (("A", 4, 10), ("B", 5, 30), "A larger share of cases"),
        (("A", 4, 10), ("B", 4, 30), "A larger share of cases"),  # equal counts, shares differ
        (("A", 1, 3), ("B", 2, 3), "Fewer cases"),
    ],
)
def test_fewer_or_more_only_when_the_counts_agree_with_the_shares(
    a: tuple[str, int, int], b: tuple[str, int, int], opening: str
) -> None:
    sentence = comparison_sentence("said so", a, b)
    assert sentence.startswith(opening + " in A (")
    assert f"({a[1]} of {a[2]})" in sentence
    assert f"({b[1]} of {b[2]})" in sentence


def test_equal_shares_tie_exactly_without_rounding() -> None:
    assert comparison_sentence("said so", ("A", 4, 8), ("B", 6, 12)) == (
        "The same share of cases in A (4 of 8) as in B (6 of 12) said so."
    )
    assert comparison_sentence("said so", ("A", 1, 3), ("B", 1, 3)) == (
        "As many cases in A (1 of 3) as in B (1 of 3) said so."
    )
    # 1/3 and 333/1000 differ: never called equal through rounding
    assert comparison_sentence("said so", ("A", 333, 1000), ("B", 1, 3)).startswith("A smaller")


@pytest.mark.parametrize("bad", [("A", 0, 0), ("A", 3, 2), ("A", -1, 2)])
def test_impossible_counts_are_refused(bad: tuple[str, int, int]) -> None:
    with pytest.raises(ValueError, match="not a count"):
        comparison_sentence("said so", bad, ("B", 1, 2))


def test_the_caveat_warns_at_each_small_numbers_boundary() -> None:
    big = [6.0, 6.0, 6.0, 6.0]
    assert small_numbers_caveat([10, 10], big).startswith("20 cases in 2 groups")
    assert small_numbers_caveat([10, 9], big).startswith("Small numbers: 19 cases")
    assert small_numbers_caveat([30, 9], big).startswith("Small numbers: 39 cases")
    assert "the smallest has 9" in small_numbers_caveat([30, 9], big)
    under = small_numbers_caveat([30, 30], [4.99, 6.0, 6.0, 6.0])
    assert under.startswith("Small numbers: 60 cases in 2 groups")
    assert "1 of 4 expected counts are under 5" in under
    assert small_numbers_caveat([30, 30], [5.0, 6.0, 6.0, 6.0]).startswith("60 cases")
    assert "not sampled at random" in small_numbers_caveat([30, 30], big)
