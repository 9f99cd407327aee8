"""One counting base: in a study with interviews and a survey, each with its own
framework, every output gives the same "n of N" per theme and group - the CLI's text
and JSON, the TUI's matrix grid, .xlsx, .docx, .md, .csv and the heatmap's sheet.

The expected numbers are written out by hand from the codings below.
"""

from __future__ import annotations

import csv
import json
import re
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from qualcode.cli import cli
from qualcode.services import (
    codings,
    framework,
    frameworks,
    importing,
    matrix,
    matrix_export,
    queries,
)
from qualcode.services.study import Study, init_study
from qualcode.tui.matrix.data import GROUP, grid_rows, load_page

CASES = "case,sector\nint01,CSD\nint02,CSD\nint03,DASS\nint04,DASS\n"
# R5 and R6 answered only q_change, which the survey framework does not code
SURVEY = """\
respondent_id,sector,q_help,q_change
R1,CSD,More staff please.,Less paperwork.
R2,CSD,Better supervision would help.,
R3,DASS,More staff and a pay rise.,Fewer forms.
R4,DASS,Nothing really.,More time.
R5,CSD,,Better supervision and more staff.
R6,DASS,,Less travel.
"""
INTERVIEWS = """\
title: Interviews
themes:
  - id: I1
    label: Staffing
    children:
      - {id: I1.1, label: Vacancies}
      - {id: I1.2, label: Agency staff}
  - id: I2
    label: Practice
    children:
      - {id: I2.1, label: Supervision}
"""
SURVEY_FRAMEWORK = """\
title: Survey
themes:
  - id: S1
    label: What would help
    children:
      - {id: S1.1, label: More staff}
      - {id: S1.2, label: Supervision}
"""
# (case, question or None for the interview, theme)
CODED = [
    ("int01", None, "I1.1"),
    ("int03", None, "I1.1"),
    ("int02", None, "I1.2"),
    ("int04", None, "I2.1"),
    ("R1", "q_help", "S1.1"),
    ("R3", "q_help", "S1.1"),
    ("R2", "q_help", "S1.2"),
    ("R5", "q_change", "S1.2"),  # outside what the survey framework codes: not counted
]
# (column theme, sector) -> (cases, total): interviewees for I*, q_help respondents for S*
EXPECTED = {
    ("I1.1", "CSD"): (1, 2),
    ("I1.1", "DASS"): (1, 2),
    ("I1.2", "CSD"): (1, 2),
    ("I1.2", "DASS"): (0, 2),
    ("I2.1", "CSD"): (0, 2),
    ("I2.1", "DASS"): (1, 2),
    ("S1.1", "CSD"): (1, 2),
    ("S1.1", "DASS"): (1, 2),
    ("S1.2", "CSD"): (1, 2),
    ("S1.2", "DASS"): (0, 2),
}
TOPS = {"I1": (2, 2, 1, 2), "S1": (2, 2, 1, 2)}  # CSD n, N, DASS n, N
SHEETS = ("I1", "I2", "S1")


def _transcript(case: str) -> str:
    return textwrap.dedent(
        f"""\
        Interviewer: Tell me about {case}.

        Respondent: We have vacancies and we use agency staff.
        """
    )


def build_mixed(url: str, folder: Path) -> Study:
    study = init_study(url, "Mixed study", coder="alice")
    files = []
    for case in ("int01", "int02", "int03", "int04"):
        path = folder / f"{case}.txt"
        path.write_text(_transcript(case), encoding="utf-8")
        files.append(path)
    importing.import_transcripts(study, files)
    (folder / "cases.csv").write_text(CASES, encoding="utf-8")
    importing.import_cases(study, folder / "cases.csv", "case")
    (folder / "survey.csv").write_text(SURVEY, encoding="utf-8")
    importing.import_survey(study, folder / "survey.csv", "respondent_id", ["q_help", "q_change"])
    (folder / "i.yaml").write_text(INTERVIEWS, encoding="utf-8")
    (folder / "s.yaml").write_text(SURVEY_FRAMEWORK, encoding="utf-8")
    framework.import_framework(study, folder / "i.yaml", "interviews", "transcript")
    # coded before the survey framework was narrowed to q_help (coding R5's q_change
    # answer with a survey theme is refused once it is)
    framework.import_framework(study, folder / "s.yaml", "survey", "survey")
    sources = {s.id: s for s in queries.list_sources(study)}
    for case, question, theme in CODED:
        segment = next(
            seg
            for seg in queries.list_segments(study, case=case)
            if sources[seg.source].question == question and seg.role != "interviewer"
        )
        codings.code_segment(study, segment.id, theme)
    frameworks.edit_framework(study, "survey", applies_to="survey:q_help")
    return study


