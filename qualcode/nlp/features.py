"""TF-IDF features over normalised text: word 1-2 grams plus character n-grams.

The word part explains suggestions (its features are readable words and phrases); the
character part copes with spelling slips and word forms the lemma table misses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TOKEN_PATTERN = r"\S+"  # input is already tokenised: canonical tokens joined by spaces


class TextFeatures:
    """A scikit-learn style transformer: ``fit`` on a corpus, ``transform`` documents.

    Documents are :attr:`qualcode.nlp.normalise.Analysed.joined` strings.
    """

    def __init__(
        self,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = (3, 5),
        char_weight: float = 0.6,
        min_df: int = 1,
        max_char_features: int | None = 60_000,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.char_weight = char_weight
        self.min_df = min_df
        self.max_char_features = max_char_features

    def fit(self, docs: Sequence[str]) -> TextFeatures:
        self._fit(docs, keep=False)
        return self

    def fit_word_matrix(self, docs: Sequence[str]) -> Any:
        """``fit`` and the word block of ``docs``, counting the words once."""
        return self._fit(docs, keep=True)

    def _fit(self, docs: Sequence[str], keep: bool) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.words_ = TfidfVectorizer(
            analyzer="word",
            token_pattern=TOKEN_PATTERN,
            lowercase=False,
            ngram_range=self.word_ngrams,
            sublinear_tf=True,
            min_df=self.min_df,
            dtype=_float32(),
        )
        words = self.words_.fit_transform(docs) if keep else self.words_.fit(docs)
        self.chars_: Any = None
        if self.char_ngrams is not None:
            self.chars_ = TfidfVectorizer(
                analyzer="char_wb",
                lowercase=False,
                ngram_range=self.char_ngrams,
                sublinear_tf=True,
                min_df=2,
                max_features=self.max_char_features,
                dtype=_float32(),
            ).fit(docs)
        self.word_names_: list[str] = list(self.words_.get_feature_names_out())
        self.word_index_: dict[str, int] = {w: i for i, w in enumerate(self.word_names_)}
        return words if keep else None

    @property
    def n_word(self) -> int:
        return len(self.word_names_)

    def word_matrix(self, docs: Sequence[str]) -> Any:
        return self.words_.transform(docs)

    def transform(self, docs: Sequence[str], words: Any = None) -> Any:
        """Word block first (so its columns line up with ``word_names_``), then chars."""
        from scipy import sparse

        w = self.word_matrix(docs) if words is None else words
        if self.chars_ is None:
            return w.tocsr()
        c = self.chars_.transform(docs) * self.char_weight
        return sparse.hstack([w, c], format="csr")

    def idf(self, token: str) -> float:
        """Inverse document frequency of a word feature (the largest for unseen words)."""
        i = self.word_index_.get(token)
        idf = self.words_.idf_
        return float(idf[i]) if i is not None else float(idf.max())


def _float32() -> Any:
    import numpy as np

    return np.float32
