"""Loading what the suggester needs from a study, and keeping fitted models warm.

The corpus (every respondent segment, analysed and featurised) is cached per process
until segments are added; the fitted model until the framework, the codings or the
rejections change. So a screen that asks again right after an accept only refits the
per-theme regressions, which takes well under a second on a study of this size.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.domain.framework import FrameworkTree
from qualcode.errors import InputError
from qualcode.nlp import embeddings
from qualcode.nlp.coldstart import ThemeProfile
from qualcode.nlp.passages import Passage
from qualcode.nlp.suggester import (
    Cancel,
    Cancelled,
    Corpus,
    Example,
    Progress,
    ThemeSuggester,
    build_corpus,
)
from qualcode.services import framework, queries, suggest_cache
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study
from qualcode.services.suggest_context import StudyContext, study_context
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import suggestions as suggestions_q

_lock = threading.RLock()
_corpora: OrderedDict[tuple[Any, ...], StudyCorpus] = OrderedDict()
_models: OrderedDict[tuple[Any, ...], FittedModel] = OrderedDict()
KEEP = 2  # studies kept warm per process
# After a few codings or rejections only the themes they touch are refitted (the
# Read & code panel asks again right after each accept); past this many changes since
# the last full fit, everything is refitted and the scores calibrated again.
MAX_UPDATES = 20
_last: OrderedDict[tuple[Any, ...], _Fit] = OrderedDict()
# The themes' models a cancelled fit had fitted, by model key: asked again for the same
# codings, only the rest and the folds run.
_cut_short: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}


@dataclass
class StudyCorpus:
    corpus: Corpus
    cases: list[str]
    kinds: list[str]  # "transcript" or "survey" per row
    mode: str  # "lexical" or "embeddings"
    context: StudyContext
    spans: dict[tuple[str, int, int], int]  # (source, start, end) -> row
    key: tuple[Any, ...] = ()
    questions: list[str | None] = field(default_factory=list)  # survey question per row
    disk_key: str = ""  # the name of the corpus on disk (suggest_cache.corpus_key)

    def passage(self, source: str, start: int, end: int, text: str) -> Passage:
        return self.context.passage(source, start, end, text)


@dataclass
class FittedModel:
    suggester: ThemeSuggester
    themes: list[str]  # theme id per column
    labels: dict[int, frozenset[int]]  # row -> coded theme columns
    coded: dict[str, set[str]]  # segment -> every theme coded on it
    rejected: dict[str, set[str]]  # segment -> rejected themes
    roots_by_kind: dict[str, set[str]]  # source kind -> top-level themes coded there
    tree: FrameworkTree
    spans: dict[tuple[str, int, int], set[str]] = field(default_factory=dict)  # coded spans
    # changes refitted into it since its last full fit and calibration (0: none)
    updates: int = 0
    # what it learned from: the coded passages and spans, and the rejections by row
    examples: list[Example] = field(default_factory=list)
    rejected_rows: dict[int, frozenset[int]] = field(default_factory=dict)


@dataclass
class _Fit:
    """The newest model fitted for a corpus and framework, with what it learned from."""

    span_labels: dict[tuple[str, int, int], frozenset[int]]
    rejected_rows: dict[int, frozenset[int]]
    suggester: ThemeSuggester
    updates: int  # changes absorbed since the last full fit


def _changed(
    old: dict[Any, frozenset[int]], new: dict[Any, frozenset[int]]
) -> tuple[int, set[int]]:
    """How many entries differ, and the themes on them (before or after)."""
    n, themes = 0, set[int]()
    for key in old.keys() | new.keys():
        a, b = old.get(key, frozenset()), new.get(key, frozenset())
        if a != b:
            n += 1
            themes |= a ^ b
    return n, themes


def no_passages() -> InputError:
    return InputError(
        "the study has no passages to learn from or suggest for yet: import "
        "transcripts (qualcode import transcripts) or a survey (qualcode import survey)"
    )


def corpus_key(study: Study, use_embeddings: bool) -> tuple[Any, ...]:
    with study.read() as s:
        count, total, last = sources_q.segment_fingerprint(s)
    return (study.url, count, total, last, use_embeddings)


@gc_paused()
def study_corpus(
    study: Study,
    use_embeddings: bool,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> StudyCorpus:
    """The study's analysed corpus, from the cache when no segment was added since."""
    key = corpus_key(study, use_embeddings)
    with _lock:
        if key in _corpora:
            _corpora.move_to_end(key)
            return _corpora[key]
    segs = queries.segment_texts(study)
    if not segs:
        raise no_passages()
    context = study_context(study)
    kinds = {sid: ctx.kind for sid, ctx in context.sources.items()}
    questions = {sid: ctx.question for sid, ctx in context.sources.items()}
    passages = [context.passage(g.source, g.start, g.end, g.text) for g in segs]
    ids, texts = [g.id for g in segs], [g.text for g in segs]
    on_disk = suggest_cache.corpus_key(
        ids, texts, passages, embeddings.MODEL if use_embeddings else "lexical"
    )
    folder = suggest_cache.folder_for(study)
    corpus = suggest_cache.load(folder, on_disk, passages)
    if corpus is None:
        vectors = None
        if use_embeddings:
            from qualcode.services.embedding_cache import segment_vectors

            vectors = segment_vectors(study, list(zip(ids, texts, strict=True)), progress, cancel)
        corpus = build_corpus(ids, texts, vectors, passages, progress=progress, cancel=cancel)
        suggest_cache.save(folder, on_disk, corpus)
    built = StudyCorpus(
        corpus,
        [g.case for g in segs],
        [kinds.get(g.source, "") for g in segs],
        "embeddings" if use_embeddings else "lexical",
        context,
        {(g.source, g.start, g.end): i for i, g in enumerate(segs)},
        key,
        [questions.get(g.source) for g in segs],
        on_disk,
    )
    with _lock:
        _corpora[key] = built
        while len(_corpora) > KEEP:
            _corpora.popitem(last=False)
    return built


