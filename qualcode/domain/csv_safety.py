"""CSV fields a spreadsheet would run as formulas, neutralised as OWASP advises.

A text field starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a ``'`` in front: Excel, LibreOffice and Google Sheets then show it as
text (``=HYPERLINK(...)`` stays words, it never becomes a link or a command). Plain
numbers (``-3``, ``+2.5``) are left alone: they cannot be formulas. A field that
already starts with ``'`` before such a character gets one more ``'``, so
:func:`restore` undoes :func:`neutralise` exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|\d*\.\d+)(?:[eE][+-]?\d+)?%?")


def _needs(value: str) -> bool:
    rest = value.lstrip("'")
    if not rest.startswith(TRIGGERS):
        return False
    return not (rest is value and _NUMBER.fullmatch(value))


def neutralise(value: Any) -> Any:
    """``value`` safe to open in a spreadsheet (non-text values unchanged)."""
    if isinstance(value, str) and value and _needs(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The field as it was before :func:`neutralise`."""
    if value.startswith("'") and value.lstrip("'").startswith(TRIGGERS):
        return value[1:]
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in row]


def safe_rows(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    return (safe_row(r) for r in rows)


class SafeWriter:
    """A ``csv.writer`` whose rows are neutralised on the way out."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        self._writer.writerows(safe_rows(rows))


def csv_writer(fh: Any, **options: Any) -> SafeWriter:
    import csv

    return SafeWriter(csv.writer(fh, **options))
