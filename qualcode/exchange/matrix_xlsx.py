"""The framework matrix as an .xlsx workbook (Excel and LibreOffice).

One sheet per matrix sheet (a top-level theme): cases as rows grouped by the chosen
attributes, themes as columns, each cell the summary with its passage references.
Each group starts with a heading row and ends with a row of counts ("4 of 6 (the
majority)") and, when any was written, the group's synthesis. Then a "Cases" sheet
of case attributes and a "Counts" sheet in long format.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qualcode.domain.matrix import DRAFTED, NOT_DISCUSSED, MatrixBook, MatrixSheet
from qualcode.exchange.files import replacing
from qualcode.exchange.matrix_text import (
    cell_text,
    column_title,
    count_text,
    group_count,
    group_heading,
)

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
THEME_WIDTH = 45
CASE_WIDTH = 14


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    base = _BAD_TITLE.sub(" ", text).strip()[:31] or "Sheet"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def write_xlsx(book: MatrixBook, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    styles = _Styles()
    taken: set[str] = set()
    for sheet in book.sheets:
        _matrix_sheet(wb.create_sheet(sheet_title(sheet.title, taken)), sheet, styles)
    _cases_sheet(wb.create_sheet(sheet_title("Cases", taken)), book, styles)
    _counts_sheet(wb.create_sheet(sheet_title("Counts", taken)), book, styles)
    wb.properties.title = book.title
    with replacing(path) as tmp:
        wb.save(tmp)


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.bold = Font(bold=True)
        self.italic = Font(italic=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.header_fill = PatternFill("solid", fgColor="DDE4EE")
        self.group_fill = PatternFill("solid", fgColor="EEEEEE")
        self.draft_fill = PatternFill("solid", fgColor="FFF4CC")
        self.not_discussed_fill = PatternFill("solid", fgColor="F2F2F2")


class _Rows:
    """Writes rows one after another (``ws.max_row`` would rescan the sheet each time).

    Text is never taken for a formula, and characters XML cannot hold are dropped.
    """

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.row = 0

    def append(self, values: list[Any], width: int = 0) -> list[Any]:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self.row += 1
        padded = [*values, *([None] * (width - len(values)))]
        cells = []
        for col, value in enumerate(padded, 1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = self.ws.cell(row=self.row, column=col, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            cells.append(cell)
        return cells


def _matrix_sheet(ws: Any, sheet: MatrixSheet, st: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    out = _Rows(ws)
    lead = ["case", *sheet.by]
    header = [*lead, *(column_title(t) for t in sheet.themes)]
    width = len(header)
    for cell in out.append(header):
        cell.font, cell.fill, cell.alignment = st.bold, st.header_fill, st.wrap
    first = len(lead)
    for i in range(1, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = CASE_WIDTH if i <= first else THEME_WIDTH
    ws.freeze_panes = ws.cell(row=2, column=first + 1)
    padding = [""] * (len(lead) - 1)
    for group in sheet.groups:
        if sheet.by:
            cells = out.append([group_heading(group)], width)
            for cell in cells:
                cell.fill = st.group_fill
            cells[0].font = st.bold
        for mrow in group.rows:
            values = [mrow.case, *(_attr(mrow.attributes.get(n)) for n in sheet.by)]
            cells = out.append([*values, *(cell_text(c) for c in mrow.cells)])
            for target, c in zip(cells[first:], mrow.cells, strict=True):
                target.alignment = st.wrap
                if c.summary.status == DRAFTED:
                    target.fill = st.draft_fill
                elif c.summary.status == NOT_DISCUSSED:
                    target.fill = st.not_discussed_fill
        label = "cases raising it" if sheet.by else "all cases raising it"
        counts = [count_text(group_count(sheet, group, t.id)) for t in sheet.themes]
        for cell in out.append([label, *padding, *counts]):
            cell.font = st.italic
        if any(s.text for s in group.syntheses):
            texts = [s.text for s in group.syntheses]
            for cell in out.append(["synthesis", *padding, *texts]):
                cell.font, cell.alignment = st.italic, st.wrap


def _cases_sheet(ws: Any, book: MatrixBook, st: _Styles) -> None:
    out = _Rows(ws)
    for cell in out.append(["case", *book.attribute_names]):
        cell.font, cell.fill = st.bold, st.header_fill
    for row in book.cases:
        out.append([row.case, *(_attr(row.attributes.get(n)) for n in book.attribute_names)])
    ws.freeze_panes = "B2"


def _counts_sheet(ws: Any, book: MatrixBook, st: _Styles) -> None:
    out = _Rows(ws)
    for cell in out.append(["sheet", "theme", "label", "group", "cases", "total", "wording"]):
        cell.font, cell.fill = st.bold, st.header_fill
    for sheet in book.sheets:
        labels = {t.id: t.label for t in sheet.themes}
        for c in sheet.counts:
            label = labels.get(c.theme, "")
            out.append([sheet.title, c.theme, label, c.group or "", c.cases, c.total, c.wording])
    ws.freeze_panes = "A2"


def _attr(value: object) -> object:
    return "" if value is None else value
