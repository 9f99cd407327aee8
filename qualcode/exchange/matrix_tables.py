"""The framework matrix as CSV (long format: one row per cell) and as Markdown tables."""

from __future__ import annotations

from pathlib import Path

from qualcode.domain.csv_safety import csv_writer
from qualcode.domain.matrix import MatrixBook, MatrixSheet
from qualcode.exchange.files import replacing
from qualcode.exchange.matrix_text import (
    cell_text,
    column_title,
    count_text,
    group_count,
    group_heading,
    refs_text,
)

CSV_COLUMNS = (
    "sheet",
    "theme",
    "theme_label",
    "case",
    "group",
    "status",
    "summary",
    "passages",
    "references",
    "version",
    "coder",
)


def write_csv(book: MatrixBook, path: Path) -> None:
    """Every cell of every sheet, one per row (empty cells included)."""
    with replacing(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv_writer(fh)  # formula-leading fields neutralised
        writer.writerow(CSV_COLUMNS)
        for sheet in book.sheets:
            for group in sheet.groups:
                label = group.label if sheet.by else ""
                for row in group.rows:
                    for theme, cell in zip(sheet.themes, row.cells, strict=True):
                        writer.writerow(
                            [
                                sheet.title,
                                theme.id,
                                theme.label,
                                row.case,
                                label,
                                cell.summary.status,
                                cell.summary.text,
                                cell.coverage,
                                refs_text(cell),
                                cell.summary.version,
                                cell.summary.coder or "",
                            ]
                        )


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, line breaks as <br>."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def write_md(book: MatrixBook, path: Path) -> None:
    lines = [f"# {book.title}", ""]
    for number, sheet in enumerate(book.sheets):
        lines += [f"## {sheet.title}", ""]
        header = ["case", *(column_title(t) for t in sheet.themes)]
        for group in sheet.groups:
            if sheet.by:
                lines += [f"### {group_heading(group)}", ""]
            lines.append("| " + " | ".join(md_escape(h) for h in header) + " |")
            lines.append("|" + "---|" * len(header))
            for row in group.rows:
                cells = [md_escape(cell_text(c)) for c in row.cells]
                lines.append("| " + " | ".join([md_escape(row.case), *cells]) + " |")
            counts = [count_text(group_count(sheet, group, t.id)) for t in sheet.themes]
            lines.append("| *cases raising it* | " + " | ".join(counts) + " |")
            if any(s.text for s in group.syntheses):
                texts = [md_escape(s.text) for s in group.syntheses]
                lines.append("| *synthesis* | " + " | ".join(texts) + " |")
            lines.append("")
        lines += _key_issues_md(book, sheet, number)
    with replacing(path) as tmp:
        tmp.write_text("\n".join(lines), encoding="utf-8")


def _key_issues_md(book: MatrixBook, sheet: MatrixSheet, index: int) -> list[str]:
    """The key issues of the sheet's themes (and of the theme the sheet is of)."""
    root = book.sheet_roots[index] if index < len(book.sheet_roots) else None
    out: list[str] = []
    for theme in sheet.themes:
        note = book.key_issues.get(theme.id, "").strip()
        if note:
            out += [f"### Key issues: {column_title(theme)}", "", note, ""]
    if root is not None and root not in {t.id for t in sheet.themes}:
        note = book.key_issues.get(root, "").strip()
        if note:
            out += [f"### Key issues: {sheet.title}", "", note, ""]
    return out
