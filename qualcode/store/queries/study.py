"""The study as a whole: its size, table by table, and its settings."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def row_count(s: Session, model: type[m.Base]) -> int:
    """How many rows one table holds."""
    return int(s.scalar(select(func.count()).select_from(model)) or 0)


def setting(s: Session, name: str) -> str | None:
    row = s.get(m.StudySettingRow, name)
    return None if row is None else row.value


def set_setting(s: Session, name: str, value: str | None) -> None:
    """Store ``value`` under ``name`` (None removes it)."""
    row = s.get(m.StudySettingRow, name)
    if value is None:
        if row is not None:
            s.delete(row)
    elif row is None:
        s.add(m.StudySettingRow(name=name, value=value))
    else:
        row.value = value


def study_guid(s: Session) -> str | None:
    """The study's own id, which its backups carry too (None in very old studies)."""
    row = s.get(m.StudyRow, 1)
    return row.guid if row is not None else None
