"""Our tables as they are in a database, for backups and restores: reflected (a study
at an older schema revision lacks newer columns), rows as JSON, and rows inserted parents
first."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    LargeBinary,
    MetaData,
    Table,
    insert,
    inspect,
    select,
    text,
)

from qualcode.errors import InputError
from qualcode.store import models as m

BATCH = 1000


def model_tables() -> list[Table]:
    return list(m.Base.metadata.sorted_tables)  # parents before children


def reflected(conn: Connection) -> list[Table]:
    """Our tables as they are in this database (an older schema lacks newer columns),
    in the models' parent-first order."""
    present = set(inspect(conn).get_table_names())
    names = [t.name for t in model_tables() if t.name in present]
    meta = MetaData()
    meta.reflect(conn, only=names)
    return [meta.tables[name] for name in names]


def encode_row(table: Table, row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in table.columns:
        value = row._mapping[col]
        if value is not None and isinstance(col.type, DateTime):
            value = (value.replace(tzinfo=UTC) if value.tzinfo is None else value).isoformat()
        elif value is not None and isinstance(col.type, LargeBinary):
            value = base64.b64encode(value).decode("ascii")
        out[col.name] = value
    return out


def decode_row(table: Table, data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for col in table.columns:
        value = data.get(col.name)
        if value is not None and isinstance(col.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(col.type, LargeBinary):
            value = base64.b64decode(value)
        out[col.name] = value
    return out


def _parent_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table that refers to itself (themes), each after the row it names."""
    selfref = [fk for fk in table.foreign_keys if fk.column.table is table]
    if not selfref:
        return rows
    col, key = selfref[0].parent.name, selfref[0].column.name
    done: set[Any] = set()
    out: list[dict[str, Any]] = []
    pending = rows
    while pending:
        later = [r for r in pending if r[col] is not None and r[col] not in done]
        ready = [r for r in pending if r[col] is None or r[col] in done]
        if not ready:
            raise InputError(f"table {table.name}: rows refer to missing parents")
        out.extend(ready)
        done.update(r[key] for r in ready)
        pending = later
    return out


def insert_rows(conn: Connection, table: Table, rows: Iterable[Any]) -> int:
    n = 0
    batch: list[dict[str, Any]] = []
    needs_order = any(fk.column.table is table for fk in table.foreign_keys)
    if needs_order:
        rows = _parent_first(table, [dict(r) for r in rows])
    for row in rows:
        batch.append(dict(row))
        if len(batch) >= BATCH:
            conn.execute(insert(table), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        n += len(batch)
    return n


def reset_sequences(conn: Connection) -> None:
    """Rows came with their ids: move each id sequence past the largest."""
    for table in model_tables():
        col = table.autoincrement_column
        if col is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:t, :c), "
                f'COALESCE((SELECT MAX("{col.name}") FROM "{table.name}"), 0) + 1, false)'
            ),
            {"t": table.name, "c": col.name},
        )


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database's schema is at."""
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def table_rows(conn: Connection, table: Table) -> Iterator[Any]:
    """Every row of a (reflected) table in primary-key order, fetched in batches."""
    query = select(table).order_by(*table.primary_key.columns)
    yield from conn.execute(query.execution_options(yield_per=BATCH))


def model_rows(conn: Connection, table: Table) -> Iterable[Any]:
    """The rows of our model's table of the same name, as mappings."""
    return conn.execute(select(m.Base.metadata.tables[table.name])).mappings()


def row_count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(text("count(*)")).select_from(table)).scalar() or 0)


def log_restore(conn: Connection, coder: str, after: dict[str, Any]) -> None:
    """Record the restore in the restored study's audit trail."""
    conn.execute(
        insert(m.ChangeRow).values(
            coder=coder, action="restore", entity="study", entity_id=None, after=after
        )
    )
