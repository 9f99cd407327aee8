"""Case attributes: values are stored as text, each attribute has one inferred type."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.model import AttrValue
from qualcode.store import convert
from qualcode.store import models as m


def infer_type(values: Iterable[str]) -> str:
    kind = "integer"
    seen = False
    for value in values:
        if value == "":
            continue
        seen = True
        if kind == "integer":
            try:
                int(value)
                continue
            except ValueError:
                kind = "number"
        try:
            float(value)
        except ValueError:
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
    types = {r.name: r.type for r in session.scalars(select(m.AttributeRow))}
    out: dict[str, dict[str, AttrValue]] = {}
    for row in session.scalars(select(m.CaseAttributeRow)):
        out.setdefault(row.case_id, {})[row.name] = convert.typed_value(
            row.value, types.get(row.name, "text")
        )
    return out


def attribute_names(session: Session) -> list[str]:
    return list(session.scalars(select(m.AttributeRow.name).order_by(m.AttributeRow.position)))
