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


def test_a_new_themes_suggested_id_follows_numbers_not_names() -> None:
    from qualcode.domain.framework import FrameworkTree, next_id
    from qualcode.domain.model import Theme

    def tree(*ids: tuple[str, str | None]) -> FrameworkTree:
        return FrameworkTree.build([Theme(i, i.title(), parent=p) for i, p in ids])

    numbered = tree(("1", None), ("1.1", "1"), ("1.4", "1"), ("2", None))
    assert next_id(numbered, "1") == "1.5"
    assert next_id(numbered, None) == "3"
    assert next_id(numbered, "2") == "2.1"
    named = tree(("querying", None), ("navigation", None), ("query-clear", "querying"))
    assert next_id(named, None) == ""  # not "querying1"
    assert next_id(named, "querying") == ""
    assert next_id(named, "navigation") == "navigation.1"
    # walk49c: ids taken elsewhere in the tree (Discover's D1, D2 under any parent; a
    # theme moved keeps its id) were proposed, then refused as already used
    adopted = tree(("D1", None), ("D2", "D1"), ("U", None), ("D3", "U"), ("U.1", "D1"))
    assert next_id(adopted, None) == "D4"
    assert next_id(adopted, "U") == "U.2"  # D3 moved in is not U's numbering; U.1 is taken
    assert next_id(adopted, "D1") == "D1.1"
