"""Case attributes: values are stored as text, each attribute has one inferred type."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.model import AttrValue
from qualcode.store import convert
from qualcode.store import models as m

INTEGER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
# a plain decimal as spreadsheets write one: not "nan", "inf", "1_000" or "0.5e-3x"
DECIMAL = re.compile(r"[+-]?(?:0|[1-9][0-9]*)?(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def infer_type(values: Iterable[str]) -> str:
    """ "integer", "number" or "text": numbers only where reading them as numbers loses
    nothing. A leading zero ("01", "0042": site, ward and post codes) keeps a column
    text, and so do two spellings of one number ("1.1" and "1.10"), which would merge
    two groups of the matrix; "NaN" and "inf" are text (no JSON number writes them)."""
    kind = "integer"
    seen: dict[float, str] = {}
    for value in values:
        if value == "":
            continue
        if kind == "integer" and not INTEGER.fullmatch(value):
            kind = "number"
        if kind == "number" and (
            not DECIMAL.fullmatch(value) or not any(c.isdigit() for c in value)
        ):
            return "text"
        number = float(value)
        if seen.setdefault(number, value) != value:
            return "text"
    return kind if seen else "text"


def set_attributes(session: Session, case_id: str, values: Mapping[str, str]) -> bool:
    """Set (or replace) attribute values of one case; True when anything changed."""
    if not values:
        return False
    known = {r.name for r in session.scalars(select(m.AttributeRow))}
    current = {
        r.name: r
        for r in session.scalars(
            select(m.CaseAttributeRow).where(m.CaseAttributeRow.case_id == case_id)
        )
    }
    changed = False
    for name, value in values.items():
        if name not in known:
            session.add(m.AttributeRow(name=name, type="text", position=len(known)))
            session.flush()
            known.add(name)
        row = current.get(name)
        if row is None:
            session.add(m.CaseAttributeRow(case_id=case_id, name=name, value=value))
            changed = True
        elif row.value != value:
            row.value = value
            changed = True
    return changed


def retype(session: Session, names: Iterable[str]) -> None:
    """Re-infer the type of the named attributes from all their values."""
    for name in set(names):
        attr = session.get(m.AttributeRow, name)
        if attr is None:
            continue
        values = session.scalars(
            select(m.CaseAttributeRow.value).where(m.CaseAttributeRow.name == name)
        )
        attr.type = infer_type(values)


def attributes_by_case(session: Session) -> dict[str, dict[str, AttrValue]]:
    """Case id -> attribute name -> typed value. Plain rows (Core), not ORM objects: a
    survey of 10,000 respondents has 70,000 values, read on every matrix."""
    types = dict(session.execute(select(m.AttributeRow.name, m.AttributeRow.type)).all())
    typed = {name: kind for name, kind in types.items() if kind != "text"}
    a = m.CaseAttributeRow
    # fetched at once through the connection: no ORM row processing, no row-at-a-time
    rows = session.connection().execute(select(a.case_id, a.name, a.value)).all()
    out: dict[str, dict[str, AttrValue]] = {}
    for case_id, name, value in rows:
        values = out.get(case_id)
        if values is None:
            values = out[case_id] = {}
        kind = typed.get(name)
        values[name] = value if kind is None else convert.typed_value(value, kind)
    return out


def attribute_names(session: Session) -> list[str]:
    return list(session.scalars(select(m.AttributeRow.name).order_by(m.AttributeRow.position)))
