"""Quotes as Markdown, CSV, JSON or a .docx, for pasting into a report (the writers
that :mod:`qualcode.exchange.formats` lists)."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qualcode.domain.csv_safety import csv_writer
from qualcode.domain.matrix import Quote
from qualcode.exchange.files import replacing
from qualcode.exchange.xml_text import heading, paragraph, run

CSV_COLUMNS = (
    "theme",
    "theme_label",
    "group",
    "case",
    "segment",
    "source",
    "line",
    "marked",
    "coding",
    "text",
    "attribution",
)


def quote_json(q: Quote) -> dict[str, Any]:
    """The interface's quote shape, plus where it is and whether it was marked."""
    return {
        "theme": q.theme,
        "segment": q.segment,
        "case": q.case,
        "text": q.text,
        "attribution": q.attribution,
        "group": q.group,
        "coding": q.coding,
        "source": q.source,
        "line": q.line,
        "marked": q.marked,
        "ref": q.ref,
    }


def render_json(quotes: Sequence[Quote], labels: Mapping[str, str]) -> str:
    del labels
    return json.dumps([quote_json(q) for q in quotes], ensure_ascii=False, indent=2) + "\n"


def render_csv(quotes: Sequence[Quote], labels: Mapping[str, str]) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")  # formula-leading fields neutralised
    writer.writerow(CSV_COLUMNS)
    for q in quotes:
        writer.writerow(
            [
                q.theme,
                labels.get(q.theme, ""),
                q.group or "",
                q.case,
                q.segment or "",
                q.source,
                q.line,
                "yes" if q.marked else "",
                q.coding,
                q.text,
                q.attribution,
            ]
        )
    return out.getvalue()


def render_md(quotes: Sequence[Quote], labels: Mapping[str, str]) -> str:
    lines: list[str] = []
    theme: str | None = None
    group: object = object()
    grouped = _grouped(quotes)
    for q in quotes:
        if q.theme != theme:
            theme, group = q.theme, object()
            lines += [f"## {q.theme} {labels.get(q.theme, '')}".rstrip(), ""]
        if q.group != group:
            group = q.group
            if grouped:
                lines += [f"### {q.group_heading()}", ""]
        mark = " (marked)" if q.marked else ""
        attribution = f" {q.attribution}" if q.attribution else ""
        lines += [f"> {q.text}{attribution}", "", f"<sub>{q.ref}{mark}</sub>", ""]
    return "\n".join(lines)


def write_docx(quotes: Sequence[Quote], labels: Mapping[str, str], path: Path) -> None:
    from docx import Document

    doc = Document()
    heading(doc, "Illustrative quotes", level=0)
    theme: str | None = None
    group: object = object()
    grouped = _grouped(quotes)
    for q in quotes:
        if q.theme != theme:
            theme, group = q.theme, object()
            heading(doc, f"{q.theme} {labels.get(q.theme, '')}".rstrip(), level=1)
        if q.group != group:
            group = q.group
            if grouped:
                heading(doc, q.group_heading(), level=2)
        para = paragraph(doc, style="Quote")
        run(para, f"\u201c{q.text}\u201d")
        if q.attribution:
            run(para, f" {q.attribution}")
        ref = paragraph(doc)
        run(ref, q.ref + (" (marked)" if q.marked else "")).font.size = _small()
    with replacing(path) as tmp:
        doc.save(str(tmp))


def _grouped(quotes: Sequence[Quote]) -> bool:
    """Whether the quotes were picked by group: then a case without the attribute's
    value gets a heading of its own, not the previous group's."""
    return any(q.group is not None for q in quotes)


def _small() -> Any:
    from docx.shared import Pt

    return Pt(8)


def _write_text(text: str, path: Path) -> None:
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_md(quotes: Sequence[Quote], labels: Mapping[str, str], path: Path) -> None:
    _write_text(render_md(quotes, labels), path)


def write_csv(quotes: Sequence[Quote], labels: Mapping[str, str], path: Path) -> None:
    _write_text(render_csv(quotes, labels), path)


def write_json(quotes: Sequence[Quote], labels: Mapping[str, str], path: Path) -> None:
    _write_text(render_json(quotes, labels), path)