def segment_themes(
    study: Study, rows: list[tuple[str, int, int, str]] | None = None
) -> dict[str, set[str]]:
    """For each segment, the themes of codings that overlap it (all coders).

    The same answer as ``services.codings.segment_themes`` from plain column queries,
    which matters on a study with tens of thousands of segments. ``rows``: the
    codings' (source, start, end, theme), when already read.
    """
    if rows is None:
        with study.read() as s:
            rows = codings_q.coded_span_themes(s)
    out: dict[str, set[str]] = {}
    for sid, i in segments_overlapping(study, [(a, b, e) for a, b, e, _ in rows]):
        out.setdefault(sid, set()).add(rows[i][3])
    return out


def segments_overlapping(
    study: Study, spans: Sequence[tuple[str, int, int]]
) -> Iterator[tuple[str, int]]:
    """(segment id, index of the span) for each segment each (source, start, end) span
    overlaps."""
    from bisect import bisect_left

    with study.read() as s:
        segs: dict[str, list[tuple[int, int, str]]] = {}
        for source, start, end, sid in sources_q.segment_spans_of(s, None):
            segs.setdefault(source, []).append((start, end, sid))
    for spans_of in segs.values():
        spans_of.sort()
    ends = {src: [b for _, b, _ in spans_of] for src, spans_of in segs.items()}
    for i, (source, start, end) in enumerate(spans):
        of = segs.get(source, [])
        # Segments of a source do not overlap: start at the first one ending after start.
        for a, b, sid in of[bisect_left(ends[source], start + 1) :] if of else ():
            if a >= end:
                break
            if start < b:
                yield sid, i


