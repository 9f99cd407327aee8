"""Suggestions: the rows the suggestion engine writes, and the decisions on them."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Connection,
    Select,
    String,
    Table,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import ARRAY, REGCLASS
from sqlalchemy.orm import Session

from qualcode.store import models as m
from qualcode.store.queries.chunks import rows_in


def suggestion_ids_of_theme(s: Session, theme_id: str) -> list[int]:
    query = select(m.SuggestionRow.id).where(m.SuggestionRow.theme_id == theme_id)
    return list(s.scalars(query))


def suggestions_of_themes(s: Session, theme_ids: Collection[str]) -> list[m.SuggestionRow]:
    query = select(m.SuggestionRow).where(m.SuggestionRow.theme_id.in_(list(theme_ids)))
    return list(s.scalars(query))


def suggestions_in(s: Session, ids: Collection[int]) -> list[m.SuggestionRow]:
    """The suggestions with these ids (asked in chunks, for long lists)."""
    return rows_in(s, select(m.SuggestionRow), m.SuggestionRow.id, ids)


def retheme_suggestions(
    s: Session, ids: Sequence[int], theme_id: str, only_from: str | None = None
) -> None:
    """Point the given suggestions at another theme (merges and their undo); with
    ``only_from``, only those still pointing at that theme."""
    if not ids:
        return
    query = update(m.SuggestionRow).where(m.SuggestionRow.id.in_(list(ids)))
    if only_from is not None:
        query = query.where(m.SuggestionRow.theme_id == only_from)
    s.execute(query.values(theme_id=theme_id))


# --- the suggestion engine ------------------------------------------------------------


def delete_pending(
    s: Session, segment_ids: Sequence[str], themes: Collection[str] | None = None, chunk: int = 500
) -> None:
    """Drop the pending suggestions of these segments (only of ``themes`` when given);
    decided ones stay, as the record of what a researcher chose."""
    r = m.SuggestionRow
    query = delete(r).where(r.status == "pending")
    if themes is not None:
        query = query.where(r.theme_id.in_(list(themes)))
    if s.get_bind().dialect.name == "postgresql":
        # One statement whatever the number of segments: the list goes as one array.
        ids = bindparam("segment_ids", list(segment_ids), type_=ARRAY(String))
        s.execute(query.where(r.segment_id == any_(ids)))
        return
    if len(segment_ids) > chunk and _every_suggested(s, segment_ids):
        # Every segment with suggestions is targeted (suggest --all): one delete instead
        # of an IN list per chunk. Safe only under SQLite's write lock, taken when the
        # transaction began: no other writer can add a suggestion between the check and
        # the delete, as one could under PostgreSQL's read committed.
        s.execute(query)
        return
    for start in range(0, len(segment_ids), chunk):
        s.execute(query.where(r.segment_id.in_(list(segment_ids[start : start + chunk]))))


def _every_suggested(s: Session, segment_ids: Sequence[str]) -> bool:
    """Whether every segment with any suggestion is among these (from the segment index
    alone, so quick)."""
    query = select(m.SuggestionRow.segment_id).distinct()
    return set(s.scalars(query)) <= set(segment_ids)


_TABLE = cast(Table, m.SuggestionRow.__table__)


def add_suggestions(s: Session, rows: Sequence[Mapping[str, Any]], chunk: int = 5000) -> list[int]:
    """Insert many suggestions at once (plain column dicts, all with the same keys);
    the new ids, in the order of ``rows``. ``chunk``: rows per statement, except on
    SQLite."""
    if not rows:
        return []
    s.flush()  # as an ORM insert would: pending objects may be what these rows point at
    conn = s.connection()
    fast = {"sqlite": _add_on_sqlite, "postgresql": _copy_on_postgresql}.get(conn.dialect.name)
    if fast is not None:
        made = fast(conn, rows)
        if made is not None:
            return made
    query = insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(rows), chunk):
        ids += conn.execute(query, list(rows[start : start + chunk])).scalars()
    return ids


def _add_on_sqlite(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[int] | None:
    """The DB-API's executemany of the compiled INSERT: none of SQLAlchemy's per-row
    parameter handling, and no RETURNING (kept in order only row by row on SQLite).
    SQLite numbers new rows on from the largest id, in order; checked after. None: left
    to the plain insert (a default to compute, ids given, a key that is no column)."""
    table = _TABLE
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
        raise RuntimeError(f"suggestions stored with unexpected ids {low}..{high}")
    return list(range(low, high + 1))


def _copy_on_postgresql(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[int] | None:
    """COPY: on a server, an INSERT of 30,000 suggestions spends seconds in per-row
    parameter handling and round trips, and COPY a fraction of a second. Ids are drawn
    from the table's own sequence first, so they are the rows' and unique beside
    another coder's run writing at the same time. None: left to the plain insert (a
    column default to compute, ids given, a key that is no column)."""
    table = _TABLE
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


def _pending(query: Select[Any], themes: Collection[str] | None, case: str | None) -> Any:
    query = query.where(m.SuggestionRow.status == "pending")
    if themes is not None:
        query = query.where(m.SuggestionRow.theme_id.in_(list(themes)))
    if case is not None:
        query = (
            query.join(m.SegmentRow, m.SegmentRow.id == m.SuggestionRow.segment_id)
            .join(m.SourceRow, m.SourceRow.id == m.SegmentRow.source_id)
            .where(m.SourceRow.case_id == case)
        )
    return query


def pending_rows(
    s: Session,
    themes: Collection[str] | None = None,
    case: str | None = None,
    segment: str | None = None,
    limit: int | None = None,
) -> list[m.SuggestionRow]:
    """Pending suggestions (of these themes, one case's, one segment's), highest score
    first, at most ``limit``."""
    query = _pending(select(m.SuggestionRow), themes, case)
    if segment is not None:
        query = query.where(m.SuggestionRow.segment_id == segment)
    query = query.order_by(m.SuggestionRow.score.desc(), m.SuggestionRow.id)
    if limit is not None:
        query = query.limit(limit)
    return list(s.scalars(query))


def count_pending(
    s: Session, themes: Collection[str] | None = None, case: str | None = None
) -> int:
    query = _pending(select(m.SuggestionRow.id), themes, case)
    return int(s.scalar(select(func.count()).select_from(query.subquery())) or 0)


def newest_pending_params(
    s: Session, themes: Collection[str] | None = None, case: str | None = None
) -> dict[str, Any] | None:
    """The run parameters of the most recently made pending suggestion (None: none)."""
    query = _pending(select(m.SuggestionRow.params), themes, case)
    query = query.order_by(m.SuggestionRow.created_at.desc(), m.SuggestionRow.id.desc())
    newest = s.execute(query.limit(1)).first()
    return None if newest is None else dict(newest[0] or {})


def newest_suggestion(s: Session, segment: str, theme: str) -> m.SuggestionRow | None:
    """The newest suggestion of ``theme`` for ``segment``, whatever its status."""
    query = select(m.SuggestionRow).where(
        m.SuggestionRow.segment_id == segment, m.SuggestionRow.theme_id == theme
    )
    return s.scalars(query.order_by(m.SuggestionRow.id.desc())).first()


def pending_suggestion(s: Session, segment: str, theme: str) -> m.SuggestionRow | None:
    """A pending suggestion of ``theme`` for ``segment``, if there is one."""
    query = select(m.SuggestionRow).where(
        m.SuggestionRow.segment_id == segment,
        m.SuggestionRow.theme_id == theme,
        m.SuggestionRow.status == "pending",
    )
    return s.scalars(query).first()


def rejected_pairs(s: Session) -> list[tuple[str, str]]:
    """(segment, theme) of every rejected suggestion: what the suggester must not offer
    again and learns from as negative evidence."""
    query = select(m.SuggestionRow.segment_id, m.SuggestionRow.theme_id).where(
        m.SuggestionRow.status == "rejected"
    )
    return [(seg, theme) for seg, theme in s.execute(query)]


def decided_one_by_one(s: Session) -> list[tuple[float, bool, dict[str, Any]]]:
    """(score, accepted, run parameters) of every suggestion a researcher accepted or
    rejected on its own: what the scores can be checked against as they were shown.
    Left out: bulk accepts (an action deciding more than one suggestion, which took
    the score's word for it) and rejections of a theme never suggested (no score)."""
    change, row = m.ChangeRow, m.SuggestionRow
    decides = (change.action == "decide", change.entity == "suggestion")
    bulk_batches = select(change.batch).where(*decides).group_by(change.batch)
    bulk_batches = bulk_batches.having(func.count() > 1)
    in_bulk = select(change.entity_id).where(*decides, change.batch.in_(bulk_batches))
    query = select(row.score, row.status, row.params).where(
        row.status.in_(["accepted", "rejected"]),
        row.method != "manual",
        cast_(row.id, String).not_in(in_bulk),
    )
    return [
        (float(score), status == "accepted", dict(params or {}))
        for score, status, params in s.execute(query)
    ]


def pending_on(
    s: Session, segment_ids: Sequence[str], chunk: int = 500
) -> list[tuple[str, str, float, Any, dict[str, Any]]]:
    """(segment, theme, score, created, run parameters) of the pending suggestions of
    these segments."""
    r = m.SuggestionRow
    out: list[tuple[str, str, float, Any, dict[str, Any]]] = []
    for start in range(0, len(segment_ids), chunk):
        query = select(r.segment_id, r.theme_id, r.score, r.created_at, r.params).where(
            r.status == "pending", r.segment_id.in_(list(segment_ids[start : start + chunk]))
        )
        out += [(g, t, float(sc), at, dict(p or {})) for g, t, sc, at, p in s.execute(query)]
    return out
