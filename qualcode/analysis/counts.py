"""Cases per theme and group with pandas: the numbers behind "n of N" report wording.

Inputs are plain rows (the services load them); outputs are domain values. A theme
counts the codings of its sub-themes: each coding is rolled up to every requested
theme among its own theme and that theme's ancestors, and a case counts once per
theme however many of its passages are coded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from qualcode.domain.framework import FrameworkTree, natural_key
from qualcode.domain.matrix import GROUP_SEP, MISSING, Comparison, ThemeCount
from qualcode.domain.model import AttrValue
from qualcode.domain.wording import proportion_wording

if TYPE_CHECKING:
    import pandas as pd

_NO_VALUE = "\x00"  # stands for a missing attribute inside pandas (NaN keys get dropped)


def group_key(attributes: Mapping[str, AttrValue], by: Sequence[str]) -> str | None:
    """The group a case falls in: its value of ``by`` (several joined by " / ").

    None without ``by``, and for a case that lacks the single grouping attribute.
    """
    if not by:
        return None
    values = [attributes.get(name) for name in by]
    if len(by) == 1:
        return None if values[0] in (None, "") else str(values[0])
    return GROUP_SEP.join(MISSING if v in (None, "") else str(v) for v in values)


def group_order(value: str | None) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """Groups sort naturally ("2" before "10"); cases without a value come last."""
    return (1, ()) if value is None else (0, natural_key(value))


def rollup(tree: FrameworkTree, themes: Iterable[str]) -> dict[str, list[str]]:
    """For every theme of the tree, the requested themes its codings count towards."""
    wanted = set(themes)
    out: dict[str, list[str]] = {}
    for tid in tree.themes:
        targets = [t for t in (tid, *tree.ancestors(tid)) if t in wanted]
        if targets:
            out[tid] = targets
    return out


def case_theme_pairs(
    codings: Iterable[tuple[str, str]], tree: FrameworkTree, themes: Sequence[str]
) -> pd.DataFrame:
    """Distinct (theme, case) pairs: ``codings`` are (case, coded theme) rows."""
    import pandas as pd

    frame = pd.DataFrame(list(codings), columns=["case", "coded"], dtype=object)
    frame = frame.drop_duplicates()
    targets = rollup(tree, themes)
    frame["theme"] = frame["coded"].map(targets)
    frame = frame.dropna(subset=["theme"]).explode("theme")
    return frame[["theme", "case"]].drop_duplicates()


def count_cases(
    cases: Mapping[str, Mapping[str, AttrValue]],
    codings: Iterable[tuple[str, str]],
    tree: FrameworkTree,
    themes: Sequence[str],
    by: Sequence[str] = (),
) -> list[ThemeCount]:
    """Per theme (in the given order) and group: distinct cases, group total, wording.

    ``cases`` is the universe (case id -> attributes): codings of other cases are
    ignored, and every group of the universe appears for every theme, with 0 cases
    where nobody raised the theme.
    """
    import pandas as pd

    universe = pd.DataFrame(
        {
            "case": pd.Series(list(cases), dtype=object),
            "group": pd.Series(
                [group_key(attrs, by) or _NO_VALUE for attrs in cases.values()], dtype=object
            ),
        }
    )
    totals = universe.groupby("group", sort=False)["case"].size()
    pairs = case_theme_pairs(codings, tree, themes).merge(universe, on="case", how="inner")
    hits = pairs.groupby(["theme", "group"], sort=False)["case"].nunique()
    counts: dict[tuple[str, str], int] = {
        (str(theme), str(group)): int(n) for (theme, group), n in hits.items()
    }
    groups = sorted(
        (str(g) for g in totals.index), key=lambda g: group_order(None if g == _NO_VALUE else g)
    )
    if not groups:
        groups = [_NO_VALUE]
    out: list[ThemeCount] = []
    for theme in themes:
        for group in groups:
            n = counts.get((theme, group), 0)
            total = int(totals.get(group, 0))
            label = None if group == _NO_VALUE else group
            out.append(ThemeCount(theme, label, n, total, proportion_wording(n, total)))
    return out


def compare(
    counts: Sequence[ThemeCount], labels: Mapping[str, str], a: str, b: str
) -> list[Comparison]:
    """Two groups of the same counts side by side, theme by theme."""
    by_key = {(c.theme, c.group): c for c in counts}
    themes = list(dict.fromkeys(c.theme for c in counts))
    return [
        Comparison(theme, labels.get(theme, theme), by_key[(theme, a)], by_key[(theme, b)])
        for theme in themes
    ]


def rank(counts: Sequence[ThemeCount], order: Sequence[str]) -> list[ThemeCount]:
    """Themes with at least one case, most cases first (framework order breaks ties)."""
    position = {tid: i for i, tid in enumerate(order)}
    raised = [c for c in counts if c.cases > 0]
    return sorted(raised, key=lambda c: (-c.cases, position.get(c.theme, len(position))))
