"""A case attribute is learned from across cases, never from a few cases' codings."""

from __future__ import annotations

import random

import pytest

from qualcode.nlp import suggester
from qualcode.nlp.coldstart import ThemeProfile
from qualcode.nlp.passages import Passage, PassageFeatures
from qualcode.nlp.suggester import ThemeSuggester, build_corpus

THEMES = [ThemeProfile("A", "Parking"), ThemeProfile("B", "Pay")]
WORDS = {
    0: ["car park", "permit", "spaces", "parking"],
    1: ["salary", "wages", "pay rise", "grading"],
}


def _case(i: int) -> tuple[tuple[str, str], ...]:
    # site: north in cases 0-14, south in 15-29; team: red in cases 0-2 only
    return (("site", "north" if i < 15 else "south"), ("team", "red" if i < 3 else "blue"))


def _study() -> tuple[list[Passage], list[int]]:
    """30 cases of 4 passages; each passage's theme in its words, with the north, the
    south and the red team leaning to one theme or the other."""
    rng = random.Random(0)
    passages, themes = [], []
    for i in range(30):
        for _ in range(4):
            lean = 0 if i < 3 or 15 <= i < 20 else 1
            k = lean if rng.random() < 0.7 else 1 - lean
            text = f"the {rng.choice(WORDS[k])} again, {rng.choice(['honestly', 'as ever'])}"
            passages.append(Passage(text, attributes=_case(i), case=f"c{i}"))
            themes.append(k)
    return passages, themes


def _fitted(coded_cases: int) -> tuple[ThemeSuggester, dict[tuple[str, str], int]]:
    passages, themes = _study()
    corpus = build_corpus(
        [f"s{j}" for j in range(len(passages))], [p.text for p in passages], passages=passages
    )
    examples = [(j, frozenset({k})) for j, k in enumerate(themes) if j < 4 * coded_cases]
    fitted = ThemeSuggester().fit(corpus, THEMES, examples)
    return fitted, corpus.passage_features.attribute_columns()


def test_each_attribute_value_has_its_column() -> None:
    passages, _ = _study()
    features = PassageFeatures().fit(passages)
    columns = features.attribute_columns()
    assert set(columns) == {("site", "north"), ("site", "south"), ("team", "blue"), ("team", "red")}
    X = features.transform(passages[:1] + passages[-1:]).toarray()
    assert X[0, columns[("site", "north")]] > 0
    assert X[0, columns[("team", "red")]] > 0
    assert X[1, columns[("site", "south")]] > 0
    assert X[1, columns[("team", "blue")]] > 0
    assert X[0, columns[("site", "south")]] == 0
    assert max(columns.values()) < X.shape[1]


def test_a_value_coded_in_few_cases_is_not_learned_from() -> None:
    # Cases 0-19 coded: north in 15 of them, blue in 17, south in 5, red in 3.
    fitted, columns = _fitted(coded_cases=20)
    coef = fitted.model_.coef_
    assert not coef[:, columns[("site", "south")]].any()
    assert not coef[:, columns[("team", "red")]].any()
    assert coef[:, columns[("site", "north")]].any()
    assert coef[:, columns[("team", "blue")]].any()


def test_every_value_is_learned_from_once_coded_in_enough_cases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(suggester, "MIN_ATTRIBUTE_CASES", 3)
    fitted, columns = _fitted(coded_cases=20)
    for pair in columns.values():
        assert fitted.model_.coef_[:, pair].any()
