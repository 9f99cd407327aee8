"""How a matrix sheet's rows are grouped, and each column's count per group ("4 of 6
(the majority)")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qualcode.analysis import counts as counting
from qualcode.domain.matrix import Group, ThemeCount
from qualcode.domain.model import AttrValue
from qualcode.domain.wording import proportion_wording


def group_key(attributes: Mapping[str, AttrValue], by: Sequence[str]) -> tuple[str | None, ...]:
    """The row's values of the grouping attributes (None: not recorded)."""
    if len(by) == 1:  # the usual grouping, without a generator per row
        value = attributes.get(by[0])
        return (None if value is None or value == "" else str(value),)
    return tuple(None if attributes.get(n) in (None, "") else str(attributes.get(n)) for n in by)


def group_order(key: tuple[str | None, ...]) -> tuple[tuple[int, tuple[object, ...]], ...]:
    """How a sheet orders its groups (by each grouping value in turn)."""
    return tuple(counting.group_order(v) for v in key)


def sheet_counts(
    groups: Sequence[Group],
    theme_ids: Sequence[str],
    by: Sequence[str],
    bases: Sequence[set[str]] | None,
    coded: Sequence[set[str]],
) -> list[ThemeCount]:
    """Per column and group: rows with a passage (``coded`` holds each column's cases
    that have one), over the rows in the column's base. Columns sharing a base
    (a framework) share its group totals, worked out once."""
    members = [[row.case for row in group.rows] for group in groups]
    labels = [_count_label(group, by) for group in groups]
    in_base: dict[int, list[list[str]]] = {}  # id(base) -> each group's rows in it
    out: list[ThemeCount] = []
    for i, tid in enumerate(theme_ids):
        if bases is None:
            rows_of = members
        else:
            base = bases[i]
            if id(base) not in in_base:
                in_base[id(base)] = [[c for c in cases if c in base] for cases in members]
            rows_of = in_base[id(base)]
        for label, rows in zip(labels, rows_of, strict=True):
            n = len(coded[i].intersection(rows))
            total = len(rows)
            out.append(ThemeCount(tid, label, n, total, proportion_wording(n, total)))
    return out


def _count_label(group: Group, by: Sequence[str]) -> str | None:
    """The group as ``qualcode matrix --json`` names it."""
    if not by:
        return None
    if len(by) == 1:
        return group.key[0]
    return group.label
