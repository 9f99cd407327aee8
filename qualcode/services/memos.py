"""Memos: free-text notes on the study, a case, a source, a segment or a theme.

Each coder keeps at most one memo per target (the TUI edits it in place); saving
empty text deletes it. Every change is audited.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from qualcode.domain.model import Memo
from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services.study import Study
from qualcode.store import audit, convert
from qualcode.store import models as m
from qualcode.store.models import utcnow
from qualcode.store.queries import memos as memos_q

KINDS = ("study", "case", "source", "segment", "theme", "coding")


def _plain(memo: Memo) -> dict[str, Any]:
    data = asdict(memo)
    data["created"] = memo.created.isoformat()
    data["updated"] = memo.updated.isoformat()
    return data


def _check(kind: str, target: str | None) -> str | None:
    if kind not in KINDS:
        raise InputError(f"unknown memo kind {kind!r} (one of: {', '.join(KINDS)})")
    if kind == "study":
        return None
    if not target:
        raise InputError(f"a {kind} memo needs a target")
    return target


def list_memos(
    study: Study, kind: str | None = None, target: str | None = None, coder: str | None = None
) -> list[Memo]:
    with study.read() as s:
        rows = memos_q.memo_rows(s, kind, target, coder)
        return [convert.memo(r) for r in rows]


def get_memo(study: Study, kind: str, target: str | None, coder: str | None = None) -> Memo | None:
    """The coder's memo on one target, or None."""
    target = _check(kind, target)
    coder = coder or study.coder
    with study.read() as s:
        row = memos_q.own_memo(s, kind, target, coder)
        return None if row is None else convert.memo(row)


def set_memo(
    study: Study, kind: str, target: str | None, text: str, expected: str | None = None
) -> Memo | None:
    """Create, replace or (with blank text) delete the coder's memo on a target.
    ``expected``: the memo's text as the editor opened on it (``""``: none); a memo
    changed since (the same coder in a second window) is refused, not overwritten."""
    target = _check(kind, target)
    text = text.rstrip()
    with study.write() as s:
        _check_target(s, kind, target)
        row = memos_q.own_memo(s, kind, target, study.coder)
        stored = "" if row is None else row.text
        if expected is not None and stored.rstrip() != expected.rstrip():
            raise ConflictError(
                "this memo was changed since you opened it (in another window?): your "
                "text is kept; open the memo again to see the stored one"
            )
        if row is None and not text.strip():
            return None
        if row is None:
            row = m.MemoRow(kind=kind, target=target, coder=study.coder, text=text)
            s.add(row)
            s.flush()
            memo = convert.memo(row)
            audit.record(s, study.coder, "add", "memo", row.id, after=_plain(memo))
            return memo
        before = convert.memo(row)
        if not text.strip():
            s.delete(row)
            audit.record(s, study.coder, "delete", "memo", row.id, before=_plain(before))
            return None
        row.text = text
        row.updated_at = utcnow()
        s.flush()
        after = convert.memo(row)
        audit.record(s, study.coder, "update", "memo", row.id, _plain(before), _plain(after))
        return after


def _check_target(s: Any, kind: str, target: str | None) -> None:
    model = {
        "case": m.CaseRow,
        "source": m.SourceRow,
        "segment": m.SegmentRow,
        "theme": m.ThemeRow,
        "coding": m.CodingRow,
    }.get(kind)
    if model is None or target is None:
        return
    key: Any = int(target) if kind == "coding" else target
    if s.get(model, key) is None:
        raise NotFoundError(f"no {kind} {target!r}")


__all__ = ["KINDS", "get_memo", "list_memos", "set_memo"]
