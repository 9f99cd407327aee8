"""Dimensions within a theme: declared ranges of views a cell or coding can be placed in.

A theme may declare dimensions in the framework file, e.g. ``stance: [very positive,
mixed, negative]``; every theme also has ``standing: [typical, exceptional]`` (the
"fairly typical" / "lone voice" distinction of a report). Pure values and checks, no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

STANDING = "standing"
STANDING_VALUES = ("typical", "exceptional")
MAX_NAME = 200  # the store's column widths
MAX_VALUE = 500


@dataclass(frozen=True)
class Dimension:
    """A named dimension of a theme and its values, in the order declared."""

    name: str
    values: tuple[str, ...]


BUILT_IN = (Dimension(STANDING, STANDING_VALUES),)


@dataclass(frozen=True)
class DimensionValue:
    """One value set on a chart cell (``coding`` None) or on a coding."""

    case: str
    theme: str
    dimension: str
    value: str
    coder: str
    coding: int | None = None


@dataclass(frozen=True)
class ValueCount:
    value: str
    cases: int
    wording: str


@dataclass(frozen=True)
class DimensionCount:
    """Cases per value of one dimension of one theme within one group.

    ``rated`` is the group's cases that have a value; ``total`` is every case of the
    group; ``values`` follow the declared order (an undeclared stored value comes last).
    ``conflicting``: cases holding more than one value (cell and codings disagree),
    counted under each, so the values' cases may add up to more than ``rated``.
    """

    theme: str
    dimension: str
    group: str | None
    total: int
    rated: int
    values: tuple[ValueCount, ...]
    sentence: str
    conflicting: int = 0


class DimensionProblem(ValueError):
    """A dimension or value that is not declared; the message suggests the nearest."""


def theme_dimensions(declared: Sequence[Dimension]) -> tuple[Dimension, ...]:
    """A theme's own dimensions followed by the built-in ones."""
    return (*declared, *BUILT_IN)


def parse_declaration(raw: object) -> tuple[Dimension, ...]:
    """``{stance: [very positive, mixed], mention: [spontaneous, prompted]}`` as Dimensions.

    Raises DimensionProblem with a message a researcher can act on.
    """
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise DimensionProblem("`dimensions` must be a mapping of name: [values]")
    out: list[Dimension] = []
    for key, values in raw.items():
        name = clean_name(str(key))
        if name == STANDING:
            raise DimensionProblem(
                f"`{STANDING}` is built in ({', '.join(STANDING_VALUES)}); do not declare it"
            )
        if isinstance(values, str):
            values = values.split(",")
        if not isinstance(values, list) or any(isinstance(v, dict | list) for v in values):
            raise DimensionProblem(f"dimension {name!r} needs a list of values")
        cleaned = [str(v).strip() for v in values if v is not None and str(v).strip()]
        if len(cleaned) < 2:
            raise DimensionProblem(f"dimension {name!r} needs at least two values")
        if any(len(v) > MAX_VALUE for v in cleaned):
            raise DimensionProblem(f"dimension {name!r} has a value over {MAX_VALUE} characters")
        if len({v.casefold() for v in cleaned}) != len(cleaned):
            raise DimensionProblem(f"dimension {name!r} lists a value twice")
        out.append(Dimension(name, tuple(cleaned)))
    return tuple(out)


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split()).lower()
    if not cleaned:
        raise DimensionProblem("a dimension needs a name")
    if len(cleaned) > MAX_NAME:
        raise DimensionProblem(f"a dimension name is at most {MAX_NAME} characters")
    return cleaned


def find_dimension(dimensions: Sequence[Dimension], name: str, theme: str) -> Dimension:
    """The dimension called ``name`` (case-insensitive), or a "did you mean" problem."""
    wanted = clean_name(name)
    for dim in dimensions:
        if dim.name == wanted:
            return dim
    names = [d.name for d in dimensions]
    raise DimensionProblem(
        f"theme {theme!r} has no dimension {name!r}{did_you_mean(wanted, names)}"
        f" (declared: {', '.join(names)})"
    )


def check_value(dimension: Dimension, value: str) -> str:
    """The declared spelling of ``value`` (case-insensitive), or a "did you mean" problem."""
    wanted = " ".join(value.split())
    for declared in dimension.values:
        if declared.casefold() == wanted.casefold():
            return declared
    raise DimensionProblem(
        f"{value!r} is not a value of {dimension.name}"
        f"{did_you_mean(wanted, dimension.values)} (values: {', '.join(dimension.values)})"
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    by_fold = {c.casefold(): c for c in choices}
    close = difflib.get_close_matches(word.casefold(), list(by_fold), n=1, cutoff=0.5)
    if not close:
        # a prefix is a good guess too ("pos" for "positive")
        close = [c for c in by_fold if c.startswith(word.casefold())][:1]
    return f"; did you mean {by_fold[close[0]]!r}?" if close else ""


def value_order(dimension: Dimension | None, seen: Iterable[str]) -> list[str]:
    """Declared values first, then any stored value no longer declared, sorted."""
    declared = list(dimension.values) if dimension else []
    extra = sorted({v for v in seen if v not in declared})
    return declared + extra
