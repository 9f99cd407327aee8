"""The export registry: one table of formats behind the CLI's choices and help, the
TUI's prompt, the quote and matrix exports, and the README."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.errors import InputError
from qualcode.exchange import formats
from qualcode.services import codings, export_formats
from qualcode.services.quote_export import QuoteSelection, export_quotes, quote_format
from tests.analysis.conftest import Small, respondent_segments

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_line(command: str) -> str:
    """The README's Commands-table row for ``command``."""
    rows = [line for line in README.read_text().splitlines() if line.startswith(f"| `{command}")]
    assert rows, f"the README has no row for {command}"
    return rows[0]


def test_every_writer_and_renderer_can_be_loaded() -> None:
    for fmt in formats.EXPORTS:
        assert callable(fmt.load_writer()), fmt
        if fmt.render is not None:
            assert callable(fmt.load_render()), fmt
        assert fmt.extensions
        assert all(e.startswith(".") for e in fmt.extensions)
        assert fmt.holds in formats.HOLDS


def test_suffixes_pick_formats_and_unknown_ones_name_the_choices() -> None:
    both = export_formats.MATRIX_EXPORTS
    assert formats.by_suffix(Path("m.XLSX"), *both).name == "xlsx"
    assert formats.by_suffix(Path("m.svg"), *both).holds == formats.HEATMAP
    assert formats.by_suffix(Path("q.json"), formats.QUOTES).name == "json"
    with pytest.raises(InputError, match=r"cannot export the matrix as '\.json'.*\.xlsx"):
        formats.by_suffix(Path("m.json"), *both)
    with pytest.raises(InputError, match="add --format"):
        quote_format(None, Path("q.txt"))
    assert quote_format(None, None).name == "md"
    assert quote_format("docx", Path("q.bin")).name == "docx"


def test_help_and_readme_list_every_format() -> None:
    runner = CliRunner()
    matrix_help = runner.invoke(cli, ["matrix", "export", "--help"]).output
    quotes_help = " ".join(runner.invoke(cli, ["quotes", "--help"]).output.split())
    matrix_row = readme_line("qualcode matrix export")
    quotes_row = readme_line("qualcode quotes")
    for suffix in export_formats.suffixes(*export_formats.MATRIX_EXPORTS):
        assert suffix in matrix_help
        assert suffix in matrix_row
    for name in export_formats.names(export_formats.QUOTES):
        assert f".{name}" in quotes_help
        assert re.search(rf"\b{name}\b", quotes_row), name
    assert "xlsx" not in quotes_row  # each row lists its own formats only


# the one-format exports: (what they hold, the command, its README row)
SINGLE = (
    (formats.CODINGS, ["codings", "export"], "qualcode codings export"),
    (formats.FRAMEWORK, ["framework", "export"], "qualcode framework export"),
    (formats.PROJECT, ["export", "qdpx"], "qualcode export qdpx"),
    (formats.CODEBOOK, ["export", "qdc"], "qualcode export qdc"),
)


@pytest.mark.parametrize(("holds", "command", "row"), SINGLE, ids=[s[0] for s in SINGLE])
def test_codings_framework_and_refi_exports_are_in_the_registry(
    holds: str, command: list[str], row: str
) -> None:
    fmt = formats.sole(holds)
    shown = " ".join(CliRunner().invoke(cli, [*command, "--help"]).output.split())
    assert " ".join(fmt.description.split()) in shown  # the help text comes from the entry
    for suffix in fmt.extensions:
        assert suffix in shown
        assert suffix in readme_line(row)


def test_one_format_kinds_have_exactly_one_entry() -> None:
    for holds in (formats.CODINGS, formats.FRAMEWORK, formats.PROJECT, formats.CODEBOOK):
        assert [f.holds for f in formats.EXPORTS].count(holds) == 1
    with pytest.raises(ValueError, match="too many values"):
        formats.sole(formats.QUOTES)  # four quote formats: the suffix or --format chooses


@pytest.mark.slow_postgresql
def test_quote_export_writes_and_renders_through_the_registry(small: Small, tmp_path: Path) -> None:
    study = small.study
    coding = codings.code_segment(study, respondent_segments(study, "c6")[0], "A.1")
    selection = QuoteSelection(theme="A", template="[{role}]")
    shown = export_quotes(study, selection, quote_format("json", None))
    assert shown.path is None
    assert shown.count == 1
    assert [q["coding"] for q in json.loads(shown.text or "")] == [coding.id]
    out = tmp_path / "quotes.csv"
    written = export_quotes(study, selection, quote_format(None, out), out)
    assert written.path == out
    assert written.count == 1
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("theme,theme_label")
    with pytest.raises(InputError, match="not a text format"):
        export_quotes(study, selection, quote_format("docx", None))


@pytest.mark.slow_postgresql
def test_codings_framework_and_refi_files_are_written_through_the_registry(
    small: Small, tmp_path: Path
) -> None:
    """Each one-format export writes a real file that reads back as what went in."""
    from qualcode.exchange.refi.reader import read_codebook, read_project
    from qualcode.ingest.safe_yaml import load_text_yaml
    from qualcode.services import exchange, framework

    study = small.study
    coding = codings.code_segment(study, respondent_segments(study, "c2")[0], "A.1")
    out = tmp_path / "codings.csv"
    assert codings.export_codings(study, out) == 1
    with out.open(encoding="utf-8", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert tuple(row) == codings.EXPORT_COLUMNS
    assert (row["source"], int(row["start"]), int(row["end"]), row["theme"]) == (
        coding.source, coding.start, coding.end, "A.1",
    )  # fmt: skip
    yaml_out = tmp_path / "framework.yml"
    themes = framework.export_framework(study, yaml_out)
    written = load_text_yaml(yaml_out.read_text(encoding="utf-8"))
    assert themes == len(framework.framework_tree(study).themes)
    assert [t["id"] for t in written["themes"]] == [
        t.id for t in framework.framework_tree(study).top_level()
    ]
    project = tmp_path / "study.qdpx"
    exchange.export_qdpx(study, project)
    read = read_project(project)
    assert len(read.sources) == 6
    assert sum(len(s.selections) for s in read.sources) == 1
    codebook = tmp_path / "framework.qdc"
    assert exchange.export_qdc(study, codebook) == themes
    codes, origin = read_codebook(codebook)
    assert origin is not None
    assert origin.startswith("qualcode")
    assert {c.name for c in codes} == {"A Staffing", "B Supervision"}  # the top-level themes
