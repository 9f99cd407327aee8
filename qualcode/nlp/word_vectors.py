"""What a passage means, from word vectors that ship with qualcode (no torch, no download).

With a handful of codings a theme's own words cannot teach that "polite" is close to
"courteous" or "kind" to "caring": a model of words only knows the words it has seen
coded. Word vectors know. These are for the 100,000 commonest English words (by the
word probabilities of spacy-lookups-data), each encoded on its own by the sentence
model the ``[embeddings]`` extra runs (all-MiniLM-L6-v2, Apache 2.0), reduced to their
96 principal directions and kept as 8-bit integers with a scale per word in
``data/word_vectors.npz`` (about 10 MB). They are built by ``python -m
qualcode.nlp.build_word_vectors``, which needs the extra; reading them needs numpy
alone.

A passage's vector is the mean of its words' vectors, each weighted by how rare the
word is in the study (IDF), less the study's mean passage vector and scaled to unit
length, so that what all passages share (the survey's topic, an interview's register)
does not count. A passage with no known word gets a zero vector.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

TABLE = "word_vectors.npz"
# A word as the table spells it: lower case, with an inner apostrophe ("don't").
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words_in(text: str) -> list[str]:
    """The words of ``text`` as the table spells them (a curly apostrophe as typed in
    Word read as a straight one)."""
    return WORD.findall(text.lower().replace("\u2019", "'"))


@cache
def table() -> tuple[dict[str, int], Any]:
    """(each word's row, words x dimensions float32 vectors of unit length or near it)."""
    import numpy as np

    with (resources.files("qualcode.nlp") / "data" / TABLE).open("rb") as fh:
        saved = np.load(fh, allow_pickle=False)
        words = saved["words"].tolist()
        vectors = saved["q"].astype(np.float32) * saved["scale"].astype(np.float32)[:, None]
    return {w: i for i, w in enumerate(words)}, vectors


def word_counts(texts: Sequence[str]) -> Any:
    """passages x table words: how often each known word occurs in each passage."""
    import numpy as np
    from scipy import sparse

    index, vectors = table()
    indptr: list[int] = [0]
    ids: list[int] = []
    for text in texts:
        ids.extend(i for i in map(index.get, words_in(text)) if i is not None)
        indptr.append(len(ids))
    data = np.ones(len(ids), dtype=np.float32)
    shape = (len(texts), vectors.shape[0])
    counts = sparse.csr_matrix((data, np.asarray(ids, dtype=np.int64), indptr), shape=shape)
    counts.sum_duplicates()
    return counts


class PassageMeaning:
    """``fit`` on a study's passages (IDF and the mean), ``transform`` any to vectors."""

    def fit(self, texts: Sequence[str]) -> PassageMeaning:
        import numpy as np

        counts = word_counts(texts)
        # A study's passages are transformed right after they are fitted (build_corpus):
        # their counts are kept for that one call.
        self._fitted: tuple[list[str], Any] | None = (list(texts), counts)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        n = max(len(texts), 1)
        self.idf_ = (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)
        self.mean_ = np.zeros(table()[1].shape[1], dtype=np.float32)
        raw, known = self._means(counts)
        if known.any():
            self.mean_ = raw[known].mean(axis=0)
        return self

    def transform(self, texts: Sequence[str]) -> Any:
        """passages x dimensions, float32: unit length, or zero for a passage with no
        word in the table."""
        import numpy as np

        fitted = self.__dict__.pop("_fitted", None)
        if fitted is not None and fitted[0] == list(texts):
            counts = fitted[1]
        else:
            counts = word_counts(texts)
        raw, known = self._means(counts)
        raw[known] -= self.mean_
        norms = np.linalg.norm(raw, axis=1)
        norms[norms == 0] = 1.0
        return raw / norms[:, None]

    def __getstate__(self) -> dict[str, Any]:
        """What is kept on disk: not the fitted passages' counts."""
        return {k: v for k, v in self.__dict__.items() if k != "_fitted"}

    def _means(self, counts: Any) -> tuple[Any, Any]:
        """Each passage's IDF-weighted mean word vector, and whether it has any word."""
        import numpy as np
        from scipy import sparse

        weighted = counts @ sparse.diags(self.idf_)
        totals = np.asarray(weighted.sum(axis=1)).ravel()
        known = totals > 0
        raw = np.asarray(weighted @ table()[1], dtype=np.float32)
        raw[known] /= totals[known, None]
        return raw, known


def leading_word(
    text: str, direction: Any, mean: Any = None, idf: Any = None, skip: frozenset[str] = frozenset()
) -> str | None:
    """The word of ``text`` that moves the passage's vector furthest along ``direction``
    (a theme's weights on the meaning block), if any moves it forward at all: its
    vector less the study's ``mean``, weighted by its ``idf`` as in the passage's
    vector, so that a common word ("the") does not stand for what a rare one carried.
    Words in ``skip`` (stop words) are named only in a passage of nothing else
    ("Everything."): what a suggestion resting on the meaning can point to."""
    import numpy as np

    index, vectors = table()
    # One letter is no word to name ("n" of "N/A").
    known = [w for w in dict.fromkeys(words_in(text)) if w in index and len(w) > 1]
    known = [w for w in known if w not in skip] or known
    if not known:
        return None
    rows = [index[w] for w in known]
    along = vectors[rows] @ direction
    if mean is not None:
        along -= float(mean @ direction)
    if idf is not None:
        along = along * np.asarray(idf)[rows]
    best = int(along.argmax())
    return known[best] if along[best] > 0 else None
