"""A passage's meaning, from the word vectors shipped in the package, is a feature: a
theme coded a few times is suggested for passages in other words of the same sense."""

from __future__ import annotations

import pickle

import numpy as np

from qualcode.nlp.coldstart import ThemeProfile
from qualcode.nlp.passages import BlockWeights
from qualcode.nlp.word_vectors import PassageMeaning, table, word_counts
from tests.nlp.conftest import first_suggestions

# Two themes whose names say nothing, coded with passages alike but for one word.
THEMES = [ThemeProfile("A", "Group one"), ThemeProfile("B", "Group two")]
SAID = "We talked about the {}."
CODED = {"A": ["soup", "bread", "cheese", "rice"], "B": ["bus", "train", "taxi", "tram"]}
# Words no coded passage used.
NEW = {"A": ["pasta", "noodles", "butter", "salad"], "B": ["ferry", "car", "subway", "lorry"]}


def _cosine(a: str, b: str) -> float:
    index, vectors = table()
    return float(vectors[index[a]] @ vectors[index[b]])


def test_the_table_knows_which_words_are_close() -> None:
    index, vectors = table()
    assert len(index) == vectors.shape[0] >= 100_000
    assert {"courteous", "paramedics", "don't", "carers", "safeguarding"} <= index.keys()
    assert np.allclose(np.linalg.norm(vectors[:1000], axis=1), 1.0, atol=0.02)
    assert _cosine("polite", "courteous") > _cosine("polite", "parking")
    assert _cosine("nurse", "doctor") > _cosine("nurse", "invoice")


def test_a_passage_vector_is_unit_length_or_zero() -> None:
    texts = ["Polite and caring staff.", "The wait was long.", "12345 ###", ""]
    meaning = PassageMeaning().fit(texts)
    got = meaning.transform(texts + ["Staff were polite", "Xqzv"])
    assert got.shape == (6, table()[1].shape[1])
    assert np.allclose(np.linalg.norm(got[[0, 1, 4]], axis=1), 1.0, atol=1e-5)
    assert not got[[2, 3, 5]].any()  # no known word: nothing to say
    assert got[0] @ got[4] > got[1] @ got[4]
    # A curly apostrophe as typed in Word finds "don't".
    assert word_counts(["I don\u2019t know"]).nnz == word_counts(["I don't know"]).nnz == 3


def test_the_fitted_passages_counts_serve_one_transform_and_are_not_kept() -> None:
    texts = ["Polite and caring staff.", "The wait was long.", "Parking was hard."]
    meaning = PassageMeaning().fit(texts)
    first = meaning.transform(texts)  # from the counts kept by fit
    assert np.allclose(first, meaning.transform(texts))  # counted again
    other = meaning.transform(["The wait was long."])
    assert np.allclose(other, first[[1]])
    kept = pickle.loads(pickle.dumps(PassageMeaning().fit(texts)))
    assert "_fitted" not in vars(kept)
    assert np.allclose(kept.transform(texts), first)


def _first(weights: BlockWeights) -> dict[str, tuple[str, tuple[str, ...]]]:
    coded = [(SAID.format(w), k) for k, words in CODED.items() for w in words]
    new = [SAID.format(w) for words in NEW.values() for w in words]
    return first_suggestions(THEMES, coded, new, weights)


def test_a_theme_coded_a_few_times_is_suggested_for_other_words_of_its_sense() -> None:
    want = {SAID.format(w): k for k, words in NEW.items() for w in words}
    got = _first(BlockWeights())
    assert {text: theme for text, (theme, _) in got.items()} == want
    # A suggestion resting on the meaning names the word that carried it.
    assert got[SAID.format("noodles")][1] == ('"noodles", close in meaning to words coded with it',)
    # Without the word vectors the same passages are left to chance.
    off = _first(BlockWeights(meaning=0.0))
    assert {text: theme for text, (theme, _) in off.items()} != want


def test_the_word_named_for_a_meaning_is_weighted_as_in_the_passage_and_not_a_stop_word() -> None:
    from qualcode.nlp.word_vectors import leading_word

    index, vectors = table()
    both = vectors[index["the"]] + vectors[index["noodles"]]
    idf = np.ones(vectors.shape[0], dtype=np.float32)
    idf[index["noodles"]] = 10.0  # rare in the study: it weighs ten times in the passage
    assert leading_word("the noodles", both, idf=idf) == "noodles"
    idf[index["noodles"]], idf[index["the"]] = 1.0, 10.0
    assert leading_word("the noodles", both, idf=idf) == "the"
    # A stop word is named only when the passage has nothing else.
    assert leading_word("the noodles", vectors[index["the"]], skip=frozenset({"the"})) != "the"
    assert leading_word("The.", vectors[index["the"]], skip=frozenset({"the"})) == "the"
    assert leading_word("N/A", vectors[index["n"]] + vectors[index["a"]]) is None
