"""Fisher's exact test against scipy, the r x c enumeration, the permutation fallback
and Benjamini-Hochberg, on tables worked out independently."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.stats import PermutationMethod
from scipy.stats import fisher_exact as scipy_fisher

from qualcode.analysis.exact_tests import (
    EXACT_2X2,
    benjamini_hochberg,
    enumerate_p,
    fisher_exact,
    permutation_p,
)


def test_every_small_2x2_equals_scipy() -> None:
    checked = 0
    for a, b, c, d in itertools.product(range(5), repeat=4):
        table = [[a, b], [c, d]]
        if a + b == 0 or c + d == 0 or a + c == 0 or b + d == 0:
            continue  # an empty row or column: no test (checked below)
        ours = fisher_exact(table)
        theirs = scipy_fisher(table)
        assert ours.p_value == float(theirs.pvalue), table
        assert ours.odds_ratio == float(theirs.statistic) or (
            math.isnan(float(theirs.statistic)) and math.isnan(ours.odds_ratio or math.nan)
        )
        assert ours.method == EXACT_2X2
        # the enumeration used for bigger tables agrees on every 2x2 as well
        exact = enumerate_p(table)
        assert exact is not None
        assert exact[0] == pytest.approx(float(theirs.pvalue), rel=1e-9, abs=1e-15)
        checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    "table",
    [[[60, 148], [53, 129], [14, 29], [10, 37]], [[23, 4], [9, 14]], [[0, 12], [9, 3]]],
)
def test_larger_2x2_and_rx2_tables(table: list[list[int]]) -> None:
    exact = enumerate_p(table, limit=10**7)
    assert exact is not None
    if len(table) == 2:
        assert fisher_exact(table).p_value == float(scipy_fisher(table).pvalue)
        assert exact[0] == pytest.approx(float(scipy_fisher(table).pvalue), rel=1e-9)
    assert 0.0 < exact[0] <= 1.0


@pytest.mark.parametrize(
    "table",
    [
        [[2, 1, 0], [0, 1, 2]],
        [[2, 0], [1, 1], [0, 2]],
        [[2, 1, 0], [0, 1, 1], [1, 0, 1]],
    ],
)
def test_rxc_exact_equals_scipy_s_full_permutation_test(table: list[list[int]]) -> None:
    """scipy's permutation test visits every permutation of these few cases, so its
    p-value is exact; ours enumerates tables instead and must agree."""
    ours = fisher_exact(table)
    theirs = scipy_fisher(table, method=PermutationMethod(n_resamples=np.inf))
    assert ours.p_value == pytest.approx(float(theirs.pvalue), rel=1e-9)
    assert ours.method.startswith("Fisher-Freeman-Halton exact test")


def _brute_force_p(table: list[list[int]]) -> float:
    """Every table of the same size with cells up to the largest margin, kept when its
    margins match: slow, but shares no code with the enumeration under test."""
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    whole = sum(rows)

    def prob(t: list[list[int]]) -> float:
        top = math.prod(math.factorial(x) for x in rows + cols)
        cells = math.prod(math.factorial(x) for r in t for x in r)
        return top / (math.factorial(whole) * cells)

    observed = prob(table)
    total = 0.0
    r, c = len(rows), len(cols)
    for flat in itertools.product(
        *(range(min(rows[i // c], cols[i % c]) + 1) for i in range(r * c))
    ):
        t = [list(flat[i * c : (i + 1) * c]) for i in range(r)]
        if [sum(x) for x in t] == rows and [sum(x) for x in zip(*t, strict=False)] == cols:
            p = prob(t)
            if p <= observed * (1 + 1e-7):
                total += p
    return total


def test_rxc_exact_equals_a_brute_force_count() -> None:
    for table in ([[2, 0, 1], [0, 2, 0], [1, 0, 1]], [[4, 0, 1, 2], [1, 3, 2, 0]]):
        exact = enumerate_p(table)
        assert exact is not None
        assert exact[0] == pytest.approx(_brute_force_p(table), rel=1e-9)


def test_a_big_table_falls_back_to_a_seeded_permutation_test() -> None:
    table = [[5, 3, 2], [2, 4, 3], [1, 2, 5]]
    first = fisher_exact(table, limit=100)
    again = fisher_exact(table, limit=100)
    assert first == again  # the seed is fixed: the same p-value every run
    assert first.method.startswith("permutation test")
    assert "seed" in first.method
    exact = enumerate_p(table)
    assert exact is not None
    assert first.p_value == pytest.approx(exact[0], abs=0.02)  # 10,000 shuffles


def test_the_permutation_p_value_of_an_extreme_table_is_small() -> None:
    assert permutation_p([[10, 0, 0], [0, 10, 0], [0, 0, 10]], shuffles=2000) == 1 / 2001


def test_empty_rows_and_columns_leave_no_test() -> None:
    result = fisher_exact([[4, 0], [3, 0]])
    assert result.p_value == 1.0
    assert result.method.startswith("no test")
    assert fisher_exact([[4, 1], [0, 0]]).method.startswith("no test")


def test_benjamini_hochberg_by_hand() -> None:
    # sorted p: 0.01 0.02 0.03 0.04 0.20 (m = 5) -> p*m/rank: .05 .05 .05 .05 .2
    assert benjamini_hochberg([0.04, 0.01, 0.20, 0.03, 0.02]) == pytest.approx(
        [0.05, 0.05, 0.20, 0.05, 0.05]
    )
    # the running minimum from the top: 0.5*3/3=0.5, 0.4*3/2=0.6 -> 0.5, 0.001*3=0.003
    assert benjamini_hochberg([0.4, 0.5, 0.001]) == pytest.approx([0.5, 0.5, 0.003])
    assert benjamini_hochberg([0.9, 0.95]) == pytest.approx([0.95, 0.95])
    assert benjamini_hochberg([]) == []


def test_a_p_value_of_exactly_the_bar_passes_it() -> None:
    """[[0, 3], [0, 3], [3, 1]] has p = 1/20 exactly; summed in floats it comes out
    0.05000000000000017, and a report's comparisons at p <= 0.05 left it out."""
    from fractions import Fraction

    from qualcode.analysis.associations import within
    from qualcode.analysis.exact_tests import fisher_exact

    p = fisher_exact([[0, 3], [0, 3], [3, 1]]).p_value
    assert p > 0.05  # the float sum: the reason for within()
    assert Fraction(p).limit_denominator(1000) == Fraction(1, 20)
    assert within(p, 0.05)
    assert not within(0.0501, 0.05)
