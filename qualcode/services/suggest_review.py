"""What a review of suggestions needs beyond deciding them: the pending suggestions
with their passages, undoing a decision, and whether sentence vectors are cached.

Deciding (accept, reject) lives in :mod:`qualcode.services.suggest_decisions`;
:func:`reopen` is its inverse, so that a screen can undo an accept or a reject.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from qualcode.domain.framework import FrameworkTree
from qualcode.domain.model import Segment
from qualcode.errors import NotFoundError
from qualcode.nlp import embeddings
from qualcode.services import framework, queries
from qualcode.services.study import Study
from qualcode.services.suggest import Suggestion, suggestion
from qualcode.services.suggest_decisions import pending
from qualcode.store import audit, states
from qualcode.store import models as m

__all__ = ["ReviewItem", "ReviewList", "VectorCache", "cached_vectors", "reopen", "review_list"]


@dataclass(frozen=True)
class ReviewItem:
    suggestion: Suggestion
    segment: Segment
    theme_label: str
    question: str | None  # the survey question, for a survey answer


@dataclass(frozen=True)
class ReviewList:
    items: tuple[ReviewItem, ...]  # best first, at most ``limit``
    total: int  # pending suggestions matching the filters
    mode: str | None  # how the newest of them were made: "lexical" or "embeddings"


@dataclass(frozen=True)
class VectorCache:
    installed: bool  # the embeddings extra is installed
    cached: int  # respondent segments with a current sentence vector
    segments: int  # respondent segments

    @property
    def ready(self) -> bool:
        """Embeddings are installed and (nearly) every vector is cached, so an
        embeddings run takes seconds rather than minutes."""
        return self.installed and self.segments > 0 and self.cached >= 0.95 * self.segments


def review_list(
    study: Study, theme: str | None = None, case: str | None = None, limit: int = 500
) -> ReviewList:
    """The best ``limit`` pending suggestions (``theme`` includes its sub-themes), each
    with its passage and the theme's label; cheap enough to call after every decision."""
    shown = pending(study, theme=theme, case=case, limit=limit)
    segments = {g.id: g for g in queries.list_segments(study, ids=[s.segment for s in shown])}
    tree = framework.framework_tree(study)
    needed = {g.source for g in segments.values()}
    with study.read() as session:
        rows = session.execute(
            select(m.SourceRow.id, m.SourceRow.question).where(
                m.SourceRow.id.in_(sorted(needed)), m.SourceRow.question.is_not(None)
            )
        )
        questions: dict[str, str | None] = dict(rows.all())
    items = tuple(
        ReviewItem(
            s,
            segments[s.segment],
            tree.themes[s.theme].label if s.theme in tree.themes else s.theme,
            questions.get(segments[s.segment].source),
        )
        for s in shown
        if s.segment in segments
    )
    total, mode = _count(study, tree, theme, case)
    return ReviewList(items, total, mode)


def _count(
    study: Study, tree: FrameworkTree, theme: str | None, case: str | None
) -> tuple[int, str | None]:
    """How many pending suggestions match, and the mode the newest was made in."""
    with study.read() as s:
        query = select(m.SuggestionRow.id, m.SuggestionRow.params).where(
            m.SuggestionRow.status == "pending"
        )
        if theme is not None:
            query = query.where(m.SuggestionRow.theme_id.in_(tree.with_descendants(theme)))
        if case is not None:
            query = (
                query.join(m.SegmentRow, m.SegmentRow.id == m.SuggestionRow.segment_id)
                .join(m.SourceRow, m.SourceRow.id == m.SegmentRow.source_id)
                .where(m.SourceRow.case_id == case)
            )
        total = s.scalar(select(func.count()).select_from(query.subquery()))
        newest = s.execute(
            query.order_by(m.SuggestionRow.created_at.desc(), m.SuggestionRow.id.desc()).limit(1)
        ).first()
    params = (newest[1] if newest is not None else None) or {}
    return int(total or 0), str(params.get("mode") or "") or None


def reopen(study: Study, suggestion_id: int) -> Suggestion:
    """Put a decided suggestion back to pending, removing the codings that accepting
    it made (the inverse of ``accept`` and ``reject``)."""
    with study.write() as s:
        row = s.get(m.SuggestionRow, suggestion_id)
        if row is None:
            raise NotFoundError(f"no suggestion {suggestion_id}")
        made = s.scalars(select(m.CodingRow).where(m.CodingRow.suggestion_id == suggestion_id))
        for coding in list(made):
            before = states.coding_row(coding)
            s.delete(coding)
            audit.record(s, study.coder, "delete", "coding", coding.id, before=before)
        before = states.decision(row)
        row.status, row.decided_by, row.decided_at = "pending", None, None
        audit.record(s, study.coder, "reopen", "suggestion", row.id, before, states.decision(row))
        s.flush()
        return suggestion(row)


def cached_vectors(study: Study) -> VectorCache:
    """How many respondent segments already have a sentence vector in the store."""
    with study.read() as s:
        segments = s.scalar(
            select(func.count()).select_from(m.SegmentRow).where(m.SegmentRow.role == "respondent")
        )
        cached = s.scalar(
            select(func.count())
            .select_from(m.EmbeddingRow)
            .join(m.SegmentRow, m.SegmentRow.id == m.EmbeddingRow.segment_id)
            .where(m.EmbeddingRow.model == embeddings.MODEL, m.SegmentRow.role == "respondent")
        )
    return VectorCache(embeddings.available(), int(cached or 0), int(segments or 0))
