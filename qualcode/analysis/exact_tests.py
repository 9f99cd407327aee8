"""Fisher's exact test on tables of cases, and Benjamini-Hochberg across a sweep.

- 2x2: scipy's ``fisher_exact`` (two-sided), so the p-value is scipy's to the bit.
- r x c: the Fisher-Freeman-Halton exact test - every table with the observed row and
  column totals is enumerated and the probabilities of those no more likely than the
  observed one are summed (the same definition scipy uses). When there would be more
  than ``limit`` tables, a permutation test with a fixed seed estimates the same
  p-value instead, and the method says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

EXACT_2X2 = "Fisher's exact test (2x2, two-sided)"
EXACT_RXC = "Fisher-Freeman-Halton exact test ({r}x{c}, all {n} tables enumerated)"
PERMUTATION = "permutation test of Fisher's statistic ({r}x{c}, {b} shuffles, seed {seed})"
TOLERANCE = 1 + 1e-7  # tables this close to the observed probability count as extreme
LIMIT = 1_000_000  # r x 2 tables (numpy); other shapes stop at LIMIT_ANY
LIMIT_ANY = 50_000
SHUFFLES = 10_000
SEED = 20_160_516


@dataclass(frozen=True)
class TestResult:
    p_value: float
    method: str
    odds_ratio: float | None = None


def _log_factorial(n: int) -> float:
    return math.lgamma(n + 1)


def table_log_probability(table: Sequence[Sequence[int]]) -> float:
    """log P(table | its margins) under independence (the multivariate hypergeometric)."""
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    whole = sum(rows)
    top = sum(map(_log_factorial, rows)) + sum(map(_log_factorial, cols))
    return top - _log_factorial(whole) - sum(_log_factorial(x) for r in table for x in r)


def _trim(table: Sequence[Sequence[int]]) -> list[list[int]]:
    """Rows and columns with no cases carry no information: leave them out."""
    rows = [list(r) for r in table if sum(r)]
    if not rows:
        return []
    keep = [j for j in range(len(rows[0])) if any(r[j] for r in rows)]
    return [[r[j] for j in keep] for r in rows]


def fisher_exact(
    table: Sequence[Sequence[int]],
    limit: int = LIMIT,
    shuffles: int = SHUFFLES,
    seed: int = SEED,
) -> TestResult:
    """Two-sided Fisher's exact test of a table of counts (rows: groups)."""
    cells = _trim(table)
    r = len(cells)
    c = len(cells[0]) if cells else 0
    if r < 2 or c < 2:
        return TestResult(1.0, f"no test: the table has only {max(r, 0)}x{max(c, 0)} filled")
    if r == 2 and c == 2:
        from scipy.stats import fisher_exact as scipy_fisher

        result = scipy_fisher(cells, alternative="two-sided")
        return TestResult(float(result.pvalue), EXACT_2X2, float(result.statistic))
    exact = enumerate_p(cells, limit if c == 2 else min(limit, LIMIT_ANY))
    if exact is not None:
        p, n = exact
        return TestResult(p, EXACT_RXC.format(r=r, c=c, n=f"{n:,}"))
    p = permutation_p(cells, shuffles, seed)
    return TestResult(p, PERMUTATION.format(r=r, c=c, b=f"{shuffles:,}", seed=seed))


def enumerate_p(table: Sequence[Sequence[int]], limit: int = LIMIT) -> tuple[float, int] | None:
    """The exact two-sided p-value and the number of tables, or None past ``limit``."""
    if len(table[0]) == 2:
        return _enumerate_two_columns(table, limit)
    return _enumerate_any(table, limit)


