"""The matrix export registry: file suffix -> writer, shared by the CLI and the TUI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qualcode.domain.matrix import MatrixBook
from qualcode.errors import InputError

BookWriter = Callable[[MatrixBook, Path], None]

BOOK_FORMATS = (".xlsx", ".csv", ".md", ".docx")
IMAGE_FORMATS = (".png", ".svg")


def book_writer(path: Path) -> BookWriter:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from qualcode.exchange.matrix_xlsx import write_xlsx

        return write_xlsx
    if suffix == ".csv":
        from qualcode.exchange.matrix_tables import write_csv

        return write_csv
    if suffix == ".md":
        from qualcode.exchange.matrix_tables import write_md

        return write_md
    if suffix == ".docx":
        from qualcode.exchange.report_docx import write_docx

        return write_docx
    raise unknown_format(path)


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_FORMATS


def unknown_format(path: Path) -> InputError:
    shown = ", ".join((*BOOK_FORMATS, *IMAGE_FORMATS))
    return InputError(
        f"cannot export the matrix as {path.suffix or 'a file without a suffix'!r} "
        f"(use one of {shown})",
        path,
    )


def check_format(path: Path) -> None:
    if path.suffix.lower() not in (*BOOK_FORMATS, *IMAGE_FORMATS):
        raise unknown_format(path)
