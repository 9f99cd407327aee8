"""The agreement statistics against independent computations and published examples."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from qualcode.analysis.agreement import (
    BinaryCounts,
    binary_counts,
    cohen_kappa,
    krippendorff_alpha_nominal,
    merged,
    percent_agreement,
    span_counts,
)
from tests.analysis.independent import alpha_by_pairs

# scikit-learn warns where kappa is undefined; the tests check what it returns then.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

N = None
# Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C: nominal
# data, four observers, twelve units, missing values. The paper reports alpha = 0.743;
# from its coincidence matrix, n = 40 pairable values, sum of o_cc = 32 and
# sum of n_c^2 = 9^2 + 13^2 + 10^2 + 5^2 + 3^2 = 384, so
# alpha = 1 - 39 * (40 - 32) / (1600 - 384) = 1 - 312/1216 = 113/152 exactly.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],  # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],  # observer B
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],  # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],  # observer D
]


def test_krippendorff_alpha_matches_the_published_nominal_example() -> None:
    alpha = krippendorff_alpha_nominal(KRIPPENDORFF_2011)
    assert alpha is not None
    assert round(alpha, 3) == 0.743
    assert alpha == pytest.approx(float(Fraction(113, 152)), abs=1e-15)


@pytest.mark.parametrize("seed", range(25))
def test_alpha_agrees_with_the_pairwise_definition(seed: int) -> None:
    rng = random.Random(seed)
    coders, units = rng.randint(2, 5), rng.randint(2, 40)
    values = rng.sample(["yes", "no", "maybe", 1, 2], rng.randint(2, 4))
    data: list[list[object]] = [
        [rng.choice(values) if rng.random() > 0.25 else None for _ in range(units)]
        for _ in range(coders)
    ]
    expected = alpha_by_pairs(data)
    got = krippendorff_alpha_nominal(data)  # type: ignore[arg-type]
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_kappa_matches_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    a = rng.random(n) < rng.random()
    flip = rng.random(n) < rng.random() * 0.6
    b = a ^ flip
    expected = cohen_kappa_score(a, b)
    got = cohen_kappa(a.tolist(), b.tolist())
    table = binary_counts(a, b)
    if math.isnan(expected):  # scikit-learn: undefined (no variation)
        assert got is None
        assert table.kappa() is None
    else:
        assert got == pytest.approx(expected, abs=1e-12)
        assert table.kappa() == pytest.approx(expected, abs=1e-12)
    assert percent_agreement(a.tolist(), b.tolist()) == pytest.approx(float(np.mean(a == b)))


def test_kappa_with_more_than_two_labels_matches_scikit_learn() -> None:
    rng = random.Random(7)
    a = [rng.choice("abcd") for _ in range(200)]
    b = [x if rng.random() < 0.7 else rng.choice("abcd") for x in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_kappa_edge_cases() -> None:
    assert cohen_kappa([], []) is None
    assert cohen_kappa([True] * 5, [True] * 5) is None  # no variation: undefined
    assert cohen_kappa([False] * 5, [False] * 5) is None
    # Opposite constant coders: p_e = 0, kappa = 0 (as scikit-learn has it).
    assert cohen_kappa([True] * 5, [False] * 5) == cohen_kappa_score([1] * 5, [0] * 5) == 0
    assert cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == 1.0
    with pytest.raises(ValueError, match="rated"):
        cohen_kappa([1, 0], [1])


@pytest.mark.parametrize("seed", range(15))
def test_binary_alpha_from_a_table_equals_the_general_formula(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.random(30) < 0.4
    b = a ^ (rng.random(30) < 0.2)
    general = krippendorff_alpha_nominal([a.tolist(), b.tolist()])
    table = binary_counts(a, b).alpha()
    assert (general is None) == (table is None)
    if general is not None:
        assert table == pytest.approx(general, abs=1e-12)


@pytest.mark.parametrize("seed", range(20))
def test_span_counts_equal_a_character_by_character_count(seed: int) -> None:
    rng = random.Random(seed)
    length = rng.randint(1, 300)

    def spans() -> list[tuple[int, int]]:
        out = []
        for _ in range(rng.randint(0, 4)):
            start = rng.randrange(length)
            out.append((start, rng.randint(start, length)))
        return out

    sa, sb = spans(), spans()
    xa, xb = np.zeros(length, dtype=bool), np.zeros(length, dtype=bool)
    for start, end in sa:
        xa[start:end] = True
    for start, end in sb:
        xb[start:end] = True
    table = span_counts(length, sa, sb)
    assert table == binary_counts(xa, xb)
    expected = cohen_kappa_score(xa, xb) if xa.any() or xb.any() else float("nan")
    if math.isnan(expected) or (xa.all() and xb.all()):
        assert table.kappa() is None
    else:
        assert table.kappa() == pytest.approx(expected, abs=1e-12)


def test_merged_spans() -> None:
    assert merged([(5, 9), (0, 3), (3, 4), (8, 12), (7, 7)]) == [(0, 4), (5, 12)]
    assert BinaryCounts(0, 0, 0, 0).agreement() is None
