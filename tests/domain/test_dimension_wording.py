"""The dimension breakdown sentence at its boundaries: all, none, one, ties, majority,
minority - and the declaration checks with their "did you mean"."""

from __future__ import annotations

import pytest

from qualcode.domain.dimension_wording import (
    breakdown_sentence,
    dimension_count,
    leading_phrase,
)
from qualcode.domain.dimensions import (
    Dimension,
    DimensionProblem,
    check_value,
    find_dimension,
    parse_declaration,
    theme_dimensions,
)

STANCE = ("very positive", "mixed", "negative")


def say(counts: dict[str, int], group: str | None = "CSD") -> str:
    return breakdown_sentence(list(counts.items()), "stance", "interviewees", group)


def test_the_issue_s_example_the_largest_group() -> None:
    text = say({"very positive": 7, "mixed": 11, "negative": 5})
    assert text == (
        "Of the 23 CSD interviewees with a recorded stance, the largest group (11 of 23) "
        "were mixed, about a third (7 of 23) were very positive and about one in four "
        "(5 of 23) were negative."
    )


def test_none_recorded() -> None:
    assert say({"very positive": 0, "mixed": 0, "negative": 0}) == (
        "No CSD interviewees have a recorded stance."
    )
    assert breakdown_sentence([], "stance") == "No cases have a recorded stance."


def test_one_case() -> None:
    assert say({"very positive": 0, "mixed": 1, "negative": 0}) == (
        "The only CSD interviewee with a recorded stance was mixed (1 of 1)."
    )
    assert breakdown_sentence([("a", 1)], "stance", "cases") == (
        "The only case with a recorded stance was a (1 of 1)."
    )


def test_all_share_one_value() -> None:
    assert say({"very positive": 0, "mixed": 5, "negative": 0}) == (
        "All 5 CSD interviewees with a recorded stance were mixed."
    )
    assert say({"mixed": 2, "negative": 0}) == (
        "Both CSD interviewees with a recorded stance were mixed."
    )


def test_majority_and_only_one_and_none() -> None:
    assert say({"very positive": 15, "mixed": 7, "negative": 1, "other": 0}, None) == (
        "Of the 23 interviewees with a recorded stance, the majority (15 of 23) were very "
        "positive, about a third (7 of 23) were mixed and only one (1 of 23) was negative; "
        "none were other."
    )


def test_all_but_one_and_just_over_half_lead() -> None:
    assert say({"mixed": 8, "negative": 1}).startswith(
        "Of the 9 CSD interviewees with a recorded stance, all but one (8 of 9) were mixed"
    )
    assert "just over half (6 of 11) were mixed" in say({"mixed": 6, "negative": 5})
    assert "half (5 of 10) were mixed" in say({"mixed": 5, "negative": 3, "x": 2})


def test_ties_for_the_most_share_one_clause() -> None:
    text = say({"very positive": 2, "mixed": 6, "negative": 6, "x": 0})
    assert text == (
        "Of the 14 CSD interviewees with a recorded stance, equal numbers (6 of 14 each) "
        "were mixed and negative, and a small minority (2 of 14) were very positive; "
        "none were x."
    )
    assert say({"a": 1, "b": 1, "c": 1}) == (
        "Of the 3 CSD interviewees with a recorded stance, equal numbers (1 of 3 each) "
        "were a, b and c."
    )


def test_small_minority_boundary() -> None:
    # 4 of 21 is under a fifth; 5 of 25 is exactly a fifth (one in four band)
    assert "a small minority (4 of 21) were negative" in say({"mixed": 17, "negative": 4})
    assert "about one in four (5 of 25) were negative" in say({"mixed": 20, "negative": 5})


@pytest.mark.parametrize(
    ("cases", "rated", "phrase"),
    [(11, 23, "the largest group"), (12, 23, "just over half"), (5, 10, "half"),
     (22, 23, "all but one"), (3, 9, "the largest group")],
)  # fmt: skip
def test_leading_phrase(cases: int, rated: int, phrase: str) -> None:
    assert leading_phrase(cases, rated) == phrase


def test_negative_counts_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        breakdown_sentence([("a", -1)], "stance")