def _enumerate_two_columns(table: Sequence[Sequence[int]], limit: int) -> tuple[float, int] | None:
    """r x 2 (a theme raised or not, by group) with numpy: the tables are the ways of
    spreading the first column's total over the rows, built up row by row."""
    import numpy as np
    from scipy.special import gammaln

    rows = [sum(r) for r in table]
    first = sum(r[0] for r in table)
    whole = sum(rows)
    const = float(gammaln(np.array(rows) + 1).sum()) + _log_factorial(first)
    const += _log_factorial(whole - first) - _log_factorial(whole)
    threshold = table_log_probability(table) + math.log(TOLERANCE)
    sums = np.zeros(1, dtype=np.int64)
    acc = np.zeros(1)
    for i, size in enumerate(rows[:-1]):
        after = sum(rows[i + 1 :])
        top = np.minimum(size, first - sums)
        counts = top + 1
        if int(counts.sum()) > limit:
            return None
        x = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        sums = np.repeat(sums, counts) + x
        acc = np.repeat(acc, counts) + gammaln(x + 1) + gammaln(size - x + 1)
        possible = sums + after >= first  # the remaining rows can still take the rest
        sums, acc = sums[possible], acc[possible]
    last = first - sums
    fits = (last >= 0) & (last <= rows[-1])
    last, acc = last[fits], acc[fits]
    logp = const - acc - gammaln(last + 1) - gammaln(rows[-1] - last + 1)
    total = float(np.exp(logp[logp <= threshold]).sum())
    return min(total, 1.0), len(logp)


def _enumerate_any(table: Sequence[Sequence[int]], limit: int) -> tuple[float, int] | None:
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    whole = sum(rows)
    const = sum(map(_log_factorial, rows)) + sum(map(_log_factorial, cols))
    const -= _log_factorial(whole)
    observed = table_log_probability(table)
    threshold = observed + math.log(TOLERANCE)
    lf = [_log_factorial(i) for i in range(whole + 1)]
    total = 0.0
    count = 0
    n_rows, n_cols = len(rows), len(cols)

    def fill_row(i: int, left: list[int], acc: float) -> bool:
        """Fill row i (and the rest) given the column totals still ``left``."""
        nonlocal total, count
        if i == n_rows - 1:  # the last row is what the columns leave
            logp = const - acc - sum(lf[x] for x in left)
            count += 1
            if logp <= threshold:
                total += math.exp(logp)
            return count <= limit
        return fill_cell(i, 0, rows[i], left, acc)

    def fill_cell(i: int, j: int, remaining: int, left: list[int], acc: float) -> bool:
        if j == n_cols - 1:
            if remaining > left[j]:
                return True
            left[j] -= remaining
            ok = fill_row(i + 1, left, acc + lf[remaining])
            left[j] += remaining
            return ok
        room_after = sum(left[j + 1 :])
        for x in range(max(0, remaining - room_after), min(remaining, left[j]) + 1):
            left[j] -= x
            ok = fill_cell(i, j + 1, remaining - x, left, acc + lf[x])
            left[j] += x
            if not ok:
                return False
        return True

    if not fill_row(0, list(cols), 0.0):
        return None
    return min(total, 1.0), count


def permutation_p(
    table: Sequence[Sequence[int]], shuffles: int = SHUFFLES, seed: int = SEED
) -> float:
    """Shuffle the cases over the groups, keeping both margins; the p-value is
    (1 + shuffles at most as likely as observed) / (1 + shuffles).

    A shuffle's table is drawn directly (Patefield's algorithm, ``scipy.stats.
    random_table``): it has the same distribution as the table of a random permutation
    of the cases, and costs the same for 30 cases as for 10,000.
    """
    import numpy as np
    from scipy.special import gammaln
    from scipy.stats import random_table

    rows = [sum(row) for row in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    drawn = random_table(rows, cols, seed=np.random.default_rng(seed)).rvs(
        shuffles, method="patefield"
    )
    observed = sum(_log_factorial(x) for row in table for x in row)
    # a table is at least as extreme when its probability is no larger, i.e. when the
    # sum of log cell factorials is no smaller (the margins' part is the same)
    bar = observed - math.log(TOLERANCE)
    extreme = int((gammaln(drawn + 1).sum(axis=(1, 2)) >= bar).sum())
    return (1 + extreme) / (1 + shuffles)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p-values (q-values) controlling the false discovery rate, in input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    out = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        out[i] = min(running, 1.0)
    return out
