"""Inverses of the audit-trail entries for what researchers write and decide beside
their codings: matrix summaries, suggestion decisions, anonymisation decisions,
settled disagreements and memos. Same rules as :mod:`qualcode.services.inverses`:
put back ``before`` only while the row is still as ``after`` left it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.wording import settlement
from qualcode.errors import ConflictError
from qualcode.store import audit, convert, states
from qualcode.store import models as m
from qualcode.store.models import utcnow
from qualcode.store.queries import changes as changes_q

Data = dict[str, Any]


# --- summaries --------------------------------------------------------------------------


def _cell(change: m.ChangeRow) -> tuple[str, str]:
    state = states.read(change.after) or states.read(change.before)
    if "case" in state and "theme" in state:
        return str(state["case"]), str(state["theme"])
    case, _, theme = (change.entity_id or "").rpartition("/")
    return case, theme


def resummarise(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of a summary edit: the cell goes back to its earlier text and status as a
    new version (history keeps every version), only if nobody saved it since."""
    case, theme = _cell(change)
    before, after = change.before, change.after
    row = s.get(m.SummaryRow, (case, theme), with_for_update=True)
    if after is None:  # the summary was deleted (its theme merged or deleted)
        if row is not None:
            raise ConflictError(f"{case} / theme {theme} has a new summary; undo refused")
        if s.get(m.ThemeRow, theme) is None or s.get(m.CaseRow, case) is None:
            raise ConflictError(f"{case} / theme {theme} no longer exists")
        b = states.read(before)
        # the text is its writer's, not whoever pressed undo
        row = m.SummaryRow(case_id=case, theme_id=theme, text=b.get("text", ""),
                           status=b.get("status", "drafted"), coder=b.get("coder") or who,
                           version=int(b.get("version") or 0) + 1, updated_at=utcnow())  # fmt: skip
        s.add(row)
        _history(s, row)
        audit.record(s, who, "add", "summary", f"{case}/{theme}", None, states.summary(row))
        return
    if row is None or row.version != states.read(after).get("version"):
        if row is None and before is None:
            return  # already gone
        who_since = f" by {row.coder} at {row.updated_at:%Y-%m-%d %H:%M}" if row else ""
        raise ConflictError(f"{case} / theme {theme} was changed{who_since} since; undo refused")
    old = states.summary(row)
    if before is None:  # the cell had no summary
        s.delete(row)
        s.flush()
        audit.record(s, who, "delete", "summary", f"{case}/{theme}", old, None)
        return
    b = states.read(before)
    row.text, row.status = b.get("text", ""), b.get("status", "drafted")
    row.coder = b.get("coder") or who  # the text's writer
    row.version += 1
    row.updated_at = utcnow()
    s.flush()
    _history(s, row)
    audit.record(s, who, "update", "summary", f"{case}/{theme}", old, states.summary(row))


def _group(change: m.ChangeRow) -> tuple[str, str, str]:
    """A synthesis's (theme, attribute, value): from its state, else from the entry's
    "theme/attribute=value" (entries written before the state carried them)."""
    state = states.read(change.after) or states.read(change.before)
    if {"theme", "attribute", "value"} <= state.keys():
        return str(state["theme"]), str(state["attribute"]), str(state["value"])
    theme, _, rest = (change.entity_id or "").partition("/")
    attribute, _, value = rest.partition("=")
    return theme, attribute, value


