"""Dimensions within themes: declaring them, and placing chart cells and codings on them.

A theme's dimensions are those its framework file declares plus the built-in
``standing`` (typical / exceptional). A cell (case x theme) or a coding carries at most
one value per dimension; values are checked against the declaration, with a "did you
mean" for a near miss. Every change is audited, so undo takes it back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.dimensions import (
    Dimension,
    DimensionProblem,
    DimensionValue,
    check_value,
    find_dimension,
    theme_dimensions,
)
from qualcode.errors import InputError, NotFoundError
from qualcode.services.study import Study
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.models import utcnow
from qualcode.store.queries import dimensions as dims_q

CELL = "dimension"
CODING = "coding dimension"
DECLARATION = "dimensions"


def _declared(rows: Sequence[m.ThemeDimensionRow]) -> tuple[Dimension, ...]:
    return tuple(Dimension(r.name, tuple(r.values or ())) for r in rows)


def declarations(study: Study) -> dict[str, tuple[Dimension, ...]]:
    """Theme id -> its declared dimensions (without the built-in ones), for every theme
    that declares any."""
    with study.read() as s:
        return declarations_in(s)


def declarations_in(s: Session) -> dict[str, tuple[Dimension, ...]]:
    out: dict[str, list[m.ThemeDimensionRow]] = {}
    for row in dims_q.declared_rows(s):
        out.setdefault(row.theme_id, []).append(row)
    return {tid: _declared(rows) for tid, rows in out.items()}


def dimensions_of(study: Study, theme: str) -> tuple[Dimension, ...]:
    """A theme's dimensions: its declared ones, then ``standing``."""
    with study.read() as s:
        return _dimensions_in(s, theme)


def _dimensions_in(s: Session, theme: str) -> tuple[Dimension, ...]:
    if s.get(m.ThemeRow, theme) is None:
        raise NotFoundError(f"no theme {theme!r}")
    return theme_dimensions(_declared(dims_q.declared_rows(s, theme)))


def _state(dims: Sequence[Dimension]) -> list[list[Any]]:
    return [[d.name, list(d.values)] for d in dims]


def declare(study: Study, theme: str, dimensions: Sequence[Dimension]) -> None:
    """Replace the dimensions ``theme`` declares (an empty list removes them). Values
    already set stay, and show as undeclared until the dimension is declared again."""
    with study.write() as s:
        if s.get(m.ThemeRow, theme) is None:
            raise NotFoundError(f"no theme {theme!r}")
        declare_in(s, study.coder, theme, dimensions)


def declare_in(s: Session, coder: str, theme: str, dimensions: Sequence[Dimension]) -> bool:
    """``declare`` inside a write session (the framework import's); True if it changed."""
    rows = dims_q.declared_rows(s, theme)
    before = _declared(rows)
    after = tuple(dimensions)
    if before == after:
        return False
    for row in rows:
        s.delete(row)
    s.flush()
    for position, dim in enumerate(after):
        s.add(m.ThemeDimensionRow(theme_id=theme, name=dim.name, values=list(dim.values),
                                  position=position))  # fmt: skip
    audit.record(s, coder, "declare", DECLARATION, theme,
                 {"declared": _state(before)}, {"declared": _state(after)})  # fmt: skip
    return True


def restore_declarations(s: Session, theme: str, state: Mapping[str, Any] | None) -> None:
    """Put a theme's declarations back as an audit state describes them (undo)."""
    dims = [Dimension(str(n), tuple(v)) for n, v in (state or {}).get("declared", [])]
    for row in dims_q.declared_rows(s, theme):
        s.delete(row)
    s.flush()
    for position, dim in enumerate(dims):
        s.add(m.ThemeDimensionRow(theme_id=theme, name=dim.name, values=list(dim.values),
                                  position=position))  # fmt: skip


def _checked(s: Session, theme: str, name: str, value: str | None) -> tuple[str, str | None]:
    """The declared dimension name and value spelling, or an InputError."""
    dims = _dimensions_in(s, theme)
    try:
        dim = find_dimension(dims, name, theme)
        return dim.name, None if value is None else check_value(dim, value)
    except DimensionProblem as exc:
        raise InputError(str(exc)) from None


def cell_state(case: str, theme: str, dimension: str, value: str) -> dict[str, str]:
    return {"case": case, "theme": theme, "dimension": dimension, "value": value}


def set_value(study: Study, case: str, theme: str, dimension: str, value: str) -> DimensionValue:
    """Place a chart cell (``case`` x ``theme``) on a dimension."""
    with study.write() as s:
        return set_value_in(s, study.coder, case, theme, dimension, value)


def set_value_in(
    s: Session, coder: str, case: str, theme: str, dimension: str, value: str
) -> DimensionValue:
    """``set_value`` inside a write session (an import's, in one transaction)."""
    if s.get(m.CaseRow, case) is None:
        raise NotFoundError(f"no case {case!r}")
    name, checked = _checked(s, theme, dimension, value)
    assert checked is not None
    row = dims_q.cell_row(s, case, theme, name)
    before = None if row is None else cell_state(case, theme, name, row.value)
    if row is None:
        row = m.CellDimensionRow(case_id=case, theme_id=theme, dimension=name)
        s.add(row)
    elif row.value == checked:
        return DimensionValue(case, theme, name, checked, row.coder)
    row.value, row.coder, row.updated_at = checked, coder, utcnow()
    audit.record(s, coder, "set", CELL, f"{case}/{theme}/{name}", before,
                 cell_state(case, theme, name, checked))  # fmt: skip
    s.flush()
    return DimensionValue(case, theme, name, checked, coder)


