"""Dimension values from a CSV file (``case,theme,dimension,value``), in one transaction:
a bad row names the file and row and leaves the study as it was."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from qualcode.errors import InputError, QualcodeError
from qualcode.services.dimensions import set_value_in
from qualcode.services.study import Study

COLUMNS = ("case", "theme", "dimension", "value")


def import_values(study: Study, path: Path) -> int:
    """Set every row's cell value; returns the number of rows read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({exc})", path) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)} (need {', '.join(COLUMNS)})",
                         path, 1, where="row")  # fmt: skip
    count = 0
    with study.write() as s:
        for number, row in enumerate(reader, start=2):
            values = [(row.get(c) or "").strip() for c in COLUMNS]
            if not any(values):
                continue
            if not all(values):
                raise InputError("every row needs case, theme, dimension and value", path,
                                 number, where="row")  # fmt: skip
            try:
                set_value_in(s, study.coder, *values)
            except QualcodeError as exc:
                raise InputError(exc.message, path, number, where="row") from None
            count += 1
    return count
