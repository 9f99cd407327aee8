"""Candidate themes: clusters of passages with a suggested label and top passages.

Lexical mode factorises the TF-IDF matrix with NMF (each component is a weighted set
of words; a passage's weight on it says how much it is about that). With sentence
embeddings, k-means groups passages by meaning and each cluster is labelled by the
words most over-represented in it (class-based TF-IDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.nlp.features import TOKEN_PATTERN
from qualcode.nlp.phrases import GENERIC


@dataclass(frozen=True)
class Cluster:
    terms: tuple[str, ...]  # canonical words/phrases, most characteristic first
    documents: tuple[int, ...]  # top passages, most typical first
    size: int  # passages that belong mostly to this cluster


def default_k(n_docs: int) -> int:
    return max(2, min(12, round((n_docs / 8) ** 0.5)))


def _tfidf(joined: Sequence[str]) -> tuple[Any, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(joined)
    vec = TfidfVectorizer(
        token_pattern=TOKEN_PATTERN,
        lowercase=False,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2 if n >= 20 else 1,
        max_df=0.5 if n >= 20 else 1.0,
        stop_words=sorted(GENERIC),
    )
    X = vec.fit_transform(joined)
    return X, list(vec.get_feature_names_out())


def nmf_clusters(
    joined: Sequence[str], k: int | None = None, top_terms: int = 6, top_docs: int = 5
) -> list[Cluster]:
    import numpy as np
    from sklearn.decomposition import NMF

    if len(joined) < 2:
        return []
    X, names = _tfidf(joined)
    if X.shape[1] == 0:
        return []
    k = min(k or default_k(len(joined)), X.shape[0], X.shape[1])
    model = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=400)
    W = model.fit_transform(X)
    H = model.components_
    owner = W.argmax(axis=1)
    out = []
    for c in range(k):
        terms = tuple(names[i] for i in np.argsort(-H[c])[:top_terms] if H[c, i] > 0)
        docs = tuple(int(i) for i in np.argsort(-W[:, c])[:top_docs] if W[i, c] > 0)
        size = int(((owner == c) & (W[:, c] > 0)).sum())
        if terms and docs:
            out.append(Cluster(terms, docs, size))
    return sorted(out, key=lambda c: -c.size)


def embedding_clusters(
    joined: Sequence[str],
    vectors: Any,
    k: int | None = None,
    top_terms: int = 6,
    top_docs: int = 5,
) -> list[Cluster]:
    import numpy as np
    from sklearn.cluster import KMeans

    if len(joined) < 2:
        return []
    X, names = _tfidf(joined)
    k = min(k or default_k(len(joined)), len(joined))
    km = KMeans(n_clusters=k, n_init=4, random_state=0).fit(vectors)
    overall = np.asarray(X.mean(axis=0)).ravel()
    out = []
    for c in range(k):
        members = np.flatnonzero(km.labels_ == c)
        if not len(members):
            continue
        lift = np.asarray(X[members].mean(axis=0)).ravel() - overall
        terms = tuple(names[i] for i in np.argsort(-lift)[:top_terms] if lift[i] > 0)
        dist = ((vectors[members] - km.cluster_centers_[c]) ** 2).sum(axis=1)
        docs = tuple(int(members[i]) for i in np.argsort(dist)[:top_docs])
        if terms:
            out.append(Cluster(terms, docs, len(members)))
    return sorted(out, key=lambda c: -c.size)
