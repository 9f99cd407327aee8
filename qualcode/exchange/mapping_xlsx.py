"""The mapping workbook: Co-occurrence, Associations and Typology sheets in one .xlsx.

Long tables (one row per pair, per theme and group, per type) so that a researcher
can filter and sort them; the settings each was made with head its sheet. The same
rows are written on their own (``qualcode mapping export``) or appended to the
matrix workbook (:func:`write_mapping_sheets`, ``qualcode matrix export X.xlsx``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from qualcode.domain.mapping import MappingBook
from qualcode.exchange.files import replacing

COOCCURRENCE = "Co-occurrence"
ASSOCIATIONS = "Associations"
TYPOLOGY = "Typology"
# characters XML 1.0 cannot hold (as openpyxl's ILLEGAL_CHARACTERS_RE)
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

Row = tuple[list[Any], bool]  # the values, and whether the row is a bold header


def write_mapping_xlsx(book: MappingBook, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in SHEETS:
        ws = wb.create_sheet(title)
        header = False
        for values, bold in rows(book):
            _append(ws, values, bold)
            header = header or bold
        if header:  # the settings line and the column names stay in view
            ws.freeze_panes = "A3"
    wb.properties.title = book.title
    with replacing(path) as tmp:
        wb.save(tmp)


def write_mapping_sheets(
    workbook: Any, book: MappingBook, sheet_title: Callable[[str], str]
) -> None:
    """Append the three sheets to an XlsxWriter ``workbook`` (the matrix export's),
    each named by ``sheet_title`` (which keeps the workbook's names unique)."""
    bold = workbook.add_format({"bold": True})
    for title, rows in SHEETS:
        ws = workbook.add_worksheet(sheet_title(title))
        header = False
        for n, (values, is_header) in enumerate(rows(book)):
            fmt = bold if is_header else None
            for col, value in enumerate(values):
                if isinstance(value, str):
                    ws.write_string(n, col, _ILLEGAL.sub("", value), fmt)
                elif value is not None:
                    ws.write(n, col, value, fmt)
            header = header or is_header
        if header:
            ws.freeze_panes(2, 0)


def _append(ws: Any, values: Sequence[Any], bold: bool = False) -> None:
    """A row; text is never taken for a formula, characters XML cannot hold are dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, 1):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)


def _cooccurrence(book: MappingBook) -> Iterator[Row]:
    table = book.cooccurrence
    yield [f"Passages co-occur within {table.within} segment(s) of each other"], False
    yield (
        ["theme A", "label A", "theme B", "label B", "cases with both", "case Jaccard",
         "passages", "passage Jaccard"],
        True,
    )  # fmt: skip
    for p in table.pairs:
        if p.a == p.b:
            continue
        yield (
            [p.a, table.labels.get(p.a, ""), p.b, table.labels.get(p.b, ""), p.cases,
             p.case_jaccard, p.passages, p.passage_jaccard],
            False,
        )  # fmt: skip


def _associations(book: MappingBook) -> Iterator[Row]:
    if book.attribute is None:
        yield [book.no_associations or "No comparison asked for: export with --by ATTR"], False
        return
    yield [f"Each theme by {book.attribute}; strongest first"], False
    yield (
        ["theme", "label", "group", "cases", "total", "percent", "wording", "difference (points)",
         "test", "p", "q (BH)", "sentence", "caveat"],
        True,
    )  # fmt: skip
    for a in book.associations:
        for g in a.groups:
            n = g.counts[a.focus] if g.counts else 0
            yield (
                [a.subject, a.label, g.group, n, g.total, round(100.0 * g.share(a.focus), 1),
                 g.wording, a.difference, a.test, a.p_value, a.q_value, a.sentence, a.caveat],
                False,
            )  # fmt: skip


def _typology(book: MappingBook) -> Iterator[Row]:
    t = book.typology
    if t is None:
        yield ["No typology built yet: run `qualcode typology build`"], False
        return
    yield [f"Method: {t.method}"], False
    yield ["type", "name", "cases", "members", "defining themes"], True
    for x in t.types:
        defining = "; ".join(
            f"{d[0]} {t.labels.get(d[0], '')} ({d[1]:.0%} in the type, {d[2]:.0%} outside)"
            for d in x.defining
        )
        yield [x.number, x.name, len(x.members), ", ".join(x.members), defining], False


SHEETS: tuple[tuple[str, Callable[[MappingBook], Iterator[Row]]], ...] = (
    (COOCCURRENCE, _cooccurrence),
    (ASSOCIATIONS, _associations),
    (TYPOLOGY, _typology),
)
