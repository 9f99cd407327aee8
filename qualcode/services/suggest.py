"""Suggesting themes for segments, and storing each suggestion with its provenance.

``suggest`` is what ``qualcode suggest`` and a background worker call: it learns from
the study's framework, codings and rejections, scores the chosen segments (respondent
turns and survey answers; uncoded ones unless ``all_segments``), replaces their
pending suggestions and returns them best first. ``suggest_for_segments`` is the
cheap call for a screen showing one passage. Deciding suggestions lives in
:mod:`qualcode.services.suggest_decisions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qualcode.domain.frameworks import StudyFrameworks
from qualcode.domain.wording import counted
from qualcode.errors import NotFoundError
from qualcode.nlp import embeddings
from qualcode.nlp.language import pipeline_name
from qualcode.nlp.suggester import Cancel, Cancelled, Progress, Scored
from qualcode.services.frameworks import study_frameworks
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study
from qualcode.services.suggest_model import (
    FittedModel,
    StudyCorpus,
    fitted_model,
    study_corpus,
)
from qualcode.services.theme_errors import no_theme_in_tree
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import suggestions as suggestions_q

MODEL = "context-svm"  # words, context, place and attributes; calibrated linear SVMs
# Recorded with every suggestion: the SVMs' C, and the weight of each theme's own words
# (label, definition, keywords) as one example of it.
PARAMS: dict[str, Any] = {"C": 0.3, "framework_weight": 1.0}

__all__ = [
    "COLD_START",
    "FIRST_GUESS",
    "LEARNED",
    "Cancelled",
    "SegmentSuggestions",
    "Suggestion",
    "SuggestRun",
    "mode_line",
    "suggest",
    "suggest_for_segments",
]


COLD_START = "cold-start"  # scored on the framework's words only: not a probability
LEARNED = "supervised+cold-start"  # a calibrated probability from the researcher's codings
# What a learned score is before cross-validation can calibrate it.
FIRST_GUESS = (
    "* learned from fewer than about two dozen coded passages: a first guess on a fixed "
    "curve, not yet a probability checked against your codings"
)


@dataclass(frozen=True)
class Suggestion:
    id: int
    segment: str
    theme: str
    score: float
    because: tuple[str, ...]
    method: str  # "cold-start" or "supervised+cold-start"
    model: str | None
    status: str  # pending, accepted, rejected
    created: datetime
    params: dict[str, Any] | None = None

    @property
    def calibrated(self) -> bool:
        """A probability fitted on the researcher's codings: not a keyword match (cold
        start), nor the fixed first-guess curve of a model with too few codings to
        cross-validate (MIN_FOR_CALIBRATION coded passages)."""
        return self.method != COLD_START and (self.params or {}).get("curve") != "fixed"


@dataclass(frozen=True)
class SegmentSuggestions:
    segment: str
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class SuggestRun:
    mode: str  # "lexical" or "embeddings"
    pipeline: str
    results: tuple[SegmentSuggestions, ...]
    learned_themes: int  # themes with a model trained on codings
    coded_segments: int
    rejections: int
    note: str | None = None


def mode_line(run: SuggestRun) -> str:
    """The one line that tells a user how suggestions were made."""
    if run.mode == "embeddings":
        how = f"embeddings mode (TF-IDF + {embeddings.MODEL} sentence vectors)"
    elif embeddings.available():  # installed, but not asked for or not cached yet
        how = "lexical mode (TF-IDF + keywords; sentence vectors installed, not used this run)"
    else:
        how = "lexical mode (TF-IDF + keywords; install qualcode[embeddings] for embeddings)"
    learned = (
        f"learned from {counted(run.coded_segments, 'coded segment', grouped=True)} "
        f"({counted(run.learned_themes, 'theme')})"
        if run.learned_themes
        else "cold start from the framework (no codings yet)"
    )
    return (
        f"suggest: {how}; {learned}; {counted(run.rejections, 'rejection', grouped=True)} honoured"
    )


def suggestion(row: m.SuggestionRow) -> Suggestion:
    return Suggestion(
        row.id,
        row.segment_id,
        row.theme_id,
        row.score,
        tuple(row.because or ()),
        row.method,
        row.model,
        row.status,
        row.created_at,
        dict(row.params or {}),
    )


@gc_paused()
def suggest(
    study: Study,
    top: int = 3,
    all_segments: bool = False,
    theme: str | None = None,
    case: str | None = None,
    segment_ids: Sequence[str] | None = None,
    use_embeddings: bool | None = None,
    store: bool = True,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    nlp_model: str | None = None,
) -> SuggestRun:
    """Suggest up to ``top`` themes for each chosen segment and store them as pending.

    ``use_embeddings``: None uses sentence embeddings when the extra is installed, True
    insists (OptionalDependencyError without it), False never uses them. ``progress``
    gets (stage, done, total); ``cancel`` is checked between batches and raises
    :class:`Cancelled`, leaving the stored suggestions as they were. ``nlp_model``: the
    settings' spaCy pipeline, named in the run's report.
    """
    import numpy as np

    if top < 1:
        from qualcode.errors import InputError

        raise InputError("--top must be at least 1")
    use = embeddings.resolve(use_embeddings)
    pipe_name, pipe_note = pipeline_name(nlp_model)
    if theme is not None:  # a mistyped theme is told at once, not after the corpus is read
        from qualcode.services.framework import framework_tree

        tree = framework_tree(study)
        if theme not in tree.themes:
            raise no_theme_in_tree(tree, theme)
    sc = study_corpus(study, use, progress, cancel)
    fm = fitted_model(study, sc, progress, cancel, **PARAMS)
    if not fm.themes:
        from qualcode.errors import InputError

        raise InputError(
            "the study has no themes yet: import a framework first "
            "(qualcode framework import FILE.yaml)"
        )
    rows = _targets(study, sc, fm, all_segments, case, segment_ids)
    allowed = offered_themes(study, sc, fm, rows, theme)
    col = {t: i for i, t in enumerate(fm.themes)}
    exclude = {}
    for r in rows:
        sid = sc.corpus.ids[r]
        gone = fm.coded.get(sid, set()) | fm.rejected.get(sid, set())
        if gone:
            exclude[r] = frozenset(col[t] for t in gone if t in col)
    scored = fm.suggester.suggest(rows, top, allowed, exclude, progress, cancel)
    if cancel is not None and cancel():
        raise Cancelled("suggestions were cancelled")
    model_name = MODEL + (f"+{embeddings.MODEL}" if use else "")
    params = {
        **PARAMS,
        "top": top,
        "mode": sc.mode,
        "pipeline": pipe_name,
        "coded_segments": len(fm.labels),
        "rejections": sum(map(len, fm.rejected.values())),
    }
    scope = [fm.themes[k] for k in np.flatnonzero(allowed.any(axis=0))] if theme else None
    results = _store(study, sc, fm, rows, scored, model_name, params, scope, store)
    if theme is not None:
        results = [r for r in results if r.suggestions]
    return SuggestRun(
        sc.mode,
        pipe_name,
        tuple(results),
        len(fm.suggester.model_.trained()),
        len(fm.labels),
        params["rejections"],
        pipe_note,
    )


def suggest_for_segments(
    study: Study, segment_ids: Sequence[str], top: int = 3, use_embeddings: bool | None = False
) -> list[SegmentSuggestions]:
    """Fresh suggestions for a few segments (coded or not), stored as pending.

    Cheap after the first call in a process: the corpus and model stay cached until
    the codings, rejections or framework change, and then only the model is refitted.
    """
    run = suggest(
        study, top, all_segments=True, segment_ids=segment_ids, use_embeddings=use_embeddings
    )
    return list(run.results)


def check_case(study: Study, sc: StudyCorpus, case: str) -> None:
    """Refuse a case the study does not have (one with no passages is fine)."""
    if case not in set(sc.cases):
        with study.read() as s:
            if s.get(m.CaseRow, case) is None:
                raise NotFoundError(f"no case {case!r}")


def _targets(
    study: Study,
    sc: StudyCorpus,
    fm: FittedModel,
    all_segments: bool,
    case: str | None,
    segment_ids: Sequence[str] | None,
) -> list[int]:
    ids = sc.corpus.ids
    if segment_ids is not None:
        row = sc.corpus.row()
        unknown = [s for s in segment_ids if s not in row]
        if unknown:
            raise NotFoundError(f"no respondent segment {unknown[0]!r}")
        rows = [row[s] for s in segment_ids]
    else:
        rows = list(range(len(ids)))
    if case is not None:
        check_case(study, sc, case)
        rows = [r for r in rows if sc.cases[r] == case]
    if not all_segments:
        rows = [r for r in rows if not fm.coded.get(ids[r])]
    return rows


def offered_themes(
    study: Study, sc: StudyCorpus, fm: FittedModel, rows: list[int], theme: str | None = None
) -> Any:
    """Which themes may be suggested on each row (rows x themes): those of ``theme``'s
    subtree if given, that the learned kind of source allows and that the row's
    framework codes."""
    return _allowed(sc, fm, rows, theme) & framework_mask(
        study_frameworks(study), fm.themes, [(sc.kinds[r], sc.questions[r]) for r in rows]
    )


def _allowed(sc: StudyCorpus, fm: FittedModel, rows: list[int], theme: str | None) -> Any:
    """Which themes each row may get: the subtree of ``theme`` if given; and, once
    segments of a kind of source (transcript or survey) have been coded, not the
    top-level themes used only on the other kind."""
    import numpy as np

    n = len(fm.themes)
    base = np.ones(n, dtype=bool)
    if theme is not None:
        if theme not in fm.tree.themes:
            raise no_theme_in_tree(fm.tree, theme)
        subtree = set(fm.tree.with_descendants(theme))
        base = np.array([t in subtree for t in fm.themes], dtype=bool)
    root_of = {t: ([t, *fm.tree.ancestors(t)])[-1] for t in fm.themes}
    by_kind = {}
    for kind, roots in fm.roots_by_kind.items():
        # Top-level themes coded on other kinds of source but never on this one (the
        # interview framework, for survey answers) are left out for this kind.
        elsewhere = set().union(*(r for k, r in fm.roots_by_kind.items() if k != kind))
        blocked = elsewhere - roots
        by_kind[kind] = base & np.array([root_of[t] not in blocked for t in fm.themes])
    if theme is not None:  # an explicit theme always wins over the learned restriction
        by_kind = {}
    out = np.empty((len(rows), n), dtype=bool)
    for j, r in enumerate(rows):
        out[j] = by_kind.get(sc.kinds[r], base)
    return out


def framework_mask(
    frameworks: StudyFrameworks, themes: Sequence[str], sources: Sequence[tuple[str, str | None]]
) -> Any:
    """rows x themes: whether each theme's framework applies to the row's source (kind,
    survey question) - interview themes are never offered on survey answers."""
    import numpy as np

    out = np.ones((len(sources), len(themes)), dtype=bool)
    if not frameworks.scoped():
        return out
    masks: dict[tuple[str, str | None], Any] = {}
    for j, where in enumerate(sources):
        if where not in masks:
            masks[where] = np.array([frameworks.applies(t, *where) for t in themes], dtype=bool)
        out[j] = masks[where]
    return out


def _store(
    study: Study,
    sc: StudyCorpus,
    fm: FittedModel,
    rows: list[int],
    scored: list[list[Scored]],
    model_name: str,
    params: dict[str, Any],
    scope: list[str] | None,
    store: bool,
) -> list[SegmentSuggestions]:
    ids = sc.corpus.ids
    themes = fm.themes
    now = m.utcnow()
    # Shared by the rows, so that the store serialises each only once: one params dict
    # per theme, one because list per distinct explanation.
    model = fm.suggester.model_
    # the highest score cross-validation gave: a score above it is the curve's guess
    top = getattr(model, "oof_top_", None)
    ceiling = {"validated_max": round(float(top[0].max()), 4)} if top and len(top[0]) else {}
    # too few codings to cross-validate: the scores follow a fixed curve, a first guess
    fixed = {"curve": "fixed"} if getattr(model, "oof_", None) is None else {}
    theme_params = [{**params, **ceiling, **fixed, "positives": int(p)} for p in model.positives_]
    because_lists: dict[tuple[str, ...], list[str]] = {}
    records: list[dict[str, Any]] = []
    reasons: list[tuple[str, ...]] = []
    for r, items in zip(rows, scored, strict=True):
        segment = ids[r]
        for item in items:
            why = tuple(item.because)
            because = because_lists.get(why)
            if because is None:
                because = because_lists[why] = list(why)
            reasons.append(why)
            records.append(
                {
                    "segment_id": segment,
                    "theme_id": themes[item.theme],
                    "score": item.score,
                    "because": because,
                    "method": LEARNED if item.learned else COLD_START,
                    "model": model_name,
                    "params": theme_params[item.theme],
                    "status": "pending",
                    "created_at": now,
                }
            )
    new_ids: list[int] = [0] * len(records)
    if store:
        with study.write() as s:
            targets = [ids[r] for r in rows]
            suggestions_q.delete_pending(s, targets, scope)
            new_ids = suggestions_q.add_suggestions(s, records)
            audit.record(
                s,
                study.coder,
                "suggest",
                "suggestions",
                None,
                after={
                    "segments": len(targets),
                    "suggestions": len(records),
                    "model": model_name,
                    "mode": sc.mode,
                },
            )
    made = [
        Suggestion(
            rid,
            r["segment_id"],
            r["theme_id"],
            r["score"],
            why,
            r["method"],
            model_name,
            "pending",
            now,
            dict(r["params"]),  # its own: the stored one is shared by the theme's rows
        )
        for rid, r, why in zip(new_ids, records, reasons, strict=True)
    ]
    by_segment: dict[str, list[Suggestion]] = {}
    for sug in made:
        by_segment.setdefault(sug.segment, []).append(sug)
    return [
        SegmentSuggestions(
            ids[r], tuple(sorted(by_segment.get(ids[r], ()), key=lambda x: (-x.score, x.id)))
        )
        for r in rows
    ]
