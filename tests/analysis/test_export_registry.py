"""The export registry: one table of formats behind the CLI's choices and help, the
TUI's prompt, the quote and matrix exports, and the README."""

from __future__ import annotations

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
        assert fmt.holds in (formats.MATRIX, formats.HEATMAP, formats.QUOTES)


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
