"""Many new rows of one table inserted at once, with their ids back in order.

The ORM's insert of tens of thousands of rows (a survey's suggestions, a bulk accept's
codings, a codings import) spends seconds in per-row parameter handling: on SQLite in
SQLAlchemy's bind processing, on PostgreSQL in psycopg splitting its many-row
statements and in the round trips. Each database gets its quick path here; anything
they cannot take (a column default to compute, ids given) goes by a plain INSERT.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Table, func, insert, select
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.orm import Session


def insert_rows(
    s: Session, table: Table, rows: Sequence[Mapping[str, Any]], chunk: int = 5000
) -> list[int]:
    """Insert ``rows`` (plain column dicts, all with the same keys) into ``table``;
    the new ids, in the order of ``rows``. ``chunk``: rows per statement, except on
    SQLite and PostgreSQL."""
    if not rows:
        return []
    s.flush()  # as an ORM insert would: pending objects may be what these rows point at
    conn = s.connection()
    fast = {"sqlite": _add_on_sqlite, "postgresql": _copy_on_postgresql}.get(conn.dialect.name)
    if fast is not None:
        made = fast(conn, table, rows)
        if made is not None:
            return made
    query = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(rows), chunk):
        ids += conn.execute(query, list(rows[start : start + chunk])).scalars()
    return ids


def _add_on_sqlite(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> list[int] | None:
    """The DB-API's executemany of the compiled INSERT: none of SQLAlchemy's per-row
    parameter handling, and no RETURNING (kept in order only row by row on SQLite).
    SQLite numbers new rows on from the largest id, in order; checked after. None: left
    to the plain insert (a default to compute, ids given, a key that is no column)."""
    dialect = conn.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
    names = compiled.positiontup
    if names is None or len(names) < 2 or "id" in names or set(names) != set(rows[0]):
        return None
    if compiled.insert_prefetch:
        return None
    before = conn.scalar(select(func.max(table.c.id))) or 0
    if before > 2**62:  # near the largest rowid SQLite may pick ids at random
        return None
    # Column by column, so that each distinct value object (the shared params dicts and
    # because lists, the one timestamp) goes through its bind processor (JSON, datetime)
    # only once; keyed by id(), as every value lives as long as rows does.
    columns = list(zip(*map(itemgetter(*names), rows), strict=True))
    for i, name in enumerate(names):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            distinct = {id(value): value for value in columns[i]}
            bound = {key: process(value) for key, value in distinct.items()}
            columns[i] = tuple(map(bound.__getitem__, map(id, columns[i])))
    params = list(zip(*columns, strict=True))
    conn.exec_driver_sql(compiled.string, params)
    made = select(func.count(), func.min(table.c.id), func.max(table.c.id))
    count, low, high = conn.execute(made.where(table.c.id > before)).one()
    if count != len(rows) or high - low + 1 != count:
        raise RuntimeError(f"{table.name} stored with unexpected ids {low}..{high}")
    return list(range(low, high + 1))


def _copy_on_postgresql(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> list[int] | None:
    """COPY: on a server, an INSERT of 30,000 rows spends seconds in per-row parameter
    handling and round trips, and COPY a fraction of a second. Ids are drawn from the
    table's own sequence first, so they are the rows' and unique beside another coder
    writing at the same time. None: left to the plain insert (a column default to
    compute, ids given, a key that is no column)."""
    names = list(rows[0])
    columns = {c.name: c for c in table.c}
    if "id" in names or not set(names) <= set(columns) or any(set(r) != set(names) for r in rows):
        return None
    if any(c.default is not None for n, c in columns.items() if n != "id" and n not in names):
        return None
    raw = conn.connection.driver_connection
    sequence = conn.scalar(select(func.pg_get_serial_sequence(table.name, "id")))
    if raw is None or sequence is None:
        return None
    draw = select(func.nextval(cast_(sequence, REGCLASS))).select_from(
        func.generate_series(1, len(rows))
    )
    ids = sorted(conn.scalars(draw))
    # JSON is written as the ORM writes it (None too, as JSON's null); each shared dict
    # or list is dumped once.
    dumped: dict[int, str] = {}
    as_json = {n for n in names if isinstance(columns[n].type, JSON)}

    def value(name: str, v: Any) -> Any:
        if name not in as_json:
            return v
        text = dumped.get(id(v))
        if text is None:
            text = dumped[id(v)] = json.dumps(v)
        return text

    quote = conn.dialect.identifier_preparer
    target = ", ".join(quote.quote(n) for n in ["id", *names])
    statement = f"COPY {quote.format_table(table)} ({target}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for rid, row in zip(ids, rows, strict=True):
            copy.write_row((rid, *(value(n, row[n]) for n in names)))
    return ids
