"""What a review of suggestions needs beyond deciding them: the pending suggestions
with their passages, undoing a decision, and whether sentence vectors are cached.

Deciding (accept, reject) lives in :mod:`qualcode.services.suggest_decisions`;
:func:`reopen` is its inverse, so that a screen can undo an accept or a reject.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import embeddings as embeddings_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import suggestions as suggestions_q

__all__ = ["ReviewItem", "ReviewList", "VectorCache", "cached_vectors", "reopen", "review_list"]


@dataclass(frozen=True)
class ReviewItem:
    suggestion: Suggestion
    segment: Segment
    theme_label: str
    question: str | None  # the survey question, for a survey answer
    # the case's attributes, in the study's order: a survey's "question" or rating
    # attribute tells praise from complaint in a bare "Nothing."
    attributes: tuple[tuple[str, str], ...] = ()


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
    cases = {g.case for g in segments.values()}
    with study.read() as session:
        questions: dict[str, str | None] = dict(sources_q.source_questions(session, needed))
        values = cases_q.values_of_cases(session, cases)
    items = tuple(
        ReviewItem(
            s,
            segments[s.segment],
            tree.themes[s.theme].label if s.theme in tree.themes else s.theme,
            questions.get(segments[s.segment].source),
            values.get(segments[s.segment].case, ()),
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
    themes = tree.with_descendants(theme) if theme is not None else None
    with study.read() as s:
        total = suggestions_q.count_pending(s, themes, case)
        params = suggestions_q.newest_pending_params(s, themes, case) or {}
    return total, str(params.get("mode") or "") or None


def reopen(study: Study, suggestion_id: int) -> Suggestion:
    """Put a decided suggestion back to pending, removing the codings that accepting
    it made (the inverse of ``accept`` and ``reject``)."""
    with study.write() as s:
        row = s.get(m.SuggestionRow, suggestion_id)
        if row is None:
            raise NotFoundError(f"no suggestion {suggestion_id}")
        for coding in codings_q.codings_from_suggestion(s, suggestion_id):
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
        segments = sources_q.count_segments(s, role="respondent")
        cached = embeddings_q.count_cached_respondent_vectors(s, embeddings.MODEL)
    return VectorCache(embeddings.available(), cached, segments)
