"""Co-occurrence, associations and typologies on small hand-made inputs (no database):
every expected number below is counted by hand in the comments."""

from __future__ import annotations

import random

import pytest
from scipy.stats import fisher_exact as scipy_fisher

from qualcode.analysis.associations import associate, by_strength, with_fdr
from qualcode.analysis.cooccurrence import cooccurrence, linked_segments
from qualcode.analysis.typology import build_typology
from qualcode.domain.framework import FrameworkTree
from qualcode.domain.model import Theme

TREE = FrameworkTree.build(
    [Theme("A", "Staffing"), Theme("A.1", "Agency", parent="A"), Theme("B", "Supervision"),
     Theme("C", "Training")]
)  # fmt: skip
# two sources of five 10-character segments each
SEGMENTS = {
    "s1": [(i * 10, i * 10 + 10, f"s1:{i}") for i in range(5)],
    "s2": [(i * 10, i * 10 + 10, f"s2:{i}") for i in range(5)],
}
SPANS = [
    ("c1", "s1", 0, 10, "A.1"),  # s1:0 (counts for A)
    ("c1", "s1", 2, 8, "B"),  # s1:0 too: overlaps the A.1 coding
    ("c1", "s1", 30, 40, "C"),  # s1:3
    ("c1", "s1", 40, 50, "B"),  # s1:4, next to C
    ("c2", "s2", 0, 10, "B"),  # s2:0
    ("c2", "s2", 40, 50, "A"),  # s2:4, far from B in s2
    ("c3", "s2", 15, 25, "C"),  # spans s2:1 and s2:2 (c3 is outside the universe below)
]


C12 = ["c1", "c2"]


def pair(table, a, b):  # type: ignore[no-untyped-def]
    return table.pair(a, b)


def test_cooccurrence_counts_and_jaccard_by_hand() -> None:
    table = cooccurrence(["c1", "c2"], SPANS, SEGMENTS, TREE, ["A", "B", "C"], within=0)
    # cases: A {c1, c2}, B {c1, c2}, C {c1}
    assert table.theme_cases == {"A": 2, "B": 2, "C": 1}
    # segments: A {s1:0, s2:4}, B {s1:0, s1:4, s2:0}, C {s1:3} (c3's span is left out)
    assert table.theme_passages == {"A": 2, "B": 3, "C": 1}
    ab = pair(table, "A", "B")
    assert (ab.cases, ab.case_jaccard) == (2, 1.0)
    assert (ab.passages, ab.passage_jaccard) == (
        1,
        round(1 / 4, 4),
    )  # s1:0 of {s1:0,s1:4,s2:0,s2:4}
    bc = pair(table, "B", "C")
    assert (bc.cases, bc.case_jaccard, bc.passages) == (1, 0.5, 0)
    assert pair(table, "A", "A").passage_jaccard == 1.0


def test_within_n_segments_reaches_neighbours_but_never_another_source() -> None:
    table = cooccurrence(["c1", "c2"], SPANS, SEGMENTS, TREE, ["A", "B", "C"], within=1)
    bc = pair(table, "B", "C")
    # B at s1:4 and C at s1:3 are neighbours: both segments count; union {s1:0,s1:3,s1:4,s2:0}
    assert (bc.passages, bc.passage_jaccard) == (2, 0.5)
    assert linked_segments(C12, SPANS, SEGMENTS, TREE, "B", "C", within=1) == ["s1:3", "s1:4"]
    assert linked_segments(C12, SPANS, SEGMENTS, TREE, "B", "C", within=0) == []
    # A at s2:4 and B at s2:0 are four apart; s1:4 (B) and s2:0 (B) never reach across
    far = cooccurrence(["c1", "c2"], SPANS, SEGMENTS, TREE, ["A", "B"], within=3)
    assert pair(far, "A", "B").passages == 1  # only s1:0, shared by both themes
    assert linked_segments(C12, SPANS, SEGMENTS, TREE, "A", "B", within=4) == [
        "s1:0", "s1:4", "s2:0", "s2:4",
    ]  # fmt: skip
    # s1 and s2 follow each other, but s1:4 (B) never reaches s2:0 (A is not there)
    only = [("c1", "s1", 40, 50, "B"), ("c2", "s2", 0, 10, "A")]
    assert linked_segments(C12, only, SEGMENTS, TREE, "A", "B", within=3) == []
    assert pair(cooccurrence(C12, only, SEGMENTS, TREE, ["A", "B"], 3), "A", "B").passages == 0


def test_a_span_over_two_segments_is_on_both() -> None:
    table = cooccurrence(["c3"], SPANS, SEGMENTS, TREE, ["C"])
    assert table.theme_passages == {"C": 2}


