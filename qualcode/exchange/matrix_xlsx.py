"""The framework matrix as an .xlsx workbook (Excel and LibreOffice).

One sheet per matrix sheet (a top-level theme): cases as rows grouped by the chosen
attributes, themes as columns, each cell the summary with its passage references.
Each group starts with a heading row and ends with a row of counts ("4 of 6 (the
majority)") and, when any was written, the group's synthesis. Then a "Cases" sheet
of case attributes and a "Counts" sheet in long format.

Written with XlsxWriter in constant-memory mode: each row goes to disk as it is
written, so a study of ten thousand cases needs no workbook in memory. A sheet is
one function taking a :class:`SheetWriter`; rows must be written top to bottom.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qualcode.domain.matrix import (
    DRAFTED,
    FINAL,
    NOT_DISCUSSED,
    WRITTEN,
    MatrixBook,
    MatrixSheet,
)
from qualcode.exchange.files import replacing
from qualcode.exchange.mapping_xlsx import write_mapping_sheets
from qualcode.exchange.matrix_text import (
    cell_text,
    column_title,
    count_text,
    group_count,
    group_heading,
)

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
# characters XML 1.0 cannot hold (as openpyxl's ILLEGAL_CHARACTERS_RE)
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
THEME_WIDTH = 45
CASE_WIDTH = 14
HEADER_FILL = "#DDE4EE"
GROUP_FILL = "#EEEEEE"
DRAFT_FILL = "#FFF4CC"
WRITTEN_FILL = "#E2EFDA"
NOT_DISCUSSED_FILL = "#F2F2F2"


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    # "querying Requirement 1: Querying" read "querying Requirement 1  Queryin": one
    # space for each run, and a long name cut at a word (a short one keeps its start)
    plain = " ".join(_BAD_TITLE.sub(" ", text).split())
    base = plain[:31]
    if len(plain) > 31:
        cut = plain[:30].rsplit(" ", 1)[0]
        base = (cut if len(cut) >= 16 else plain[:30]) + "\u2026"
    base = base or "Sheet"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def write_xlsx(book: MatrixBook, path: Path) -> None:
    from xlsxwriter.exceptions import FileCreateError

    with replacing(path) as tmp:
        workbook = _workbook(tmp)
        styles = _Styles(workbook)
        taken: set[str] = set()
        for sheet in book.sheets:
            _matrix_sheet(_sheet(workbook, sheet.title, taken, styles), sheet)
        _key_sheet(_sheet(workbook, "Key", taken, styles), book)
        _cases_sheet(_sheet(workbook, "Cases", taken, styles), book)
        _counts_sheet(_sheet(workbook, "Counts", taken, styles), book)
        if book.mapping is not None:
            write_mapping_sheets(workbook, book.mapping, lambda t: sheet_title(t, taken))
        workbook.set_properties({"title": book.title})
        try:
            workbook.close()
        except FileCreateError as exc:  # wraps the OSError (a full disk) that replacing reports
            raise exc.args[0] from None


def _workbook(path: Path) -> Any:
    from xlsxwriter import Workbook

    # text is text: never taken for a formula, a number or a link
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    return Workbook(str(path), options)


def _sheet(workbook: Any, title: str, taken: set[str], styles: _Styles) -> SheetWriter:
    return SheetWriter(workbook.add_worksheet(sheet_title(title, taken)), styles)


class _Styles:
    """The cell formats, made once per workbook."""

    def __init__(self, workbook: Any) -> None:
        def fmt(**props: object) -> Any:
            return workbook.add_format(props)

        top = {"text_wrap": True, "valign": "top"}
        self.header = fmt(bold=True, bg_color=HEADER_FILL, **top)
        self.header_plain = fmt(bold=True, bg_color=HEADER_FILL)
        self.group = fmt(bg_color=GROUP_FILL)
        self.group_title = fmt(bold=True, bg_color=GROUP_FILL)
        self.italic = fmt(italic=True)
        self.italic_wrap = fmt(italic=True, **top)
        self.wrap = fmt(**top)
        self.percent = fmt(num_format="0%")
        self.by_status = {
            DRAFTED: fmt(bg_color=DRAFT_FILL, **top),
            WRITTEN: fmt(bg_color=WRITTEN_FILL, **top),
            NOT_DISCUSSED: fmt(bg_color=NOT_DISCUSSED_FILL, **top),
        }


class SheetWriter:
    """Writes rows one after another, each cell with an optional format.

    Text is cleaned of characters XML cannot hold and written as text (a leading
    "=" stays text).
    """

    def __init__(self, ws: Any, styles: _Styles) -> None:
        self.ws = ws
        self.styles = styles
        self.row = -1

    def append(self, values: list[Any], fmt: Any = None, width: int = 0) -> None:
        """One row, every cell (padded with blanks to ``width``) in ``fmt``."""
        self.row += 1
        for col, value in enumerate(values):
            self.cell(col, value, fmt)
        if fmt is not None:
            for col in range(len(values), width):
                self.ws.write_blank(self.row, col, None, fmt)

    def cell(self, col: int, value: Any, fmt: Any = None) -> None:
        if type(value) is str:  # most cells: tested first, cleaned only when not empty
            if value:  # (a printable text holds none of the characters cleaned out)
                clean = value if value.isprintable() else _ILLEGAL.sub("", value)
                self.ws.write_string(self.row, col, clean, fmt)
            elif fmt is not None:
                self.ws.write_string(self.row, col, value, fmt)
        elif value is None:
            if fmt is not None:
                self.ws.write_blank(self.row, col, None, fmt)
        elif isinstance(value, str):
            if value or fmt is not None:
                self.ws.write_string(self.row, col, _ILLEGAL.sub("", value), fmt)
        elif isinstance(value, bool):
            self.ws.write_boolean(self.row, col, value, fmt)
        elif isinstance(value, int | float):
            self.ws.write_number(self.row, col, value, fmt)
        else:
            self.ws.write_string(self.row, col, _ILLEGAL.sub("", str(value)), fmt)


def _matrix_sheet(out: SheetWriter, sheet: MatrixSheet) -> None:
    st = out.styles
    lead = ["case", *sheet.by]
    header = [*lead, *(column_title(t) for t in sheet.themes)]
    width = len(header)
    first = len(lead)
    out.ws.set_column(0, first - 1, CASE_WIDTH)
    if width > first:
        out.ws.set_column(first, width - 1, THEME_WIDTH)
    out.ws.freeze_panes(1, first)
    out.append(header, st.header)
    padding = [""] * (len(lead) - 1)
    write, wrap, by_status = out.ws.write_string, st.wrap, st.by_status
    columns = range(first, width)
    cell, by_columns = out.cell, list(enumerate(sheet.by, 1))
    for group in sheet.groups:
        if sheet.by:
            out.append([], st.group, width)
            out.cell(0, group_heading(group), st.group_title)
        for mrow in group.rows:  # (as append() would, without a list per row)
            out.row += 1
            row = out.row
            cell(0, mrow.case)
            for col, name in by_columns:
                value = mrow.attributes.get(name)
                if value is not None:  # (a missing value is an empty, unwritten cell)
                    cell(col, value)
            held = mrow.held()  # most rows of a large survey: none, or one or two
            if not held:
                for col in columns:  # blank: an empty text in the plain format
                    write(row, col, "", wrap)
                continue
            for col in columns:
                c = held.get(col - first)
                if c is None:
                    write(row, col, "", wrap)
                else:
                    cell(col, cell_text(c), by_status.get(c.summary.status, wrap))
        label = "cases raising it" if sheet.by else "all cases raising it"
        counts = [count_text(group_count(sheet, group, t.id)) for t in sheet.themes]
        out.append([label, *padding, *counts], st.italic)
        if any(s.text for s in group.syntheses):
            out.append(["synthesis", *padding, *(s.text for s in group.syntheses)], st.italic_wrap)


# what each cell's fill says (a final summary has none, as an empty cell has none)
LEGEND = (
    (DRAFTED, "drafted: a draft to check (D drafts a sheet; a summary typed as a draft)"),
    (WRITTEN, "written: typed by a researcher, not yet final"),
    (NOT_DISCUSSED, "not discussed: the case did not speak to the theme"),
    (FINAL, "final: no fill"),
)


def _key_sheet(out: SheetWriter, book: MatrixBook) -> None:
    """What the matrix sheets' fills say, then each theme's key issues (the .md and
    .docx close each theme's section with them; here they would have no place)."""
    out.ws.set_column(0, 0, CASE_WIDTH)
    out.ws.set_column(1, 1, THEME_WIDTH * 2)
    out.append(["fill", "the cell's summary is"], out.styles.header_plain)
    for status, said in LEGEND:
        out.append(["", said])
        out.cell(0, status, out.styles.by_status.get(status, out.styles.wrap))
    out.append(["", "an empty cell with no fill: nothing summarised yet"])
    if not book.key_issues:
        return
    labels = {t.id: t.label for sheet in book.sheets for t in sheet.themes}
    out.append([])
    out.append(["theme", "key issues"], out.styles.header_plain)
    for theme, text in book.key_issues.items():
        named = f"{theme} {labels[theme]}" if theme in labels else theme
        out.append([named, text], out.styles.wrap)


def _cases_sheet(out: SheetWriter, book: MatrixBook) -> None:
    out.append(["case", *book.attribute_names], out.styles.header_plain)
    cell, named = out.cell, list(enumerate(book.attribute_names, 1))
    for row in book.cases:  # (as append() would, without a list per row)
        out.row += 1
        cell(0, row.case)
        for col, name in named:
            value = row.attributes.get(name)
            if value is not None:
                cell(col, value)
    out.ws.freeze_panes(1, 1)


def _counts_sheet(out: SheetWriter, book: MatrixBook) -> None:
    # "share" is a number shown as a percentage, so a sheet can be sorted and charted
    # by it; the report's own rounding is in "wording".
    header = ["sheet", "theme", "label", "group", "cases", "total", "share", "wording"]
    out.append(header, out.styles.header_plain)
    for sheet in book.sheets:
        labels = {t.id: t.label for t in sheet.themes}
        for c in sheet.counts:
            label = labels.get(c.theme, "")
            out.append([sheet.title, c.theme, label, c.group or "", c.cases, c.total])
            out.cell(6, c.cases / c.total if c.total else None, out.styles.percent)
            out.cell(7, c.wording)
    out.ws.freeze_panes(1, 0)
