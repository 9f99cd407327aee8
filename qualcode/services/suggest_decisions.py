"""Deciding suggestions: list the pending ones, accept (which codes the segment) or
reject (which the next suggestions honour and learn from).

Each decision is one transaction with its audit record, so a screen can call these
on every key press.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qualcode.domain.model import Coding
from qualcode.errors import ConflictError, NotFoundError
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study
from qualcode.services.suggest import Suggestion, suggestion
from qualcode.services.theme_errors import no_theme_in_study, no_theme_in_tree
from qualcode.services.theme_scope import check_applies
from qualcode.store import audit, convert, states
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import suggestions as suggestions_q
from qualcode.store.queries import themes as themes_q

__all__ = ["accept", "accept_all", "find", "pending", "reject", "reject_theme"]


@gc_paused()  # 30,000 pending suggestions as ORM rows: 1.3-2.0 s -> 0.8 s
def pending(
    study: Study,
    theme: str | None = None,
    case: str | None = None,
    segment: str | None = None,
    limit: int | None = None,
) -> list[Suggestion]:
    """Pending suggestions, highest score first (``theme`` includes its sub-themes)."""
    with study.read() as s:
        themes = _subtree(s, theme) if theme is not None else None
        rows = suggestions_q.pending_rows(s, themes, case, segment, limit)
        return [suggestion(r) for r in rows]


def find(study: Study, segment: str, theme: str) -> Suggestion | None:
    """The newest suggestion of ``theme`` for ``segment`` (any status)."""
    with study.read() as s:
        row = suggestions_q.newest_suggestion(s, segment, theme)
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
            raise no_theme_in_study(s, chosen)
        seg = s.get(m.SegmentRow, row.segment_id)
        if seg is None:
            raise NotFoundError(f"no segment {row.segment_id!r}")
        check_applies(s, chosen, [seg.source_id])
        before = states.decision(row)
        row.status = "accepted" if chosen == row.theme_id else "rejected"
        row.decided_by, row.decided_at = study.coder, m.utcnow()
        span = (seg.source_id, seg.start, seg.end, chosen)
        coding = codings_q.coding_at(s, *span, study.coder)
        if coding is None:
            values = codings_q.coding_values(*span, study.coder, "suggestion", row.id)
            coding = m.CodingRow(**values)
            s.add(coding)
            s.flush()
            audit.record(
                s, study.coder, "add", "coding", coding.id, after=states.coding_row(coding)
            )
        audit.record(s, study.coder, "decide", "suggestion", row.id, before, states.decision(row))
        return convert.coding(coding)


@gc_paused()  # tens of thousands of ORM rows, no cycles worth a collection
def accept_all(study: Study, suggestion_ids: Sequence[int]) -> list[Coding]:
    """Accept many suggestions in one transaction, so that all of them or none are
    coded: a bulk accept cut short (an error, Ctrl+C, a lost connection) leaves nothing
    half-done. A suggestion decided by another coder, or gone with its theme, since it
    was listed is passed over. The codings, in the order of ``suggestion_ids`` (an
    accept of a span, theme and coder already coded returns that coding). The new
    codings go in together (:func:`codings_q.add_codings`), not as ORM rows one by one."""
    coder = study.coder
    with study.write() as s:
        by_id = {r.id: r for r in suggestions_q.suggestions_in(s, suggestion_ids)}
        rows = [by_id[i] for i in dict.fromkeys(suggestion_ids) if i in by_id]
        rows = [r for r in rows if r.status == "pending"]
        segments = {g.id: g for g in sources_q.segments_in(s, {r.segment_id for r in rows})}
        rows = [r for r in rows if r.segment_id in segments]
        sources: dict[str, set[str]] = {}
        for r in rows:
            sources.setdefault(r.theme_id, set()).add(segments[r.segment_id].source_id)
        owned = frameworks_q.study_frameworks(s)
        for theme, of_theme in sorted(sources.items()):
            check_applies(s, theme, of_theme, owned)
        # each span's coding: one the coder had (a Coding) or a new one's place in ``new``
        coded: dict[tuple[str, int, int, str], Coding | int] = {
            (c.source_id, c.start, c.end, c.theme_id): convert.coding(c)
            for c in codings_q.coder_codings_of_themes(s, coder, sources)
        }
        new: list[dict[str, Any]] = []
        now = m.utcnow()
        befores = [states.decision(r) for r in rows]
        suggestions_q.decide_all(s, rows, "accepted", coder, now)
        steps: list[tuple[m.SuggestionRow, dict[str, Any], Coding | int, bool]] = []
        for r, before in zip(rows, befores, strict=True):
            seg = segments[r.segment_id]
            key = (seg.source_id, seg.start, seg.end, r.theme_id)
            coding = coded.get(key)
            fresh = coding is None
            if coding is None:
                coding = coded[key] = len(new)
                new.append(codings_q.coding_values(*key, coder, "suggestion", r.id, created_at=now))
            steps.append((r, before, coding, fresh))
        ids = codings_q.add_codings(s, new)
        made = [convert.coding_of_values(i, v) for i, v in zip(ids, new, strict=True)]
        out: list[Coding] = []
        for r, before, coding, fresh in steps:
            c = made[coding] if isinstance(coding, int) else coding
            if fresh:
                audit.record(s, coder, "add", "coding", c.id, after=states.coding(c))
            audit.record(s, coder, "decide", "suggestion", r.id, before, states.decision(r))
            out.append(c)
        return out


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
            raise no_theme_in_study(s, theme)
        row = suggestions_q.pending_suggestion(s, segment, theme)
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
    tree = themes_q.framework_tree(s)
    if theme not in tree.themes:
        raise no_theme_in_tree(tree, theme)
    return tree.with_descendants(theme)
