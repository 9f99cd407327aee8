"""Memos: a coder's notes on the study, a case, a source, a segment, a theme or a coding."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def memo_rows(
    s: Session, kind: str | None = None, target: str | None = None, coder: str | None = None
) -> list[m.MemoRow]:
    """Memos in the order written, narrowed by whatever is given."""
    query = select(m.MemoRow)
    if kind is not None:
        query = query.where(m.MemoRow.kind == kind)
    if target is not None:
        query = query.where(m.MemoRow.target == target)
    if coder is not None:
        query = query.where(m.MemoRow.coder == coder)
    return list(s.scalars(query.order_by(m.MemoRow.id)))


def own_memo(s: Session, kind: str, target: str | None, coder: str) -> m.MemoRow | None:
    """The one memo a coder has on a target (None target: the study memo of that kind)."""
    query = select(m.MemoRow).where(m.MemoRow.kind == kind, m.MemoRow.coder == coder)
    if target is None:
        query = query.where(m.MemoRow.target.is_(None))
    else:
        query = query.where(m.MemoRow.target == target)
    return s.scalar(query)


def all_memo_texts(s: Session) -> list[str]:
    return list(s.scalars(select(m.MemoRow.text)))


def memo_guids(s: Session) -> list[str | None]:
    return list(s.scalars(select(m.MemoRow.guid)))
