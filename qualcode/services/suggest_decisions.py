"""Deciding suggestions: list the pending ones, accept (which codes the segment) or
reject (which the next suggestions honour and learn from).

Each decision is one transaction with its audit record, so a screen can call these
on every key press.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from qualcode.domain.model import Coding
from qualcode.errors import ConflictError, NotFoundError
from qualcode.services.study import Study
from qualcode.services.suggest import Suggestion, suggestion
from qualcode.store import audit, convert, states
from qualcode.store import models as m

__all__ = ["accept", "find", "pending", "reject", "reject_theme"]


def pending(
    study: Study,
    theme: str | None = None,
    case: str | None = None,
    segment: str | None = None,
    limit: int | None = None,
) -> list[Suggestion]:
    """Pending suggestions, highest score first (``theme`` includes its sub-themes)."""
    with study.read() as s:
        query = select(m.SuggestionRow).where(m.SuggestionRow.status == "pending")
        if theme is not None:
            query = query.where(m.SuggestionRow.theme_id.in_(_subtree(s, theme)))
        if segment is not None:
            query = query.where(m.SuggestionRow.segment_id == segment)
        if case is not None:
            query = (
                query.join(m.SegmentRow, m.SegmentRow.id == m.SuggestionRow.segment_id)
                .join(m.SourceRow, m.SourceRow.id == m.SegmentRow.source_id)
                .where(m.SourceRow.case_id == case)
            )
        query = query.order_by(m.SuggestionRow.score.desc(), m.SuggestionRow.id)
        if limit is not None:
            query = query.limit(limit)
        return [suggestion(r) for r in s.scalars(query)]


def find(study: Study, segment: str, theme: str) -> Suggestion | None:
    """The newest suggestion of ``theme`` for ``segment`` (any status)."""
    with study.read() as s:
        row = s.scalars(
            select(m.SuggestionRow)
            .where(m.SuggestionRow.segment_id == segment, m.SuggestionRow.theme_id == theme)
            .order_by(m.SuggestionRow.id.desc())
        ).first()
        return suggestion(row) if row is not None else None


def accept(study: Study, suggestion_id: int, theme: str | None = None) -> Coding:
    """Code the suggestion's segment with its theme, recording that it came from it.

    With ``theme`` (picking another theme instead), the segment is coded with that
    theme and the suggested one is marked rejected, so the model learns from both.
    """
    with study.write() as s:
        row = _open(s, suggestion_id)
        chosen = theme or row.theme_id
        if s.get(m.ThemeRow, chosen) is None:
            raise NotFoundError(f"no theme {chosen!r}")
        seg = s.get(m.SegmentRow, row.segment_id)
        if seg is None:
            raise NotFoundError(f"no segment {row.segment_id!r}")
        before = states.decision(row)
        row.status = "accepted" if chosen == row.theme_id else "rejected"
        row.decided_by, row.decided_at = study.coder, m.utcnow()
        coding = s.scalar(
            select(m.CodingRow).where(
                m.CodingRow.source_id == seg.source_id,
                m.CodingRow.start == seg.start,
                m.CodingRow.end == seg.end,
                m.CodingRow.theme_id == chosen,
                m.CodingRow.coder == study.coder,
            )
        )
        if coding is None:
            coding = m.CodingRow(
                source_id=seg.source_id,
                start=seg.start,
                end=seg.end,
                theme_id=chosen,
                coder=study.coder,
                origin="suggestion",
                suggestion_id=row.id,
            )
            s.add(coding)
            s.flush()
            audit.record(
                s, study.coder, "add", "coding", coding.id, after=states.coding_row(coding)
            )
        audit.record(s, study.coder, "decide", "suggestion", row.id, before, states.decision(row))
        return convert.coding(coding)


def reject(study: Study, suggestion_id: int) -> Suggestion:
    """Mark a suggestion rejected: it is not suggested again for that segment and
    counts as negative evidence for its theme."""
    with study.write() as s:
        row = _open(s, suggestion_id)
        before = states.decision(row)
        row.status, row.decided_by, row.decided_at = "rejected", study.coder, m.utcnow()
        audit.record(s, study.coder, "decide", "suggestion", row.id, before, states.decision(row))
        s.flush()
        return suggestion(row)


def reject_theme(study: Study, segment: str, theme: str) -> Suggestion:
    """Reject ``theme`` for ``segment``: its pending suggestion, or a new rejection when
    none is pending (so a script can rule a theme out before it is ever suggested)."""
    with study.write() as s:
        if s.get(m.SegmentRow, segment) is None:
            raise NotFoundError(f"no segment {segment!r}")
        if s.get(m.ThemeRow, theme) is None:
            raise NotFoundError(f"no theme {theme!r}")
        row = s.scalars(
            select(m.SuggestionRow).where(
                m.SuggestionRow.segment_id == segment,
                m.SuggestionRow.theme_id == theme,
                m.SuggestionRow.status == "pending",
            )
        ).first()
        if row is None:
            row = m.SuggestionRow(
                segment_id=segment,
                theme_id=theme,
                score=0.0,
                because=[],
                method="manual",
                model=None,
                params={},
                status="pending",
            )
            s.add(row)
            s.flush()
        before = states.decision(row)
        row.status, row.decided_by, row.decided_at = "rejected", study.coder, m.utcnow()
        audit.record(s, study.coder, "decide", "suggestion", row.id, before, states.decision(row))
        s.flush()
        return suggestion(row)


def _open(s: Any, suggestion_id: int) -> m.SuggestionRow:
    row = s.get(m.SuggestionRow, suggestion_id)
    if row is None:
        raise NotFoundError(f"no suggestion {suggestion_id}")
    if row.status != "pending":
        raise ConflictError(f"suggestion {suggestion_id} was already {row.status}")
    return row


def _subtree(s: Any, theme: str) -> list[str]:
    from qualcode.domain.framework import FrameworkTree

    tree = FrameworkTree.build(convert.theme(r) for r in s.scalars(select(m.ThemeRow)))
    if theme not in tree.themes:
        raise NotFoundError(f"no theme {theme!r}")
    return tree.with_descendants(theme)
