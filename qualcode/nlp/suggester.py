"""Theme suggestions for passages: a model trained on the researcher's codings, the
framework's own words for themes not coded yet, and the words that drove each one.

A theme the researcher has coded is scored by the learned model alone
(:mod:`qualcode.nlp.learned`: calibrated, so the score is the probability that the
theme is coded there); the cold-start signal from labels, definitions and keywords
never overrides what was learned. The learned model does read the framework, as data:
each theme's own words are one more example of it (an anchor, weighted as one coding),
which matters most while a theme has few codings (on 161 real passages a third coded,
top-3 +0.04 to +0.07; on the whole corpora +0.004 to +0.007). Themes not coded yet
are scored from their words, through a curve fitted on how well the framework's words
foretold the codings of the themes coded so far (lowered for a theme used on none of
them), so they still come up where their words do but a loose match does not push out
what was learned (161 real survey answers, a third coded: top-3 +0.05).
"""

from __future__ import annotations

import copy
import string
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from qualcode.domain import reason_wording as wording
from qualcode.errors import InputError
from qualcode.nlp.coldstart import KeywordSuggester, Match, ThemeProfile
from qualcode.nlp.features import TextFeatures
from qualcode.nlp.forked import Aside
from qualcode.nlp.learned import CurvePoint, LearnedThemes
from qualcode.nlp.normalise import Analysed, analyse, find_phrase, stop_words
from qualcode.nlp.passages import Passage, PassageFeatures
from qualcode.nlp.runs import Cancel, Cancelled, Progress
from qualcode.nlp.surface import read_surface
from qualcode.nlp.word_vectors import leading_word

# Punctuation read as a space when reasons are compared ("don't" keeps its apostrophe).
_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation.replace("'", ""), " "))
# Where a passage sits, as against what it says: a suggestion these carried further than
# its words, meaning and tone names them first.
SURROUNDINGS = ("context", "position", "attributes", "question", "family")


@lru_cache(maxsize=65536)
def _words_of(phrase: str) -> frozenset[str]:
    """A reason's words, as compared for overlap: "yeah," is "yeah". (Cached: the same
    few thousand words explain a study's suggestions, four to each.)"""
    return frozenset(phrase.lower().translate(_PUNCTUATION).split())


def _row_entries(matrix: Any, rows: Sequence[int], keep: Any = None) -> tuple[Any, Any, Any]:
    """The stored entries of a CSR ``matrix``'s ``rows`` (only the rows where ``keep``
    is true, when given), all at once: for each entry, which of ``rows`` it is in, where
    that row's entries start among them, and its place in ``matrix.data``."""
    import numpy as np

    r = np.asarray(rows, dtype=np.int64)
    starts, ends = matrix.indptr[r], matrix.indptr[r + 1]
    lens = ends - starts if keep is None else np.where(keep, ends - starts, 0)
    pair = np.repeat(np.arange(len(r)), lens)
    first = np.repeat(np.cumsum(lens) - lens, lens)
    pos = np.repeat(starts, lens) + (np.arange(len(pair)) - first)
    return pair, first, pos


