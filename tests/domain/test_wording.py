"""Report wording for n of N: every rule at its boundaries."""

from __future__ import annotations

import pytest

from qualcode.domain.wording import PHRASES, first_few, proportion_wording, sentence


@pytest.mark.parametrize(
    ("cases", "total", "phrase"),
    [
        # none / all
        (0, 0, "none"),
        (0, 1, "none"),
        (0, 16, "none"),
        (1, 1, "all"),
        (2, 2, "all"),
        (16, 16, "all"),
        # only one wins over every proportion (1 of 2 is "only one", not "half")
        (1, 2, "only one"),
        (1, 3, "only one"),
        (1, 4, "only one"),
        (1, 100, "only one"),
        # all but one needs a group of four or more
        (2, 3, "the majority"),
        (3, 4, "all but one"),
        (15, 16, "all but one"),
        (479, 480, "all but one"),
        # all but two needs a group of eight or more
        (4, 6, "the majority"),
        (5, 7, "the majority"),
        (6, 8, "all but two"),
        (14, 16, "all but two"),
        # a small minority: under one in five
        (2, 11, "a small minority"),
        (3, 16, "a small minority"),
        (19, 100, "a small minority"),
        (5, 100, "a small minority"),
        # very few: under one in twenty (a survey's groups)
        (4, 100, "very few"),
        (2, 2696, "very few"),
        # about one in four: from 1/5 up to (not including) 3/10
        (20, 100, "about one in four"),
        (2, 10, "about one in four"),
        (4, 16, "about one in four"),
        (29, 100, "about one in four"),
        # about a third: from 3/10 up to (not including) 2/5
        (30, 100, "about a third"),
        (3, 10, "about a third"),
        (2, 6, "about a third"),
        (5, 16, "about a third"),
        (39, 100, "about a third"),
        # just under half: from 2/5 up to (not including) 1/2
        (40, 100, "just under half"),
        (2, 5, "just under half"),
        (7, 16, "just under half"),
        (49, 100, "just under half"),
        # half exactly
        (2, 4, "half"),
        (3, 6, "half"),
        (8, 16, "half"),
        # just over half: above 1/2 up to and including 3/5
        (51, 100, "just over half"),
        (3, 5, "just over half"),
        (9, 16, "just over half"),
        (60, 100, "just over half"),
        # the majority: above 3/5 (when not "all but one/two")
        (61, 100, "the majority"),
        (10, 16, "the majority"),
        (13, 16, "the majority"),
        (97, 100, "the majority"),
        (98, 100, "all but two"),
    ],
)
def test_wording_at_its_boundaries(cases: int, total: int, phrase: str) -> None:
    assert proportion_wording(cases, total) == phrase


def test_wording_never_goes_down_as_more_cases_raise_a_theme() -> None:
    rank = {p: i for i, p in enumerate(PHRASES)}
    for total in range(1, 121):
        phrases = [proportion_wording(n, total) for n in range(total + 1)]
        ranks = [rank[p] for p in phrases]
        assert ranks == sorted(ranks), (total, phrases)
        assert phrases[0] == "none"
        assert phrases[-1] == "all"


@pytest.mark.parametrize(("cases", "total"), [(-1, 4), (5, 4), (0, -1)])
def test_impossible_counts_are_refused(cases: int, total: int) -> None:
    with pytest.raises(ValueError, match="cases|negative"):
        proportion_wording(cases, total)


def test_a_report_sentence_names_the_group_and_the_numbers() -> None:
    assert sentence(9, 16, "interviewees", "CSD") == (
        "Just over half of the CSD interviewees (9 of 16)"
    )
    assert sentence(0, 6) == "None of the cases (0 of 6)"
    assert sentence(1, 6, "respondents") == "Only one of the respondents (1 of 6)"


def test_counted_nouns_are_singular_for_one_only() -> None:
    from qualcode.domain.wording import counted, plural

    assert counted(1, "passage") == "1 passage"
    assert counted(0, "passage") == "0 passages"
    assert counted(2, "source") == "2 sources"
    assert counted(1, "summary") == "1 summary"
    assert counted(3, "summary") == "3 summaries"
    assert counted(2, "day") == "2 days"
    assert counted(2, "match") == "2 matches"
    assert counted(1200, "hit", grouped=True) == "1,200 hits"
    assert counted(2, "new case") == "2 new cases"
    assert plural(2, "person", "people") == "people"
    assert plural(1, "person", "people") == "person"


def test_did_you_mean_offers_close_ids_and_labels() -> None:
    from qualcode.domain.wording import did_you_mean

    labels = {"1": "Staffing", "1.1": "Vacancies", "1.3": "Agency staff", "2.3": "Supervision"}
    assert did_you_mean("13", labels).startswith("; did you mean 1.3 (Agency staff)")
    assert "1.3 (Agency staff)" in did_you_mean("agency", labels)
    assert "2.3 (Supervision)" in did_you_mean("supervison", labels)
    assert did_you_mean("zzzz", labels) == ""


def test_first_few_says_there_are_more() -> None:
    assert first_few(["a", "b"], 3) == "a, b"
    assert first_few(["a", "b", "c", "d"], 2) == "a, b, ..."
    assert first_few(["x", "y", "z"], 1, "; ", say_rest=True) == "x; and 2 more"
