"""The mapping workbook: Co-occurrence, Associations and Typology sheets in one .xlsx.

Long tables (one row per pair, per theme and group, per type) so that a researcher
can filter and sort them; the settings each was made with head its sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qualcode.domain.mapping import MappingBook
from qualcode.exchange.files import replacing

COOCCURRENCE = "Co-occurrence"
ASSOCIATIONS = "Associations"
TYPOLOGY = "Typology"


def write_mapping_xlsx(book: MappingBook, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _cooccurrence(wb.create_sheet(COOCCURRENCE), book)
    _associations(wb.create_sheet(ASSOCIATIONS), book)
    _typology(wb.create_sheet(TYPOLOGY), book)
    wb.properties.title = book.title
    with replacing(path) as tmp:
        wb.save(tmp)


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


def _cooccurrence(ws: Any, book: MappingBook) -> None:
    table = book.cooccurrence
    _append(ws, [f"Passages co-occur within {table.within} segment(s) of each other"])
    _append(
        ws,
        ["theme A", "label A", "theme B", "label B", "cases with both", "case Jaccard",
         "passages", "passage Jaccard"],
        bold=True,
    )  # fmt: skip
    for p in table.pairs:
        if p.a == p.b:
            continue
        _append(
            ws,
            [p.a, table.labels.get(p.a, ""), p.b, table.labels.get(p.b, ""), p.cases,
             p.case_jaccard, p.passages, p.passage_jaccard],
        )  # fmt: skip
    ws.freeze_panes = "A3"


def _associations(ws: Any, book: MappingBook) -> None:
    if book.attribute is None:
        _append(ws, ["No comparison asked for: export with --by ATTR"])
        return
    _append(ws, [f"Each theme by {book.attribute}; strongest first"])
    _append(
        ws,
        ["theme", "label", "group", "cases", "total", "percent", "wording", "difference (points)",
         "test", "p", "q (BH)", "sentence", "caveat"],
        bold=True,
    )  # fmt: skip
    for a in book.associations:
        for g in a.groups:
            n = g.counts[a.focus] if g.counts else 0
            _append(
                ws,
                [a.subject, a.label, g.group, n, g.total, round(100.0 * g.share(a.focus), 1),
                 g.wording, a.difference, a.test, a.p_value, a.q_value, a.sentence, a.caveat],
            )  # fmt: skip
    ws.freeze_panes = "A3"


def _typology(ws: Any, book: MappingBook) -> None:
    t = book.typology
    if t is None:
        _append(ws, ["No typology built yet: run `qualcode typology build`"])
        return
    _append(ws, [f"Method: {t.method}"])
    _append(ws, ["type", "name", "cases", "members", "defining themes"], bold=True)
    for x in t.types:
        defining = "; ".join(
            f"{d[0]} {t.labels.get(d[0], '')} ({d[1]:.0%} in the type, {d[2]:.0%} outside)"
            for d in x.defining
        )
        _append(ws, [x.number, x.name, len(x.members), ", ".join(x.members), defining])
    ws.freeze_panes = "A3"