def test_associate_a_yes_no_profile_by_group() -> None:
    groups = {f"a{i}": "adult services" for i in range(23)}
    groups |= {f"c{i}": "children's services" for i in range(27)}
    groups["x"] = None  # no value: left out and counted
    profile = {
        c: (c.startswith("a") and int(c[1:]) < 4) or (c.startswith("c") and int(c[1:]) < 14)
        for c in groups
    }
    found = associate(
        profile, groups, subject="R", label="Recruitment", attribute="sector",
        what={True: "reported recruitment problems"},
    )  # fmt: skip
    assert [(g.group, g.counts, g.total) for g in found.groups] == [
        ("adult services", (4, 19), 23),
        ("children's services", (14, 13), 27),
    ]
    assert found.left_out == 1
    assert found.p_value == float(scipy_fisher([[4, 19], [14, 13]]).pvalue)
    assert found.difference == round(100 * (14 / 27 - 4 / 23), 1)
    assert found.sentence == (
        "Fewer cases in adult services (4 of 23) than in children's services (14 of 27) "
        "reported recruitment problems."
    )
    assert found.groups[0].wording == "a small minority"
    assert found.groups[1].wording == "just over half"


def test_a_categorical_profile_focuses_on_the_value_that_differs_most() -> None:
    groups = {f"g{i}": ("CSD" if i < 6 else "DASS") for i in range(12)}
    views = ["positive"] * 5 + ["mixed"] + ["mixed"] * 4 + ["negative"] * 2
    found = associate(dict(zip(groups, views, strict=True)), groups, subject="stance",
                      label="Stance", attribute="sector")  # fmt: skip
    assert found.values == ("mixed", "negative", "positive")
    assert found.values[found.focus] == "positive"  # 5 of 6 against 0 of 6
    assert found.test.startswith("Fisher-Freeman-Halton exact test (2x3")
    assert found.sentence == "Fewer cases in DASS (0 of 6) than in CSD (5 of 6) were positive."
    assert found.caveat.startswith("Small numbers: 12 cases in 2 groups")


def test_fdr_across_a_sweep_and_ordering_by_strength() -> None:
    groups = {f"k{i}": ("A" if i < 10 else "B") for i in range(20)}
    made = [
        associate(
            {c: int(c[1:]) < n for c in groups}, groups, subject=f"T{n}", label="t", attribute="g"
        )  # fmt: skip
        for n in (10, 3, 12)
    ]
    swept = with_fdr(made, 0.05)
    ps = [a.p_value for a in made]
    m = len(ps)
    ranked = sorted(ps)
    for a in swept:
        rank = ranked.index(a.p_value) + 1
        assert a.q_value is not None
        assert a.q_value >= a.p_value
        assert a.q_value <= min(1.0, a.p_value * m / rank) + 1e-12
        assert a.passes == (a.q_value <= 0.05)
    assert swept[0].passes is True  # 10 of 10 against 0 of 10
    assert [a.subject for a in by_strength(swept)][0] == "T10"


def _profiles() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for i in range(6):
        out[f"p{i}"] = {"A", "B"} | ({"C"} if i == 0 else set())
    for i in range(5):
        out[f"n{i}"] = {"D", "E"}
    for i in range(3):
        out[f"z{i}"] = set()
    return out


def test_typology_finds_the_planted_types_and_their_themes() -> None:
    t = build_typology(_profiles(), ["A", "B", "C", "D", "E"], 3)
    assert [len(x.members) for x in t.types] == [6, 5, 3]
    assert t.types[0].members[0] == "p0"
    assert t.types[1].members[0] == "n0"
    assert [d[0] for d in t.types[0].defining] == ["A", "B"]
    assert t.types[0].defining[0][1:] == (1.0, 0.0)
    assert t.types[2].defining == ()  # the cases that raised nothing
    assert "Jaccard" in t.method
    assert "average-linkage" in t.method
    assert [x.name for x in t.types] == ["Type 1", "Type 2", "Type 3"]


def test_typology_is_identical_across_runs_and_input_orders() -> None:
    profiles = _profiles()
    rng = random.Random(7)
    for _ in range(5):
        noisy = {c: set(ts) | ({rng.choice("ABCDE")} if rng.random() < 0.3 else set())
                 for c, ts in profiles.items()}  # fmt: skip
        first = build_typology(noisy, ["A", "B", "C", "D", "E"], 3)
        shuffled = dict(rng.sample(list(noisy.items()), len(noisy)))
        assert build_typology(shuffled, ["A", "B", "C", "D", "E"], 3) == first
        assert build_typology(noisy, ["A", "B", "C", "D", "E"], 3) == first


def test_a_typology_needs_at_least_one_type() -> None:
    with pytest.raises(ValueError, match="at least one type"):
        build_typology(_profiles(), ["A"], 0)
