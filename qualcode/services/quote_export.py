"""Exporting quotes: the use case behind ``qualcode quotes`` and the TUI.

The format comes from ``--format`` or the file's suffix (:mod:`qualcode.exchange.formats`);
without a file the quotes are rendered as text for standard output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import InputError
from qualcode.exchange import formats
from qualcode.exchange.formats import QUOTES, ExportFormat
from qualcode.services import quotes
from qualcode.services.framework import list_themes
from qualcode.services.study import Study

DEFAULT_FORMAT = "md"


@dataclass(frozen=True)
class QuoteSelection:
    """Which quotes, and how they are attributed (see :func:`services.quotes.quotes`)."""

    theme: str | None = None
    by: Sequence[str] = ()
    template: str | None = None
    max_words: int | None = None
    kind: str | None = None
    marked_only: bool = False
    per_group: int | None = None
    strict: bool | None = None
    anonymised: bool = False
    title_rules: Path | None = None  # for anonymised quotes (None: the shipped rules)
    survey_template: str | None = None  # for quotes from survey answers
    survey_strict: bool = False


@dataclass(frozen=True)
class QuotesExport:
    count: int
    path: Path | None = None  # the file written
    text: str | None = None  # the rendered quotes, when no file was named
    unattributed: int = 0  # quotes whose template found none of its attributes


def quote_format(name: str | None, out: Path | None) -> ExportFormat:
    """The format named, else the one ``out``'s suffix names, else Markdown."""
    if name is not None:
        chosen = formats.by_name(name, QUOTES)
        named = formats.find_by_suffix(out, QUOTES) if out is not None else None
        if out is not None and named is not None and named.name != chosen.name:
            # CSV text in a file called .docx: Word refuses it, and a colleague is sent it
            raise InputError(
                f"--format {chosen.name} but the file's name says {named.name}: name it "
                f"{out.with_suffix(chosen.extensions[0]).name} or give --format {named.name}",
                out,
            )
    elif out is None:
        chosen = formats.by_name(DEFAULT_FORMAT, QUOTES)
    else:
        found = formats.find_by_suffix(out, QUOTES)
        if found is None:
            raise InputError(
                "cannot tell the format from the suffix; "
                f"add --format ({', '.join(formats.names(QUOTES))})",
                out,
            )
        chosen = found
    return chosen


def export_quotes(
    study: Study, selection: QuoteSelection, fmt: ExportFormat, out: Path | None = None
) -> QuotesExport:
    """Write the selected quotes to ``out`` (replaced whole), or render them as text."""
    found = quotes.quotes(
        study,
        selection.theme,
        selection.by,
        selection.template,
        selection.max_words,
        selection.kind,
        selection.marked_only,
        selection.per_group,
        strict=selection.strict,
        anonymised=selection.anonymised,
        title_rules=selection.title_rules,
        survey_template=selection.survey_template,
        survey_strict=selection.survey_strict,
    )
    labels = {t.id: t.label for t in list_themes(study)}
    bare = sum(1 for q in found if not q.attribution)
    if out is None:
        return QuotesExport(len(found), text=fmt.load_render()(found, labels), unattributed=bare)
    fmt.load_writer()(found, labels, out)
    return QuotesExport(len(found), path=out, unattributed=bare)
