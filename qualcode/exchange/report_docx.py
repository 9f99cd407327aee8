"""A .docx report skeleton: per theme and group, the count wording, the dimension
breakdown, the cell summaries and illustrative quotes with attributions; per theme,
the book's extra paragraphs (comparisons, associations) and the key issues closing its
section - the material a report chapter starts from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qualcode.domain.matrix import (
    DRAFTED,
    NOT_DISCUSSED,
    Cell,
    MatrixBook,
    MatrixSheet,
    Quote,
    noun,
)
from qualcode.domain.wording import sentence
from qualcode.exchange.files import replacing
from qualcode.exchange.matrix_text import (
    NOT_SUMMARISED,
    column_title,
    group_count,
    refs_text,
)
from qualcode.exchange.xml_text import heading, paragraph, run

# more cells than this in a group coded but not summarised are told in one line
MAX_WAITING_LISTED = 12


def write_docx(book: MatrixBook, path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.core_properties.title = book.title
    heading(doc, book.title, level=0)
    for index, sheet in enumerate(book.sheets):
        _sheet(doc, sheet, book)
        root = book.sheet_roots[index] if index < len(book.sheet_roots) else None
        if root is not None and root not in {t.id for t in sheet.themes}:
            _closing(doc, book, root, f"Key issues: {sheet.title}")
    heading(doc, "Cases", level=1)
    _case_lists(doc, book)
    with replacing(path) as tmp:
        doc.save(str(tmp))


def _sheet(doc: Any, sheet: MatrixSheet, book: MatrixBook) -> None:
    heading(doc, sheet.title, level=1)
    who = noun(sheet.kinds)
    for index, theme in enumerate(sheet.themes):
        heading(doc, column_title(theme), level=2)
        for group in sheet.groups:
            if sheet.by:
                heading(doc, group.label, level=3)
            count = group_count(sheet, group, theme.id)
            label, people = _group_words(sheet.by, group.key, who)
            paragraph(doc, f"{sentence(count.cases, count.total, people, label)} raised this.")
            for breakdown in book.dimension_counts.get((theme.id, group.label), ()):
                paragraph(doc, breakdown.sentence)
            synthesis = group.syntheses[index].text if group.syntheses else ""
            if synthesis:
                paragraph(doc, synthesis).runs[0].italic = True
            waiting = [
                row
                for row in group.rows
                if row.cells[index].passages and not row.cells[index].summary.text
            ]
            folded = len(waiting) > MAX_WAITING_LISTED
            for row in group.rows:
                cell = row.cells[index]
                checked = cell.summary.status == NOT_DISCUSSED  # a researcher's finding too
                if not (cell.summary.text or checked or (cell.passages and not folded)):
                    continue
                item = paragraph(doc, style="List Bullet")
                run(item, f"{row.case}: ").bold = True
                run(item, cell.summary.text or _no_summary(cell))
                if cell.summary.text and cell.summary.status in (DRAFTED, NOT_DISCUSSED):
                    # a draft (one `D` wrote, say) is marked, as in the text exports
                    run(
                        item, f" [{'draft' if cell.summary.status == DRAFTED else 'not discussed'}]"
                    ).italic = True
                refs = refs_text(cell)
                if refs:
                    run(item, f" ({refs})")
            if folded:  # a survey's hundreds of respondents: one line, not a bullet each
                item = paragraph(doc, style="List Bullet")
                run(item, f"{len(waiting):,} {who} with coded passages: ").bold = True
                run(item, f"{NOT_SUMMARISED.strip('()')} (the workbook lists each)")
            for quote in book.quotes.get((theme.id, group.label), ()):
                _quote(doc, quote)
        _closing(doc, book, theme.id, "Key issues")


def _group_words(
    by: tuple[str, ...], key: tuple[str | None, ...], who: str
) -> tuple[str | None, str]:
    """The group and noun of a report sentence: "the CSD interviewees", and for cases
    without a value "the interviewees with no cohort recorded" (not "the (not
    recorded) interviewees")."""
    if not by:
        return None, who
    shown = " / ".join(v for v in key if v is not None) or None
    missing = [name for name, v in zip(by, key, strict=False) if v is None]
    if missing:
        who = f"{who} with no {' or '.join(missing)} recorded"
    return shown, who


def _no_summary(cell: Cell) -> str:
    """What a cell without a summary says: "not discussed" where the researcher marked it
    so (as the workbook and the text exports say), else that it is not summarised yet."""
    return "not discussed" if cell.summary.status == NOT_DISCUSSED else NOT_SUMMARISED


def _closing(doc: Any, book: MatrixBook, theme_id: str, title: str) -> None:
    """The end of a theme's section: extra paragraphs, then its key issues."""
    for text in book.extra_paragraphs.get(theme_id, ()):
        paragraph(doc, text)
    note = book.key_issues.get(theme_id, "").strip()
    if note:
        heading(doc, title, level=3)
        for line in note.splitlines():
            if line.strip():
                paragraph(doc, line.strip())


def _quote(doc: Any, quote: Quote) -> None:
    para = paragraph(doc, style="Quote")
    run(para, f"\u201c{quote.text}\u201d")
    if quote.attribution:
        run(para, f" {quote.attribution}")


def _case_lists(doc: Any, book: MatrixBook) -> None:
    """Every case of the book, listed by group, so a reader can see the sample."""
    groups: dict[str, dict[str, None]] = {}
    for sheet in book.sheets:
        for group in sheet.groups:
            groups.setdefault(group.label, {}).update(dict.fromkeys(r.case for r in group.rows))
    for label, cases in groups.items():
        para = paragraph(doc)
        run(para, f"{label} ({len(cases)} case{'s' if len(cases) != 1 else ''}): ").bold = True
        run(para, ", ".join(cases))
