"""The export formats as the CLI and the TUI see them: choices, help text and prompts.

The registry itself (names, suffixes, what each holds, writers) is
:mod:`qualcode.exchange.formats`; this module is how the interfaces reach it.
"""

from __future__ import annotations

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
