"""How sure a share measured on a few cases is: the Wilson score interval."""

from __future__ import annotations

import math

Z95 = 1.959964  # two-sided 95%


def wilson_interval(hits: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``hits`` out of ``n`` (95% by default).

    Unlike the plain p +/- z*sqrt(p(1-p)/n) it never leaves [0, 1] and does not
    shrink to nothing at 0% or 100%: 45 right out of 45 reads 92-100%, not 100-100%.
    """
    if n <= 0:
        raise ValueError("a share of nothing has no interval")
    if not 0 <= hits <= n:
        raise ValueError(f"{hits} hits out of {n}")
    p = hits / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # The interval's ends are exactly 0 and 1 when no or every case hit.
    low = 0.0 if hits == 0 else max(0.0, centre - half)
    high = 1.0 if hits == n else min(1.0, centre + half)
    return low, high
