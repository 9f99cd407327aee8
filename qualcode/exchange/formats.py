"""The export registry: every file format qualcode writes for a report, in one table.

Each entry names the format, the file suffixes that pick it, what it holds (a matrix
book, a heatmap of one sheet, quotes, the codings, the framework, a REFI-QDA project or
codebook) and its writer. The CLI (``matrix export``, ``quotes``, ``codings export``,
``framework export``, ``export qdpx|qdc``), their ``--help``, the TUI's export prompt
and a README test all read this table, so a new format is one entry here plus its
writer. Writers are named, not imported, so that looking a format up loads no pandas,
openpyxl or python-docx.

Writers by what they hold (the path always last):

- ``matrix``: ``writer(book: MatrixBook, path)``
- ``heatmap``: ``writer(sheet: MatrixSheet | Sequence[MatrixSheet], path)`` (one panel
  per sheet)
- ``quotes``: ``writer(quotes: Sequence[Quote], labels: Mapping[str, str], path)``;
  a text format also has ``render(quotes, labels) -> str`` for standard output.
- ``codings``: ``writer(columns: Sequence[str], rows: Sequence[Sequence], path)``
- ``framework``: ``writer(framework: Mapping, path)``, the YAML shape
- ``project``: ``writer(project: refi.model.Project, path)``
- ``codebook``: ``writer(codes: Sequence[refi.model.Code], origin: str, path)``
- ``mapping``: ``writer(book: MappingBook, path)`` (``qualcode mapping export``)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.errors import InputError

MATRIX = "matrix"
HEATMAP = "heatmap"
QUOTES = "quotes"
CODINGS = "codings"
FRAMEWORK = "framework"
PROJECT = "project"
CODEBOOK = "codebook"
MAPPING = "mapping"
HOLDS = (MATRIX, HEATMAP, QUOTES, CODINGS, FRAMEWORK, PROJECT, CODEBOOK, MAPPING)


@dataclass(frozen=True)
class ExportFormat:
    name: str  # what --format takes, e.g. "docx"
    extensions: tuple[str, ...]  # lower-case, with the dot; the first is the usual one
    holds: str  # one of HOLDS
    description: str  # what the file holds, for help text and the README
    writer: str  # "module:function"
    render: str | None = None  # "module:function" returning text (formats fit for stdout)

    def load_writer(self) -> Callable[..., None]:
        return _load(self.writer)

    def load_render(self) -> Callable[..., str]:
        if self.render is None:
            raise InputError(f"{self.name} is not a text format: write it to a file (--out)")
        return _load(self.render)


def _load(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


_QW = "qualcode.exchange.quotes_writers"

EXPORTS: tuple[ExportFormat, ...] = (
    ExportFormat(
        "xlsx", (".xlsx",), MATRIX,
        "one sheet per top-level theme, cells holding summary and references (drafts "
        "shaded), plus Cases and Counts sheets",
        "qualcode.exchange.matrix_xlsx:write_xlsx",
    ),
    ExportFormat(
        "csv", (".csv",), MATRIX, "long format, one row per cell",
        "qualcode.exchange.matrix_tables:write_csv",
    ),
    ExportFormat(
        "md", (".md",), MATRIX, "a Markdown table per sheet and group",
        "qualcode.exchange.matrix_tables:write_md",
    ),
    ExportFormat(
        "docx", (".docx",), MATRIX,
        "a report skeleton: count wording, cell summaries and quotes per theme and group",
        "qualcode.exchange.report_docx:write_docx",
    ),
    ExportFormat(
        "png", (".png",), HEATMAP, "a heatmap of coded passages by case and theme",
        "qualcode.exchange.heatmap:write_heatmap",
    ),
    ExportFormat(
        "svg", (".svg",), HEATMAP, "the same heatmap as a vector image",
        "qualcode.exchange.heatmap:write_heatmap",
    ),
    ExportFormat(
        "md", (".md",), QUOTES, "Markdown: a heading per theme and group, quotes as block quotes",
        f"{_QW}:write_md", f"{_QW}:render_md",
    ),
    ExportFormat(
        "csv", (".csv",), QUOTES, "one row per quote with its theme, case and reference",
        f"{_QW}:write_csv", f"{_QW}:render_csv",
    ),
    ExportFormat(
        "json", (".json",), QUOTES, "a list of quotes with coding ids",
        f"{_QW}:write_json", f"{_QW}:render_json",
    ),
    ExportFormat(
        "docx", (".docx",), QUOTES, "a Word document of quotes under theme and group headings",
        f"{_QW}:write_docx",
    ),
    ExportFormat(
        "csv", (".csv",), CODINGS,
        "one row per coding with its source, offsets, theme, coder, case, segment, date, "
        "text and time (when the coded turn starts, in transcripts with timestamps); "
        "re-importable",
        "qualcode.exchange.codings_csv:write_codings",
    ),
    ExportFormat(
        "yaml", (".yaml", ".yml"), FRAMEWORK,
        "the theme tree with definitions, inclusion and exclusion notes and keywords; "
        "re-importable",
        "qualcode.exchange.framework_yaml:write_framework",
    ),
    ExportFormat(
        "qdpx", (".qdpx",), PROJECT,
        "a REFI-QDA project: sources, cases, codebook, codings, memos and matrix summaries",
        "qualcode.exchange.refi.writer:write_project",
    ),
    ExportFormat(
        "qdc", (".qdc",), CODEBOOK, "a REFI-QDA codebook: the framework's themes",
        "qualcode.exchange.refi.writer:write_codebook",
    ),
    ExportFormat(
        "xlsx", (".xlsx",), MAPPING,
        "Co-occurrence, Associations and Typology sheets",
        "qualcode.exchange.mapping_xlsx:write_mapping_xlsx",
    ),
)  # fmt: skip


def formats(*holds: str) -> tuple[ExportFormat, ...]:
    """The formats that hold any of ``holds`` (a matrix export also draws heatmaps)."""
    return tuple(f for f in EXPORTS if f.holds in holds)


def sole(holds: str) -> ExportFormat:
    """The one format that holds ``holds`` (codings, the framework, a project, a codebook:
    the suffix of the file named does not choose among several)."""
    [only] = formats(holds)
    return only


def names(*holds: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.name for f in formats(*holds)))


def suffixes(*holds: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ext for f in formats(*holds) for ext in f.extensions))


def by_name(name: str, *holds: str) -> ExportFormat:
    for f in formats(*holds):
        if f.name == name:
            return f
    raise InputError(f"unknown format {name!r} (use one of {', '.join(names(*holds))})")


def find_by_suffix(path: Path, *holds: str) -> ExportFormat | None:
    suffix = path.suffix.lower()
    return next((f for f in formats(*holds) if suffix in f.extensions), None)


def by_suffix(path: Path, *holds: str) -> ExportFormat:
    """The format ``path``'s suffix names; an InputError naming the choices otherwise."""
    found = find_by_suffix(path, *holds)
    if found is not None:
        return found
    what = "the quotes" if holds == (QUOTES,) else "the matrix"
    if holds == (MAPPING,):
        what = "the mapping"
    raise InputError(
        f"cannot export {what} as {path.suffix or 'a file without a suffix'!r} "
        f"(use one of {', '.join(suffixes(*holds))})",
        path,
    )


def listing(*holds: str, entries: Iterable[ExportFormat] | None = None) -> str:
    """One line per format, ``.xlsx - what it holds``, for help text."""
    chosen = formats(*holds) if entries is None else tuple(entries)
    return "; ".join(f"{' / '.join(f.extensions)} ({f.description})" for f in chosen)
