"""Theme suggestions for passages: the cold-start signal from the framework combined
with a model trained on the researcher's codings, with the words that drove each one.

For theme k with n_k coded segments the supervised probability gets the weight
n_k / (n_k + prior) and the cold-start score the rest, so the framework leads until
the researcher has coded a theme a few times and the learned model leads after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.errors import QualcodeError
from qualcode.nlp.coldstart import KeywordSuggester, Match, ThemeProfile
from qualcode.nlp.features import TextFeatures
from qualcode.nlp.normalise import Analysed, analyse, find_phrase
from qualcode.nlp.supervised import SupervisedSuggester

Progress = Callable[[str, int, int], None]
Cancel = Callable[[], bool]


class Cancelled(QualcodeError):
    """A long run was stopped by its caller between batches."""

    title = "Cancelled"


def _check(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled("suggestions were cancelled")


@dataclass
class Corpus:
    """Every passage of a study, analysed and featurised once."""

    ids: list[str]
    texts: list[str]
    docs: list[Analysed]
    features: TextFeatures
    words: Any  # word TF-IDF (rows x word features)
    X: Any  # the supervised model's input (word + char [+ embedding] features)
    embeddings: Any = None  # unit vectors (rows x dim) or None

    def row(self) -> dict[str, int]:
        return {sid: i for i, sid in enumerate(self.ids)}


def build_corpus(
    ids: Sequence[str],
    texts: Sequence[str],
    embeddings: Any = None,
    char_ngrams: bool = False,
    embedding_weight: float = 0.7,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Corpus:
    from scipy import sparse

    docs: list[Analysed] = []
    step = 2000
    for start in range(0, len(texts), step):
        _check(cancel)
        docs.extend(analyse(t) for t in texts[start : start + step])
        if progress:
            progress("reading", len(docs), len(texts))
    joined = [d.joined for d in docs]
    features = TextFeatures(char_ngrams=(3, 5) if char_ngrams else None).fit(joined)
    _check(cancel)
    words = features.word_matrix(joined)
    X = features.transform(joined, words=words)
    if embeddings is not None:
        X = sparse.hstack([X, sparse.csr_matrix(embeddings * embedding_weight)], format="csr")
    return Corpus(list(ids), list(texts), docs, features, words, X, embeddings)


@dataclass(frozen=True)
class Scored:
    theme: int  # index into the themes the suggester was fitted with
    score: float
    because: tuple[str, ...]
    learned: bool  # the researcher's codings of this theme contributed


class ThemeSuggester:
    """``fit`` on a corpus, the framework and the codings; ``suggest`` for rows."""

    def __init__(
        self, prior: float = 3.0, C: float = 4.0, max_because: int = 4, min_score: float = 0.05
    ) -> None:
        self.prior = prior
        self.C = C
        self.max_because = max_because
        self.min_score = min_score

    def fit(
        self,
        corpus: Corpus,
        themes: Sequence[ThemeProfile],
        labels: Mapping[int, frozenset[int]],
        rejected: Mapping[int, frozenset[int]] | None = None,
        related: Any = None,
        cancel: Cancel | None = None,
    ) -> ThemeSuggester:
        import numpy as np

        self.corpus_ = corpus
        self.themes_ = list(themes)
        self.cold_ = KeywordSuggester().fit(self.themes_, corpus.features)
        self.theme_dense_ = self.cold_.theme_vectors_.toarray()
        self.theme_embeddings_: Any = None
        if corpus.embeddings is not None:
            from qualcode.nlp import embeddings

            self.theme_embeddings_ = embeddings.encode([t.description for t in self.themes_])
        known = set(labels) | set(rejected or {})
        others = np.array([r for r in range(len(corpus.ids)) if r not in known], dtype=np.int64)
        take = min(len(others), 500)
        sample: Any = np.random.default_rng(0).choice(others, take, replace=False) if take else []
        self.model_ = SupervisedSuggester(C=self.C).fit(
            corpus.X,
            labels,
            len(self.themes_),
            rejected,
            related,
            cancel,
            unlabelled=[int(r) for r in sample],
        )
        trained = np.zeros(len(self.themes_), dtype=bool)
        trained[list(self.model_.trained())] = True
        n = self.model_.positives_.astype(np.float32)
        self.alpha_ = np.where(trained, n / (n + self.prior), 0.0).astype(np.float32)
        return self

    def score_rows(self, rows: Sequence[int]) -> tuple[Any, list[dict[int, list[Match]]]]:
        """Combined scores (rows x themes) and the keyword matches per row."""
        import numpy as np

        c = self.corpus_
        dense = None
        if self.theme_embeddings_ is not None:
            sim = c.embeddings[list(rows)] @ self.theme_embeddings_.T
            dense = np.clip((sim - 0.15) / 0.45, 0.0, 1.0)
        cold, matches = self.cold_.score([c.docs[r] for r in rows], c.words[list(rows)], dense)
        sup = np.nan_to_num(self.model_.predict_proba(c.X[list(rows)]), nan=0.0)
        score = self.alpha_ * sup + (1.0 - self.alpha_) * cold
        return np.clip(score, 0.0, 1.0), matches

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
        """Up to ``top`` themes per row, best first. ``allowed``: rows x themes mask."""
        import numpy as np

        out: list[list[Scored]] = []
        exclude = exclude or {}
        for start in range(0, len(rows), batch):
            _check(cancel)
            chunk = list(rows[start : start + batch])
            score, matches = self.score_rows(chunk)
            if allowed is not None:
                score = np.where(allowed[start : start + len(chunk)], score, -1.0)
            for j, r in enumerate(chunk):
                s = score[j]
                for k in exclude.get(r, ()):
                    s[k] = -1.0
                best = np.argsort(-s, kind="stable")[:top]
                out.append(
                    [
                        Scored(
                            int(k),
                            round(float(s[k]), 4),
                            self._because(r, int(k), matches[j]),
                            bool(self.alpha_[k] > 0),
                        )
                        for k in best
                        if s[k] >= self.min_score
                    ]
                )
            if progress:
                progress("suggesting", min(start + batch, len(rows)), len(rows))
        return out

    def _because(self, row: int, k: int, matches: dict[int, list[Match]]) -> tuple[str, ...]:
        c = self.corpus_
        doc, text = c.docs[row], c.texts[row]
        ranked = sorted(matches.get(k, ()), key=lambda m: (-m[1], -m[2]))
        cold = [doc.surface(text, i, n) for i, n, _ in ranked]
        learned = self._top_features(row, k, self.model_.coefficients(k))
        if not cold and not learned:
            learned = self._top_features(row, k, None)
        first, second = (learned, cold) if self.alpha_[k] >= 0.5 else (cold, learned)
        out: list[str] = []
        words: set[str] = set()
        for phrase in (*first, *second):
            mine = set(phrase.lower().split())
            if phrase and not mine <= words:  # "pay" adds nothing after "pay rise"
                out.append(phrase)
                words |= mine
        return tuple(out[: self.max_because])

    def _top_features(self, row: int, k: int, coef: Any) -> list[str]:
        """Readable words of the passage that pushed theme k up the most."""
        import numpy as np

        c = self.corpus_
        words = c.words
        a, b = words.indptr[row], words.indptr[row + 1]
        if a == b:
            return []
        indices, data = words.indices[a:b], words.data[a:b]
        # Without a model: the words it shares with the theme's description.
        weights = data * (coef if coef is not None else self.theme_dense_[k])[indices]
        order = np.argsort(-weights)[:3]
        doc, text = c.docs[row], c.texts[row]
        out = []
        for i in order:
            if weights[i] <= 0:
                break
            toks = tuple(c.features.word_names_[indices[i]].split())
            at = find_phrase(doc.tokens, toks)
            if at >= 0:
                out.append(doc.surface(text, at, len(toks)))
        return out