def resynthesise(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of saving a group's synthesis: back to its earlier text as a new version
    (or gone, if it had none), only if nobody saved it since."""
    theme, attribute, value = _group(change)
    where = f"the synthesis of {attribute} = {value} / theme {theme}"
    before, after = states.read(change.before), states.read(change.after)
    row = s.get(m.SynthesisRow, (theme, attribute, value), with_for_update=True)
    entity = f"{theme}/{attribute}={value}"
    if not after:  # the synthesis was removed (an undone save): bring it back
        if row is not None:
            raise ConflictError(f"{where} was written again since; undo refused")
        if s.get(m.ThemeRow, theme) is None:
            raise ConflictError(f"theme {theme} no longer exists; cannot bring {where} back")
        row = m.SynthesisRow(
            theme_id=theme,
            attribute=attribute,
            value=value,
            text=str(before.get("text", "")),
            coder=who,
            version=int(before.get("version") or 0) + 1,
            updated_at=utcnow(),
        )
        s.add(row)
        s.flush()
        audit.record(s, who, "add", "synthesis", entity, None, states.synthesis(row))
        return
    if row is None or row.version != after.get("version"):
        if row is None and not before:
            return  # already gone
        since = f" by {row.coder} at {row.updated_at:%Y-%m-%d %H:%M}" if row else ""
        raise ConflictError(f"{where} was changed{since} since; undo refused")
    old = states.synthesis(row)
    if not before:  # the group had no synthesis
        s.delete(row)
        s.flush()
        audit.record(s, who, "delete", "synthesis", entity, old, None)
        return
    row.text, row.coder, row.version, row.updated_at = (
        str(before.get("text", "")),
        who,
        row.version + 1,
        utcnow(),
    )
    s.flush()
    audit.record(s, who, "update", "synthesis", entity, old, states.synthesis(row))


def _history(s: Session, row: m.SummaryRow) -> None:
    s.flush()
    s.add(
        m.SummaryHistoryRow(
            case_id=row.case_id,
            theme_id=row.theme_id,
            text=row.text,
            status=row.status,
            coder=row.coder,
            version=row.version,
            changed_at=row.updated_at,
        )
    )


# --- decisions: suggestions, anonymisation, disagreements --------------------------------


def redecide(s: Session, who: str, change: m.ChangeRow) -> None:
    before, after = states.read(change.before), states.read(change.after)
    row = s.get(m.SuggestionRow, int(change.entity_id or 0))
    if row is None:
        raise ConflictError(f"suggestion {change.entity_id} is gone (suggest was run again)")
    if row.status == before.get("status"):
        return
    if row.status != after.get("status"):
        raise ConflictError(f"suggestion {row.id} was decided by {row.decided_by} since")
    old = states.decision(row)
    row.status = before.get("status", "pending")
    row.decided_by = before.get("decided_by")
    row.decided_at = None if row.status == "pending" else utcnow()
    action = "reopen" if row.status == "pending" else "decide"
    audit.record(s, who, action, "suggestion", row.id, old, states.decision(row))


def resuggest(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of a suggestion deleted with its theme: it is stored again."""
    b = states.read(change.before)
    if s.get(m.SuggestionRow, b["id"]) is not None:
        return
    if s.get(m.SegmentRow, b["segment"]) is None or s.get(m.ThemeRow, b["theme"]) is None:
        return  # its segment or theme is gone for good: nothing to suggest
    row = m.SuggestionRow(id=b["id"], segment_id=b["segment"], theme_id=b["theme"],
                          score=b["score"], because=b.get("because", []), method=b["method"],
                          model=b.get("model"), params=b.get("params", {}), status=b["status"],
                          decided_by=b.get("decided_by"))  # fmt: skip
    if row.status != "pending":
        row.decided_at = utcnow()
    s.add(row)
    s.flush()
    audit.record(s, who, "add", "suggestion", row.id, after=states.suggestion(row))


def unsuggest(s: Session, who: str, change: m.ChangeRow) -> None:
    row = s.get(m.SuggestionRow, int(change.entity_id or 0))
    if row is None:
        return
    before = states.suggestion(row)
    s.delete(row)
    s.flush()
    audit.record(s, who, "delete", "suggestion", before["id"], before)


def rename(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of a decision on an anonymisation proposal."""
    before, after = states.read(change.before), states.read(change.after)
    row = s.get(m.AnonymisationRow, int(change.entity_id or 0))
    keys = ("placeholder", "kind", "status")
    if row is None:
        raise ConflictError(f"anonymisation proposal {change.entity_id} is gone")
    if all(getattr(row, k) == before.get(k) for k in keys):
        return
    if any(getattr(row, k) != after.get(k) for k in keys):
        raise ConflictError(f"proposal {row.id} was changed by someone else since")
    old = states.anonymisation(row)
    for k in keys:
        setattr(row, k, before[k])
    audit.record(s, who, "update", "anonymisation", row.id, old, states.anonymisation(row))


def unresolve(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of settling a disagreement: its "kept both" mark is as it was before
    (the codings it added or removed have entries of their own in the same batch)."""
    after = states.read(change.after)
    pair = sorted(after.get("coders", ()))
    later = [
        r
        for r in changes_q.later_resolutions(s, change.entity_id, change.id)
        if sorted(states.read(r.after).get("coders", ())) == pair
    ]
    if later:  # settled again since: taking this one back would turn that round
        raise ConflictError(
            f"{change.entity_id}: {later[0].coder} settled this since "
            f"({settlement(states.read(later[0].after))}, {convert.when(later[0].at)}); "
            "undo refused"
        )
    earlier = changes_q.earlier_resolutions(s, change.entity_id, change.id)
    previous = next(
        (
            states.read(r.after).get("keep")
            for r in earlier
            if sorted(states.read(r.after).get("coders", ())) == pair
        ),
        None,
    )
    restored = {**after, "keep": previous or "undone", "added": [], "removed": []}
    audit.record(s, who, "resolve", "disagreement", change.entity_id,
                 {"keep": after.get("keep")}, restored)  # fmt: skip


# --- memos --------------------------------------------------------------------------------


def unmemo(s: Session, who: str, change: m.ChangeRow) -> None:
    before, after = change.before, change.after
    row = s.get(m.MemoRow, int(change.entity_id or 0))
    if after is None:  # deleted: write it again
        b = states.read(before)
        if row is not None:
            return
        row = m.MemoRow(id=b.get("id"), kind=b["kind"], target=b.get("target"),
                        coder=b.get("coder", who), text=b["text"])  # fmt: skip
        s.add(row)
        s.flush()
        audit.record(s, who, "add", "memo", row.id, after=states.memo(row))
        return
    if row is None:
        return
    if row.text != states.read(after).get("text"):
        raise ConflictError(f"memo {row.id} was changed by someone else since; undo refused")
    old = states.memo(row)
    if before is None:
        s.delete(row)
        audit.record(s, who, "delete", "memo", old["id"], before=old)
        return
    row.text, row.updated_at = states.read(before)["text"], utcnow()
    s.flush()
    audit.record(s, who, "update", "memo", row.id, old, states.memo(row))
