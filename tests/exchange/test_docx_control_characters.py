"""Control characters (pasted from other tools, typed through a terminal) cannot go
into a .docx: the writers drop them instead of failing half-way through a report."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from qualcode.domain.matrix import (
    Cell,
    Group,
    MatrixBook,
    MatrixRow,
    MatrixSheet,
    Quote,
    Summary,
    ThemeCount,
)
from qualcode.domain.model import Theme
from qualcode.exchange.quotes_writers import write_docx as write_quotes
from qualcode.exchange.report_docx import write_docx
from qualcode.exchange.xml_text import clean

THEME = Theme("2.3", "Supervision", "2")


def test_clean_drops_only_what_xml_cannot_carry() -> None:
    assert clean("tab\tnew\nline") == "tab\tnew\nline"
    assert clean("a\x01b\x0bc\x1fd\ufffe") == "abcd"
    assert clean("café – “quoted”") == "café – “quoted”"


def test_report_with_a_control_character_in_a_summary(tmp_path: Path) -> None:
    summary = Summary("int01", "2.3", "Vacancies\x01 high", "written", "ana", 1)
    cells = (Cell("int01", "2.3", (), summary),)
    group = Group(("CSD",), (MatrixRow("int01", {"sector": "CSD"}, cells),))
    counts = (ThemeCount("2.3", "CSD", 1, 1, "all"),)
    sheet = MatrixSheet("2 Practice\x07", (THEME,), ("sector",), (group,), ("transcript",), counts)
    book = MatrixBook("Study", (sheet,), ("sector",), key_issues={"2.3": "Squeezed\x01."})
    out = tmp_path / "r.docx"
    write_docx(book, out)
    text = [p.text for p in Document(str(out)).paragraphs]
    assert "int01: Vacancies high" in text
    assert "2 Practice" in text
    assert "Squeezed." in text


def test_quotes_with_a_control_character(tmp_path: Path) -> None:
    quote = Quote("2.3", "int01:4", "int01", "We\x02 cancel it", "[Director, CSD]", None,
                  1, "int01", 4, False, "int01, line 4")  # fmt: skip
    out = tmp_path / "q.docx"
    write_quotes([quote], {"2.3": "Supervision"}, out)
    text = [p.text for p in Document(str(out)).paragraphs]
    assert "\u201cWe cancel it\u201d [Director, CSD]" in text