def test_dimension_count_keeps_declared_order_and_group_total() -> None:
    values = {"int01": "mixed", "int02": "negative", "int03": "mixed", "int99": "mixed"}
    count = dimension_count("2.3", "stance", STANCE, "CSD", ["int01", "int02", "int03", "int04"],
                            values, "interviewees", "CSD")  # fmt: skip
    assert (count.total, count.rated) == (4, 3)  # int99 is outside the group
    assert [(v.value, v.cases) for v in count.values] == [
        ("very positive", 0), ("mixed", 2), ("negative", 1),
    ]  # fmt: skip
    assert count.values[1].wording == "the majority"
    assert count.sentence.startswith("Of the 3 CSD interviewees with a recorded stance,")


def test_a_stored_value_no_longer_declared_comes_last() -> None:
    count = dimension_count("t", "stance", ("a", "b"), None, ["x", "y"], {"x": "old", "y": "a"})
    assert [v.value for v in count.values] == ["a", "b", "old"]


def test_parse_declaration() -> None:
    dims = parse_declaration({"Stance": ["very positive", "mixed", "negative"], "mention":
                              "spontaneous, prompted"})  # fmt: skip
    assert dims == (
        Dimension("stance", STANCE),
        Dimension("mention", ("spontaneous", "prompted")),
    )
    assert [d.name for d in theme_dimensions(dims)] == ["stance", "mention", "standing"]
    assert parse_declaration(None) == ()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (["stance"], "must be a mapping"),
        ({"stance": ["only"]}, "at least two"),
        ({"stance": ["a", "A"]}, "twice"),
        ({"stance": {"a": 1}}, "list of values"),
        ({"standing": ["a", "b"]}, "built in"),
        ({" ": ["a", "b"]}, "needs a name"),
        ({"x" * 201: ["a", "b"]}, "at most 200"),
        ({"stance": ["a", "b" * 501]}, "over 500"),
    ],
)
def test_parse_declaration_refuses(raw: object, message: str) -> None:
    with pytest.raises(DimensionProblem, match=message):
        parse_declaration(raw)


def test_did_you_mean() -> None:
    dims = theme_dimensions((Dimension("stance", STANCE),))
    assert find_dimension(dims, "Stance", "2.3").name == "stance"
    with pytest.raises(DimensionProblem, match="did you mean 'stance'"):
        find_dimension(dims, "stanse", "2.3")
    assert check_value(dims[0], "Very  Positive") == "very positive"
    with pytest.raises(DimensionProblem, match="did you mean 'very positive'"):
        check_value(dims[0], "very postive")
    with pytest.raises(DimensionProblem, match=r"values: very positive, mixed, negative\)$"):
        check_value(dims[0], "zzz")


def test_conflicting_values_count_once_in_the_base_and_under_each_value() -> None:
    values = {"a": ("mixed", "negative"), "b": "mixed", "c": ("negative",), "d": ()}
    count = dimension_count("2.3", "stance", STANCE, "CSD", ["a", "b", "c", "d"], values,
                            "interviewees", "CSD")  # fmt: skip
    assert (count.total, count.rated, count.conflicting) == (4, 3, 1)  # "d" has none
    assert [(v.value, v.cases) for v in count.values] == [
        ("very positive", 0), ("mixed", 2), ("negative", 2),
    ]  # fmt: skip
    assert count.sentence == (
        "Of the 3 CSD interviewees with a recorded stance, equal numbers (2 of 3 each) were "
        "mixed and negative; none were very positive (1 interviewee with conflicting values "
        "is counted under each)."
    )
    alone = dimension_count("2.3", "stance", STANCE, None, ["a"], values, "interviewees")
    assert (alone.rated, alone.conflicting) == (1, 1)
    assert alone.sentence == (
        "The only interviewee with a recorded stance was counted under each of its "
        "conflicting values, mixed and negative (1 of 1)."
    )
    two = breakdown_sentence([("a", 2), ("b", 1)], "stance", rated=2, conflicting=1)
    assert two == (
        "Of the 2 cases with a recorded stance, all (2 of 2) were a and only one "
        "(1 of 2) was b (1 case with conflicting values is counted under each)."
    )
    # without conflicts an explicit rated changes nothing
    assert breakdown_sentence([("a", 2)], "stance", rated=2) == breakdown_sentence(
        [("a", 2)], "stance"
    )
    with pytest.raises(ValueError, match="negative"):
        breakdown_sentence([("a", 1)], "stance", conflicting=-1)
