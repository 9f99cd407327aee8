"""Inter-coder agreement statistics: Cohen's kappa, percentage agreement and
Krippendorff's alpha (nominal), on labels or on character spans.

Pure functions over plain sequences; no database. Undefined statistics (no variation
in the data, so chance agreement is already perfect) are ``None``, never NaN.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

Span = tuple[int, int]


def _labels(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    if len(a) != len(b):
        raise ValueError(f"the two coders rated {len(a)} and {len(b)} units")
    # Map labels to small integers so that any hashable label works with numpy.
    codes: dict[Hashable, int] = {}
    xa = np.fromiter((codes.setdefault(v, len(codes)) for v in a), dtype=np.int64, count=len(a))
    xb = np.fromiter((codes.setdefault(v, len(codes)) for v in b), dtype=np.int64, count=len(b))
    return xa, xb


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Share of units on which both coders gave the same label (None for no units)."""
    xa, xb = _labels(a, b)
    if not len(xa):
        return None
    return float(np.count_nonzero(xa == xb)) / len(xa)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' labels for the same units.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed share of agreement and
    p_e = sum over labels of p_A(label) * p_B(label). ``None`` when p_e is 1 (both
    coders gave one and the same label to every unit) or there are no units.
    """
    xa, xb = _labels(a, b)
    n = len(xa)
    if n == 0:
        return None
    k = int(max(xa.max(), xb.max())) + 1
    agree = int(np.count_nonzero(xa == xb))
    chance = int(np.dot(np.bincount(xa, minlength=k), np.bincount(xb, minlength=k)))
    # Whole numbers until the last step: (n*agree - chance) / (n*n - chance).
    denominator = n * n - chance
    if denominator == 0:
        return None
    return (n * agree - chance) / denominator


@dataclass(frozen=True)
class BinaryCounts:
    """A 2x2 table of two coders' yes/no decisions over the same units."""

    both: int  # both coders said yes
    only_a: int
    only_b: int
    neither: int

    @property
    def units(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    def agreement(self) -> float | None:
        n = self.units
        return (self.both + self.neither) / n if n else None

    def kappa(self) -> float | None:
        """Cohen's kappa from the table (the same formula as :func:`cohen_kappa`)."""
        n = self.units
        yes_a, yes_b = self.both + self.only_a, self.both + self.only_b
        chance = yes_a * yes_b + (n - yes_a) * (n - yes_b)
        denominator = n * n - chance
        if n == 0 or denominator == 0:
            return None
        return (n * (self.both + self.neither) - chance) / denominator

    def alpha(self) -> float | None:
        """Krippendorff's alpha (nominal) of the table: each unit has two values."""
        n = 2 * self.units
        ones = 2 * self.both + self.only_a + self.only_b
        zeros = n - ones
        expected = n * n - ones * ones - zeros * zeros
        if expected == 0:
            return None
        return 1 - (n - 1) * 2 * (self.only_a + self.only_b) / expected


def binary_counts(a: Sequence[bool], b: Sequence[bool]) -> BinaryCounts:
    xa, xb = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if xa.shape != xb.shape:
        raise ValueError(f"the two coders rated {xa.size} and {xb.size} units")
    return BinaryCounts(
        both=int(np.count_nonzero(xa & xb)),
        only_a=int(np.count_nonzero(xa & ~xb)),
        only_b=int(np.count_nonzero(~xa & xb)),
        neither=int(np.count_nonzero(~xa & ~xb)),
    )


def krippendorff_alpha_nominal(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data, any number of coders, missing values allowed.

    ``data`` has one row per coder and one column per unit; ``None`` is a missing value.
    Units with fewer than two values are not pairable and are left out. With n pairable
    values, o_cc the coincidences of value c with itself and n_c the count of value c:

        alpha = 1 - (n - 1) * (n - sum_c o_cc) / (n^2 - sum_c n_c^2)

    ``None`` when there is no variation (a single value) or nothing pairable.
    """
    rows = [list(r) for r in data]
    if not rows:
        return None
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise ValueError("every coder needs a value (or None) for every unit")
    codes: dict[Hashable, int] = {}
    for r in rows:
        for v in r:
            if v is not None:
                codes.setdefault(v, len(codes))
    if not codes:
        return None
    counts = np.zeros((width, len(codes)), dtype=np.int64)  # units x values
    for r in rows:
        for unit, v in enumerate(r):
            if v is not None:
                counts[unit, codes[v]] += 1
    m = counts.sum(axis=1)
    pairable = counts[m >= 2]
    m = m[m >= 2]
    if not len(m):
        return None
    n = int(m.sum())
    per_value = pairable.sum(axis=0)
    expected = n * n - int(np.dot(per_value, per_value))
    if expected == 0:
        return None
    observed_same = float(((pairable * (pairable - 1)).sum(axis=1) / (m - 1)).sum())
    return 1 - (n - 1) * (n - observed_same) / expected


# --- character spans ----------------------------------------------------------------


def merged(spans: Iterable[Span]) -> list[Span]:
    """Overlapping or touching spans joined; empty spans dropped."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def covered(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in merged(spans))


def overlap(a: Iterable[Span], b: Iterable[Span]) -> int:
    """Characters covered by both span sets."""
    xs, ys = merged(a), merged(b)
    i = j = total = 0
    while i < len(xs) and j < len(ys):
        lo, hi = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if lo < hi:
            total += hi - lo
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return total


def span_counts(length: int, a: Iterable[Span], b: Iterable[Span]) -> BinaryCounts:
    """Character-level 2x2 table over a unit of ``length`` characters (spans inside it)."""
    xa, xb = merged(a), merged(b)
    both = overlap(xa, xb)
    ca, cb = covered(xa), covered(xb)
    return BinaryCounts(
        both=both, only_a=ca - both, only_b=cb - both, neither=length - ca - cb + both
    )


def add_counts(tables: Iterable[BinaryCounts]) -> BinaryCounts:
    both = only_a = only_b = neither = 0
    for t in tables:
        both, only_a = both + t.both, only_a + t.only_a
        only_b, neither = only_b + t.only_b, neither + t.neither
    return BinaryCounts(both, only_a, only_b, neither)
