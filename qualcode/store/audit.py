"""The append-only audit trail, written in the same transaction as the change it records."""

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
    session.add(
        m.ChangeRow(
            coder=coder,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=before,
            after=after,
        )
    )
