"""The append-only audit trail, written in the same transaction as the change it records.

Each entry carries the batch of the action it belongs to (``session.info["batch"]``,
set by ``Study.write``) so that undo can revert an action as a whole from the log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.store import models as m


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
    session.add(
        m.ChangeRow(
            coder=coder,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=before,
            after=after,
            batch=info.get("batch"),
            undoes=info.get("undoes"),
        )
    )
    info["recorded"] = info.get("recorded", 0) + 1
    info.setdefault("coders", set()).add(coder)
