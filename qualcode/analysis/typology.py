"""Types of cases from their theme profiles: hierarchical clustering on Jaccard distance.

Each case is the set of themes it raised. Cases are ordered naturally by id, the
distance between two cases is the Jaccard distance of their sets (two cases raising
nothing are at distance 0), and average-linkage clustering (scipy) is cut into at most
``k`` types. Nothing is random, so the same study gives the same types on every run.
Types are numbered by size (largest first; the first member's id breaks ties).

A type's defining themes are those raised by at least half its members and more often
inside the type than outside it, the largest difference first.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from qualcode.domain.framework import natural_key
from qualcode.domain.mapping import TypeSummary, Typology

LINKAGE = "average"
DEFINING = 3  # defining themes listed per type


def method(k: int) -> str:
    import scipy

    return (
        f"{LINKAGE}-linkage hierarchical clustering of cases on the Jaccard distance "
        f"between their sets of themes, cut into at most {k} types (scipy "
        f"{scipy.__version__}; deterministic, no random start; types numbered by size)"
    )


def build_typology(
    profiles: Mapping[str, Collection[str]],
    themes: Sequence[str],
    k: int,
    names: Mapping[int, str] | None = None,
    kind: str | None = None,
) -> Typology:
    """Cluster the cases of ``profiles`` (case -> themes it raised) into ``k`` types."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    if k < 1:
        raise ValueError("a typology needs at least one type")
    cases = sorted(profiles, key=natural_key)
    column = {t: j for j, t in enumerate(themes)}
    grid = np.zeros((len(cases), len(themes)), dtype=bool)
    for i, case in enumerate(cases):
        for t in profiles[case]:
            if t in column:
                grid[i, column[t]] = True
    if len(cases) < 2 or k == 1:
        labels = np.ones(len(cases), dtype=int)
    else:
        distances = np.nan_to_num(pdist(grid, "jaccard"), nan=0.0)
        labels = fcluster(linkage(distances, method=LINKAGE), t=k, criterion="maxclust")
    members: dict[int, list[str]] = {}
    for case, label in zip(cases, labels, strict=True):
        members.setdefault(int(label), []).append(case)
    ranked = sorted(members.values(), key=lambda ms: (-len(ms), natural_key(ms[0])))
    row = {c: i for i, c in enumerate(cases)}
    types: list[TypeSummary] = []
    for number, group in enumerate(ranked, start=1):
        inside = np.zeros(len(cases), dtype=bool)
        inside[[row[c] for c in group]] = True
        types.append(
            TypeSummary(
                number=number,
                name=(names or {}).get(number, f"Type {number}"),
                members=tuple(group),
                defining=_defining(grid, inside, themes),
            )
        )
    return Typology(k=k, method=method(k), themes=tuple(themes), kind=kind, types=tuple(types))


def _defining(
    grid: object, inside: object, themes: Sequence[str]
) -> tuple[tuple[str, float, float], ...]:
    import numpy as np

    g = np.asarray(grid)
    mask = np.asarray(inside)
    share_in = g[mask].mean(axis=0) if mask.any() else np.zeros(len(themes))
    share_out = g[~mask].mean(axis=0) if (~mask).any() else np.zeros(len(themes))
    found = [
        (themes[j], round(float(share_in[j]), 3), round(float(share_out[j]), 3))
        for j in range(len(themes))
        if share_in[j] >= 0.5 and share_in[j] > share_out[j]
    ]
    found.sort(key=lambda t: (-(t[1] - t[2]), -t[1]))
    return tuple(found[:DEFINING])
