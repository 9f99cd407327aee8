"""Sentence vectors cached per segment and model (the ``embeddings`` table)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from qualcode.store import models as m


def stored_vectors(s: Session, model: str) -> dict[str, tuple[str, bytes]]:
    """Segment id -> (text checksum, vector bytes) of every vector of ``model``."""
    e = m.EmbeddingRow
    query = select(e.segment_id, e.checksum, e.vector).where(e.model == model)
    return {sid: (checksum, vector) for sid, checksum, vector in s.execute(query)}


def replace_vectors(
    s: Session,
    model: str,
    stale: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    chunk: int = 500,
) -> None:
    """Drop ``model``'s vectors of the ``stale`` segments, then insert ``rows`` (plain
    column dicts)."""
    for start in range(0, len(stale), chunk):
        s.execute(
            delete(m.EmbeddingRow).where(
                m.EmbeddingRow.model == model,
                m.EmbeddingRow.segment_id.in_(list(stale[start : start + chunk])),
            )
        )
    for start in range(0, len(rows), chunk):
        s.execute(insert(m.EmbeddingRow), list(rows[start : start + chunk]))


def count_cached_respondent_vectors(s: Session, model: str) -> int:
    """Respondent segments with a vector of ``model`` (current or not)."""
    query = (
        select(func.count())
        .select_from(m.EmbeddingRow)
        .join(m.SegmentRow, m.SegmentRow.id == m.EmbeddingRow.segment_id)
        .where(m.EmbeddingRow.model == model, m.SegmentRow.role == "respondent")
    )
    return int(s.scalar(query) or 0)
