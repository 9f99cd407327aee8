"""A case profile against a case attribute: the table, Fisher's test, the wording.

The profile is any case-level value: a theme raised or not (True / False), a dimension
value, a type of a typology. Rows are the attribute's groups (cases without a value
are left out and counted), columns the profile's values. The difference and the
drafted sentence are about one value, the *focus*: the first value for a yes/no
profile, else the value whose share differs most between groups; the sentence sets
the group with the smallest share against the one with the largest.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

from qualcode.analysis.counts import group_order
from qualcode.analysis.exact_tests import benjamini_hochberg, fisher_exact
from qualcode.domain.comparison_wording import comparison_sentence, small_numbers_caveat
from qualcode.domain.mapping import Association, GroupShare
from qualcode.domain.wording import proportion_wording


def associate(
    profile: Mapping[str, Hashable],
    groups: Mapping[str, str | None],
    *,
    subject: str,
    label: str,
    attribute: str,
    values: Sequence[Hashable] | None = None,
    names: Mapping[Hashable, str] | None = None,
    what: Mapping[Hashable, str] | None = None,
    noun: str = "cases",
    kind: str | None = None,
) -> Association:
    """The association of ``profile`` (case -> value) with ``groups`` (case -> group).

    Cases in ``groups`` but not in ``profile`` are left out, as are cases whose group
    is None. ``values`` orders the columns (default: True first for yes/no, else in
    natural order); ``names`` shows them; ``what`` finishes the sentence for a value
    ("raised Agency staff"; default "were <name>").
    """
    cases = [c for c, g in groups.items() if g not in (None, "") and c in profile]
    left_out = sum(1 for c, g in groups.items() if c in profile and g in (None, ""))
    if values is None:
        seen = {profile[c] for c in cases} | set(profile.values())
        if seen <= {True, False}:
            values = [True, False]
        else:
            values = sorted(seen, key=lambda v: group_order(str(v)))
    values = list(values)
    shown = {v: (names or {}).get(v, _default_name(v)) for v in values}
    column = {v: j for j, v in enumerate(values)}
    rows: dict[str, list[int]] = {}
    for c in cases:
        v = profile[c]
        if v not in column:
            continue
        rows.setdefault(str(groups[c]), [0] * len(values))[column[v]] += 1
    order = sorted(rows, key=group_order)
    table = [rows[g] for g in order]
    focus = _focus(table, values)
    shares = [
        GroupShare(
            g,
            tuple(rows[g]),
            sum(rows[g]),
            proportion_wording(rows[g][focus], sum(rows[g])) if table else "",
        )
        for g in order
    ]
    result = fisher_exact(table) if table else None
    focus_value = values[focus] if values else None
    difference, sentence = _compare(
        shares, focus, (what or {}).get(focus_value), shown.get(focus_value, ""), noun
    )
    expected = _expected(table)
    return Association(
        subject=subject,
        label=label,
        attribute=attribute,
        values=tuple(shown[v] for v in values),
        groups=tuple(shares),
        focus=focus,
        test=result.method if result else "no test: no cases to compare",
        p_value=result.p_value if result else 1.0,
        odds_ratio=result.odds_ratio if result else None,
        difference=difference,
        caveat=small_numbers_caveat([s.total for s in shares], expected) if shares else "",
        sentence=sentence,
        left_out=left_out,
        kind=kind,
    )


def _default_name(value: Hashable) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _focus(table: list[list[int]], values: Sequence[Hashable]) -> int:
    if not table or len(values) <= 2:
        return 0
    spreads = []
    for j in range(len(values)):
        shares = [r[j] / sum(r) for r in table if sum(r)]
        spreads.append(max(shares) - min(shares) if shares else 0.0)
    return max(range(len(values)), key=lambda j: (spreads[j], -j))


def _compare(
    shares: list[GroupShare], focus: int, what: str | None, name: str, noun: str
) -> tuple[float, str]:
    """The difference in points (highest share minus lowest) and the sentence."""
    filled = [s for s in shares if s.total]
    if len(filled) < 2:
        return 0.0, ""
    # cross-multiplied, so equal shares tie exactly; natural order breaks ties
    low = min(filled, key=lambda s: Fraction(s.counts[focus], s.total))
    high = max(reversed(filled), key=lambda s: Fraction(s.counts[focus], s.total))
    difference = round(100.0 * (high.share(focus) - low.share(focus)), 1)
    sentence = comparison_sentence(
        what or f"were {name}",
        (low.group, low.counts[focus], low.total),
        (high.group, high.counts[focus], high.total),
        noun,
    )
    return difference, sentence


def _expected(table: list[list[int]]) -> list[float]:
    if not table:
        return []
    whole = sum(map(sum, table))
    cols = [sum(c) for c in zip(*table, strict=True)]
    return [sum(r) * c / whole for r in table for c in cols] if whole else []


def within(p: float, threshold: float) -> bool:
    """``p <= threshold`` for a p-value summed from many table probabilities: an exact
    6/120 comes out 0.05000000000000024, and a test at p = 0.05 must pass a 0.05 bar."""
    return p <= threshold * (1 + 1e-9)


def with_fdr(found: Sequence[Association], rate: float | None) -> list[Association]:
    """Benjamini-Hochberg q-values across a sweep (tested associations only); with a
    ``rate``, ``passes`` says which stay under it."""
    tested = [i for i, a in enumerate(found) if not a.test.startswith("no test")]
    q = benjamini_hochberg([found[i].p_value for i in tested])
    out = list(found)
    for i, value in zip(tested, q, strict=True):
        passes = None if rate is None else within(value, rate)
        out[i] = replace(out[i], q_value=value, passes=passes)
    return out


def by_strength(found: Sequence[Association]) -> list[Association]:
    """Smallest p-value first; the larger difference breaks ties."""
    return sorted(found, key=lambda a: (a.p_value, -a.difference, a.subject))
