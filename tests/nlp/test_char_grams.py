"""Character n-grams counted per distinct word equal scikit-learn's char_wb TF-IDF."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from qualcode.nlp.char_grams import CharWordGrams
from qualcode.services.demo import sample_root

ODD = [
    "",
    "   ",
    "a",
    "I  was\tnot\ntold - at ALL!",
    "café naïve résumé",
    "supervision supervision supervision",
    "zzzzqqqq xylophone",  # n-grams never seen in the fit
    "...",
]


def survey_answers() -> list[str]:
    with (sample_root() / "transcripts" / "survey.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [v.lower() for r in rows for k, v in r.items() if k.startswith("q_") and v]


@pytest.mark.parametrize("ngrams", [(2, 5), (3, 4)])
def test_equals_scikit_learns_char_wb_tfidf(ngrams: tuple[int, int]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = survey_answers()
    assert len(texts) > 100
    fit_on = texts[::2]
    ours = CharWordGrams(ngrams, min_df=2, max_features=5000).fit(fit_on)
    theirs = TfidfVectorizer(
        analyzer="char_wb",
        lowercase=False,
        ngram_range=ngrams,
        sublinear_tf=True,
        min_df=2,
        max_features=5000,
        dtype=np.float32,
    ).fit(fit_on)
    docs = texts + ODD
    a = ours.transform(docs)
    b = theirs.transform(docs)
    assert a.shape == b.shape
    assert a.dtype == np.float32
    assert abs(a - b).max() < 1e-5
    # Again, now from the per-word cache.
    assert abs(ours.transform(docs[::-1]) - b[::-1]).max() < 1e-5


def test_an_empty_or_unknown_document_is_a_zero_row() -> None:
    grams = CharWordGrams().fit(["pay and grading", "pay rise", "grading review"])
    m = grams.transform(["", "qqq", "pay"])
    assert m[0].nnz == 0
    assert m[1].nnz == 0
    assert m[2].nnz > 0
    assert np.isclose(np.linalg.norm(m[2].toarray()), 1.0)
