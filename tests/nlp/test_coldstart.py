"""Cold-start scores from the framework's own words."""

from __future__ import annotations

from qualcode.nlp.coldstart import KeywordSuggester, ThemeProfile
from qualcode.nlp.features import TextFeatures
from qualcode.nlp.normalise import analyse

PASSAGES = [
    "I've got about an hour, maybe a bit less.",
    "We have struggled with vacancies all year.",
    "The duty rota is a nightmare.",
    "Advertising brings in nobody.",
    "Nobody wants to work late.",
]


def hour_score(keyword: str) -> float:
    themes = [
        ThemeProfile("2.1", "Duty arrangements", keywords=(keyword, "duty rota")),
        ThemeProfile("3.1", "Recruitment", keywords=("vacancies", "advertising")),
    ]
    docs = [analyse(p) for p in PASSAGES]
    features = TextFeatures(char_ngrams=None).fit([d.joined for d in docs])
    cold = KeywordSuggester().fit(themes, features)
    score, matches = cold.score(docs, features.word_matrix([d.joined for d in docs]))
    assert 0 in matches[0]  # the keyword is found in the first passage either way
    return float(score[0, 0])


def test_a_phrase_reduced_to_one_common_word_is_weak_evidence() -> None:
    """ "out of hours" normalises to the one word "hour": a passage that only mentions
    an hour must score lower than if the framework's keyword were the word itself."""
    assert analyse("out of hours").tokens == analyse("hours").tokens
    assert hour_score("out of hours") < 0.8 * hour_score("hours")
