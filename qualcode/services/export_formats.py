"""The export formats as the CLI and the TUI see them: choices, help text and prompts.

The registry itself (names, suffixes, what each holds, writers) is
:mod:`qualcode.exchange.formats`; this module is how the interfaces reach it.
"""

from __future__ import annotations

import os
from pathlib import Path

from qualcode.errors import InputError
from qualcode.exchange.formats import (
    CODEBOOK,
    CODINGS,
    EXPORTS,
    FRAMEWORK,
    HEATMAP,
    MATRIX,
    PROJECT,
    QUOTES,
    ExportFormat,
    by_suffix,
    formats,
    listing,
    names,
    sole,
    suffixes,
)

MATRIX_EXPORTS = (MATRIX, HEATMAP)  # what `matrix export` and the Matrix workspace write

__all__ = [
    "CODEBOOK",
    "CODINGS",
    "EXPORTS",
    "FRAMEWORK",
    "HEATMAP",
    "MATRIX",
    "MATRIX_EXPORTS",
    "PROJECT",
    "QUOTES",
    "ExportFormat",
    "formats",
    "listing",
    "check_matrix_path",
    "matrix_prompt_hint",
    "names",
    "sole",
    "suffixes",
    "writes",
]


def matrix_prompt_hint() -> str:
    """The short list under the TUI's export prompt, e.g. ``.xlsx .csv ... (a heatmap)``."""
    book = " ".join(suffixes(MATRIX))
    images = " ".join(suffixes(HEATMAP))
    return f"{book} or {images} (a heatmap); grouped as shown"


def writes(holds: str) -> str:
    """``Writes .csv: one row per coding ...``: the help line of a one-format export."""
    return f"Writes {listing(holds)}."


def check_matrix_path(path: Path) -> None:
    """Refuse at once a path a matrix export would fail on only after building the
    whole book (seconds on a large survey): an unknown suffix, a missing or read-only
    folder, a folder named as the file."""
    by_suffix(path, *MATRIX_EXPORTS)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError("is a folder: add a file name, e.g. matrix.xlsx", path)
    if not folder.is_dir():
        raise InputError(f"no folder {str(folder)!r} to write into", path)
    if not os.access(folder, os.W_OK):
        raise InputError(f"the folder {str(folder)!r} is read-only", path)
