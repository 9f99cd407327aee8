"""Cases and their attributes (see also :mod:`qualcode.store.attributes`)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def case_rows(s: Session) -> list[m.CaseRow]:
    return list(s.scalars(select(m.CaseRow)))


def case_ids(s: Session) -> list[str]:
    return list(s.scalars(select(m.CaseRow.id)))


def add_cases(s: Session, ids: Collection[str]) -> None:
    """Insert many cases at once."""
    if ids:
        s.execute(insert(m.CaseRow), [{"id": cid} for cid in ids])


def attribute_rows(s: Session, ordered: bool = False) -> list[m.AttributeRow]:
    """Every attribute (in their column order when asked)."""
    query = select(m.AttributeRow)
    if ordered:
        query = query.order_by(m.AttributeRow.position)
    return list(s.scalars(query))


def attribute_name_set(s: Session) -> set[str]:
    return set(s.scalars(select(m.AttributeRow.name)))


def case_attribute_rows(
    s: Session, case: str | None = None, names: Collection[str] | None = None
) -> list[m.CaseAttributeRow]:
    """Attribute values, of one case and/or some attributes when given."""
    query = select(m.CaseAttributeRow)
    if case is not None:
        query = query.where(m.CaseAttributeRow.case_id == case)
    if names is not None:
        query = query.where(m.CaseAttributeRow.name.in_(list(names)))
    return list(s.scalars(query))


def values_of_cases(
    s: Session, cases: Collection[str], chunk: int = 500
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each of these cases' (attribute, value) pairs, in the study's attribute order."""
    order = {
        n: i
        for i, n in enumerate(
            s.scalars(select(m.AttributeRow.name).order_by(m.AttributeRow.position))
        )
    }
    found: dict[str, list[tuple[str, str]]] = {}
    ids = sorted(cases)
    a = m.CaseAttributeRow
    for i in range(0, len(ids), chunk):
        query = select(a.case_id, a.name, a.value).where(a.case_id.in_(ids[i : i + chunk]))
        for case, name, value in s.execute(query):
            if value not in (None, ""):
                found.setdefault(case, []).append((name, str(value)))
    return {
        case: tuple(sorted(pairs, key=lambda p: order.get(p[0], len(order))))
        for case, pairs in found.items()
    }


def add_case_attributes(s: Session, rows: list[dict[str, str]]) -> None:
    """Insert many attribute values at once (case_id, name, value dicts)."""
    if rows:
        s.execute(insert(m.CaseAttributeRow), rows)


def what_holds(s: Session, case: str) -> str | None:
    """What besides its attribute values refers to a case (its sources, chart
    summaries or values, a memo on it), to refuse removing it; None if nothing."""
    for model, what in (
        (m.SourceRow, "sources"),
        (m.SummaryRow, "chart summaries"),
        (m.CellDimensionRow, "chart values"),
    ):
        held = s.scalar(select(func.count()).select_from(model).where(model.case_id == case))
        if held:
            return what
    memos = select(func.count()).select_from(m.MemoRow)
    if s.scalar(memos.where(m.MemoRow.kind == "case", m.MemoRow.target == case)):
        return "a memo"
    return None
