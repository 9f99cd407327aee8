"""CSV, TSV and XLSX tables (survey exports, case attributes) read as text cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from qualcode.domain.documents import Table, TableRow
from qualcode.domain.ids import snake_key
from qualcode.errors import InputError
from qualcode.ingest.encoding import (
    EMPTY,
    decode_bytes,
    failure_reason,
    read_bytes,
    windows_1252_note,
)
from qualcode.ingest.limits import check_office_file
from qualcode.ingest.sheet_rows import (
    Merge,
    column_letter,
    csv_problem,
    has_formulas,
    merged_down,
    sheet_records,
)
from qualcode.ingest.survey_tools import tool_header
from qualcode.ingest.text import normalise_newlines

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_DELIMITERS = (",", ";", "\t", "|")

Record = tuple[int, list[str]]  # (row number in the file, cell values)


def _delimiter(text: str, suffix: str) -> str:
    """Tab for .tsv; otherwise whichever candidate the header line uses most."""
    if suffix in {".tsv", ".tab"}:
        return "\t"
    header = next((line for line in text.split("\n") if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_records(path: Path, data: bytes) -> Iterator[Record]:
    text = normalise_newlines(decode_bytes(data, path))
    first_row = 1
    if text.startswith("sep=") and text[5:6] in ("\n", ""):  # Excel's delimiter hint line
        delimiter, text, first_row = text[4], text[6:], 2
    else:
        delimiter = _delimiter(text, path.suffix.lower())
    # strict: a quote that never closes is an error, not the rest of the file folded
    # into one answer
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = first_row - 1
    line = 0
    try:
        for values in reader:
            number += 1
            line = reader.line_num
            yield number, values
    except csv.Error as exc:
        raise InputError(
            csv_problem(exc, line + first_row), path, number + 1, where="row"
        ) from None


def _xlsx_sheets(path: Path, needed: str | None) -> tuple[list[Record], str | None, list[Merge]]:
    """The records of the first sheet, or of the first sheet holding the ``needed``
    column when the first does not (a workbook whose first sheet is a cover note),
    a note naming the sheet read then, and the sheet's cells merged down."""
    import openpyxl  # only when a spreadsheet is read: it is slow to import

    data = read_bytes(path)  # the same plain errors for a missing file or a folder
    check_office_file(data, path, ".xlsx")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = (
            openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if has_formulas(data)
            else None
        )
    except Exception as exc:  # openpyxl fails with zip, XML and KeyError types alike
        reason = failure_reason(exc)
        raise InputError(f"not a readable .xlsx file ({reason})", path) from None
    try:
        if not workbook.worksheets:
            return [], None, []
        first = list(sheet_records(workbook, formulas, path, 0))
        if needed is None or header_index(first, needed) is not None:
            return first, None, merged_down(workbook, 0)
        names = workbook.sheetnames
        for index in range(1, len(names)):
            records = list(sheet_records(workbook, formulas, path, index))
            if header_index(records, needed) is not None:
                note = (
                    f"{path.name}: read the sheet {names[index]!r}: the first sheet, "
                    f"{names[0]!r}, has no column {needed!r}"
                )
                return records, note, merged_down(workbook, index)
        return first, None, merged_down(workbook, 0)
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()


MAX_TITLE_ROWS = 20  # a header further down than this is not looked for
MAX_TITLE_CELLS = 2  # a title or note above the header fills a cell or two


def _matches(cell: str, needed: str) -> bool:
    return cell.strip() == needed.strip() or snake_key(cell) == snake_key(needed) != ""


def header_index(records: Sequence[Record], needed: str) -> int | None:
    """Which of the non-blank ``records`` is the header: the first, or the first to
    hold the ``needed`` column below rows of a cell or two (a title, a note); None if
    no row near the top holds it."""
    kept = [values for _number, values in records if any(v.strip() for v in values)]
    for index, values in enumerate(kept[:MAX_TITLE_ROWS]):
        if any(_matches(v, needed) for v in values):
            return index
        if sum(1 for v in values if v.strip()) > MAX_TITLE_CELLS:
            return None  # a wide row that is not the header: a real first row
    return None


def _header(number: int, cells: list[str], records: Sequence[Record], path: Path) -> list[str]:
    """The stripped column names; empty trailing columns with no data are dropped, and
    an unnamed column with no data elsewhere is named "" (the caller leaves it out)."""
    names = [cell.strip() for cell in cells]
    width = max([len(names)] + [len(values) for _row, values in records])
    used = [
        any(i < len(values) and values[i].strip() for _row, values in records) for i in range(width)
    ]
    while names and not names[-1] and not used[len(names) - 1]:
        names.pop()
    seen: set[str] = set()
    for column, name in enumerate(names, start=1):
        if not name and not used[column - 1]:
            continue  # a spacer column, as spreadsheets have between blocks
        if not name:
            problem = (
                f"empty column name in the header (column {column}): name the column, or "
                "delete it if it is a row number (as pandas' to_csv writes one)"
            )
            raise InputError(problem, path, number, where="row")
        if name in seen:
            problem = f"duplicate column name {name!r} in the header"
            raise InputError(problem, path, number, where="row")
        seen.add(name)
    return names


