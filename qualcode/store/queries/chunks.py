"""Long lists of ids asked for a chunk at a time: SQLite limits the parameters of one
statement, and an IN list of tens of thousands is slow to plan anyway."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

CHUNK = 500


def rows_in(
    s: Session, query: Select[Any], column: Any, values: Collection[Any], chunk: int = CHUNK
) -> list[Any]:
    """The ORM rows of ``query`` (a ``select`` of one entity) whose ``column`` is one of
    ``values``."""
    wanted = list(values)
    out: list[Any] = []
    for i in range(0, len(wanted), chunk):
        out.extend(s.scalars(query.where(column.in_(wanted[i : i + chunk]))))
    return out
