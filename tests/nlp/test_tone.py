"""A passage's tone, from VADER's rated English words, is a feature: themes that differ
by tone learn it from a few codings, whatever words say it."""

from __future__ import annotations

from qualcode.nlp.coldstart import ThemeProfile
from qualcode.nlp.passages import BlockWeights
from qualcode.nlp.tone import lexicon, tone
from tests.nlp.conftest import first_suggestions

# Two themes whose names say nothing of their tone.
THEMES = [ThemeProfile("A", "Group one"), ThemeProfile("B", "Group two")]
CODED = {
    "A": ["great", "lovely", "excellent", "helpful", "superb", "perfect"],
    "B": ["awful", "horrible", "terrible", "rude", "poor", "bad"],
}
# Words no coded passage used.
NEW = {"A": ["wonderful", "fantastic", "brilliant"], "B": ["dreadful", "useless", "appalling"]}


def test_rated_words_say_how_a_passage_sounds() -> None:
    assert len(lexicon()) > 7000
    assert lexicon()["rude"] < 0 < lexicon()["kind"]
    positive, negative = tone("The staff were kind and helpful.")
    assert positive > 0.5
    assert negative == 0
    assert tone("Rude and unhelpful.")[1] > 0.4
    assert tone("The nurse was not helpful")[1] > 0  # a negation turns a word round
    assert tone("They didn\u2019t care")[1] > 0  # a curly apostrophe as typed in Word
    assert tone("Nothing to improve, great service")[0] > 0  # the comma ends "nothing"
    assert tone("Never again. Great staff though")[0] > 0  # as does a full stop
    assert tone("") == (0.0, 0.0)
    assert tone("The form has four pages.") == (0.0, 0.0)


def _first(weights: BlockWeights) -> dict[str, tuple[str, tuple[str, ...]]]:
    coded = [(f"{w.capitalize()}!", k) for k, words in CODED.items() for w in words]
    new = [f"{w.capitalize()}!" for words in NEW.values() for w in words]
    return first_suggestions(THEMES, coded, new, weights)


def test_themes_that_differ_by_tone_learn_it_from_a_few_codings() -> None:
    want = {f"{w.capitalize()}!": k for k, words in NEW.items() for w in words}
    got = _first(BlockWeights())
    assert {text: theme for text, (theme, _) in got.items()} == want
    # The reasons name the tone where no word of the passage was learned.
    told = {because for _, because in got.values()}
    assert ("its positive tone",) in told
    assert ("its negative tone",) in told
    # Without the tone block (and the word vectors, which know that "wonderful" is
    # close to "great" too) the same words leave the themes to chance.
    off = _first(BlockWeights(tone=0.0, meaning=0.0))
    assert {text: theme for text, (theme, _) in off.items()} != want