def _check(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled("suggestions were cancelled")


@dataclass
class Corpus:
    """Every passage of a study, analysed and featurised once."""

    ids: list[str]
    texts: list[str]
    docs: list[Analysed]
    features: TextFeatures  # words, for the framework's keywords and explanations
    words: Any  # word TF-IDF (rows x word features)
    passages: list[Passage]
    passage_features: PassageFeatures
    X: Any  # the model's input: the blocks of PassageFeatures [, embeddings]
    embeddings: Any = None  # unit vectors (rows x dim) or None

    def row(self) -> dict[str, int]:
        return {sid: i for i, sid in enumerate(self.ids)}


def build_corpus(
    ids: Sequence[str],
    texts: Sequence[str],
    embeddings: Any = None,
    passages: Sequence[Passage] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Corpus:
    """``passages``: each text with its context (defaults to the bare texts)."""
    given = passages if passages is not None else [Passage(t) for t in texts]
    written = [p.text for p in given]
    docs: list[Analysed] = []
    step = 2000
    # Tone, mood and meaning need the texts alone: a big study's are read aside.
    with Aside(lambda: read_surface(written), big=len(texts) >= SURFACE_ASIDE_FROM) as aside:
        for start in range(0, len(texts), step):
            _check(cancel)
            docs.extend(analyse(t) for t in texts[start : start + step])
            if progress:
                progress("reading", len(docs), len(texts))
        joined = [d.joined for d in docs]
        features = TextFeatures(char_ngrams=None)
        try:
            words = features.fit_word_matrix(joined)
        except ValueError as exc:
            if "empty vocabulary" not in str(exc):
                raise
            raise InputError(
                f"nothing to learn from: none of the {len(texts)} passages has a word "
                "beyond stop words"
            ) from exc
        _check(cancel)
        surface = aside.result()
    with_docs = [
        Passage(p.text, p.context, p.position, p.attributes, p.case, d)
        for p, d in zip(given, docs, strict=True)
    ]
    pf = PassageFeatures().fit(with_docs, words=features.words_, surface=surface)
    _check(cancel)
    X = pf.transform(with_docs, embeddings, words=words, surface=surface)
    return Corpus(list(ids), list(texts), docs, features, words, with_docs, pf, X, embeddings)


def _without_thin_attributes(X: Any, examples: Sequence[Example], corpus: Corpus) -> Any:
    """``X`` with the columns of attribute values coded in fewer than
    ``MIN_ATTRIBUTE_CASES`` cases emptied, so no model learns from them (a column
    all zero in training gets a weight of zero).

    What a case attribute says about themes can only be learned across cases. In an
    interview study a case's passages are coded together, so a value held by a few
    coded cases stands for who those people are and which themes their interviews
    happened to raise. On serdif (17 participants; attributes such as the tasks each
    completed) seeds 0-2: 10% coded, top-3 0.745 against 0.732 learning from every
    value; 60 passages coded as `suggest next` picks them, across many transcripts,
    0.550 against 0.495. nhs-fft's trust, service and score, each coded in hundreds
    of comments, are learned from as before (the same figures to the third decimal)."""
    import numpy as np
    from scipy import sparse

    columns = corpus.passage_features.attribute_columns()
    if not columns:
        return X
    cases: dict[int, set[object]] = {}
    for where, themes in examples:
        if not themes:
            continue
        p = where if isinstance(where, Passage) else corpus.passages[where]
        for pair in p.attributes:
            j = columns.get(pair)
            if j is not None:
                cases.setdefault(j, set()).add(p.case_key)
    thin = [j for j in columns.values() if len(cases.get(j, ())) < MIN_ATTRIBUTE_CASES]
    if not thin:
        return X
    keep = np.ones(X.shape[1], dtype=X.dtype)
    keep[thin] = 0
    out = (X @ sparse.diags(keep)).tocsr()
    out.eliminate_zeros()
    return out


@dataclass(frozen=True)
class Scored:
    theme: int  # index into the themes the suggester was fitted with
    score: float
    because: tuple[str, ...]
    learned: bool  # the researcher's codings of this theme contributed


Example = tuple[int | Passage, frozenset[int]]  # a corpus row or a coded span, and its themes


MIN_FOR_COLD_CURVE = 24  # coded passages, as for the learned calibration
MIN_ATTRIBUTE_CASES = 10  # coded cases an attribute value needs before it is learned from
MAX_FOR_COLD_CURVE = 2000  # a sample this big pins two parameters down
# Rows from which scoring runs in forked processes (four batches: each takes about 50 ms
# on 2,000 survey answers, and starting the processes about 20)
FORK_SCORING_FROM = 8000
# Passages from which their tone, mood and meaning are read in a process of their own
# while their words are analysed here (about 20 microseconds a passage, and starting
# the process about 20 ms).
SURFACE_ASIDE_FROM = 5000


# the blocks that read what came before a passage: its prompt, question, question family
_CONTEXT_BLOCKS = ("context", "question", "family")


class ThemeSuggester:
    """``fit`` on a corpus, the framework and the codings; ``suggest`` for rows."""

    def __init__(
        self,
        C: float = 0.3,
        untrained_weight: float = 0.5,
        max_because: int = 4,
        min_score: float = 0.05,
        framework_weight: float = 1.0,
    ) -> None:
        self.C = C
        self.framework_weight = framework_weight
        self.cold_curve_: tuple[float, float] | None = None
        self.anchor_rows_: Any = None  # each theme's own words, featurised (``fit``)
        self.untrained_weight = untrained_weight
        self.max_because = max_because
        self.min_score = min_score

    def fit(
        self,
        corpus: Corpus,
        themes: Sequence[ThemeProfile],
        examples: Sequence[Example],
        rejected: Mapping[int, frozenset[int]] | None = None,
        related: Any = None,
        cancel: Cancel | None = None,
        progress: Progress | None = None,
        final: tuple[Any, Any, Any] | None = None,
    ) -> ThemeSuggester:
        """``examples``: coded passages (a corpus row, or a span as a :class:`Passage`)
        with the themes coded there; ``rejected``: corpus row -> rejected themes;
        ``related[a, b]``: a is an ancestor or descendant of b. ``progress`` hears
        ("learning", models fitted, models to fit). ``final``: the themes' models a
        cancelled fit on the same examples had fitted (see :meth:`LearnedThemes.fit`),
        so that only the rest and the cross-validation run again."""
        self.corpus_ = corpus
        self.themes_ = list(themes)
        self.cold_ = KeywordSuggester().fit(self.themes_, corpus.features)
        self.theme_dense_ = self.cold_.theme_vectors_.toarray()
        self.theme_embeddings_: Any = None
        if corpus.embeddings is not None:
            from qualcode.nlp import embeddings

            self.theme_embeddings_ = embeddings.encode([t.description for t in self.themes_])
        self.related_ = related
        self.span_rows_: dict[Passage, Any] = {}
        self.span_vectors_: dict[Passage, Any] = {}
        # Each theme's own words (label, definition, inclusion, keywords) as one more
        # example of it: with a handful of codings a theme's name says much. On words
        # alone, in two passages (ThemeProfile.anchor_texts), as a long definition
        # would dilute the name; a sentence vector reads the whole at once, and on 161
        # real quotes (serdif, seeds 0-9) the two passages cost it top-3 0.031.
        split = corpus.embeddings is None
        texts = [
            (k, text)
            for k, t in enumerate(self.themes_)
            for text in (t.anchor_texts if split else [t.anchor_text])
        ]
        self.anchor_themes_ = [k for k, _ in texts]
        self.anchor_rows_ = (
            self.transform([Passage(text) for _, text in texts])
            if self.framework_weight > 0 and self.themes_
            else None
        )
        X, labels, rejected_x, unlabelled, anchors = self._training_set(
            examples, rejected or {}, progress
        )
        # The embeddings, when used, are the last block of the features.
        emb = corpus.embeddings
        self.model_ = LearnedThemes(
            C=self.C,
            anchor_weight=self.framework_weight,
            prototype_from=corpus.X.shape[1] - emb.shape[1] if emb is not None else None,
        ).fit(
            X,
            labels,
            len(self.themes_),
            rejected_x,
            related,
            unlabelled=unlabelled,
            cancel=cancel,
            anchors=anchors,
            progress=(lambda done, total: progress("learning", done, total)) if progress else None,
            final=final,
        )
        self.cold_curve_ = self._cold_curve(examples)
        return self._settle()

    def update(
        self,
        examples: Sequence[Example],
        rejected: Mapping[int, frozenset[int]] | None,
        changed: Collection[int],
        cancel: Cancel | None = None,
        progress: Progress | None = None,
    ) -> ThemeSuggester:
        """A copy refitted for the ``changed`` themes only, after a few codings or
        rejections: their models see every example; the other themes' models and the
        calibration curve are kept (a full ``fit`` later brings them up to date)."""
        out = copy.copy(self)
        X, labels, rejected_x, unlabelled, anchors = out._training_set(
            examples, rejected or {}, progress
        )
        out.model_ = self.model_.refit(
            X, labels, changed, rejected_x, self.related_, unlabelled, cancel, anchors
        )
        return out._settle()

    def learning_curve(
        self,
        examples: Sequence[Example],
        rejected: Mapping[int, frozenset[int]] | None = None,
        cancel: Cancel | None = None,
        progress: Progress | None = None,
    ) -> list[CurvePoint]:
        """:meth:`LearnedThemes.learning_curve` on the examples and rejections this was
        fitted on (``progress`` hears ("curve", models fitted, models to fit))."""
        X, labels, rejected_x, unlabelled, _ = self._training_set(examples, rejected or {})
        points = self.model_.learning_curve(
            X,
            labels,
            rejected_x,
            self.related_,
            unlabelled,
            cancel=cancel,
            progress=(lambda done, total: progress("curve", done, total)) if progress else None,
        )
        _check(cancel)
        return points

    def _training_set(
        self,
        examples: Sequence[Example],
        rejected: Mapping[int, frozenset[int]],
        progress: Progress | None = None,
    ) -> tuple[
        Any,
        dict[int, frozenset[int]],
        dict[int, frozenset[int]],
        list[int],
        dict[int, frozenset[int]],
    ]:
        """The learned model's rows: the examples, then rejected rows that are not
        examples, then a fixed sample of uncoded rows (weak negatives), then each theme's
        anchor (its own words)."""
        import numpy as np
        from scipy import sparse

        corpus = self.corpus_
        spans = [p for p, _ in examples if isinstance(p, Passage)]
        # A coded span's features are kept, so an update only reads the new spans.
        new = list(dict.fromkeys(p for p in spans if p not in self.span_rows_))
        if new:
            # with sentence embeddings, a minute for a few hundred spans: it is counted
            vectors = self._embed(new, progress)
            fresh = self.transform(new, vectors)
            self.span_rows_ = {**self.span_rows_, **{p: fresh[i] for i, p in enumerate(new)}}
            if vectors is not None:
                self.span_vectors_ = {
                    **self.span_vectors_,
                    **{p: vectors[i] for i, p in enumerate(new)},
                }
        labels = {i: ks for i, (_, ks) in enumerate(examples)}
        at_row: list[int] = []  # example index of each example that is a corpus row
        corpus_rows: list[int] = []
        at_span: list[int] = []
        span_passages: list[Passage] = []
        for i, (where, _) in enumerate(examples):
            if isinstance(where, Passage):
                at_span.append(i)
                span_passages.append(where)
            else:
                at_row.append(i)
                corpus_rows.append(where)
        rows_used = set(corpus_rows)
        # One slice of the corpus and one stack of the spans, then back in example order
        # (row by row slicing costs more than the fit on a study of 60 interviews).
        parts = [corpus.X[corpus_rows]]
        if span_passages:
            parts.append(sparse.vstack([self.span_rows_[p] for p in span_passages]))
        order = np.argsort(np.array(at_row + at_span, dtype=np.int64), kind="stable")
        ordered = sparse.vstack(parts, format="csr")[order] if examples else corpus.X[:0]
        extra = [r for r in sorted(rejected) if r not in rows_used]
        others = np.array(
            [r for r in range(len(corpus.ids)) if r not in rows_used and r not in rejected],
            dtype=np.int64,
        )
        take = min(len(others), 500)
        sample = (
            [int(r) for r in np.random.default_rng(0).choice(others, take, replace=False)]
            if take
            else []
        )
        rows = extra + sample
        n = len(examples)
        blocks = [ordered, corpus.X[rows]]
        anchors: dict[int, frozenset[int]] = {}
        anchor_rows = self.anchor_rows_
        if anchor_rows is not None:
            blocks.append(anchor_rows)
            first = n + len(rows)
            anchors = {first + j: frozenset((k,)) for j, k in enumerate(self.anchor_themes_)}
        X = _without_thin_attributes(sparse.vstack(blocks, format="csr"), examples, corpus)
        where_row = {r: n + j for j, r in enumerate(rows)}
        # A rejection on a coded row stays with that row's example.
        example_of_row = dict(zip(corpus_rows, at_row, strict=True))
        rejected_x = {example_of_row.get(r, where_row.get(r, -1)): ks for r, ks in rejected.items()}
        rejected_x.pop(-1, None)
        return X, labels, rejected_x, [where_row[r] for r in sample], anchors

    def _settle(self) -> ThemeSuggester:
        import numpy as np

        self.trained_ = np.zeros(len(self.themes_), dtype=bool)
        self.trained_[self.model_.trained()] = True
        return self

    def _embed(self, passages: Sequence[Passage], progress: Progress | None = None) -> Any:
        if self.corpus_.embeddings is None:
            return None
        from qualcode.nlp import embeddings

        counted = (
            (lambda done, total: progress("coded passages", done, total)) if progress else None
        )
        return embeddings.encode([p.text for p in passages], progress=counted)

    def transform(self, passages: Sequence[Passage], vectors: Any = None) -> Any:
        """Features of passages that are not rows of the corpus (coded spans)."""
        if vectors is None:
            vectors = self._embed(passages)
        return self.corpus_.passage_features.transform(passages, vectors)

    def _cold_curve(self, examples: Sequence[Example]) -> tuple[float, float] | None:
        """How well the framework's words alone foretold the researcher's codings of the
        themes coded so far: a logistic curve from cold-start score to the probability
        that the theme is coded, fitted on the coded passages and those themes. A theme
        not coded yet is scored through it, so that a loose match of its words does not
        outrank what was learned when the words have told little in this study (None:
        too few codings; themes not coded yet are then damped by ``untrained_weight``)."""
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        trained = self.model_.positives_ > 0
        if len(examples) < MIN_FOR_COLD_CURVE or not trained.any():
            return None
        picked = [
            examples[int(i)]
            for i in np.random.default_rng(0).permutation(len(examples))[:MAX_FOR_COLD_CURVE]
        ]
        cold = self._cold_of([where for where, _ in picked])[:, trained]
        truth = np.zeros((len(picked), len(self.themes_)), dtype=bool)
        for i, (_, ks) in enumerate(picked):
            truth[i, list(ks)] = True
        hit = truth[:, trained].ravel()
        if hit.all() or not hit.any():
            return None
        fit = LogisticRegression(C=1.0).fit(cold.reshape(-1, 1), hit)
        # A theme coded on none of n passages is rarer than the themes coded so far: its
        # rate is about 1 / (n + 2) (the rule of succession) against their mean rate.
        seen, unseen = float(hit.mean()), 1.0 / (len(examples) + 2)
        b = float(fit.intercept_[0])
        b += float(np.log(unseen / (1 - unseen)) - np.log(seen / (1 - seen)))
        # Words that foretold nothing (or the opposite) give every such theme the base rate.
        return max(float(fit.coef_[0, 0]), 0.0), b

    def _cold_of(self, where: Sequence[int | Passage]) -> Any:
        """Cold-start scores of corpus rows and coded spans, in the order given."""
        import numpy as np
        from scipy import sparse

        c = self.corpus_
        docs = [c.docs[w] if isinstance(w, int) else w.tokens() for w in where]
        # A corpus row's words are in the corpus already: only spans are read again.
        at_row = [j for j, w in enumerate(where) if isinstance(w, int)]
        at_span = [j for j, w in enumerate(where) if not isinstance(w, int)]
        parts = [c.words[[where[j] for j in at_row]]]
        if at_span:
            parts.append(c.features.word_matrix([docs[j].joined for j in at_span]))
        order = np.argsort(np.array(at_row + at_span, dtype=np.int64), kind="stable")
        words = sparse.vstack(parts, format="csr")[order]
        dense = None
        if self.theme_embeddings_ is not None and c.embeddings is not None:
            vectors = np.stack(
                [c.embeddings[w] if isinstance(w, int) else self.span_vectors_[w] for w in where]
            )
            dense = self._dense(vectors)
        return self.cold_.score(docs, words, dense)[0]

    def _dense(self, vectors: Any) -> Any:
        import numpy as np

        sim = vectors @ self.theme_embeddings_.T
        return np.clip((sim - 0.15) / 0.45, 0.0, 1.0)

    def score_rows(self, rows: Sequence[int]) -> tuple[Any, list[dict[int, list[Match]]]]:
        """Scores (rows x themes) and the keyword matches per row."""
        score, matches, _ = self._score_rows(rows)
        return score, matches

    def _score_rows(self, rows: Sequence[int]) -> tuple[Any, list[dict[int, list[Match]]], Any]:
        """``score_rows`` and the learned models' margins (rows x themes)."""
        c = self.corpus_
        return self._score(
            [c.docs[r] for r in rows],
            c.words[list(rows)],
            c.X[list(rows)],
            c.embeddings[list(rows)] if c.embeddings is not None else None,
        )

    def score_passages(self, passages: Sequence[Passage]) -> Any:
        """Scores (passages x themes) for spans that need not be corpus rows."""
        docs = [p.tokens() for p in passages]
        # Analysed once: the features below read the tokens again.
        passages = [replace(p, analysed=d) for p, d in zip(passages, docs, strict=True)]
        words = self.corpus_.features.word_matrix([d.joined for d in docs])
        vectors = None
        if self.corpus_.embeddings is not None:
            from qualcode.nlp import embeddings

            vectors = embeddings.encode([p.text for p in passages])
        X = self.corpus_.passage_features.transform(passages, vectors, words=words)
        return self._score(docs, words, X, vectors)[0]

    def _score(
        self, docs: Sequence[Analysed], words: Any, X: Any, vectors: Any
    ) -> tuple[Any, list[dict[int, list[Match]]], Any]:
        import numpy as np

        dense = None
        if self.theme_embeddings_ is not None and vectors is not None:
            dense = self._dense(vectors)
        cold, matches = self.cold_.score(docs, words, dense)
        margins = self.model_.margins(X)
        learned = self.model_.probabilities_of(margins)
        if not self.trained_.any():
            untrained = cold  # a cold start: the framework's words are all there is
        elif self.cold_curve_ is not None:
            a, b = self.cold_curve_
            untrained = 1.0 / (1.0 + np.exp(-(a * cold + b)))
        else:
            untrained = cold * self.untrained_weight
        score = np.where(self.trained_, np.nan_to_num(learned, nan=0.0), untrained)
        return np.clip(score, 0.0, 1.0), matches, margins

    def suggest(
        self,
        rows: Sequence[int],
        top: int = 3,
        allowed: Any = None,
        exclude: Mapping[int, frozenset[int]] | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        batch: int = 2000,
    ) -> list[list[Scored]]:
        """Up to ``top`` themes per row, best first. ``allowed``: rows x themes mask.
        On ``FORK_SCORING_FROM`` rows or more the batches are scored in forked
        processes (:mod:`qualcode.nlp.forked`), with the same results."""
        from qualcode.nlp import forked

        exclude = exclude or {}
        weights = self._learned_weights()
        starts = list(range(0, len(rows), batch))
        done: dict[int, list[list[Scored]]] = {}

        def one(start: int) -> list[list[Scored]]:
            end = start + batch
            mask = allowed[start:end] if allowed is not None else None
            return self._suggest_batch(list(rows[start:end]), top, mask, exclude, weights)

        def receive(start: int, scored: list[list[Scored]]) -> None:
            done[start] = scored
            if progress:
                progress("suggesting", min(len(done) * batch, len(rows)), len(rows))

        _check(cancel)
        big = len(rows) >= FORK_SCORING_FROM
        forked.run_each(one, starts, receive, cancel, big=big)
        _check(cancel)
        return [scored for start in starts for scored in done[start]]

    def _suggest_batch(
        self,
        chunk: list[int],
        top: int,
        allowed: Any,
        exclude: Mapping[int, frozenset[int]],
        weights: Any,
    ) -> list[list[Scored]]:
        import numpy as np

        score, matches, margins = self._score_rows(chunk)
        if allowed is not None:
            score = np.where(allowed, score, -1.0)
        for j, r in enumerate(chunk):
            for k in exclude.get(r, ()):
                score[j, k] = -1.0
        best = np.argsort(-score, axis=1, kind="stable")[:, :top]
        best_score = np.take_along_axis(score, best, axis=1)
        keep = best_score >= self.min_score
        pair_j, pair_t = np.nonzero(keep)
        ks = best[pair_j, pair_t]
        because = self._reasons(
            [chunk[j] for j in pair_j.tolist()],
            ks,
            [matches[j] for j in pair_j.tolist()],
            weights,
            margins[pair_j, ks],
        )
        rounded = [round(x, 4) for x in best_score[pair_j, pair_t].tolist()]
        per_row: list[list[Scored]] = [[] for _ in chunk]
        trained = self.trained_[ks].tolist()
        for j, k, sc, why, learned in zip(
            pair_j.tolist(), ks.tolist(), rounded, because, trained, strict=True
        ):
            per_row[j].append(Scored(k, sc, why, learned))
        return per_row

    def _reasons(
        self,
        rows: Sequence[int],
        ks: Any,
        matches: Sequence[dict[int, list[Match]]],
        weights: Any,
        margins: Any,
    ) -> list[tuple[str, ...]]:
        """The words behind each (row, theme) suggestion (``margins``: each pair's
        learned margin, -inf for a theme not learned yet): for a learned theme, the
        passage's words that pushed it up most, then the framework's phrases found in
        it; for a theme not learned yet, the other way round. A learned suggestion that
        what surrounds the passage carried further than all it says (the prompt or
        question before it, its place, a case attribute) names that first."""
        c = self.corpus_
        learned_words = self._top_features(rows, ks, weights)
        led = self._led_by_surroundings(rows, ks, margins)
        out: list[tuple[str, ...]] = []
        fallback: list[int] = []  # a learned theme with no words for or phrases of it
        for i, (row, k) in enumerate(zip(rows, ks.tolist(), strict=True)):
            doc, text = c.docs[row], c.texts[row]
            ranked = sorted(matches[i].get(k, ()), key=lambda m: (-m[1], -m[2]))
            cold = [doc.surface(text, a, n) for a, n, _ in ranked]
            learned = learned_words[i]
            merged = self._merge(learned, cold) if self.trained_[k] else self._merge(cold, learned)
            if led[i]:
                beside = self._beside_words(row, k, SURROUNDINGS)
                if beside is not None:
                    merged = (beside, *merged)[: self.max_because]
            if not merged:
                fallback.append(i)
            out.append(merged)
        if fallback:
            shared = self._top_features(
                [rows[i] for i in fallback], ks[fallback], self.theme_dense_
            )
            for i, words in zip(fallback, shared, strict=True):
                out[i] = self._merge(words, [])
        for i in fallback:
            k = int(ks[i])
            if not out[i] and self.trained_[k]:
                beside = self._beside_words(rows[i], k)
                out[i] = (beside,) if beside else ()
        return out

    def _one_context(self) -> bool:
        """Whether every passage has the same question or prompt before it (a survey of
        one question, its column named "text"): it then tells no passage from another,
        and 'answering "text"' would name what every answer answers."""
        found: bool | None = getattr(self, "one_context_", None)
        if found is None:
            found = len({p.context for p in self.corpus_.passages}) <= 1
            self.one_context_ = found
        return found

    def _beside_words(self, row: int, k: int, among: Collection[str] | None = None) -> str | None:
        """For a learned suggestion no word of the passage explains: what beside its
        words pushed it up most - the prompt or question before it, its place in the
        source, a case attribute, its meaning (sentence embeddings) - so that a
        suggestion resting on where a passage sits, not on what it says, says so; or its
        tone, or the question or wish in it, for one resting on how it is said.
        ``among``: only these blocks."""
        import numpy as np

        c = self.corpus_
        x = c.X[row]
        part = x.data * self.model_.coef_[k, x.indices]
        blocks = c.passage_features.blocks()
        if c.embeddings is not None:
            blocks["embeddings"] = (c.X.shape[1] - c.embeddings.shape[1], c.X.shape[1])
        said = {
            n: b
            for n, b in blocks.items()
            if n not in ("words", "chars")
            and (among is None or n in among)
            and not (n in _CONTEXT_BLOCKS and self._one_context())
        }
        gains = {
            n: float(part[(x.indices >= a) & (x.indices < b)].sum()) for n, (a, b) in said.items()
        }
        best = max(gains, key=lambda n: gains[n], default=None)
        if best is None or gains[best] <= 0:
            return None
        p = c.passages[row]
        if best in _CONTEXT_BLOCKS:
            if p.position is not None:
                return wording.after_prompt(p.context)
            return wording.answering(p.context)
        if best == "position" and p.position is not None:
            return wording.place(p.position)
        if best == "attributes":
            first = blocks["attributes"][0]
            inside = (x.indices >= first) & (x.indices < blocks["attributes"][1])
            column = int(x.indices[inside][np.argmax(part[inside])]) - first
            name, value = next(
                a for a, j in c.passage_features.attribute_index_.items() if j == column
            )
            return wording.attribute(name, value)
        if best in ("tone", "mood"):
            first = blocks[best][0]
            one = float(part[x.indices == first].sum())
            other = float(part[x.indices == first + 1].sum())
            return wording.mood(one >= other) if best == "mood" else wording.tone(one >= other)
        if best == "meaning":
            first, end = blocks["meaning"]
            direction = self.model_.coef_[k, first:end]
            meaning = c.passage_features.meaning_
            word = leading_word(p.text, direction, meaning.mean_, meaning.idf_, stop_words())
            if word is not None:
                return wording.close_word(word)
        if best in ("embeddings", "meaning"):
            return wording.CLOSE_TO_CODED
        return None

    def _merge(self, first: Sequence[str], second: Sequence[str]) -> tuple[str, ...]:
        out: list[tuple[str, frozenset[str]]] = []
        seen: set[str] = set()
        for phrase in (*first, *second):
            mine = _words_of(phrase)
            if not mine or mine <= seen:
                continue  # "pay" adds nothing after "pay rise", nor "yeah" after "yeah, I"
            # "Oh yeah" takes the place of an "Oh" listed before it
            within = [j for j, (_, said) in enumerate(out) if said <= mine]
            if within:
                out[within[0]] = (phrase, mine)
                out = [o for j, o in enumerate(out) if j not in within[1:]]
            else:
                out.append((phrase, mine))
            seen |= mine
        return tuple(phrase for phrase, _ in out[: self.max_because])

    def _led_by_surroundings(self, rows: Sequence[int], ks: Any, margins: Any) -> Any:
        """For each (row, theme) pair, whether the theme is learned and one of the
        passage's surroundings (``SURROUNDINGS``: the prompt or question before it, its
        place, a case attribute) pushed it up further than everything it says (its
        words, letters, meaning, tone and mood together: the margin less the intercept
        and the surroundings), so that "because: Okay" does not stand for a suggestion
        its place in the interview made. All pairs at once, reading only the
        surroundings' columns."""
        import numpy as np

        c = self.corpus_
        ks = np.asarray(ks, dtype=np.int64)
        learned = self.trained_[ks] & np.isfinite(margins)
        blocks = c.passage_features.blocks()
        around = sorted(blocks[name] for name in SURROUNDINGS if name in blocks)
        if not learned.any() or not around:
            return learned
        edges = np.asarray([first for first, _ in around])
        stops = np.asarray([end for _, end in around])
        X = c.X
        pair, _, pos = _row_entries(X, rows, learned)
        feature = X.indices[pos]
        block = np.searchsorted(edges, feature, side="right") - 1
        inside = (block >= 0) & (feature < stops[np.maximum(block, 0)])
        pair, pos, feature, block = pair[inside], pos[inside], feature[inside], block[inside]
        part = X.data[pos] * self.model_.coef_[ks[pair], feature]
        n = len(around)
        sums = np.bincount(pair * n + block, weights=part, minlength=len(rows) * n)
        sums = sums.reshape(len(rows), n)
        best = sums.max(axis=1)
        says = np.where(learned, margins - self.model_.intercept_[ks] - sums.sum(axis=1), 0.0)
        return learned & (best > 0) & (best > says)

    def _learned_weights(self) -> Any:
        """themes x word features: a learned theme's coefficients on the word block (it
        comes first in the model's features, so its columns line up), else the words
        it shares with the theme's description."""
        import numpy as np

        n_word = self.corpus_.features.n_word
        weights = np.array(self.theme_dense_, dtype=np.float32)
        for k in self.model_.trained():
            weights[k] = self.model_.coefficients(k)[:n_word]
        return weights

    def _top_features(self, rows: Sequence[int], ks: Any, weights: Any) -> list[list[str]]:
        """For each (row, theme): up to three readable words of the passage that pushed
        the theme up the most, all pairs at once."""
        import numpy as np

        c = self.corpus_
        words = c.words
        pair, first, pos = _row_entries(words, rows)
        feature = words.indices[pos]
        weight = words.data[pos] * weights[np.asarray(ks, dtype=np.int64)[pair], feature]
        order = np.lexsort((-weight, pair))
        rank = np.arange(len(order)) - first[order]
        chosen = order[(rank < 3) & (weight[order] > 0)]
        out: list[list[str]] = [[] for _ in rows]
        names = c.features.word_names_
        for p, f in zip(pair[chosen].tolist(), feature[chosen].tolist(), strict=True):
            row = rows[p]
            doc = c.docs[row]
            toks = tuple(names[f].split())
            at = find_phrase(doc.tokens, toks)
            if at >= 0:
                out[p].append(doc.surface(c.texts[row], at, len(toks)))
        return out