def unset_value(study: Study, case: str, theme: str, dimension: str) -> bool:
    """Remove a cell's value on a dimension; False when it had none."""
    with study.write() as s:
        name, _ = _checked(s, theme, dimension, None)
        row = dims_q.cell_row(s, case, theme, name)
        if row is None:
            return False
        audit.record(s, study.coder, "unset", CELL, f"{case}/{theme}/{name}",
                     cell_state(case, theme, name, row.value), None)  # fmt: skip
        s.delete(row)
        return True


def coding_state(coding: int, dimension: str, value: str) -> dict[str, Any]:
    return {"coding": coding, "dimension": dimension, "value": value}


def set_coding_value(study: Study, coding: int, dimension: str, value: str) -> DimensionValue:
    """Place a coding on a dimension of its theme."""
    with study.write() as s:
        where = dims_q.coding_case(s, coding)
        if where is None:
            raise NotFoundError(f"no coding {coding}")
        case, theme = where
        name, checked = _checked(s, theme, dimension, value)
        assert checked is not None
        row = dims_q.coding_value_row(s, coding, name)
        before = None if row is None else coding_state(coding, name, row.value)
        if row is None:
            row = m.CodingDimensionRow(coding_id=coding, dimension=name)
            s.add(row)
        elif row.value == checked:
            return DimensionValue(case, theme, name, checked, row.coder, coding)
        row.value, row.coder, row.updated_at = checked, study.coder, utcnow()
        audit.record(s, study.coder, "set", CODING, f"{coding}/{name}", before,
                     coding_state(coding, name, checked))  # fmt: skip
        return DimensionValue(case, theme, name, checked, study.coder, coding)


def unset_coding_value(study: Study, coding: int, dimension: str) -> bool:
    with study.write() as s:
        where = dims_q.coding_case(s, coding)
        if where is None:
            raise NotFoundError(f"no coding {coding}")
        name, _ = _checked(s, where[1], dimension, None)
        row = dims_q.coding_value_row(s, coding, name)
        if row is None:
            return False
        audit.record(s, study.coder, "unset", CODING, f"{coding}/{name}",
                     coding_state(coding, name, row.value), None)  # fmt: skip
        s.delete(row)
        return True


def list_values(
    study: Study,
    theme: str | None = None,
    case: str | None = None,
    dimension: str | None = None,
    codings: bool = False,
) -> list[DimensionValue]:
    """Cell values (and, with ``codings``, coding values after them), narrowed by
    whatever is given."""
    name = None if dimension is None else " ".join(dimension.split()).lower()
    themes = None if theme is None else [theme]
    with study.read() as s:
        if theme is not None and s.get(m.ThemeRow, theme) is None:
            raise NotFoundError(f"no theme {theme!r}")
        out = [
            DimensionValue(r.case_id, r.theme_id, r.dimension, r.value, r.coder)
            for r in dims_q.cell_rows(s, themes, case, name)
        ]
        if codings:
            out += [
                DimensionValue(str(c), str(t), str(d), str(v), str(who), int(cid))
                for c, t, cid, d, v, who in dims_q.coding_value_rows(s, themes, case, name)
            ]
    return out


def cell_values(
    study: Study, themes: Sequence[str] | None = None
) -> dict[tuple[str, str], dict[str, str]]:
    """(case, theme) -> {dimension: value} for every cell with a value."""
    with study.read() as s:
        return cell_values_in(s, themes)


def cell_values_in(
    s: Session, themes: Sequence[str] | None = None
) -> dict[tuple[str, str], dict[str, str]]:
    out: dict[tuple[str, str], dict[str, str]] = {}
    for r in dims_q.cell_rows(s, themes):
        out.setdefault((r.case_id, r.theme_id), {})[r.dimension] = r.value
    return out


def held_values(
    study: Study, themes: Sequence[str] | None = None
) -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
    """(case, theme) -> {dimension: values}: what the cell carries, then what any of the
    case's codings of that theme carries (each value once). More than one value means
    the cell and the codings (or two codings) disagree."""
    with study.read() as s:
        return held_values_in(s, themes)


def held_values_in(
    s: Session, themes: Sequence[str] | None = None
) -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
    out: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
    for r in dims_q.cell_rows(s, themes):
        out.setdefault((r.case_id, r.theme_id), {})[r.dimension] = (r.value,)
    for case, theme, _coding, name, value, _coder in dims_q.coding_value_rows(s, themes):
        held = out.setdefault((str(case), str(theme)), {})
        if value not in held.get(name, ()):
            held[name] = (*held.get(name, ()), str(value))
    return out


__all__ = [
    "cell_values",
    "held_values",
    "declarations",
    "declare",
    "dimensions_of",
    "list_values",
    "set_coding_value",
    "set_value",
    "unset_coding_value",
    "unset_value",
]
