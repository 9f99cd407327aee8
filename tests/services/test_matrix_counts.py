"""`qualcode matrix` counts, checked against numbers computed by hand from what was coded."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.domain.wording import proportion_wording
from qualcode.services import codings, matrix
from tests.analysis.conftest import Coded, CodedDemo, Small, respondent_segments, sample_attributes

SECTORS = ["CSD", "DASS", "Joint", "PVI"]


def raised(coded: Iterable[Coded], theme: str) -> set[str]:
    """Cases with a coding of ``theme`` or of a sub-theme (ids like "S1" / "S1.1")."""
    return {c.case for c in coded if c.theme == theme or c.theme.startswith(theme + ".")}


def counted_over(theme: str, attrs: dict[str, dict[str, str]]) -> set[str]:
    """The cases a theme of the sample is counted over: its frameworks/*.yaml say the
    interview framework applies to transcripts, the survey one (ids "S...") to survey
    answers - so interviewees, or respondents (every respondent answered something)."""
    interviews = {c for c in attrs if c.startswith("int")}
    return set(attrs) - interviews if theme.startswith("S") else interviews


def run_json(demo: CodedDemo, *args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["--study", str(demo.path), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_matrix_by_sector_json_counts_are_exact(coded_demo: CodedDemo) -> None:
    attrs = sample_attributes()
    rows = run_json(coded_demo, "matrix", "--by", "sector")
    assert rows, "no rows"
    assert set(rows[0]) == {"theme", "group", "cases", "total", "wording"}
    seen = {(r["theme"], r["group"]) for r in rows}
    for theme in ("1", "1.3", "1.1", "2", "2.3", "4.3", "S1", "S1.1", "S1.3", "S5", "S9.1", "7"):
        for sector in SECTORS:
            assert (theme, sector) in seen
    by_key = {(r["theme"], r["group"]): r for r in rows}
    checked = 0
    for (theme, group), row in by_key.items():
        # over the cases its framework applies to: "1 of 6" directors, not "1 of 214"
        members = {c for c, a in attrs.items() if a.get("sector") == group} & counted_over(
            str(theme), attrs
        )
        expected = len(raised(coded_demo.coded, str(theme)) & members)
        assert row["cases"] == expected, (theme, group)
        assert row["total"] == len(members)
        assert row["wording"] == proportion_wording(expected, len(members))
        checked += expected > 0
    assert checked > 20  # the rules really coded something in most places


@pytest.mark.slow
def test_kind_restricts_the_universe_to_interviews_or_respondents(coded_demo: CodedDemo) -> None:
    attrs = sample_attributes()
    interviews = {c for c in attrs if c.startswith("int")}
    rows = run_json(
        coded_demo,
        "matrix",
        "--by",
        "sector",
        "--kind",
        "transcript",
        "--theme",
        "1",
        "--theme",
        "2.3",
    )
    assert len(rows) == 2 * len(SECTORS)
    for row in rows:
        members = {c for c in interviews if attrs[c]["sector"] == row["group"]}
        assert row["total"] == len(members)
        assert row["cases"] == len(raised(coded_demo.coded, str(row["theme"])) & members)
    survey = run_json(coded_demo, "matrix", "--kind", "survey", "--theme", "S1")
    assert survey == [
        {
            "theme": "S1",
            "group": None,
            "cases": len(raised(coded_demo.coded, "S1")),
            "total": len(attrs) - len(interviews),
            "wording": proportion_wording(
                len(raised(coded_demo.coded, "S1")), len(attrs) - len(interviews)
            ),
        }
    ]


def test_without_by_there_is_one_group_over_all_cases(coded_demo: CodedDemo) -> None:
    rows = run_json(coded_demo, "matrix", "--theme", "1.3")
    total = len(counted_over("1.3", sample_attributes()))  # the interviewees
    n = len(raised(coded_demo.coded, "1.3"))
    assert rows == [
        {
            "theme": "1.3",
            "group": None,
            "cases": n,
            "total": total,
            "wording": proportion_wording(n, total),
        }
    ]


@pytest.mark.slow
def test_cases_without_the_attribute_form_a_null_group(coded_demo: CodedDemo) -> None:
    attrs = sample_attributes()
    rows = run_json(
        coded_demo, "matrix", "--by", "authority_type", "--kind", "transcript", "--theme", "1"
    )
    groups = [r["group"] for r in rows]
    assert groups[-1] is None  # the PVI cases have no authority type
    assert rows[-1]["total"] == sum(
        1 for c, a in attrs.items() if c.startswith("int") and "authority_type" not in a
    )
    assert sum(int(r["total"]) for r in rows) == 16


def test_a_question_narrows_to_its_respondents(coded_demo: CodedDemo) -> None:
    answered = {c.case for c in coded_demo.coded if c.segment.split("/")[-1].startswith("q_cease")}
    rows = matrix.rank(coded_demo.study, question="q_cease")
    assert [r.theme for r in rows][:2]
    assert {r.theme for r in rows} <= {"S5", "S5.1", "S9", "S9.1"}
    for r in rows:
        assert r.cases == len(
            raised(
                [c for c in coded_demo.coded if c.case in answered and "q_cease" in c.segment],
                r.theme,
            )
        )
    assert [r.cases for r in rows] == sorted((r.cases for r in rows), reverse=True)


def test_compare_two_sectors(coded_demo: CodedDemo) -> None:
    attrs = sample_attributes()
    out = run_json(
        coded_demo,
        "matrix",
        "compare",
        "--by",
        "sector",
        "CSD",
        "DASS",
        "--kind",
        "transcript",
        "--theme",
        "1.3",
    )
    assert len(out) == 1
    row = out[0]
    csd = {c for c, a in attrs.items() if c.startswith("int") and a["sector"] == "CSD"}
    dass = {c for c, a in attrs.items() if c.startswith("int") and a["sector"] == "DASS"}
    n_a = len(raised(coded_demo.coded, "1.3") & csd)
    n_b = len(raised(coded_demo.coded, "1.3") & dass)
    assert row["a"]["cases"] == n_a
    assert row["a"]["total"] == len(csd)
    assert row["b"]["cases"] == n_b
    assert row["b"]["total"] == len(dass)
    assert row["difference"] == round(100 * n_a / len(csd) - 100 * n_b / len(dass), 1)
    assert row["label"] == "Agency staff"


@pytest.mark.slow
def test_bad_requests_exit_2_with_one_error_line(coded_demo: CodedDemo) -> None:
    runner = CliRunner()
    for args, needle in [
        (["matrix", "--by", "sectr"], "unknown case attribute 'sectr'"),
        (["matrix", "--theme", "99"], "no theme '99'"),
        (["matrix", "compare", "--by", "sector", "CSD", "Nope"], "no cases with sector = 'Nope'"),
        (["matrix", "--question", "q_nope"], "no survey question 'q_nope'"),
    ]:
        result = runner.invoke(cli, ["--study", str(coded_demo.path), *args])
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error:")
        assert needle in result.stderr
        assert result.stderr.count("\n") == 1


@pytest.mark.slow_postgresql
def test_counts_on_each_database(small: Small) -> None:
    study = small.study
    c1 = respondent_segments(study, "c1")
    c4 = respondent_segments(study, "c4")
    c6 = respondent_segments(study, "c6")
    codings.code_segment(study, c1[0], "A.1")
    codings.code_segment(study, c1[1], "A.2")  # the same case twice under A: counts once
    codings.code_segment(study, c4[0], "A")
    codings.code_segment(study, c6[1], "B")
    codings.code_segment(study, c6[1], "B", coder="bob")  # double coding: still one case
    got = {
        (r.theme, r.group): (r.cases, r.total, r.wording)
        for r in matrix.counts(study, by=["sector"])
    }
    assert got[("A", "CSD")] == (1, 3, "only one")
    assert got[("A", "DASS")] == (1, 2, "only one")
    assert got[("A", "PVI")] == (0, 1, "none")
    assert got[("A.1", "CSD")] == (1, 3, "only one")
    assert got[("A.1", "DASS")] == (0, 2, "none")
    assert got[("B", "PVI")] == (1, 1, "all")
    assert [r.theme for r in matrix.counts(study)] == ["A", "A.1", "A.2", "B"]


@pytest.mark.slow_postgresql
@pytest.mark.parametrize("kind", ["transcript", "survey"])
def test_a_kind_without_cases_gives_empty_totals(small: Small, kind: str) -> None:
    rows = matrix.counts(small.study, themes=["A"], kind=kind)
    expected = 6 if kind == "transcript" else 0
    assert [(r.cases, r.total) for r in rows] == [(0, expected)]


def test_the_text_table_never_cuts_two_groups_to_the_same_words(coded_demo: CodedDemo) -> None:
    """`matrix --by A --by B` cut "Public health agency / high" and "... / low" to
    "Public health agenc…", so two rows read the same."""
    result = CliRunner().invoke(
        cli, ["--study", str(coded_demo.path), "matrix", "--by", "authority_type", "--by",
              "sector", "--theme", "1.3", "--kind", "transcript"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    groups = {r["group"] for r in run_json(
        coded_demo, "matrix", "--by", "authority_type", "--by", "sector", "--theme", "1.3",
        "--kind", "transcript",
    ) if r["group"]}  # fmt: skip
    assert any(len(g) > 20 for g in groups)  # longer than the old column
    for group in groups:
        assert group in result.stdout


def test_a_long_two_attribute_group_is_cut_value_by_value() -> None:
    """Cut whole at 48, "Dublin / Local authority ... north region" and "... south
    region" printed alike."""
    from qualcode.cli.common import column

    north = column("Dublin / Local authority childrens services department north region", 48)
    south = column("Dublin / Local authority childrens services department south region", 48)
    assert north != south
    assert north.startswith("Dublin / Local authority")
    assert len(north) == len(south) == 48