def coded_spans(
    study: Study, rows: list[tuple[str, int, int, str]] | None = None
) -> dict[tuple[str, int, int], set[str]]:
    """Each coded span (all coders) with the themes coded on it: the passages a
    researcher chose, which are what the model learns from."""
    if rows is None:
        with study.read() as s:
            rows = codings_q.coded_span_themes(s)
    out: dict[tuple[str, int, int], set[str]] = {}
    for source, start, end, theme in rows:
        out.setdefault((source, start, end), set()).add(theme)
    return out


def _examples(
    study: Study, sc: StudyCorpus, span_labels: dict[tuple[str, int, int], frozenset[int]]
) -> list[Example]:
    """Coded spans as training examples: a corpus row where the span is a whole
    segment, otherwise the span's own text in its context."""
    loose = {src for (src, a, b), ks in span_labels.items() if ks and (src, a, b) not in sc.spans}
    texts: dict[str, str] = {}
    if loose:
        with study.read() as s:
            texts = sources_q.source_texts(s, ids=sorted(loose))
    out: list[Example] = []
    for (src, a, b), ks in span_labels.items():
        if not ks:
            continue
        where = sc.spans.get((src, a, b))
        if where is not None:
            out.append((where, ks))
        elif src in texts and texts[src][a:b].strip():
            out.append((sc.passage(src, a, b, texts[src][a:b]), ks))
    return out


def rejections(study: Study) -> dict[str, set[str]]:
    with study.read() as s:
        rows = suggestions_q.rejected_pairs(s)
    out: dict[str, set[str]] = {}
    for seg, theme in rows:
        out.setdefault(seg, set()).add(theme)
    return out


def profiles(tree: FrameworkTree, theme_ids: list[str]) -> list[ThemeProfile]:
    out = []
    for tid in theme_ids:
        t = tree.themes[tid]
        parents = tuple(tree.themes[a].label for a in tree.ancestors(tid))
        out.append(
            ThemeProfile(
                t.id,
                t.label,
                t.definition or "",
                t.inclusion or "",
                tuple(t.keywords),
                parents,
            )
        )
    return out


