"""The study as a whole: its size, table by table."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def row_count(s: Session, model: type[m.Base]) -> int:
    """How many rows one table holds."""
    return int(s.scalar(select(func.count()).select_from(model)) or 0)
