"""Coders: the people named on codings, memos, summaries and changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.store import models as m

_WORK = {
    "codings": m.CodingRow.coder,
    "memos": m.MemoRow.coder,
    "summaries": m.SummaryRow.coder,
    "changes": m.ChangeRow.coder,
}


def coder_rows(s: Session) -> list[m.CoderRow]:
    return list(s.scalars(select(m.CoderRow)))


def coder_names(s: Session) -> set[str]:
    """The coders with a row of their own (a GUID for exports)."""
    return set(s.scalars(select(m.CoderRow.name)))


def known_coders(s: Session) -> set[str]:
    """Everyone the study knows: who wrote to it, and who is named on a coding (codings
    imported for a colleague are theirs, though another wrote them in)."""
    named = select(m.CodingRow.coder).distinct()
    return coder_names(s) | set(s.scalars(named))


def work_by_coder(s: Session, kind: str) -> list[tuple[str, int]]:
    """(coder, how many) of ``kind``: codings, memos, summaries or changes."""
    col: Any = _WORK[kind]
    return [(str(n), int(c)) for n, c in s.execute(select(col, func.count()).group_by(col))]


def last_change_by_coder(s: Session) -> dict[str, Any]:
    """Coder -> time of their newest change."""
    query = select(m.ChangeRow.coder, func.max(m.ChangeRow.at)).group_by(m.ChangeRow.coder)
    return dict(s.execute(query).all())


def names_on_work(s: Session) -> set[str]:
    """Everyone named on a coding, memo or summary."""
    names: set[str] = set()
    for column in (m.CodingRow.coder, m.MemoRow.coder, m.SummaryRow.coder):
        names.update(s.scalars(select(column).distinct()))
    return names
