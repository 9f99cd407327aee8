"""Suggestions: the rows the suggestion engine writes, and the decisions on them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Select,
    String,
    Table,
    any_,
    bindparam,
    delete,
    exists,
    func,
    select,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from qualcode.store import models as m
from qualcode.store.queries.bulk_insert import insert_rows
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


def decide_all(
    s: Session, rows: Sequence[m.SuggestionRow], status: str, coder: str, at: datetime
) -> None:
    """Mark these suggestions decided, in one bulk UPDATE by primary key: as dirty ORM
    objects, the 29,000 of a bulk accept cost the unit of work seconds to flush. The
    objects are given the same values as already stored, so nothing flushes them again."""
    if not rows:
        return
    values = {"status": status, "decided_by": coder, "decided_at": at}
    s.execute(update(m.SuggestionRow), [{"id": r.id, **values} for r in rows])
    for r in rows:
        for name, value in values.items():
            set_committed_value(r, name, value)


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
    SQLite and PostgreSQL (:mod:`qualcode.store.queries.bulk_insert`)."""
    return insert_rows(s, _TABLE, rows, chunk)


def _pending(query: Select[Any], themes: Collection[str] | None, case: str | None) -> Any:
    query = query.where(m.SuggestionRow.status == "pending", ~_coded_since())
    if themes is not None:
        query = query.where(m.SuggestionRow.theme_id.in_(list(themes)))
    if case is not None:
        query = (
            query.join(m.SegmentRow, m.SegmentRow.id == m.SuggestionRow.segment_id)
            .join(m.SourceRow, m.SourceRow.id == m.SegmentRow.source_id)
            .where(m.SourceRow.case_id == case)
        )
    return query


def _coded_since() -> Any:
    """A suggestion whose theme has been coded on its passage since (by anyone, a
    colleague or another theme's "accept with this theme" instead): no longer to be
    offered, nor counted as a coding still to make."""
    g, c = aliased(m.SegmentRow), m.CodingRow
    return (
        exists()
        .where(g.id == m.SuggestionRow.segment_id)
        .where(c.source_id == g.source_id, c.start < g.end, c.end > g.start)
        .where(c.theme_id == m.SuggestionRow.theme_id)
    )


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
