"""Character n-grams counted per distinct word equal scikit-learn's char_wb TF-IDF."""

from __future__ import annotations

import csv
import re
from collections import Counter
from typing import Any

import numpy as np
import pytest

from qualcode.nlp.char_grams import CharWordGrams
from qualcode.services.demo import sample_root
from tests.nlp.conftest import real_texts

ODD = [
    "",
    "   ",
    "a",
    "I  was\tnot\ntold - at ALL!",
    "café naïve résumé",
    "supervision supervision supervision",
    "zzzzqqqq xylophone",  # n-grams never seen in the fit
    "...",
    "a\u00a0b\u2003c\u3000d\x1ce",  # Unicode white space splits words, as in scikit-learn
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
    # no max_features: which of the n-grams tied at the cut are kept may differ
    ours = CharWordGrams(ngrams, min_df=2, max_features=None).fit(fit_on)
    theirs = TfidfVectorizer(
        analyzer="char_wb",
        lowercase=False,
        ngram_range=ngrams,
        sublinear_tf=True,
        min_df=2,
        max_features=None,
        dtype=np.float32,
    ).fit(fit_on)
    assert ours.vocabulary_ == theirs.vocabulary_
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


def sklearn_tfidf(ngrams: tuple[int, int], min_df: float, max_features: int | None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        lowercase=False,
        ngram_range=ngrams,
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


@pytest.mark.parametrize("ngrams", [(3, 4), (2, 5)])
def test_fit_equals_scikit_learn_on_real_text(ngrams: tuple[int, int]) -> None:
    texts = real_texts()
    fit_on = texts[::4]
    ours = CharWordGrams(ngrams, min_df=2, max_features=None).fit(fit_on)
    theirs = sklearn_tfidf(ngrams, 2, None).fit(fit_on)
    assert ours.vocabulary_ == theirs.vocabulary_
    assert ours.idf_.dtype == np.float32
    np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=1e-6)
    docs = texts[1::4] + ODD
    a, b = ours.transform(docs), theirs.transform(docs)
    assert a.shape == b.shape
    assert a.dtype == np.float32
    assert abs(a - b).max() < 1e-6


# each cut falls among n-grams of equal count, where scikit-learn picks arbitrarily
@pytest.mark.parametrize(("ngrams", "limit"), [((3, 4), 2000), ((4, 6), 1000)])
def test_max_features_differs_from_scikit_learn_only_among_ties(
    ngrams: tuple[int, int], limit: int
) -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    fit_on = real_texts()[::4]
    ours = CharWordGrams(ngrams, min_df=2, max_features=limit).fit(fit_on)
    theirs = sklearn_tfidf(ngrams, 2, limit).fit(fit_on)
    counter = CountVectorizer(analyzer="char_wb", lowercase=False, ngram_range=ngrams, min_df=2)
    counts = counter.fit_transform(fit_on)
    total = dict(zip(counter.get_feature_names_out(), counts.sum(axis=0).A1, strict=True))
    # ours: the most frequent, ties at the cut broken alphabetically
    expected = sorted(total, key=lambda g: (-total[g], g))[:limit]
    assert sorted(ours.vocabulary_) == sorted(expected)
    assert list(ours.vocabulary_) == sorted(ours.vocabulary_)  # columns in name order
    differ = set(ours.vocabulary_) ^ set(theirs.vocabulary_)
    cut = min(total[g] for g in ours.vocabulary_)
    assert all(total[g] == cut for g in differ)
    assert len(ours.vocabulary_) == len(theirs.vocabulary_) == limit
    for g, j in theirs.vocabulary_.items():
        if g in ours.vocabulary_:
            assert ours.idf_[ours.vocabulary_[g]] == pytest.approx(theirs.idf_[j], rel=1e-6)


@pytest.mark.parametrize("ngrams", [(1, 1), (2, 5), (3, 4), (4, 6)])
def test_grams_of_a_word_are_scikit_learns(ngrams: tuple[int, int]) -> None:
    analyzer = sklearn_tfidf(ngrams, 1, None).build_analyzer()
    words = ["a", "ab", "abc", "abcd", "abcde", "aaaaaa", "café", "£", "it's", "x" * 12]
    owner, grams = CharWordGrams(ngrams)._grams(words)
    for i, w in enumerate(words):
        ours = Counter(g for g, o in zip(grams, owner, strict=True) if o == i)
        assert ours == Counter(analyzer(w)), w


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        ([], "empty vocabulary"),
        (["", " "], "empty vocabulary"),
        (["abc"], "max_df corresponds to < documents than min_df"),  # fewer than min_df
        (["abc", "xyz"], "After pruning, no terms remain"),  # nothing in two documents
    ],
)
def test_fit_fails_as_scikit_learn_does(docs: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        sklearn_tfidf((3, 4), 2, None).fit(docs)
    with pytest.raises(ValueError, match=re.escape(message)):
        CharWordGrams((3, 4), min_df=2).fit(docs)


def test_allow_empty_fits_no_columns_where_scikit_learn_fails() -> None:
    grams = CharWordGrams((3, 4), min_df=2, allow_empty=True).fit(["abc", "xyz"])
    assert grams.vocabulary_ == {}
    m = grams.transform(["abc", "abcd xyz"])
    assert m.shape == (2, 0)


def test_min_df_as_a_share_of_the_documents() -> None:
    texts = survey_answers()
    ours = CharWordGrams((3, 4), min_df=0.05, max_features=None).fit(texts)
    theirs = sklearn_tfidf((3, 4), 0.05, None).fit(texts)
    assert ours.vocabulary_ == theirs.vocabulary_
    np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=1e-6)


def test_no_documents_is_an_empty_matrix() -> None:
    grams = CharWordGrams().fit(["pay and grading", "pay rise", "grading review"])
    m = grams.transform([])
    assert m.shape == (0, len(grams.vocabulary_))
    assert m.dtype == np.float32
