"""Anonymisation proposals: an original name, its placeholder and the decision on it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def proposal_rows(s: Session, status: str | None = None) -> list[m.AnonymisationRow]:
    """Every proposal, or those with one status."""
    query = select(m.AnonymisationRow)
    if status is not None:
        query = query.where(m.AnonymisationRow.status == status)
    return list(s.scalars(query))


def proposals_by_original(s: Session) -> dict[str, m.AnonymisationRow]:
    return {r.original: r for r in s.scalars(select(m.AnonymisationRow))}
