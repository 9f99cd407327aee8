"""The audit trail (``changes``): read here, written by :func:`qualcode.store.audit.record`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def change_rows(
    s: Session,
    coder: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[m.ChangeRow]:
    """Changes newest first, narrowed by whatever is given; at most ``limit`` of them."""
    query = select(m.ChangeRow)
    if coder is not None:
        query = query.where(m.ChangeRow.coder == coder)
    if since is not None:
        query = query.where(m.ChangeRow.at >= since)
    if until is not None:
        query = query.where(m.ChangeRow.at < until)
    if entity is not None:
        query = query.where(m.ChangeRow.entity == entity)
    query = query.order_by(m.ChangeRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(s.scalars(query))


def batch_changes(s: Session, batch: str) -> list[m.ChangeRow]:
    """The changes of one batch, newest first (the order to revert them in)."""
    query = select(m.ChangeRow).where(m.ChangeRow.batch == batch).order_by(m.ChangeRow.id.desc())
    return list(s.scalars(query))


def undone_batches(s: Session) -> set[str]:
    """Batches that a later batch reverted."""
    query = select(m.ChangeRow.undoes).where(m.ChangeRow.undoes.is_not(None))
    return {str(b) for b in s.scalars(query)}


def coder_batches(
    s: Session, coder: str, besides: Collection[tuple[str, str]] = ()
) -> list[tuple[str, str | None]]:
    """(batch, batch it undoes) of a coder's changes, newest first; a batch of only
    ``besides`` changes ((entity, action) pairs) is left out."""
    query = (
        select(m.ChangeRow.batch, m.ChangeRow.undoes, m.ChangeRow.entity, m.ChangeRow.action)
        .where(m.ChangeRow.coder == coder, m.ChangeRow.batch.is_not(None))
        .order_by(m.ChangeRow.id.desc())
    )
    return [
        (str(b), u) for b, u, entity, action in s.execute(query) if (entity, action) not in besides
    ]


def reversal_pairs(s: Session) -> dict[str, str]:
    """Reverting batch -> the batch it reverted."""
    query = (
        select(m.ChangeRow.batch, m.ChangeRow.undoes)
        .where(m.ChangeRow.undoes.is_not(None))
        .distinct()
    )
    return {str(b): str(u) for b, u in s.execute(query)}


def change_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(m.ChangeRow)) or 0)


def resolutions(s: Session) -> list[m.ChangeRow]:
    """Every settled disagreement, oldest first."""
    query = (
        select(m.ChangeRow)
        .where(m.ChangeRow.entity == "disagreement", m.ChangeRow.action == "resolve")
        .order_by(m.ChangeRow.id)
    )
    return list(s.scalars(query))


def earlier_resolutions(s: Session, entity_id: str | None, before_id: int) -> list[m.ChangeRow]:
    """The settlements of one disagreement logged before change ``before_id``, newest first."""
    query = (
        select(m.ChangeRow)
        .where(
            m.ChangeRow.entity == "disagreement",
            m.ChangeRow.entity_id == entity_id,
            m.ChangeRow.id < before_id,
        )
        .order_by(m.ChangeRow.id.desc())
    )
    return list(s.scalars(query))


def later_resolutions(s: Session, entity_id: str | None, after_id: int) -> list[m.ChangeRow]:
    """The settlements of one disagreement logged after change ``after_id``, newest first."""
    query = (
        select(m.ChangeRow)
        .where(
            m.ChangeRow.entity == "disagreement",
            m.ChangeRow.entity_id == entity_id,
            m.ChangeRow.id > after_id,
        )
        .order_by(m.ChangeRow.id.desc())
    )
    return list(s.scalars(query))


def later_changes(s: Session, rows: list[m.ChangeRow]) -> list[m.ChangeRow]:
    """Changes to the entities of ``rows`` (one batch) made after it in other batches,
    newest first: what an undo of the batch finds already changed."""
    if not rows:
        return []
    after = max(r.id for r in rows)
    wanted = {(r.entity, r.entity_id) for r in rows}
    entities = sorted({e for e, _ in wanted})
    query = (
        select(m.ChangeRow)
        .where(m.ChangeRow.id > after, m.ChangeRow.entity.in_(entities))
        .order_by(m.ChangeRow.id.desc())
        .limit(5000)
    )
    return [r for r in s.scalars(query) if (r.entity, r.entity_id) in wanted]


def latest_change(s: Session, entity: str, entity_id: str) -> m.ChangeRow | None:
    query = (
        select(m.ChangeRow)
        .where(m.ChangeRow.entity == entity, m.ChangeRow.entity_id == entity_id)
        .order_by(m.ChangeRow.id.desc())
        .limit(1)
    )
    return s.scalars(query).first()


def has_change(s: Session, change_id: int, batch: str) -> bool:
    """Whether this study logged the change ``change_id`` of ``batch`` (a copy of it
    that logged more since has changes it does not)."""
    row = s.get(m.ChangeRow, change_id)
    return row is not None and str(row.batch) == batch
