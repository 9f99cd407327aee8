"""Long lists of ids asked for a chunk at a time: SQLite limits the parameters of one
statement, and an IN list of tens of thousands is slow to plan anyway. PostgreSQL takes
the whole list as one array parameter, in one statement."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

CHUNK = 500


def rows_in(
    s: Session, query: Select[Any], column: Any, values: Collection[Any], chunk: int = CHUNK
) -> list[Any]:
    """The ORM rows of ``query`` (a ``select`` of one entity) whose ``column`` is one of
    ``values``."""
    wanted = list(values)
    if not wanted:
        return []
    if s.get_bind().dialect.name == "postgresql":
        array = bindparam("wanted", wanted, type_=ARRAY(column.type))
        return list(s.scalars(query.where(column == any_(array))))
    out: list[Any] = []
    for i in range(0, len(wanted), chunk):
        out.extend(s.scalars(query.where(column.in_(wanted[i : i + chunk]))))
    return out