@gc_paused()
def fitted_model(
    study: Study,
    sc: StudyCorpus,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    full: bool = False,
    **params: Any,
) -> FittedModel:
    """The suggester fitted on the study's current framework, codings and rejections.

    Between full fits, a few changed codings refit only the themes they touch and keep
    the calibration and its cross-validation (fast, for the refresh after each accept);
    ``full`` insists on a model fitted and cross-validated on the codings as they are."""
    import numpy as np

    tree = framework.framework_tree(study)
    with study.read() as s:
        coding_rows = codings_q.coded_span_themes(s)
    coded = segment_themes(study, coding_rows)
    rejected = rejections(study)
    spans = coded_spans(study, coding_rows)
    row = sc.corpus.row()
    leaves = [t.id for t in tree.ordered() if not tree.children.get(t.id)]
    direct = {t for ts in spans.values() for t in ts if t in tree.themes}
    theme_ids = leaves + [t.id for t in tree.ordered() if t.id in direct and t.id not in leaves]
    col = {t: i for i, t in enumerate(theme_ids)}
    labels = {
        row[seg]: frozenset(col[t] for t in ts if t in col)
        for seg, ts in coded.items()
        if seg in row
    }
    span_labels = {
        span: frozenset(col[t] for t in ts if t in col) for span, ts in sorted(spans.items())
    }
    rejected_rows = {
        row[seg]: frozenset(col[t] for t in ts if t in col)
        for seg, ts in rejected.items()
        if seg in row
    }
    key = (
        sc.key,
        tuple(theme_ids),
        hash(tuple(profiles_key(tree, theme_ids))),
        hash(frozenset(span_labels.items())),
        hash(frozenset(rejected_rows.items())),
        tuple(sorted(params.items())),
    )
    with _lock:
        if key in _models and not (full and _models[key].updates):
            _models.move_to_end(key)
            return _models[key]
    if not theme_ids:
        return FittedModel(ThemeSuggester(**params), [], {}, coded, rejected, {}, tree, spans)
    related = np.zeros((len(theme_ids), len(theme_ids)), dtype=bool)
    for a, ta in enumerate(theme_ids):
        for tb in [*tree.ancestors(ta), *tree.descendants(ta)]:
            if tb in col:
                related[a, col[tb]] = True
    if progress:
        progress("learning", 0, 1)
    examples = _examples(study, sc, span_labels)
    base = key[:3] + key[5:]
    folder = suggest_cache.folder_for(study)
    on_disk = (
        suggest_cache.model_key(
            sc.disk_key, (theme_ids, profiles_key(tree, theme_ids), sorted(params.items()))
        )
        if sc.disk_key
        else ""
    )
    with _lock:
        last = _last.get(base)
    if last is None and on_disk:  # a new process: the fit a run before it left on disk
        last = suggest_cache.load_fit(folder, on_disk, sc.corpus)
    n_spans, touched = _changed(last.span_labels, span_labels) if last else (0, set())
    n_rejected, touched_r = _changed(last.rejected_rows, rejected_rows) if last else (0, set())
    updates = (last.updates if last else 0) + n_spans + n_rejected
    fresh = False  # fitted from scratch here, not taken from an earlier fit
    if last is not None and not n_spans and not n_rejected and not (full and updates):
        suggester = last.suggester  # the same codings and rejections: nothing to learn
    elif last is not None and updates <= MAX_UPDATES and not full:
        suggester = last.suggester.update(
            examples, rejected_rows, touched | touched_r, cancel, progress
        )
    else:
        updates, fresh = 0, True
        with _lock:
            final = _cut_short.get(key)
            _cut_short.clear()  # taken, or for codings that have changed since
        suggester = ThemeSuggester(**params).fit(
            sc.corpus,
            profiles(tree, theme_ids),
            examples,
            rejected_rows,
            related,
            cancel,
            progress,
            final,
        )
    if cancel is not None and cancel():
        learned = suggester.model_
        if fresh and learned.fitted_.any():
            # The themes fitted before the cancel are kept, so that `R` or `A` asked
            # again fits only the rest and the folds (on 30,000 answers the final fit is
            # 2 of 3 s).
            with _lock:
                _cut_short.clear()  # one at a time: the arrays are as big as the model
                _cut_short[key] = (learned.coef_, learned.intercept_, learned.fitted_)
        raise Cancelled("suggestions were cancelled")
    fit = _Fit(span_labels, rejected_rows, suggester, updates)
    if on_disk and (last is None or suggester is not last.suggester):
        suggest_cache.save_fit(folder, on_disk, fit)
    with _lock:
        _last[base] = fit
        _last.move_to_end(base)
        while len(_last) > KEEP:
            _last.popitem(last=False)
    roots: dict[str, set[str]] = {}
    for seg, ts in coded.items():
        if seg in row:
            for t in ts:
                if t in tree.themes:
                    chain = [t, *tree.ancestors(t)]
                    roots.setdefault(sc.kinds[row[seg]], set()).add(chain[-1])
    model = FittedModel(
        suggester,
        theme_ids,
        labels,
        coded,
        rejected,
        roots,
        tree,
        spans,
        updates,
        examples,
        rejected_rows,
    )
    with _lock:
        _models[key] = model
        while len(_models) > KEEP:
            _models.popitem(last=False)
    return model


def profiles_key(tree: FrameworkTree, theme_ids: list[str]) -> list[tuple[Any, ...]]:
    return [
        (t.id, t.label, t.definition, t.inclusion, tuple(t.keywords), t.parent)
        for t in (tree.themes[i] for i in theme_ids)
    ]


def clear_cache() -> None:
    """Forget every warm corpus and model (tests and long-running sessions)."""
    with _lock:
        _corpora.clear()
        _models.clear()
        _last.clear()
        _cut_short.clear()