@pytest.fixture
def mixed(db_url: str, tmp_path: Path) -> tuple[Study, str]:
    study = build_mixed(db_url, tmp_path)
    yield study, db_url
    study.close()


def _cli(url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _pair(text: str) -> tuple[int, int]:
    found = re.search(r"(\d+) of (\d+)", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


@pytest.mark.slow
def test_every_output_gives_the_same_n_of_n(mixed: tuple[Study, str], tmp_path: Path) -> None:
    study, url = mixed
    outputs: dict[str, dict[tuple[str, str], tuple[int, int]]] = {}

    rows = json.loads(_cli(url, "matrix", "--by", "sector", "--json"))
    outputs["matrix --json"] = {(r["theme"], r["group"]): (r["cases"], r["total"]) for r in rows}
    for top, (a, n_a, b, n_b) in TOPS.items():
        assert outputs["matrix --json"][(top, "CSD")] == (a, n_a)
        assert outputs["matrix --json"][(top, "DASS")] == (b, n_b)

    text: dict[tuple[str, str], tuple[int, int]] = {}
    header, *lines = _cli(url, "matrix", "--by", "sector").splitlines()
    at = header.index("sector")  # the group column: 20 wide, after the theme's
    for line in lines:
        text[(line.split()[0], line[at : at + 20].strip())] = _pair(line[at + 20 :])
    outputs["matrix (text)"] = text

    grid: dict[tuple[str, str], tuple[int, int]] = {}
    for top in SHEETS:
        page = load_page(study, top, ("sector",))
        assert page is not None
        for row in grid_rows(page.sheet):
            if row.kind == GROUP:
                group = row.label.rsplit(" (", 1)[0]
                for theme, counted in zip(page.sheet.themes, row.counts, strict=True):
                    n, total = counted.split("/")
                    grid[(theme.id, group)] = (int(n), int(total))
    outputs["TUI matrix"] = grid

    _cli(url, "matrix", "export", str(tmp_path / "m.xlsx"), "--by", "sector")
    sheet = load_workbook(tmp_path / "m.xlsx", read_only=True)["Counts"]
    header, *values = list(sheet.iter_rows(values_only=True))
    outputs["xlsx"] = {(str(r[1]), str(r[3])): (int(r[4]), int(r[5])) for r in values}  # type: ignore[arg-type]
    # The share beside each count is the same count, as a number a sheet can sort by.
    assert header[4:7] == ("cases", "total", "share")
    assert all(r[6] == pytest.approx(r[4] / r[5]) for r in values)  # type: ignore[operator]
    first = next(load_workbook(tmp_path / "m.xlsx")["Counts"].iter_rows(min_row=2))
    assert first[6].number_format == "0%"

    _cli(url, "matrix", "export", str(tmp_path / "m.docx"), "--by", "sector")
    docx: dict[tuple[str, str], tuple[int, int]] = {}
    theme = group = ""
    for para in Document(str(tmp_path / "m.docx")).paragraphs:
        style = para.style.name if para.style is not None else ""
        if style == "Heading 2":
            theme = para.text.split(" ", 1)[0]
        elif style == "Heading 3":
            group = para.text
        elif para.text.endswith("raised this."):
            docx[(theme, group)] = _pair(para.text)
    outputs["docx"] = docx

    _cli(url, "matrix", "export", str(tmp_path / "m.md"), "--by", "sector")
    md: dict[tuple[str, str], tuple[int, int]] = {}
    columns: list[str] = []
    for line in (tmp_path / "m.md").read_text("utf-8").splitlines():
        if line.startswith("### "):
            group = line[4:].rsplit(" (", 1)[0]
        elif line.startswith("| case |"):
            columns = [c.strip().split(" ", 1)[0] for c in line.strip("|").split("|")[1:]]
        elif line.startswith("| *cases raising it* |"):
            cells = line.strip("|").split("|")[1:]
            for tid, cell in zip(columns, cells, strict=True):
                md[(tid, group)] = _pair(cell)
    outputs["md"] = md

    _cli(url, "matrix", "export", str(tmp_path / "m.csv"), "--by", "sector")
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    raised: dict[tuple[str, str], set[str]] = defaultdict(set)
    with (tmp_path / "m.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            seen[(r["theme"], r["group"])].add(r["case"])
            if int(r["passages"]):
                raised[(r["theme"], r["group"])].add(r["case"])
    outputs["csv"] = {key: (len(raised[key]), len(cases)) for key, cases in seen.items()}

    heat: dict[tuple[str, str], tuple[int, int]] = {}
    for top in SHEETS:
        built = matrix_export.heatmap_sheet(study, ("sector",), [top])
        heat |= {(c.theme, str(c.group)): (c.cases, c.total) for c in built.counts}
    outputs["heatmap"] = heat

    for name, got in outputs.items():
        for key, expected in EXPECTED.items():
            assert got.get(key) == expected, (name, key, got.get(key))


def test_counts_follow_the_frameworks_and_kind_still_overrides(
    mixed: tuple[Study, str],
) -> None:
    study, _ = mixed
    got = {(c.theme, c.group): (c.cases, c.total) for c in matrix.counts(study, ("sector",))}
    for key, expected in EXPECTED.items():
        assert got[key] == expected, key
    # --kind survey: every respondent with a survey answer, every survey coding
    survey = matrix.counts(study, (), ["S1.2"], kind="survey")
    assert [(c.cases, c.total) for c in survey] == [(2, 6)]
    # --question q_change: its respondents only
    asked = matrix.counts(study, (), ["S1.2"], question="q_change")
    assert [(c.cases, c.total) for c in asked] == [(1, 5)]
    sheet = matrix.sheet(study, top="S1", by=("sector",))
    assert sorted(row.case for row in sheet.rows) == ["R1", "R2", "R3", "R4"]


def test_a_case_with_no_source_is_counted_nowhere(tmp_path: Path) -> None:
    """An attributes sheet naming someone never interviewed made a case with no source:
    `matrix` read "1 of 3" for a theme of the default framework (which applies to
    everything), and the .docx report "1 of 2"."""
    from qualcode.store.engine import sqlite_url

    study = init_study(sqlite_url(tmp_path / "s.qualcode"), "S", coder="alice")
    for case in ("int01", "int02"):
        (tmp_path / f"{case}.txt").write_text(_transcript(case), encoding="utf-8")
    importing.import_transcripts(study, [tmp_path / "int01.txt", tmp_path / "int02.txt"])
    (tmp_path / "cases.csv").write_text("case,sector\nint01,CSD\nint02,CSD\nint99,CSD\n")
    importing.import_cases(study, tmp_path / "cases.csv", "case")
    (tmp_path / "i.yaml").write_text(INTERVIEWS, encoding="utf-8")
    framework.import_framework(study, tmp_path / "i.yaml")  # the default framework
    seg = next(g for g in queries.list_segments(study, case="int01") if g.role != "interviewer")
    codings.code_segment(study, seg.id, "I1.1")
    (row,) = [r for r in matrix.counts(study) if r.theme == "I1.1"]
    assert (row.cases, row.total) == (1, 2)
    out = tmp_path / "report.docx"
    matrix_export.export_matrix(study, out)
    said = " ".join(p.text for p in Document(str(out)).paragraphs)
    assert "(1 of 2)" in said
    assert "of 3" not in said
    study.close()
