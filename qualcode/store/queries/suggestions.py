"""Suggestions: the rows the suggestion engine writes, and the decisions on them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.orm import Session

from qualcode.store import models as m


def suggestion_ids_of_theme(s: Session, theme_id: str) -> list[int]:
    query = select(m.SuggestionRow.id).where(m.SuggestionRow.theme_id == theme_id)
    return list(s.scalars(query))


def suggestions_of_themes(s: Session, theme_ids: Collection[str]) -> list[m.SuggestionRow]:
    query = select(m.SuggestionRow).where(m.SuggestionRow.theme_id.in_(list(theme_ids)))
    return list(s.scalars(query))


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
    for start in range(0, len(segment_ids), chunk):
        query = delete(m.SuggestionRow).where(
            m.SuggestionRow.status == "pending",
            m.SuggestionRow.segment_id.in_(list(segment_ids[start : start + chunk])),
        )
        if themes is not None:
            query = query.where(m.SuggestionRow.theme_id.in_(list(themes)))
        s.execute(query)


def add_suggestions(s: Session, rows: Sequence[Mapping[str, Any]], chunk: int = 500) -> None:
    """Insert many suggestions at once (plain column dicts)."""
    for start in range(0, len(rows), chunk):
        s.execute(insert(m.SuggestionRow), list(rows[start : start + chunk]))


def pending_ids(
    s: Session, segment_ids: Sequence[str], chunk: int = 500
) -> dict[tuple[str, str], int]:
    """(segment, theme) -> id of the pending suggestions of these segments."""
    out: dict[tuple[str, str], int] = {}
    r = m.SuggestionRow
    for start in range(0, len(segment_ids), chunk):
        query = select(r.id, r.segment_id, r.theme_id).where(
            r.status == "pending", r.segment_id.in_(list(segment_ids[start : start + chunk]))
        )
        out.update(((seg, theme), rid) for rid, seg, theme in s.execute(query))
    return out


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
