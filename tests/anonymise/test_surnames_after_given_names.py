"""A first name's surname is found with it however common it is as a word: "Sandra
Pilling", "Fiona Bright" and "Graham Pellow" were found as "Sandra", "Fiona" and
"Graham", so every anonymised export read "[Person 16] Pilling", and two Sandras in
two interviews shared one placeholder. The pronoun "I" is never a name ("Dr I", with
2,581 "I"s as its variant, would have replaced every "I" in the study)."""

from __future__ import annotations

from qualcode.anonymise.finder import NameFinder

TEXTS = [
    "Our head of HR, Sandra Pilling, did exit interviews with everybody who left.",
    "One of our service managers, Fiona Bright, runs a group consultation.",
    "Above me there's the chief executive, Graham Pellow, and a board of trustees.",
    "Our admin lead, Sandra Liddle, keeps the rota.",
    "I asked the Dr I think, and I said so. The work was bright and the pilling bad.",
]


def test_a_surname_after_a_first_name_is_part_of_the_name() -> None:
    found = {f.original: f for f in NameFinder().find(TEXTS)}
    for name in ("Sandra Pilling", "Fiona Bright", "Graham Pellow", "Sandra Liddle"):
        assert name in found, sorted(found)
        assert found[name].kind == "person"
    assert found["Sandra Pilling"].group != found["Sandra Liddle"].group  # two people


def test_the_pronoun_i_is_never_a_name() -> None:
    found = {f.original for f in NameFinder().find(TEXTS)}
    assert not any(name == "I" or name.endswith(" I") for name in found), sorted(found)
