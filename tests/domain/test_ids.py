"""Naming a case attribute as a user types it."""

from __future__ import annotations

import pytest

from qualcode.domain.ids import attribute_named


def test_an_attribute_is_named_by_its_key_its_header_or_its_keys_first_words() -> None:
    known = ["sector", "which_team_are_you_in", "which_team_were_you_in_before"]
    assert attribute_named("sector", known) == "sector"
    assert attribute_named("Sector", known) == "sector"
    assert attribute_named("Which team are you in?", known) == "which_team_are_you_in"
    assert attribute_named("which team were", known) == "which_team_were_you_in_before"
    # only whole words: "sec" is not "sector"
    assert attribute_named("sec", known) == "sec"
    assert attribute_named("???", known) == "???"
    with pytest.raises(ValueError, match="which_team_are_you_in, which_team_were_you_in_before"):
        attribute_named("Which team", known)
