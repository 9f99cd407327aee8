"""The codings CSV (``qualcode codings export``): one row per coding, re-importable by
``codings import``."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qualcode.domain.csv_safety import safe_rows
from qualcode.exchange.files import replacing


def write_codings(columns: Sequence[str], rows: Sequence[Sequence[Any]], path: Path) -> None:
    """A header of ``columns``, then ``rows``; ``path`` may be ``-`` (stdout). Cells that
    a spreadsheet would run as a formula get a leading ``'``."""
    with replacing(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(safe_rows(rows))
