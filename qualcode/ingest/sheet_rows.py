"""Every row of a spreadsheet or CSV, or an error naming the row: never fewer silently.

- An .xlsx may store a dimension (``A1:C3``) smaller than the sheet really is; some
  writers do. Read-only openpyxl trusts it and stops early, so it is reset first.
- A formula cell without a saved value (a file written by a program, never opened
  in a spreadsheet) would read as empty: it is refused, naming the cell.
- A CSV quote that never closes would swallow the rows after it into one answer.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path
from typing import Any

from qualcode.errors import InputError

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the .xlsx ``data`` holds a formula."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    tail = b""
                    with archive.open(name) as stream:
                        while chunk := stream.read(256 * 1024):
                            if _FORMULA.search(tail + chunk):
                                return True
                            tail = chunk[-8:]
    except (zipfile.BadZipFile, OSError, EOFError):
        return False
    return False


def sheet_records(
    workbook: Any, formulas: Any, path: Path, index: int = 0
) -> Iterator[tuple[int, list[str]]]:
    """Sheet ``index``'s rows as text, numbered from 1; ``formulas`` is the same book
    read without cached values (None when it has no formulas). Read-only openpyxl
    parses as it goes, so a damaged sheet fails here, named as a bad file."""
    number = 0
    try:
        for number, values in _records(workbook, formulas, path, index):
            yield number, values
    except InputError:
        raise
    except Exception as exc:  # openpyxl fails with XML, zip, value and key errors alike
        first = str(exc).strip().splitlines()
        reason = first[0] if first else type(exc).__name__
        raise InputError(
            f"not a readable .xlsx file ({reason})", path, number + 1, where="row"
        ) from None


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')

Merge = tuple[int, int, int]  # (column index from 0, first row, last row), rows from 1


def merged_down(workbook: Any, index: int) -> list[Merge]:
    """The cells of sheet ``index`` merged down one column over several rows ("North"
    beside three respondents): a spreadsheet shows the value on each row, the file
    keeps it on the first. Merges across columns are left alone."""
    sheet = workbook.worksheets[index]
    try:
        xml = workbook._archive.read(sheet._worksheet_path)  # read-only openpyxl's own
    except (AttributeError, KeyError, OSError, zipfile.BadZipFile):
        return []
    return [
        (_column_index(a.decode()), int(top), int(bottom))
        for a, top, b, bottom in _MERGE.findall(xml)
        if a == b and int(bottom) > int(top)
    ]


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


_ZERO_PADDED = re.compile(r"0+")  # Excel's "000": 7 shows as 007


def _padded(value: object, number_format: str | None) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and bool(number_format and _ZERO_PADDED.fullmatch(number_format))
        and float(value).is_integer()
        and value >= 0
    )


def cell_text(value: object, number_format: str | None = None) -> str:
    """An XLSX cell as text: 3 not 3.0, dates in ISO form, empty for None; a whole
    number formatted with leading zeros as the spreadsheet shows it (an id "007"
    stored as 7 read "7", and matched no "007" in a cases sheet)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if _padded(value, number_format):
        return str(int(value)).zfill(len(number_format or ""))  # type: ignore[call-overload]
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _records(
    workbook: Any, formulas: Any, path: Path, index: int
) -> Iterator[tuple[int, list[str]]]:
    sheet = workbook.worksheets[index]
    sheet.reset_dimensions()  # the stored dimension can understate the sheet
    rows = (
        [(cell.value, getattr(cell, "number_format", None)) for cell in cells]
        for cells in sheet.iter_rows(min_row=1)
    )
    if formulas is None:
        for number, values in enumerate(rows, start=1):
            yield number, [cell_text(value, shown) for value, shown in values]
        return
    raw_sheet = formulas.worksheets[index]
    raw_sheet.reset_dimensions()
    raw_rows = raw_sheet.iter_rows(min_row=1, values_only=True)
    for number, (cells, raw) in enumerate(zip_longest(rows, raw_rows, fillvalue=()), start=1):
        values = [value for value, _shown in cells]
        for column, (value, typed) in enumerate(zip_longest(values, raw), start=1):
            if value is None and isinstance(typed, str) and typed.startswith("="):
                raise InputError(
                    f"cell {column_letter(column)}{number} is a formula with no saved value "
                    "(open and save the file in a spreadsheet program, or paste the values)",
                    path,
                    number,
                    where="row",
                )
        yield number, [cell_text(value, shown) for value, shown in cells]


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def csv_problem(exc: Exception, line: int) -> str:
    message = str(exc)
    if "unexpected end of data" in message or "EOF" in message:
        return (
            f"a quote opened in this row (line {line}) is never closed; it would swallow "
            "the rows after it"
        )
    if "field larger than field limit" in message:
        limit = re.search(r"\((\d+)\)", message)
        size = f"{int(limit.group(1)):,} characters" if limit else "the limit"
        return (
            f"a cell longer than {size}, more than any answer: most often a quote opened "
            "in a row above and never closed, which swallows the rows after it"
        )
    return f"not valid CSV ({message})"
