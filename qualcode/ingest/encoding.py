"""Read a file's bytes and decode them: UTF-8, UTF-16 or Windows-1252, nothing else."""

from __future__ import annotations

from pathlib import Path

from qualcode.domain.text_encoding import (
    BINARY,
    EMPTY,
    UNKNOWN_ENCODING,
    decode_bytes,
    windows_1252_note,
)
from qualcode.errors import InputError

__all__ = [
    "BINARY",
    "EMPTY",
    "UNKNOWN_ENCODING",
    "decode_bytes",
    "failure_reason",
    "read_bytes",
    "windows_1252_note",
]


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing or unreadable file is an InputError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path) from None


def failure_reason(exc: BaseException) -> str:
    """A short reason for a library's failure to open a file, for an error message."""
    if isinstance(exc, KeyError) and exc.args:  # str(KeyError) adds quotes
        return " ".join(str(exc.args[0]).split())
    return " ".join(str(exc).split()) or type(exc).__name__
