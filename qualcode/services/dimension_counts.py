"""``matrix --dimension``: cases per value of a dimension, per theme and group.

The rows are those a matrix sheet of the theme shows (``kind="auto"``: the cases with
sources of the kind the theme is coded on), grouped as ``qualcode matrix --by`` groups
them; a case counts under the value its chart cell carries or any of its codings of
that theme carries (:func:`qualcode.services.dimensions.held_values`): once among the
cases with a value, and under each value when they disagree (the sentence says how
many do). The .docx report counts the same way from its sheets
(:func:`sheet_dimension_counts`), so the two agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.analysis.counts import group_key, group_order
from qualcode.domain.dimension_wording import dimension_count
from qualcode.domain.dimensions import (
    BUILT_IN,
    Dimension,
    DimensionCount,
    DimensionProblem,
    clean_name,
    did_you_mean,
    theme_dimensions,
)
from qualcode.domain.matrix import MISSING, MatrixSheet, noun
from qualcode.domain.model import AttrValue
from qualcode.errors import InputError
from qualcode.services import dimensions as dims
from qualcode.services import matrix
from qualcode.services import matrix_data as data
from qualcode.services.matrix_data import AUTO, Snapshot
from qualcode.services.study import Study

Values = Mapping[tuple[str, str], Mapping[str, tuple[str, ...]]]


def dimension_counts(
    study: Study,
    dimension: str,
    by: Sequence[str] = (),
    themes: Sequence[str] | None = None,
    kind: str | None = AUTO,
) -> list[DimensionCount]:
    """Per theme with ``dimension`` (or each of ``themes``) and group: cases per value.

    Without ``themes``: every theme that declares the dimension; for the built-in
    ``standing``, every theme where some cell has a standing.
    """
    out: list[DimensionCount] = []
    with study.read() as s:
        snap = data.load(s)
        by = data.check_by(snap, by)
        for scope in rated_themes(s, snap, dimension, themes, kind):
            groups: dict[str | None, list[str]] = {}
            for case, attributes in scope.universe.items():
                groups.setdefault(group_key(attributes, by), []).append(case)
            if not groups:
                groups[None] = []
            tid, name, dim = scope.theme, scope.name, scope.dimension
            held = {c: v[name] for (c, t), v in scope.values.items() if t == tid and name in v}
            for group in sorted(groups, key=group_order):
                label = (group if group is not None else MISSING) if by else None
                declared = dim.values if dim else ()
                who = noun(scope.kinds)
                out.append(dimension_count(tid, name, declared, group, groups[group], held,
                                           who, label))  # fmt: skip
    return out


@dataclass(frozen=True)
class RatedTheme:
    """A theme counted on a dimension: the cases its matrix sheet shows and what they
    hold (every theme's values, to filter)."""

    theme: str
    name: str  # the dimension's clean name
    dimension: Dimension | None  # as declared (None for a built-in one)
    kinds: tuple[str, ...]
    universe: Mapping[str, Mapping[str, AttrValue]]
    values: Values


def rated_themes(
    s: Session, snap: Snapshot, dimension: str, themes: Sequence[str] | None, kind: str | None
) -> Iterator[RatedTheme]:
    """Each theme with ``dimension`` (or each of ``themes``, checked) and the cases
    the theme's matrix sheet (``kind``) shows: what ``matrix --dimension`` and
    ``associations --dimension`` both count over."""
    try:
        name = clean_name(dimension)
    except DimensionProblem as exc:
        raise InputError(str(exc)) from None
    data.check_kind(kind, allow_auto=True)
    declared = dims.declarations_in(s)
    values = dims.held_values_in(s)
    order = [t.id for t in snap.tree.ordered()]
    asked = data.check_themes(snap, themes) if themes else None
    for tid in themes_with_dimension(name, asked, order, declared, values):
        column = (snap.tree.themes[tid], tuple(snap.tree.with_descendants(tid)))
        kinds = matrix.sheet_kinds(snap, [column], kind)
        dim = declared_dimension(declared.get(tid, ()), name)
        yield RatedTheme(tid, name, dim, kinds, snap.universe(kinds), values)


def declared_dimension(dimensions: Sequence[Dimension], name: str) -> Dimension | None:
    return next((d for d in theme_dimensions(dimensions) if d.name == name), None)


def themes_with_dimension(
    name: str,
    asked: Sequence[str] | None,
    order: Sequence[str],
    declared: Mapping[str, Sequence[Dimension]],
    values: Values,
) -> list[str]:
    if asked:
        for tid in asked:
            if declared_dimension(declared.get(tid, ()), name) is None:
                names = [d.name for d in theme_dimensions(declared.get(tid, ()))]
                raise InputError(
                    f"theme {tid!r} has no dimension {name!r}{did_you_mean(name, names)}"
                    f" (declared: {', '.join(names)})"
                )
        return list(asked)
    if any(d.name == name for d in BUILT_IN):
        used = {t for (_, t), v in values.items() if name in v}
        return [t for t in order if t in used]
    found = [t for t in order if declared_dimension(declared.get(t, ()), name) is not None]
    if not found:
        names = sorted({d.name for ds in declared.values() for d in ds} | {"standing"})
        raise InputError(
            f"no theme declares a dimension {name!r}{did_you_mean(name, names)}"
            f" (dimensions: {', '.join(names)})"
        )
    return found


def sheet_dimension_counts(
    sheet: MatrixSheet, declared: Mapping[str, Sequence[Dimension]], values: Values
) -> dict[tuple[str, str], tuple[DimensionCount, ...]]:
    """(column theme, group label) -> a count per dimension with a value in the group,
    over the sheet's own rows (what the .docx report prints)."""
    out: dict[tuple[str, str], tuple[DimensionCount, ...]] = {}
    who = noun(sheet.kinds)
    members = [[row.case for row in group.rows] for group in sheet.groups]  # listed once
    for theme in sheet.themes:
        for dim in theme_dimensions(declared.get(theme.id, ())):
            held = {
                c: v[dim.name] for (c, t), v in values.items() if t == theme.id and dim.name in v
            }
            if not held:  # no case of any group has a value
                continue
            for group, cases in zip(sheet.groups, members, strict=True):
                if not any(c in held for c in cases):
                    continue
                key = group.key[0] if len(sheet.by) == 1 else (group.label if sheet.by else None)
                label = group.label if sheet.by else None
                count = dimension_count(theme.id, dim.name, dim.values, key, cases, held, who,
                                        label)  # fmt: skip
                out[(theme.id, group.label)] = (*out.get((theme.id, group.label), ()), count)
    return out