def _table(
    path: Path,
    records: Iterable[Record],
    needed: str | None = None,
    sheet: str | None = None,
    whole_rows: bool = False,
    merges: Sequence[Merge] = (),
) -> Table:
    """``whole_rows``: a row with fewer values than the header is refused (a CSV row
    cut short is a broken export; a workbook leaves trailing empty cells out).
    ``merges``: a workbook's cells merged down, whose value goes to each row."""
    kept = [(number, values) for number, values in records if any(v.strip() for v in values)]
    if not kept:
        raise InputError(EMPTY, path)
    top = header_index(kept, needed) if needed is not None else None
    notes = [sheet] if sheet else []
    if top:
        above = " / ".join(
            " ".join(v.strip() for v in values if v.strip()) for _n, values in kept[:top]
        )
        notes.append(
            f"{path.name}: the header is row {kept[top][0]}; the rows above it are a title, "
            f"skipped: {above[:80]!r}"
        )
        kept = kept[top:]
    (header_row, header_cells), data = kept[0], kept[1:]
    tool = tool_header(path.name, header_cells, data)
    data = data[tool.skipped :]
    filled = _fill_merged(data, merges)
    if filled:
        notes.append(
            f"{path.name}: merged cells {', '.join(filled)} read as their value on each "
            "row they cover"
        )
    columns = _header(header_row, tool.cells, data, path)
    rows: list[TableRow] = []
    for number, values in data:
        if any(value.strip() for value in values[len(columns) :]):
            raise InputError(
                f"{len(values)} values but the header has {len(columns)} columns",
                path,
                number,
                where="row",
            )
        if whole_rows and len(values) < len(columns):
            raise InputError(
                f"{len(values)} values but the header has {len(columns)} columns (a row cut "
                "short: a broken export, or a quote left open above it; fill the row out)",
                path,
                number,
                where="row",
            )
        padded = values[: len(columns)] + [""] * (len(columns) - len(values))
        row = dict(zip(columns, padded, strict=True))
        row.pop("", None)
        rows.append(TableRow(number, row))
    notes += [tool.note] if tool.note else []
    spacers = [str(i) for i, name in enumerate(columns, start=1) if not name]
    if spacers:
        which = "column " if len(spacers) == 1 else "columns "
        notes.append(
            f"{path.name}: {which}{', '.join(spacers)} of the header, with no name and no "
            "values, left out"
        )
    named = tuple(name for name in columns if name)
    return Table(path.name, named, tuple(rows), tool.wording, tuple(notes))


def _fill_merged(data: list[Record], merges: Sequence[Merge]) -> list[str]:
    """Give each data row the value of the cell merged down over it (in place); the
    ranges filled, as a spreadsheet names them. Merges in the header are not data."""
    at = dict(data)
    filled = []
    for column, top, bottom in merges:
        first = at.get(top)
        if first is None or column >= len(first) or not first[column].strip():
            continue
        for number in range(top + 1, bottom + 1):
            values = at.get(number)
            if values is None:
                continue
            values.extend([""] * (column + 1 - len(values)))
            if not values[column].strip():
                values[column] = first[column]
        letter = column_letter(column + 1)
        filled.append(f"{letter}{top}:{letter}{bottom}")
    return filled


def read_table(path: Path, needed: str | None = None) -> Table:
    """A .csv/.tsv or .xlsx (first sheet) table; every value is a string. ``needed``: a
    column the table must have (the id column): the header may then sit below a title,
    and a workbook's first sheet holding that column is read, each with a note."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError("is a folder, not a file", path)
    if suffix in XLSX_SUFFIXES:
        records, sheet, merges = _xlsx_sheets(path, needed)
        return _table(path, records, needed, sheet, merges=merges)
    if suffix in CSV_SUFFIXES:
        data = read_bytes(path)
        table = _table(path, _csv_records(path, data), needed, whole_rows=True)
        guessed = windows_1252_note(data)
        if guessed is None:
            return table
        return replace(table, notes=(f"{path.name}: {guessed}", *table.notes))
    if suffix == ".xls":
        raise InputError("the old .xls format is not supported: save it as .xlsx or .csv", path)
    raise InputError(f"unsupported table file type {suffix or '(none)'!r}: use .csv or .xlsx", path)
