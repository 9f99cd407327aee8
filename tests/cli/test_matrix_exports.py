"""`qualcode matrix export`: real .xlsx/.docx/.csv/.md/.png/.svg files, read back."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from qualcode.cli import cli
from qualcode.domain.matrix import DRAFTED, FINAL, NOT_DISCUSSED, WRITTEN
from qualcode.services import matrix_export, summaries
from tests.analysis.conftest import CodedDemo, Small, sample_attributes

INTERVIEW_TOPS = ["1", "2", "3", "4", "5", "6", "7"]
SURVEY_TOPS = [f"S{i}" for i in range(1, 11)]


def export(demo: CodedDemo, path: Path, *args: str) -> None:
    result = CliRunner().invoke(
        cli, ["--study", str(demo.path), "matrix", "export", str(path), *args]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {path}" in result.stderr


def theme_ids(top: str) -> list[str]:
    """The sub-themes of a top-level theme, read from the framework files."""
    import yaml

    from qualcode.services.demo import sample_root

    for name in ("interviews.yaml", "survey.yaml"):
        data = yaml.safe_load((sample_root() / "frameworks" / name).read_text())
        for node in data["themes"]:
            if str(node["id"]) == top:
                return [str(c["id"]) for c in node.get("children", [])] or [top]
    raise KeyError(top)


@pytest.mark.slow
def test_xlsx_has_a_sheet_per_top_level_theme_with_every_case_and_theme(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    study = coded_demo.study
    case = next(c.case for c in coded_demo.coded if c.theme == "1.3")
    summaries.set_summary(study, case, "1.3", "Relies heavily on agency staff.", FINAL)
    summaries.set_synthesis(study, "1.3", "sector", "CSD", "CSD synthesis text.")
    from qualcode.services import key_issues

    key_issues.set_key_issues(study, "1.3", "Agency cost drives the budget.")
    out = tmp_path / "matrix.xlsx"
    # the matrix's own sheets (the mapping sheets after them: tests/analysis/test_mapping_export)
    export(coded_demo, out, "--by", "sector", "--no-mapping")
    wb = load_workbook(out)
    attrs = sample_attributes()
    interviews = {c for c in attrs if c.startswith("int")}
    respondents = set(attrs) - interviews
    titles = wb.sheetnames
    assert titles[-3:] == ["Key", "Cases", "Counts"]
    assert len(titles) == len(INTERVIEW_TOPS) + len(SURVEY_TOPS) + 3
    key = list(wb["Key"].iter_rows(values_only=True))
    assert key[0] == ("fill", "the cell's summary is")
    assert [r[0] for r in key[1:5]] == [DRAFTED, WRITTEN, NOT_DISCUSSED, FINAL]
    # the key issues the .md and .docx close each theme with: here, after the legend
    assert ("1.3 Agency staff", "Agency cost drives the budget.") in key
    for title in titles[:-3]:
        ws = wb[title]
        top = title.split()[0]
        header = [c.value for c in ws[1]]
        assert header[:2] == ["case", "sector"]
        assert [h.split()[0] for h in header[2:]] == theme_ids(top)
        cases = {r[0] for r in ws.iter_rows(min_row=2, values_only=True)} & set(attrs)
        assert cases == (respondents if top.startswith("S") else interviews), title
    ws = wb[next(t for t in titles if t.startswith("1 "))]
    rows = list(ws.iter_rows(values_only=True))
    col = rows[0].index(next(h for h in rows[0] if str(h).startswith("1.3 ")))
    row = next(r for r in rows if r[0] == case)
    assert row[col].startswith("Relies heavily on agency staff.\n(")
    assert f"{case} l." in row[col]
    assert any(r[0] == "CSD (6 cases)" for r in rows)
    assert any(r[0] == "synthesis" and r[col] == "CSD synthesis text." for r in rows)
    counts_row = next(r for r in rows if r[0] == "cases raising it")
    assert " of 6 (" in counts_row[col]
    cases_ws = wb["Cases"]
    header = [c.value for c in cases_ws[1]]
    assert header[0] == "case"
    assert {"sector", "role", "job"} <= set(header)
    listed = {r[0]: r for r in cases_ws.iter_rows(min_row=2, values_only=True)}
    assert set(listed) == set(attrs)
    assert listed["int08"][header.index("role")] == "Director"
    assert listed["int08"][header.index("authority_type")] in ("", None)


def test_csv_is_long_format_with_one_row_per_cell(coded_demo: CodedDemo, tmp_path: Path) -> None:
    out = tmp_path / "matrix.csv"
    export(coded_demo, out, "--theme", "1", "--theme", "S1")
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    attrs = sample_attributes()
    n_int = sum(1 for c in attrs if c.startswith("int"))
    assert len(rows) == n_int * len(theme_ids("1")) + (len(attrs) - n_int) * len(theme_ids("S1"))
    coded = {(c.case, c.theme) for c in coded_demo.coded if c.theme in ("1.3", "S1.1")}
    with_passages = {(r["case"], r["theme"]) for r in rows if int(r["passages"])}
    assert coded <= with_passages
    assert all(r["references"] for r in rows if int(r["passages"]))


def test_csv_says_which_syntheses_and_key_issues_it_leaves_out(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    from qualcode.services import key_issues

    out = tmp_path / "matrix.csv"
    plain = CliRunner().invoke(cli, ["--study", str(coded_demo.path), "matrix", "export", str(out)])
    assert plain.exit_code == 0, plain.output
    assert "not in the .csv" not in plain.stderr  # nothing written that it could lose
    summaries.set_synthesis(coded_demo.study, "1.3", "sector", "CSD", "CSD synthesis text.")
    key_issues.set_key_issues(coded_demo.study, "1", "Agency use drives cost.")
    result = CliRunner().invoke(
        cli, ["--study", str(coded_demo.path), "matrix", "export", str(out), "--by", "sector"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "not in the .csv (one row per cell): 1 group synthesis and the key issues of 1 theme"
        in result.stderr
    )
    md = tmp_path / "matrix.md"
    export(coded_demo, md, "--by", "sector")
    assert "CSD synthesis text." in md.read_text(encoding="utf-8")


def test_md_has_a_table_per_group(coded_demo: CodedDemo, tmp_path: Path) -> None:
    out = tmp_path / "matrix.md"
    export(coded_demo, out, "--theme", "1", "--by", "sector")
    text = out.read_text(encoding="utf-8")
    assert "## 1 Agency background and staffing" in text
    for heading in ("### CSD (6 cases)", "### DASS (6 cases)", "### PVI (2 cases)"):
        assert heading in text
    for case in (c for c in sample_attributes() if c.startswith("int")):
        assert f"| {case} |" in text
    assert "| case | 1.1 Social worker staffing and vacancies |" in text


@pytest.mark.slow
def test_docx_report_has_every_theme_group_wording_summary_and_quote(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    study = coded_demo.study
    case = next(c.case for c in coded_demo.coded if c.theme == "4.3")
    summaries.set_summary(study, case, "4.3", "NQSWs arrive under-prepared.", FINAL)
    interviews = sorted(c for c in sample_attributes() if c.startswith("int"))
    silent, quiet_theme = next(
        (c, t)
        for t in theme_ids("4")
        for c in interviews
        if (c, t) not in {(x.case, x.theme) for x in coded_demo.coded}
    )
    summaries.set_summary(study, silent, quiet_theme, None, NOT_DISCUSSED)  # checked
    out = tmp_path / "report.docx"
    export(coded_demo, out, "--by", "sector", "--theme", "4", "--theme", "S5")
    doc = Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs]
    text = "\n".join(paragraphs)
    for theme in theme_ids("4") + theme_ids("S5"):
        assert any(p.startswith(f"{theme} ") for p in paragraphs), theme
    attrs = sample_attributes()
    for c in attrs:
        assert c in text, c  # the Cases section lists every case
    assert f"{case}: NQSWs arrive under-prepared." in text
    assert f"{silent}: not discussed" in paragraphs  # the README says the report shows it
    csd = {c for c, a in attrs.items() if c.startswith("int") and a["sector"] == "CSD"}
    n = len({c.case for c in coded_demo.coded if c.theme == "4.3"} & csd)
    assert any(
        p.endswith(f"of the CSD interviewees ({n} of {len(csd)}) raised this.") for p in paragraphs
    )
    quotes = [p for p in doc.paragraphs if p.style is not None and p.style.name == "Quote"]
    assert quotes
    assert all(p.text.startswith("\u201c") for p in quotes)
    # a survey group's many unsummarised respondents are one line, not a bullet each
    folded = [p for p in paragraphs if "respondents with coded passages: not summarised" in p]
    assert folded
    bullets = [p for p in paragraphs if p.endswith("(not summarised yet)")]
    assert all(not b.startswith("R") for b in bullets), bullets[:3]  # no respondent listed


def test_the_reports_quotes_come_from_different_cases(coded_demo: CodedDemo) -> None:
    """With nothing marked, a group's three quotes are not three turns of its first case."""
    from qualcode.domain.quoting import FRAGMENT_WORDS, word_count
    from qualcode.services.framework import framework_tree
    from qualcode.services.quotes import quotes as all_quotes

    book = matrix_export.build_book(
        coded_demo.study, by=("sector",), tops=["1", "2", "4"], with_quotes=True
    )
    tree = framework_tree(coded_demo.study)
    pool: dict[tuple[str, str], set[str]] = {}  # the cases with a full passage to quote
    for q in all_quotes(coded_demo.study, by=("sector",), max_words=matrix_export.QUOTE_WORDS):
        if word_count(q.text) >= FRAGMENT_WORDS:
            for column in (q.theme, *tree.ancestors(q.theme)):
                pool.setdefault((column, str(q.group)), set()).add(q.case)
    checked = 0
    for key, picked in book.quotes.items():
        available = len(pool.get(key, set()))
        assert len({q.case for q in picked}) >= min(len(picked), available), (key, picked)
        checked += available >= 2
    assert checked > 5  # groups with a choice of cases were there to check


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_heatmaps(coded_demo: CodedDemo, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"coverage{suffix}"
    export(coded_demo, out, "--theme", "1", "--by", "sector")
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        assert width > 300
        assert height > 300
    else:
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        text = data.decode()
        for label in ("1.1", "1.5", "CSD (6)", "PVI (2)", "int01"):
            assert label in text
    # one survey sheet of hundreds of respondents: a row per group, not a pixel each
    survey = tmp_path / f"survey{suffix}"
    export(coded_demo, survey, "--theme", "S1", "--by", "sector")
    if suffix == ".svg":
        text = survey.read_text(encoding="utf-8")
        assert "% of cases raising it" in text
        assert "CSD (" in text
        assert "one panel per framework" not in text
    else:
        assert int.from_bytes(survey.read_bytes()[20:24], "big") < 1000  # not 6000 high


@pytest.mark.slow
def test_bad_exports_write_nothing(coded_demo: CodedDemo, tmp_path: Path) -> None:
    runner = CliRunner()
    for target, needle in [
        (tmp_path / "matrix.pdf", "cannot export the matrix as '.pdf'"),
        (tmp_path / "missing" / "matrix.xlsx", "no such folder"),
    ]:
        result = runner.invoke(
            cli, ["--study", str(coded_demo.path), "matrix", "export", str(target)]
        )
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: {target}")
        assert needle in result.stderr
        assert not target.exists()
    result = runner.invoke(
        cli,
        [
            "--study",
            str(coded_demo.path),
            "matrix",
            "export",
            str(tmp_path / "m.xlsx"),
            "--by",
            "nope",
        ],
    )
    assert result.exit_code == 2
    assert "unknown case attribute" in result.stderr
    assert list(tmp_path.iterdir()) == [] or all(p.suffix != ".xlsx" for p in tmp_path.iterdir())


@pytest.mark.slow_postgresql
def test_written_drafted_and_final_summaries_are_told_apart_in_the_exports(
    small: Small, tmp_path: Path
) -> None:
    study = small.study
    summaries.set_summary(study, "c1", "A.1", "Machine words.", DRAFTED, expected_version=0)
    summaries.set_summary(study, "c2", "A.1", "My own words.", expected_version=0)
    summaries.set_summary(study, "c3", "A.1", "Accepted words.", FINAL, expected_version=0)
    xlsx = tmp_path / "m.xlsx"
    matrix_export.export_matrix(study, xlsx, tops=["A"])
    ws = load_workbook(xlsx)["A Staffing"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    column = [c.value for c in ws[1]].index("A.1 Agency staff")
    cells = {case: rows[case][column] for case in ("c1", "c2", "c3")}
    assert cells["c1"].value.startswith("Machine words. [draft]")
    assert cells["c2"].value.startswith("My own words.")
    assert "[draft]" not in cells["c2"].value
    fills = {case: cell.fill.fgColor.rgb for case, cell in cells.items()}
    assert len(set(fills.values())) == 3, fills  # drafted, written, final each look different
    table = tmp_path / "m.csv"
    matrix_export.export_matrix(study, table, tops=["A"])
    with table.open(encoding="utf-8", newline="") as fh:
        status = {(r["case"], r["theme"]): r["status"] for r in csv.DictReader(fh)}
    assert status[("c1", "A.1")] == DRAFTED
    assert status[("c2", "A.1")] == WRITTEN
    assert status[("c3", "A.1")] == FINAL


@pytest.mark.slow
def test_the_reports_sentence_for_cases_without_the_value(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    """It read "All of the (not recorded) interviewees (12 of 12) raised this."."""
    out = tmp_path / "report.docx"
    export(coded_demo, out, "--by", "authority_type", "--theme", "1")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "interviewees with no authority_type recorded (" in text
    assert "(not recorded) interviewees" not in text
