"""`qualcode quotes`: marked quotes first, attributions from case attributes, formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from qualcode.cli import cli
from qualcode.domain.quoting import word_count
from qualcode.errors import InputError, NotFoundError
from qualcode.services import codings, quotes
from tests.analysis.conftest import CodedDemo, Small, respondent_segments, sample_attributes


def expected_attribution(attrs: dict[str, str]) -> str:
    """The default "[{role}, {authority_type}]" worked out by hand."""
    parts = [attrs[k] for k in ("role", "authority_type") if attrs.get(k)]
    return f"[{', '.join(parts)}]" if parts else ""


def run(demo: CodedDemo, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--study", str(demo.path), "quotes", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_quotes_json_has_the_interface_shape_and_right_attributions(coded_demo: CodedDemo) -> None:
    attrs = sample_attributes()
    rows = json.loads(run(coded_demo, "--theme", "1", "--format", "json"))
    expected_segments = {c.segment for c in coded_demo.coded if c.theme.startswith("1.")}
    assert {r["segment"] for r in rows} == expected_segments
    for r in rows:
        assert {"theme", "segment", "case", "text", "attribution"} <= set(r)
        assert r["attribution"] == expected_attribution(attrs[r["case"]])
        assert r["theme"] in ("1.1", "1.3")
    pvi = [r for r in rows if attrs[r["case"]]["sector"] == "PVI"]
    assert pvi, "the rules code some PVI interview"
    assert {r["attribution"] for r in pvi} <= {"[Director]", "[Head of service]"}
    # walk49b: interface.md lists quotes among the `--json` shapes, as every listing
    assert json.loads(run(coded_demo, "--theme", "1", "--json")) == rows
    both = CliRunner().invoke(
        cli, ["--study", str(coded_demo.path), "quotes", "--json", "--format", "md"]
    )
    assert both.exit_code == 2
    assert both.stderr.startswith("error: --json and --format md ask for two formats")


@pytest.mark.slow
def test_marked_quotes_come_first_within_theme_and_group(coded_demo: CodedDemo) -> None:
    study = coded_demo.study
    all_13 = quotes.quotes(study, theme="1.3", by=["sector"])
    csd = [q for q in all_13 if q.group == "CSD"]
    last = csd[-1]
    quotes.mark_quote(study, last.coding)
    again = [q for q in quotes.quotes(study, theme="1.3", by=["sector"]) if q.group == "CSD"]
    assert again[0].coding == last.coding
    assert again[0].marked
    groups = [q.group for q in quotes.quotes(study, theme="1.3", by=["sector"])]
    assert groups == sorted(groups, key=["CSD", "DASS", "Joint", "PVI"].index)
    marked_only = quotes.quotes(study, theme="1.3", marked_only=True)
    assert [q.coding for q in marked_only] == [last.coding]
    quotes.mark_quote(study, last.coding, marked=False)
    assert not quotes.quotes(study, theme="1.3", marked_only=True)


def test_survey_attributions_from_a_template(coded_demo: CodedDemo) -> None:
    attrs = sample_attributes()
    rows = json.loads(
        run(coded_demo, "--theme", "S5", "--attribution", "[{sector} {job}]", "--format", "json")
    )
    assert rows
    for r in rows:
        a = attrs[r["case"]]
        assert r["attribution"] == f"[{a['sector']} {a['job']}]"


@pytest.mark.slow
def test_max_words_shortens_at_sentence_boundaries(coded_demo: CodedDemo) -> None:
    full = {q.coding: q.text for q in quotes.quotes(coded_demo.study, theme="1.3")}
    short = quotes.quotes(coded_demo.study, theme="1.3", max_words=20)
    elided = 0
    for q in short:
        assert word_count(q.text.replace("...", "")) <= 20
        if "..." in q.text and "..." not in full[q.coding]:
            elided += 1
            first = q.text.split(" ...")[0]
            assert full[q.coding].startswith(first)
    assert elided > 0


def test_per_group_limits_the_number_of_quotes(coded_demo: CodedDemo) -> None:
    rows = quotes.quotes(coded_demo.study, theme="S1", by=["sector"], per_group=2)
    counts: dict[tuple[str, str | None], int] = {}
    for q in rows:
        counts[(q.theme, q.group)] = counts.get((q.theme, q.group), 0) + 1
    assert counts
    assert max(counts.values()) == 2


@pytest.mark.slow
def test_formats_md_csv_and_docx(coded_demo: CodedDemo, tmp_path: Path) -> None:
    attrs = sample_attributes()
    md = run(coded_demo, "--theme", "4.3", "--by", "sector")
    assert md.startswith("## 4.3 Readiness for practice of NQSWs")
    cases = {c.case for c in coded_demo.coded if c.theme == "4.3"}
    for case in cases:
        assert expected_attribution(attrs[case]) in md
    table = list(csv.DictReader(io.StringIO(run(coded_demo, "--theme", "4.3", "--format", "csv"))))
    assert {r["case"] for r in table} == cases
    out = tmp_path / "quotes.docx"
    result = CliRunner().invoke(
        cli, ["--study", str(coded_demo.path), "quotes", "--theme", "4.3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "4.3 Readiness for practice of NQSWs" in text
    for row in table:
        assert row["text"] in text
        assert row["attribution"] in text


@pytest.mark.slow
def test_bad_requests(coded_demo: CodedDemo, tmp_path: Path) -> None:
    study = coded_demo.study
    with pytest.raises(InputError, match="unknown attribute"):
        quotes.quotes(study, template="[{rol}]")
    with pytest.raises(InputError, match="max-words"):
        quotes.quotes(study, max_words=0)
    with pytest.raises(NotFoundError):
        quotes.mark_quotes(study, [1, 10**9])
    assert not quotes.quotes(study, marked_only=True)  # nothing was marked: all or none
    runner = CliRunner()
    for args in (
        ["--format", "docx"],
        ["--out", str(tmp_path / "q.txt")],
        ["--attribution", "[{role]"],
    ):
        result = runner.invoke(cli, ["--study", str(coded_demo.path), "quotes", *args])
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error:"), args
    assert not (tmp_path / "q.txt").exists()


@pytest.mark.slow_postgresql
def test_quotes_on_each_database(small: Small) -> None:
    study = small.study
    seg = respondent_segments(study, "c6")[0]
    coding = codings.code_segment(study, seg, "A.1")
    quotes.mark_quote(study, coding.id)
    codings.code_segment(study, respondent_segments(study, "c1")[0], "A.1")
    found = quotes.quotes(study, theme="A", max_words=8)
    assert [q.case for q in found] == ["c6", "c1"]
    assert found[0].attribution == "[Director]"
    assert found[0].marked
    assert found[1].attribution == "[Director, London borough]"
    assert found[0].text == "We rely on agency staff in c6. ..."


def test_a_quote_knows_how_much_of_it_is_the_interviewers(small: Small) -> None:
    """The report picks the interviewee's own words first, and never the interviewer's
    words alone under the interviewee's attribution."""
    from qualcode.services.queries import list_segments

    study = small.study
    segs = list_segments(study, case="c1", include_interviewer=True)
    asked, answer = segs[0], segs[1]
    assert (asked.role, answer.role) == ("interviewer", "respondent")
    codings.add_coding(study, asked.source, asked.start, answer.end, "B")  # both turns
    codings.add_coding(study, asked.source, asked.start, asked.end, "A.1")  # the question
    codings.add_coding(study, answer.source, answer.start, answer.end, "A.2")  # the answer
    found = {q.theme: q for q in quotes.quotes(study)}
    assert 0 < found["B"].asked < 0.5
    assert found["A.1"].asked == 1.0
    assert found["A.2"].asked == 0.0
    assert [q.theme for q in quotes.quotes(study, per_group=3)] == ["A.2", "B"]
    # a draft of the cell leaves the question out, its speaker's label with it
    from qualcode.services import drafts, matrix

    (both,) = matrix.cell(study, "c1", "B").passages
    assert both.asked_spans[0][0] == 0  # from "Interviewer:", the start of its line
    assert "Interviewer" not in drafts.draft_cell(study, "c1", "B").text
    assert drafts.draft_cell(study, "c1", "A.1").text == ""  # nothing of the case's


def test_no_marked_quotes_is_said(coded_demo: CodedDemo) -> None:
    """`quotes --marked-only` with none marked printed nothing, exit 0."""
    result = CliRunner().invoke(
        cli, ["--study", str(coded_demo.path), "quotes", "--theme", "1.3", "--marked-only"]
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no marked quotes under theme 1.3" in result.stderr


def test_a_span_from_the_line_break_before_a_turn_is_referenced_by_its_first_words(
    small: Small,
) -> None:
    """walk47e: codings from other tools often start on the line break before a turn;
    the quote's line reference then read one line early."""
    from qualcode.services.queries import list_segments, source_text

    study = small.study
    answer = list_segments(study, case="c1")[0]
    before = source_text(study, answer.source).rindex("\n", 0, answer.start)  # a blank line's
    codings.add_coding(study, answer.source, before, answer.end, "A.1")
    (found,) = quotes.quotes(study, theme="A.1")
    assert found.line == answer.line
    assert found.ref.endswith(f"l.{answer.line}")
