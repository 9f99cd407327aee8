"""Decode a text file's bytes: UTF-8, UTF-16 or Windows-1252, nothing else.

Pure (no file access), so both ``ingest`` and ``exchange`` decode text the same way."""

from __future__ import annotations

import codecs
from pathlib import Path

from qualcode.errors import InputError

UNKNOWN_ENCODING = "unknown text encoding (not UTF-8, UTF-16 or Windows-1252)"
BINARY = "binary file, not text"
EMPTY = "empty file"

_SAMPLE = 4096
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.05  # text exported by real tools has almost none


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit in every other byte, as in mostly-ASCII text."""
    sample = data[:_SAMPLE]
    half = len(sample) // 2
    if half == 0:
        return None
    even_nuls = sample[0::2].count(0) / half
    odd_nuls = sample[1::2].count(0) / half
    if odd_nuls >= 0.5 and even_nuls <= 0.05:
        return "utf-16-le"
    if even_nuls >= 0.5 and odd_nuls <= 0.05:
        return "utf-16-be"
    return None


def _decode_with_bom(data: bytes, path: Path | str) -> str | None:
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise InputError(f"not valid {encoding.upper()} text", path) from None
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:_SAMPLE]
    controls = sum(
        1 for char in sample if (char < " " or char == "\x7f") and char not in _ALLOWED_CONTROLS
    )
    return controls > len(sample) * _MAX_CONTROL_SHARE


def windows_1252_note(data: bytes) -> str | None:
    """What to tell the researcher when ``decode_bytes`` read these bytes as
    Windows-1252 (no BOM, no UTF-16, not valid UTF-8), the one encoding it guesses: a
    file saved on a machine set to another language decodes too, its accents wrong."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        mixed = _cp1252_lines(data)
        if mixed:
            shown = ", ".join(str(n) for n in mixed[:5]) + (", ..." if len(mixed) > 5 else "")
            return (
                f"UTF-8 but for {len(mixed)} line{'s' if len(mixed) != 1 else ''} (line "
                f"{shown}), read as Windows-1252 (pasted from an older document?); check "
                "their accented letters and quotation marks"
            )
        return (
            "not UTF-8: read as Windows-1252, as Excel and older Windows programs save "
            "text; check that accented letters and quotation marks came through"
        )
    return None


def _cp1252_lines(data: bytes) -> list[int] | None:
    """The lines (from 1) of a file that is UTF-8 but for them, as when a passage from
    an older document is pasted into a UTF-8 transcript; None when no line is UTF-8
    beyond plain ASCII (then the whole file is Windows-1252). Reading the whole file as
    Windows-1252 turned every UTF-8 accent into two letters ("cafÃ©")."""
    utf8 = False
    bad: list[int] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
        else:
            utf8 = utf8 or not line.isascii()
    return bad if utf8 and bad else None


def _by_line(data: bytes) -> str:
    """UTF-8 line by line, a line that is not decoded as Windows-1252."""
    out = []
    for line in data.split(b"\n"):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("cp1252"))
    return "\n".join(out)


# an Office file is a ZIP archive whose parts name the application
_OFFICE = ((b"xl/", "an Excel workbook", ".xlsx"), (b"word/", "a Word document", ".docx"))


def _binary_kind(data: bytes) -> str:
    """What a file that is not text is, when it is an Office file saved under a text
    file's name (a .xlsx renamed .csv): "binary file" alone left the user guessing."""
    if data.startswith(b"PK\x03\x04"):
        for part, what, suffix in _OFFICE:
            if part in data[:65536]:
                return f"{what}, not text: save it as {suffix} (or export it as text)"
    return BINARY


def decode_bytes(data: bytes, path: Path | str) -> str:
    """Decode a text file's bytes, without the BOM; line endings are left as they are."""
    if not data.strip():
        raise InputError(EMPTY, path)
    text = _decode_with_bom(data, path)
    if text is None and b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(_binary_kind(data), path)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise InputError(BINARY, path) from None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:  # Python's cp1252 rejects the five undefined bytes 0x81 0x8D 0x8F 0x90 0x9D
                text = _by_line(data) if _cp1252_lines(data) else data.decode("cp1252")
            except UnicodeDecodeError:
                # Latin-1 decodes anything: it only tells binary noise from foreign text
                binary = _looks_binary(data.decode("latin-1"))
                raise InputError(BINARY if binary else UNKNOWN_ENCODING, path) from None
    if "\x00" in text or _looks_binary(text):
        raise InputError(BINARY, path)
    if not text.strip():
        raise InputError(EMPTY, path)
    return text
