"""Inverses of the audit-trail entries of an ``import cases`` (see services/inverses.py).

An import of case attributes records each case it added (with the values it gave it)
and each value it changed on a case the study had, so that ``qualcode undo`` takes it
back: most often the ids were not the study's ("Kamala Oduya" for the transcript's
"Interview-with-Kamala-Oduya"), and the attributes went to new, empty cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from qualcode.errors import ConflictError
from qualcode.store import attributes as attrs
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q


def record_import(
    s: Session,
    who: str,
    added: dict[str, dict[str, str]],
    changed: list[tuple[str, str, str | None, str]],
) -> None:
    """One entry for each case added (with its values) and one for each case the
    study had whose values changed (a value not set before is None)."""
    for case, values in added.items():
        audit.record(s, who, "add", "case", case, after={"case": case, "attributes": values})
    before: dict[str, dict[str, str | None]] = {}
    after: dict[str, dict[str, str | None]] = {}
    for case, name, old, new in changed:
        before.setdefault(case, {})[name] = old
        after.setdefault(case, {})[name] = new
    for case in before:
        audit.record(
            s, who, "import", "case", case,
            {"case": case, "values": before[case]}, {"case": case, "values": after[case]},
        )  # fmt: skip


def uncase(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of adding a case: it goes with its values, unless something holds it."""
    after = states.read(change.after)
    case = str(after["case"])
    if s.get(m.CaseRow, case) is None:
        return
    held = cases_q.what_holds(s, case)
    if held is not None:
        raise ConflictError(f"case {case!r} has {held} since; undo refused")
    values = {r.name: r.value for r in cases_q.case_attribute_rows(s, case)}
    for row in cases_q.case_attribute_rows(s, case):
        s.delete(row)
    s.delete(s.get(m.CaseRow, case))
    s.flush()
    audit.record(s, who, "delete", "case", case, before={"case": case, "attributes": values})


def recase(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of deleting a case (an undone import): it comes back with its values."""
    before = states.read(change.before)
    case = str(before["case"])
    if s.get(m.CaseRow, case) is not None:
        raise ConflictError(f"case {case!r} exists again since; redo refused")
    values: dict[str, Any] = dict(before.get("attributes") or {})
    cases_q.add_cases(s, [case])
    s.flush()
    if values:
        attrs.set_attributes(s, case, {k: str(v) for k, v in values.items()})
    s.flush()
    audit.record(s, who, "add", "case", case, after={"case": case, "attributes": values})


def revalue(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of a case's imported values (and of that inverse): the values before,
    unless one was changed since."""
    before, after = states.read(change.before), states.read(change.after)
    case = str(after["case"])
    put_values_back(s, case, dict(after.get("values") or {}), dict(before.get("values") or {}))
    audit.record(s, who, "import", "case", change.entity_id, after, before)


def put_values_back(
    s: Session,
    case: str,
    expected: Mapping[str, Any],
    wanted: Mapping[str, Any],
    since: str = "since",
) -> None:
    """Set ``case``'s values to ``wanted`` (None: not set), provided each of
    ``expected`` is still as it was left ("" and None alike): a value someone changed
    since is theirs, and the undo is refused rather than overwrite it."""
    now = {r.name: r for r in cases_q.case_attribute_rows(s, case, list({**expected, **wanted}))}
    for name, value in expected.items():
        have = now[name].value if name in now else None
        if (have or "") != (value or ""):
            raise ConflictError(
                f"{name} of case {case} was changed {since} (now {have!r}); undo refused"
            )
    for name, old in wanted.items():
        if old is None:
            if name in now:
                s.delete(now[name])
        else:
            attrs.set_attributes(s, case, {name: str(old)})
    s.flush()


CASE_INVERSES = {
    ("case", "add"): uncase,
    ("case", "delete"): recase,
    ("case", "import"): revalue,
}
