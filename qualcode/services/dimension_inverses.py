"""The inverses of dimension and key-issues changes, for undo (see ``inverses``).

Each puts the value back to the entry's ``before`` only while it is still as ``after``
left it; anything changed since is refused, never overwritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.errors import ConflictError
from qualcode.services import dimensions as dims
from qualcode.services import key_issues as notes
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.models import utcnow
from qualcode.store.queries import dimensions as dims_q


def _value(state: dict[str, Any] | None) -> str | None:
    return None if not state else str(state["value"])


def uncell(s: Session, who: str, change: m.ChangeRow) -> None:
    before, after = states.read(change.before), states.read(change.after)
    key = after or before
    case, theme, name = str(key["case"]), str(key["theme"]), str(key["dimension"])
    row = dims_q.cell_row(s, case, theme, name)
    now = None if row is None else row.value
    if now == _value(before):
        return  # already back
    if now != _value(after):
        raise ConflictError(f"the {name} of {case} on {theme} was changed since; undo refused")
    if not before:
        s.delete(row)
    else:
        if row is None:
            if s.get(m.CaseRow, case) is None or s.get(m.ThemeRow, theme) is None:
                raise ConflictError(f"{case} or {theme} was deleted since; undo refused")
            row = m.CellDimensionRow(case_id=case, theme_id=theme, dimension=name)
            s.add(row)
        row.value, row.coder, row.updated_at = str(before["value"]), who, utcnow()
    audit.record(s, who, "set" if before else "unset", dims.CELL, change.entity_id,
                 after or None, before or None)  # fmt: skip


def uncoding(s: Session, who: str, change: m.ChangeRow) -> None:
    before, after = states.read(change.before), states.read(change.after)
    key = after or before
    coding, name = int(key["coding"]), str(key["dimension"])
    row = dims_q.coding_value_row(s, coding, name)
    now = None if row is None else row.value
    if now == _value(before):
        return
    if now != _value(after):
        raise ConflictError(f"the {name} of coding {coding} was changed since; undo refused")
    if not before:
        s.delete(row)
    else:
        if row is None:
            if s.get(m.CodingRow, coding) is None:
                raise ConflictError(f"coding {coding} was deleted since; undo refused")
            row = m.CodingDimensionRow(coding_id=coding, dimension=name)
            s.add(row)
        row.value, row.coder, row.updated_at = str(before["value"]), who, utcnow()
    audit.record(s, who, "set" if before else "unset", dims.CODING, change.entity_id,
                 after or None, before or None)  # fmt: skip


def undeclare(s: Session, who: str, change: m.ChangeRow) -> None:
    theme = str(change.entity_id)
    before, after = states.read(change.before), states.read(change.after)
    if s.get(m.ThemeRow, theme) is None:
        return  # the theme went (its declarations with it), e.g. undoing its import
    now = dims.declarations_in(s).get(theme, ())
    if [[d.name, list(d.values)] for d in now] != list((after or {}).get("declared", [])):
        raise ConflictError(f"the dimensions of {theme!r} were changed since; undo refused")
    dims.restore_declarations(s, theme, before)
    audit.record(s, who, "declare", dims.DECLARATION, theme, after, before)


def unkey(s: Session, who: str, change: m.ChangeRow) -> None:
    theme = str(change.entity_id)
    before, after = states.read(change.before), states.read(change.after)
    row = dims_q.key_issue_row(s, theme)
    now = None if row is None else row.text
    want = None if not before else str(before["text"])
    if now == want:
        return
    if now != (None if not after else str(after["text"])):
        raise ConflictError(f"the key issues of {theme!r} were changed since; undo refused")
    notes.restore_key_issues(s, who, theme, want)
    audit.record(s, who, "update", notes.ENTITY, theme, after or None, before or None)


INVERSES = {
    (dims.CELL, "set"): uncell,
    (dims.CELL, "unset"): uncell,
    (dims.CODING, "set"): uncoding,
    (dims.CODING, "unset"): uncoding,
    (dims.DECLARATION, "declare"): undeclare,
    (notes.ENTITY, "update"): unkey,
}
