"""Exporting the framework matrix: .xlsx, .csv, .md, a .docx report, a PNG/SVG heatmap.

The file's suffix picks the format (:mod:`qualcode.exchange.matrix_formats`). Sheets
are one per top-level theme (or per theme in ``tops``) with the rows a sheet shows by
default (see :mod:`qualcode.services.matrix`). The heatmap draws one sheet: the
sub-themes of a single ``tops`` theme, or else every top-level theme (with its
sub-themes' codings) as a column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qualcode.domain.matrix import MISSING, MatrixBook, MatrixSheet, Quote
from qualcode.exchange import matrix_formats
from qualcode.services import matrix, queries, quotes
from qualcode.services.framework import framework_tree
from qualcode.services.matrix_data import AUTO
from qualcode.services.study import Study, study_info

QUOTES_PER_GROUP = 3
QUOTE_WORDS = 60


@dataclass(frozen=True)
class ExportReport:
    path: Path
    sheets: int
    cases: int
    themes: int


def build_book(
    study: Study,
    by: Sequence[str] = (),
    tops: Sequence[str] | None = None,
    kind: str | None = AUTO,
    with_quotes: bool = False,
    template: str | None = None,
    strict: bool | None = None,
    anonymised: bool = False,
) -> MatrixBook:
    """The sheets, case attributes and (for the report) quotes of an export."""
    sheets = tuple(matrix.sheets(study, tops, by, kind))
    found = _quotes_by_cell(study, sheets, by, template, strict, anonymised) if with_quotes else {}
    book = MatrixBook(
        title=study_info(study).title or "Framework matrix",
        sheets=sheets,
        attribute_names=tuple(queries.attribute_names(study)),
        quotes={},
    )
    if anonymised:  # accepted names replaced, job titles generalised, then checked
        from qualcode.services.anonymise import output_anonymiser

        anon = output_anonymiser(study)
        book = anon.book(replace(book, quotes=found))
        anon.check(book, "the anonymised matrix")
        return book
    return replace(book, quotes=found)


def heatmap_sheet(
    study: Study,
    by: Sequence[str] = (),
    tops: Sequence[str] | None = None,
    kind: str | None = AUTO,
) -> MatrixSheet:
    if tops and len(tops) == 1:
        return matrix.sheet(study, top=tops[0], by=by, kind=kind)
    tree = framework_tree(study)
    columns = list(tops) if tops else [t.id for t in tree.top_level()]
    built = matrix.sheet(study, themes=columns, by=by, kind=kind)
    if not tops:
        built = replace(built, title="all top-level themes")
    return built


def export_matrix(
    study: Study,
    path: Path,
    by: Sequence[str] = (),
    tops: Sequence[str] | None = None,
    kind: str | None = AUTO,
    template: str | None = None,
    strict: bool | None = None,
    anonymised: bool = False,
) -> ExportReport:
    """Write the matrix to ``path`` in the format its suffix names."""
    matrix_formats.check_format(path)
    if matrix_formats.is_image(path):
        from qualcode.exchange.heatmap import write_heatmap

        sheet = heatmap_sheet(study, by, tops, kind)
        if anonymised:
            from qualcode.services.anonymise import output_anonymiser

            anon = output_anonymiser(study)
            sheet = anon.sheet(sheet)
            anon.check(sheet, "the anonymised heatmap")
        write_heatmap(sheet, path)
        return ExportReport(path, 1, len(sheet.rows), len(sheet.themes))
    writer = matrix_formats.book_writer(path)
    book = build_book(
        study,
        by,
        tops,
        kind,
        with_quotes=path.suffix.lower() == ".docx",
        template=template,
        strict=strict,
        anonymised=anonymised,
    )
    writer(book, path)
    return ExportReport(
        path, len(book.sheets), len(book.cases), sum(len(s.themes) for s in book.sheets)
    )


def _quotes_by_cell(
    study: Study,
    sheets: Sequence[MatrixSheet],
    by: Sequence[str],
    template: str | None,
    strict: bool | None,
    anonymised: bool = False,
) -> dict[tuple[str, str], tuple[Quote, ...]]:
    """Up to QUOTES_PER_GROUP quotes per (column theme, group), marked quotes first."""
    tree = framework_tree(study)
    everything = quotes.quotes(
        study,
        by=by,
        template=template,
        max_words=QUOTE_WORDS,
        strict=strict,
        anonymised=anonymised,
    )
    found: dict[tuple[str, str], list[Quote]] = {}
    for sheet in sheets:
        columns = {t.id for t in sheet.themes}
        rows = {row.case for row in sheet.rows}
        for q in everything:
            if q.case not in rows:
                continue
            column = next((t for t in (q.theme, *tree.ancestors(q.theme)) if t in columns), None)
            if column is None:
                continue
            label = q.group if q.group is not None else (MISSING if by else "all cases")
            found.setdefault((column, label), []).append(q)
    return {
        key: tuple(sorted(items, key=lambda q: not q.marked)[:QUOTES_PER_GROUP])
        for key, items in found.items()
    }
