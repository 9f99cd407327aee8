"""Independent reference computations for the agreement tests (no qualcode code)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from itertools import permutations

from sklearn.metrics import cohen_kappa_score


def alpha_by_pairs(data: list[list[object]]) -> float | None:
    """Krippendorff's alpha (nominal) straight from the definition with exact fractions:
    every ordered pair of values within a unit, weighted 1/(m_u - 1)."""
    observed: dict[tuple[object, object], Fraction] = {}
    for unit in zip(*data, strict=True):
        values = [v for v in unit if v is not None]
        if len(values) < 2:
            continue
        for x, y in permutations(values, 2):
            observed[(x, y)] = observed.get((x, y), Fraction(0)) + Fraction(1, len(values) - 1)
    n_c: dict[object, Fraction] = {}
    for (x, _y), w in observed.items():
        n_c[x] = n_c.get(x, Fraction(0)) + w
    n = sum(n_c.values())
    disagree = sum(w for (x, y), w in observed.items() if x != y)
    expected = sum(n_c[x] * n_c[y] for x in n_c for y in n_c if x != y)
    if not expected:
        return None
    return float(1 - (n - 1) * disagree / expected)


def sklearn_kappa(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """scikit-learn's kappa, with its NaN for "undefined" turned into None."""
    if not a:
        return None
    value = float(cohen_kappa_score(list(a), list(b), labels=[False, True]))
    return None if math.isnan(value) else value
