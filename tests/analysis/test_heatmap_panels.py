"""The default heatmap of a study with interviews and a survey: one panel per framework,
labelled interview rows, survey respondents aggregated by group, no empty columns."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.exchange.heatmap import MAX_LABELLED_ROWS, panel
from qualcode.services import matrix_export
from tests.analysis.conftest import CodedDemo, sample_attributes


def test_one_panel_per_framework_without_empty_columns(coded_demo: CodedDemo) -> None:
    panels = matrix_export.heatmap_sheets(coded_demo.study, ("sector",))
    assert [p.title for p in panels] == [
        "Senior manager interviews (interview transcripts)",
        "Staff survey free-text comments (survey answers)",
    ]
    interviews, survey = panels
    raised = {c.theme.split(".")[0] for c in coded_demo.coded}
    assert [t.id for t in interviews.themes] == [t for t in ("1", "2", "4") if t in raised]
    assert [t.id for t in survey.themes] == [t for t in ("S1", "S5", "S9") if t in raised]
    attrs = sample_attributes()
    assert {r.case for r in interviews.rows} == {c for c in attrs if c.startswith("int")}
    assert len(survey.rows) == len(attrs) - len(interviews.rows)
    drawn = panel(interviews)
    assert "int01 · CSD" in drawn.rows
    assert drawn.measure == "coded passages"
    assert len(survey.rows) > MAX_LABELLED_ROWS
    grouped = panel(survey)  # respondents aggregated: one row per sector
    assert [r.split(" (")[0] for r in grouped.rows] == ["CSD", "DASS", "Joint", "PVI"]
    assert grouped.measure == "% of cases raising it"
    assert all(0 <= v <= 100 for row in grouped.values for v in row)


def test_the_default_svg_has_both_panels(coded_demo: CodedDemo, tmp_path: Path) -> None:
    out = tmp_path / "coverage.svg"
    result = CliRunner().invoke(
        cli, ["--study", str(coded_demo.path), "matrix", "export", str(out), "--by", "sector"]
    )
    assert result.exit_code == 0, result.output
    assert "2 sheets" in result.stderr
    text = out.read_text("utf-8")
    for label in ("Senior manager interviews", "Staff survey", "int01", "% of cases raising it"):
        assert label in text
