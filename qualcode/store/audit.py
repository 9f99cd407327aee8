"""The append-only audit trail, written in the same transaction as the change it records.

Each entry carries the batch of the action it belongs to (``session.info["batch"]``,
set by ``Study.write``) so that undo can revert an action as a whole from the log.

Entries are gathered on the session and inserted together just before it commits, in
the order recorded (by COPY on PostgreSQL: :mod:`qualcode.store.queries.bulk_insert`):
as ORM objects, each was one INSERT of its own (SQLite cannot
return the ids of a multi-row insert in order, and the ORM wants them), which was most
of a bulk accept's or its undo's time (59,000 entries; on PostgreSQL a round trip each).
Nothing reads the trail inside the transaction that writes it.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, event
from sqlalchemy.orm import Session

from qualcode.store import models as m
from qualcode.store.queries.bulk_insert import insert_rows

_PENDING = "audit_pending"


def record(
    session: Session,
    coder: str,
    action: str,
    entity: str,
    entity_id: str | int | None,
    before: Any = None,
    after: Any = None,
) -> None:
    info = session.info
    info.setdefault(_PENDING, []).append(
        {
            "at": m.utcnow(),
            "coder": coder,
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "before": before,
            "after": after,
            "batch": info.get("batch"),
            "undoes": info.get("undoes"),
        }
    )
    info["recorded"] = info.get("recorded", 0) + 1
    info.setdefault("coders", set()).add(coder)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        insert_rows(session, cast(Table, m.ChangeRow.__table__), rows)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
