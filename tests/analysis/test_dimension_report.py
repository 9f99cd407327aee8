"""The sample study's dimension values in `matrix --dimension --json`, the .docx report
and the Markdown export: the same counts everywhere, and each theme's key issues."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner, Result
from docx import Document

from qualcode.cli import cli
from qualcode.services.demo import sample_root
from tests.analysis.conftest import CodedDemo, sample_attributes


def run(demo: CodedDemo, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--study", str(demo.path), *args])
    assert result.exit_code == 0, result.output
    return result


def expected_stance() -> dict[str, dict[str, int]]:
    """Sector -> value -> cases, straight from the sample's CSV files."""
    sectors = {c: a["sector"] for c, a in sample_attributes().items() if c.startswith("int")}
    out: dict[str, dict[str, int]] = {}
    with (sample_root() / "transcripts" / "dimensions.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["theme"] == "2.3" and row["dimension"] == "stance":
                counts = out.setdefault(sectors[row["case"]], {})
                counts[row["value"]] = counts.get(row["value"], 0) + 1
    return out


def test_matrix_dimension_json_counts_the_sample_values(coded_demo: CodedDemo) -> None:
    rows = json.loads(run(coded_demo, "matrix", "--by", "sector", "--dimension", "stance",
                          "--json").stdout)  # fmt: skip
    expected = expected_stance()
    assert [r["group"] for r in rows] == ["CSD", "DASS", "Joint", "PVI"]
    for row in rows:
        assert row["theme"] == "2.3"
        got = {v["value"]: v["cases"] for v in row["values"] if v["cases"]}
        assert got == expected[row["group"]]
        assert row["rated"] == sum(got.values()) == row["total"]  # every interview placed
    csd = next(r for r in rows if r["group"] == "CSD")
    assert csd["sentence"] == (
        "Of the 6 CSD interviewees with a recorded stance, equal numbers (3 of 6 each) were "
        "mixed and negative; none were very positive."
    )


def test_docx_report_has_the_dimension_sentences_and_key_issues(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Supervision is squeezed by crises.\nReflective time is rare.\n")
    run(coded_demo, "key-issues", "set", "2.3", "--file", str(notes))
    run(coded_demo, "key-issues", "set", "2", "Practice varies most by sector.")
    rows = json.loads(run(coded_demo, "matrix", "--by", "sector", "--dimension", "stance",
                          "--json").stdout)  # fmt: skip
    out = tmp_path / "report.docx"
    run(coded_demo, "matrix", "export", str(out), "--by", "sector", "--theme", "2")
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    for row in rows:
        assert row["sentence"] in paragraphs
    # the sentences sit in the 2.3 section, the key issues close it (before 2.4)
    start = paragraphs.index("2.3 Supervision")
    end = next(i for i, p in enumerate(paragraphs) if p.startswith("2.4 "))
    section = paragraphs[start:end]
    assert section[-3:] == [
        "Key issues", "Supervision is squeezed by crises.", "Reflective time is rare.",
    ]  # fmt: skip
    assert rows[0]["sentence"] in section
    # the top-level theme's note closes the sheet
    assert "Key issues: 2 Practice" in paragraphs
    assert paragraphs[paragraphs.index("Key issues: 2 Practice") + 1] == (
        "Practice varies most by sector."
    )


def test_markdown_export_closes_each_sheet_with_key_issues(
    coded_demo: CodedDemo, tmp_path: Path
) -> None:
    run(coded_demo, "key-issues", "set", "2.3", "Supervision is squeezed.")
    out = tmp_path / "matrix.md"
    run(coded_demo, "matrix", "export", str(out), "--theme", "2")
    text = out.read_text()
    assert "### Key issues: 2.3 Supervision\n\nSupervision is squeezed.\n" in text


def test_anonymised_report_keeps_the_sentences(coded_demo: CodedDemo, tmp_path: Path) -> None:
    run(coded_demo, "key-issues", "set", "2.3", "Mentioned by Gillian in int09.")
    out = tmp_path / "anon.docx"
    run(coded_demo, "matrix", "export", str(out), "--by", "sector", "--theme", "2",
        "--anonymised")  # fmt: skip
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "with a recorded stance" in text
    assert "Key issues" in text
