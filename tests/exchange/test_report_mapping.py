"""The .docx report's mapping material from a hand-made book (no database): dimension
sentences per group, extra paragraphs and key issues closing each theme's section."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from qualcode.domain.dimension_wording import dimension_count
from qualcode.domain.matrix import (
    Cell,
    Group,
    MatrixBook,
    MatrixRow,
    MatrixSheet,
    Summary,
    ThemeCount,
)
from qualcode.domain.model import Theme
from qualcode.exchange.matrix_tables import write_md
from qualcode.exchange.report_docx import write_docx

THEMES = (Theme("2.3", "Supervision", "2"), Theme("2.4", "Workload", "2"))


def row(case: str) -> MatrixRow:
    cells = tuple(Cell(case, t.id, (), Summary(case, t.id)) for t in THEMES)
    return MatrixRow(case, {"sector": "CSD"}, cells)


def book() -> MatrixBook:
    group = Group(("CSD",), (row("int01"), row("int03")))
    counts = tuple(ThemeCount(t.id, "CSD", 0, 2, "none") for t in THEMES)
    sheet = MatrixSheet("2 Practice", THEMES, ("sector",), (group,), ("transcript",), counts)
    held = {"int01": "mixed", "int03": "mixed"}
    cases = ["int01", "int03"]
    count = dimension_count("2.3", "stance", ("positive", "mixed"), "CSD", cases, held,
                            "interviewees", "CSD")  # fmt: skip
    return MatrixBook(
        "Study", (sheet,), ("sector",),
        dimension_counts={("2.3", "CSD"): (count,)},
        key_issues={"2.3": "Squeezed.\nRarely reflective.", "2": "Practice varies."},
        sheet_roots=("2",),
        extra_paragraphs={"2.3": ("Fewer in adult services (1 of 5) than in CSD (2 of 2).",)},
    )  # fmt: skip


def test_docx_theme_section_ends_with_extras_then_key_issues(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    write_docx(book(), out)
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    start = paragraphs.index("2.3 Supervision")
    end = paragraphs.index("2.4 Workload")
    assert paragraphs[start:end][-5:] == [
        "Both CSD interviewees with a recorded stance were mixed.",
        "Fewer in adult services (1 of 5) than in CSD (2 of 2).",
        "Key issues",
        "Squeezed.",
        "Rarely reflective.",
    ]
    assert paragraphs[paragraphs.index("Key issues: 2 Practice") + 1] == "Practice varies."
    workload = paragraphs[end : paragraphs.index("Key issues: 2 Practice")]
    assert "Key issues" not in workload  # no note, no heading


def test_markdown_key_issues(tmp_path: Path) -> None:
    out = tmp_path / "m.md"
    write_md(book(), out)
    text = out.read_text()
    assert "### Key issues: 2.3 Supervision\n\nSqueezed.\nRarely reflective.\n" in text
    assert "### Key issues: 2 Practice\n\nPractice varies.\n" in text


def test_a_book_without_mapping_material_writes_as_before(tmp_path: Path) -> None:
    plain = MatrixBook("Study", book().sheets, ("sector",))
    out = tmp_path / "p.docx"
    write_docx(plain, out)
    assert not any(p.text.startswith("Key issues") for p in Document(str(out)).paragraphs)


def test_a_cell_marked_not_discussed_reads_so_in_the_docx_as_in_the_workbook(
    tmp_path: Path,
) -> None:
    """It read "(not summarised yet)" in the .docx where the .xlsx said "not discussed"."""
    from qualcode.domain.matrix import NOT_DISCUSSED, Passage
    from qualcode.exchange.matrix_text import cell_text

    said = Passage(1, "int01", "int01", "2.3", 0, 9, 4, "Rarely.", False, "alice")
    marked = Cell("int01", "2.3", (said,), Summary("int01", "2.3", status=NOT_DISCUSSED))
    waiting = Cell("int03", "2.3", (said,), Summary("int03", "2.3"))
    paragraphs = _report_with(tmp_path, marked, waiting)
    assert any(p.startswith("int01: not discussed") for p in paragraphs)
    assert any(p.startswith("int03: (not summarised yet)") for p in paragraphs)
    assert cell_text(marked).startswith("not discussed")  # as the workbook writes it


def test_a_drafted_summary_is_marked_in_the_docx(tmp_path: Path) -> None:
    """A draft (`D` drafts a whole sheet) read in the report as if final."""
    from qualcode.domain.matrix import DRAFTED, FINAL

    draft = Cell("int01", "2.3", (), Summary("int01", "2.3", "Monthly, mostly.", DRAFTED))
    final = Cell("int03", "2.3", (), Summary("int03", "2.3", "Rarely.", FINAL))
    paragraphs = _report_with(tmp_path, draft, final)
    assert "int01: Monthly, mostly. [draft]" in paragraphs
    assert "int03: Rarely." in paragraphs


def _report_with(tmp_path: Path, first: Cell, second: Cell) -> list[str]:
    """The .docx paragraphs of ``book()`` with int01's and int03's 2.3 cells replaced."""
    from dataclasses import replace

    group = book().sheets[0].groups[0]
    rows = tuple(
        replace(r, cells=(cell, r.cells[1]))
        for r, cell in zip(group.rows, (first, second), strict=True)
    )
    sheet = replace(book().sheets[0], groups=(replace(group, rows=rows),))
    out = tmp_path / "r.docx"
    write_docx(replace(book(), sheets=(sheet,)), out)
    return [p.text for p in Document(str(out)).paragraphs]
