"""Co-occurrence, associations and typologies through the services (SQLite and
PostgreSQL) and the CLI (the coded sample study), checked against what was coded."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from qualcode.cli import cli
from qualcode.services import codings, importing, mapping, matrix, queries, typology, undo_log
from qualcode.services.study import Study
from tests.analysis.conftest import CodedDemo, Small, respondent_segments


def run(demo: CodedDemo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--study", str(demo.path), "--coder", "alice", *args])


def undo_last(study: Study) -> None:
    batch = undo_log.last_action(study, study.coder)
    assert batch is not None
    undo_log.revert(study, batch)


def code_small(small: Small) -> None:
    study = small.study
    for case in ("c1", "c2", "c3"):  # CSD: staffing and supervision in the same turn
        first = respondent_segments(study, case)[0]
        codings.code_segment(study, first, "A.1")
        codings.code_segment(study, first, "B")
    c4 = respondent_segments(study, "c4")
    codings.code_segment(study, c4[0], "A.2")  # DASS: staffing, supervision a turn later
    codings.code_segment(study, c4[1], "B")
    codings.code_segment(study, respondent_segments(study, "c6")[1], "B", coder="bob")


def test_cooccurrence_and_drill_down_on_each_database(small: Small) -> None:
    code_small(small)
    table = mapping.cooccurrence(small.study)
    assert table.themes == ("A.1", "A.2", "B")  # themes with codings of their own
    ab = table.pair("A.1", "B")
    assert (ab.cases, ab.case_jaccard, ab.passages, ab.passage_jaccard) == (3, 0.6, 3, 0.6)
    a2b = table.pair("A.2", "B")
    assert (a2b.cases, a2b.passages) == (1, 0)
    # respondent turns are two segments apart (an interviewer turn between)
    near = mapping.cooccurrence(small.study, themes=["A", "B"], within=2).pair("A", "B")
    assert (near.cases, near.passages) == (4, 5)  # c1-c3: 1 segment each; c4: both turns
    passages = mapping.cooccurrence_passages(small.study, "A", "B", within=2)
    assert [p.id for p in passages] == [
        respondent_segments(small.study, c)[0] for c in ("c1", "c2", "c3")
    ] + respondent_segments(small.study, "c4")
    assert "agency staff in c1" in passages[0].text


def test_associations_and_typology_on_each_database(small: Small) -> None:
    code_small(small)
    study = small.study
    found = {a.subject: a for a in mapping.associations(study, "sector", fdr=0.1)}
    b = found["B"]
    counts = {r.group: (r.cases, r.total) for r in matrix.counts(study, ["sector"], ["B"])}
    assert {g.group: (g.counts[0], g.total) for g in b.groups} == counts
    assert found["A.1"].sentence == (
        "Fewer interviewees in DASS (0 of 2) than in CSD (3 of 3) raised Agency staff."
    )
    assert all(a.q_value is not None and a.passes is not None for a in found.values())
    # by staffing alone: c6 was coded (supervision only) and raised none of it, a type
    # of its own; c5, coded with nothing yet, has nothing to type and is left out
    by_staffing = typology.build(study, k=2, themes=["A"], record=False)
    assert [t.members for t in by_staffing.types] == [("c1", "c2", "c3", "c4"), ("c6",)]
    assert by_staffing.uncoded == 1
    built = typology.build(study, k=2, themes=["A", "B"])
    assert [t.members for t in built.types] == [
        ("c1", "c2", "c3", "c4"),  # staffing and supervision
        ("c6",),  # raised B only: Jaccard distance 0.5
    ]
    assert built.uncoded == 1  # c5
    assert typology.build(study, k=2, themes=["A", "B"], record=False) == built
    assert typology.current(study) == built  # the count is kept with the build
    typology.name_type(study, 1, "Staffing and supervision")
    assert typology.save(study, "type") == 5
    groups = {r.group: r.total for r in matrix.counts(study, ["type"], ["A"])}
    assert groups == {"Staffing and supervision": 4, "Type 2": 1, None: 1}
    undo_last(study)  # the save
    assert {r.group for r in matrix.counts(study, ["type"], ["A"])} == {None}
    undo_last(study)  # the name
    current = typology.current(study)
    assert current is not None
    assert current.types[0].name == "Type 1"


@pytest.mark.slow  # a matrix command per theme (4 s)
def test_associations_json_matches_the_matrix(coded_demo: CodedDemo) -> None:
    result = run(coded_demo, "associations", "--by", "sector", "--fdr", "0.1", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert {a["subject"] for a in found} == {c.theme for c in coded_demo.coded}
    for a in found:
        kind = a["kind"]
        assert kind in ("transcript", "survey")
        counts = json.loads(
            run(coded_demo, "matrix", "--by", "sector", "--kind", kind, "--theme",
                a["subject"], "--json").stdout
        )  # fmt: skip
        expected = {r["group"]: (r["cases"], r["total"], r["wording"]) for r in counts}
        assert {g["group"]: (g["cases"], g["total"], g["wording"]) for g in a["groups"]} == (
            expected
        )
        assert a["caveat"]
        assert 0 <= a["p_value"] <= 1
        if a["test"].startswith("no test"):
            assert a["q_value"] is None
        else:
            assert a["q_value"] >= a["p_value"]
        if a["sentence"]:
            for g in a["groups"]:
                if f"in {g['group']} (" in a["sentence"]:
                    assert f"in {g['group']} ({g['cases']} of {g['total']})" in a["sentence"]
    p = [a["p_value"] for a in found]
    assert p == sorted(p)  # strongest first


def test_cooccurrence_json_counts_cases_by_hand(coded_demo: CodedDemo) -> None:
    result = run(coded_demo, "cooccurrence", "--within", "1", "--json")
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert table["within"] == 1
    cases: dict[str, set[str]] = {}
    for c in coded_demo.coded:
        cases.setdefault(c.theme, set()).add(c.case)
    assert {t["id"]: t["cases"] for t in table["themes"]} == {t: len(v) for t, v in cases.items()}
    pairs = {(p["a"], p["b"]): p for p in table["pairs"]}
    for a, b in combinations([t["id"] for t in table["themes"]], 2):
        both, either = cases[a] & cases[b], cases[a] | cases[b]
        assert pairs[(a, b)]["cases"] == len(both)
        assert pairs[(a, b)]["case_jaccard"] == round(len(both) / len(either), 4)
    segments: dict[str, set[str]] = {}
    for c in coded_demo.coded:
        segments.setdefault(c.theme, set()).add(c.segment)
    drill = run(coded_demo, "cooccurrence", "--pair", "S1.1", "S1.3", "--json")
    shown = {p["segment"] for p in json.loads(drill.stdout)}
    assert shown == segments["S1.1"] & segments["S1.3"]  # survey answers: one segment each
    assert pairs[("S1.1", "S1.3")]["passages"] == len(shown) > 0
    text = run(coded_demo, "cooccurrence")
    assert text.exit_code == 0
    assert "S1.1     S1.3" in text.stdout
    # one --theme: that theme beside every other (it printed an empty table)
    beside = json.loads(run(coded_demo, "cooccurrence", "--theme", "S1.1", "--json").stdout)
    assert {(p["a"], p["b"]) for p in beside["pairs"]} == {
        tuple(sorted(("S1.1", t["id"]), key=[x["id"] for x in beside["themes"]].index))
        for t in beside["themes"]
        if t["id"] != "S1.1"
    }
    assert len(beside["pairs"]) == len(table["themes"]) - 1
    pair = next(p for p in beside["pairs"] if "S1.3" in (p["a"], p["b"]))
    assert pair["cases"] == len(cases["S1.1"] & cases["S1.3"])
    parent = run(coded_demo, "cooccurrence", "--theme", "S1")
    assert parent.exit_code == 2
    assert "theme 'S1' has no codings of its own (its sub-themes are: S1.1" in parent.stderr


def test_typology_from_the_command_line_is_reproducible(coded_demo: CodedDemo) -> None:
    first = run(coded_demo, "typology", "build", "--k", "3", "--json")
    again = run(coded_demo, "typology", "build", "--k", "3", "--json")
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout
    built = json.loads(first.stdout)
    members = [c for t in built["types"] for c in t["members"]]
    assert len(members) == len(set(members)) == 16  # every interview, in one type each
    assert all(c.startswith("int") for c in members)  # the interviews
    assert "Jaccard" in built["method"]
    named = run(coded_demo, "typology", "name", "1", "Mainstream")
    assert named.exit_code == 0, named.output
    assert run(coded_demo, "typology", "save", "--attribute", "type").exit_code == 0
    rows = json.loads(run(coded_demo, "matrix", "--by", "type", "--kind", "transcript",
                          "--theme", "1", "--json").stdout)  # fmt: skip
    totals = {r["group"]: r["total"] for r in rows}
    assert totals["Mainstream"] == len(built["types"][0]["members"])
    shown = json.loads(run(coded_demo, "typology", "show", "--json").stdout)
    assert shown["types"][0]["name"] == "Mainstream"


def test_mapping_errors_are_one_line(coded_demo: CodedDemo) -> None:
    for args, needle in (
        (["associations", "--by", "nope"], "unknown case attribute"),
        (["associations", "--by", "sector", "--fdr", "2"], "--fdr"),
        (["cooccurrence", "--theme", "ZZ"], "no theme"),
        (["typology", "name", "1", "X"], "no typology yet"),
        (["typology", "build", "--k", "999"], "more types than there are cases"),
        (["typology", "save", "--attribute", "sector"], "no typology yet"),
    ):
        result = run(coded_demo, *args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith("error:")
        assert needle in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
    run(coded_demo, "typology", "build", "--k", "2")
    refused = run(coded_demo, "typology", "save", "--attribute", "sector")
    assert refused.exit_code == 2
    assert "already exists" in refused.stderr


@pytest.mark.slow_postgresql
def test_report_drafts_the_comparisons_that_pass_the_threshold(
    small: Small, tmp_path: Path
) -> None:
    """The .docx report closes a theme's section with the comparison between groups
    when its exact test passes --comparisons (CSD 3 of 3 against DASS 0 of 2: p = 0.1)."""
    from docx import Document

    from qualcode.services import matrix_export

    code_small(small)
    sentence = "Fewer interviewees in DASS (0 of 2) than in CSD (3 of 3) raised Agency staff."
    wide = matrix_export.build_book(small.study, ["sector"], comparison_p=0.2)
    (text,) = wide.extra_paragraphs["A.1"]
    assert text.startswith(sentence)
    assert "p = 0.1" in text
    strict = matrix_export.build_book(small.study, ["sector"])  # the default, 0.05
    assert "A.1" not in strict.extra_paragraphs
    assert matrix_export.build_book(small.study, comparison_p=0.2).extra_paragraphs == {}
    out = tmp_path / "report.docx"
    matrix_export.export_matrix(small.study, out, ["sector"], comparison_p=0.2)
    assert any(p.text == text for p in Document(str(out)).paragraphs)
    matrix_export.export_matrix(small.study, out, ["sector"])
    assert not any(p.text.startswith(sentence) for p in Document(str(out)).paragraphs)


def test_dimension_associations_match_matrix_dimension(coded_demo: CodedDemo) -> None:
    """Each stance value within 2.3 by sector: the n of N of `matrix --dimension`."""
    from qualcode.services import dimensions

    study = coded_demo.study
    stance = dimensions.list_values(study, theme="2.3", dimension="stance")
    assert len(stance) >= 4  # the sample study's values
    # a coding value that disagrees with its case's cell: counted under both values
    first = stance[0]
    other = "negative" if first.value != "negative" else "mixed"
    seg = next(s for s in respondent_segments(study, first.case))
    coding = codings.code_segment(study, seg, "2.3")
    dimensions.set_coding_value(study, coding.id, "stance", other)
    result = run(coded_demo, "associations", "--by", "sector", "--dimension", "stance",
                 "--fdr", "0.2", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    counts = json.loads(
        run(coded_demo, "matrix", "--by", "sector", "--dimension", "stance", "--json").stdout
    )
    assert any(c["conflicting"] == 1 for c in counts)
    expected = {
        (c["theme"], v["value"], c["group"]): (v["cases"], c["rated"])
        for c in counts
        if c["rated"]
        for v in c["values"]
    }
    got = {}
    for a in found:
        theme, value = a["subject"].split(":stance=")
        assert a["values"] == [value, f"not {value}"]
        for g in a["groups"]:
            got[(theme, value, g["group"])] = (g["cases"], g["total"])
        assert a["caveat"]
        assert a["q_value"] is None or a["q_value"] >= a["p_value"]
        assert a["passes"] in (True, False) or a["test"].startswith("no test")
        if a["sentence"]:
            assert "with a recorded stance" in a["sentence"]
            assert a["sentence"].endswith(f"were {value} on {a['label'].split(':')[0]}.")
    assert got == expected
    assert len(expected) >= 6
    p = [a["p_value"] for a in found]
    assert p == sorted(p)  # strongest first
    text = run(coded_demo, "associations", "--by", "sector", "--dimension", "stance")
    assert text.exit_code == 0, text.output
    assert "2.3:stance=mixed" in text.stdout
    nobody = run(coded_demo, "associations", "--by", "sector", "--dimension", "standing",
                 "--theme", "1.3")  # fmt: skip
    assert nobody.exit_code == 0, nobody.output
    assert "nothing to compare: no cases with a recorded standing" in nobody.stderr
    bad = run(coded_demo, "associations", "--by", "sector", "--dimension", "stanse")
    assert bad.exit_code == 2
    assert bad.output.startswith("error:")
    assert "did you mean 'stance'" in bad.output


def test_typology_build_name_and_save_are_in_the_audit_trail(coded_demo: CodedDemo) -> None:
    assert run(coded_demo, "typology", "build", "--k", "2").exit_code == 0
    assert run(coded_demo, "typology", "name", "1", "Positive").exit_code == 0
    assert run(coded_demo, "typology", "save", "--attribute", "kind of case").exit_code == 0
    logged = run(coded_demo, "log", "--entity", "typology", "--json")
    assert logged.exit_code == 0, logged.output
    changes = json.loads(logged.stdout)
    assert [(c["action"], c["coder"]) for c in changes] == [("build", "alice"), ("name", "alice")]
    built = changes[0]["after"]
    assert "Jaccard" in built["method"]
    current = typology.current(coded_demo.study)
    assert current is not None
    assert changes[1]["after"]["name"] == "Positive" == current.types[0].name
    saved = json.loads(run(coded_demo, "log", "--entity", "attribute", "--json").stdout)
    members = sum(len(t.members) for t in current.types)
    assert len(saved) == members
    assert {c["after"]["name"] for c in saved} == {"kind of case"}
    assert {c["after"]["value"] for c in saved} == {t.name for t in current.types}


def _give_each_case_an_id(demo: CodedDemo, tmp_path: Path) -> None:
    """A staff number per case, as a survey's respondent id is: it names the cases,
    it does not group them."""
    cases = sorted(c.id for c in queries.list_cases(demo.study))
    sheet = tmp_path / "ids.csv"
    sheet.write_text(
        "case,staff_id\n" + "".join(f"{c},S{n:04d}\n" for n, c in enumerate(cases)),
        encoding="utf-8",
    )
    importing.import_cases(demo.study, sheet, "case")


@pytest.mark.slow
def test_an_attribute_with_a_value_per_case_is_not_compared(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    """Comparing 'groups' of one case each says nothing and took minutes on a real
    survey (4,132 respondent ids): refused in one line naming attributes that group."""
    _give_each_case_an_id(coded_demo, tmp_path)
    comparable = mapping.comparable_attributes(coded_demo.study)
    assert "staff_id" not in comparable
    assert "sector" in comparable
    result = run(coded_demo, "associations", "--by", "staff_id")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot compare the groups of 'staff_id'")
    assert "sector" in result.stderr
    assert result.stderr.count("\n") == 1
    # exports grouped by it still write, without the comparisons
    book = tmp_path / "by-id.xlsx"
    done = run(coded_demo, "matrix", "export", str(book), "--by", "staff_id", "--mapping")
    assert done.exit_code == 0, done.output
    sheet = load_workbook(book)["Associations"]
    assert "staff_id has too many values to compare" in str(sheet["A1"].value)
    report = tmp_path / "by-id.docx"
    assert run(coded_demo, "matrix", "export", str(report), "--by", "staff_id").exit_code == 0
