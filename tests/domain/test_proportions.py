"""The Wilson interval behind "expected precision" in bulk accept."""

from __future__ import annotations

import pytest

from qualcode.domain.proportions import wilson_interval


@pytest.mark.parametrize(
    ("hits", "n", "low", "high"),
    [
        # Published values (Newcombe 1998, table I; Agresti & Coull 1998).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_the_interval_matches_published_values(hits: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(hits, n)
    assert got == pytest.approx((low, high), abs=5e-4)


def test_every_hit_is_not_certainty() -> None:
    low, high = wilson_interval(45, 45)
    assert high == 1.0
    assert 0.91 < low < 0.93  # "100%" from 45 suggestions is 92-100%
    assert wilson_interval(450, 450)[0] > low  # more behind it, narrower


def test_a_share_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing"):
        wilson_interval(0, 0)
    with pytest.raises(ValueError, match="3 hits out of 2"):
        wilson_interval(3, 2)
