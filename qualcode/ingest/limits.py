"""Checks on Office files (.docx, .xlsx) before a library unpacks them.

An Office file is a ZIP archive of XML parts, so it can be a bomb like any archive:
the same limits as a .qdpx apply (entries, size per part and in all, compression
ratio; see ``qualcode.exchange.refi.safety``), counted on the bytes actually
unpacked since headers can lie. XML parts that declare a document type or entities
are refused: Word never writes them, and the readers would silently drop the text
after an entity they do not expand.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from qualcode.errors import InputError

MiB = 1024 * 1024
MAX_ENTRIES = 100_000
MAX_PART_BYTES = 512 * MiB
MAX_TOTAL_BYTES = 4096 * MiB
MAX_RATIO = 200.0  # uncompressed / compressed, for parts past RATIO_FLOOR
RATIO_FLOOR = 1 * MiB
_CHUNK = 256 * 1024
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse(path: Path, message: str) -> InputError:
    return InputError(f"refused: {message}", path)


def _check_size(path: Path, info: zipfile.ZipInfo, size: int) -> None:
    if size > MAX_PART_BYTES:
        raise _refuse(
            path, f"the part '{info.filename}' unpacks to more than {MAX_PART_BYTES // MiB} MiB"
            " (an archive bomb?)",
        )  # fmt: skip
    if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
        raise _refuse(
            path, f"the part '{info.filename}' is compressed more than {MAX_RATIO:g} to 1"
            " (an archive bomb?)",
        )  # fmt: skip


_OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # the compound file of .doc and .xls


def check_office_file(data: bytes, path: Path, kind: str) -> None:
    """Refuse ``data`` (a .docx or .xlsx, ``kind`` names it) if unpacking it is unsafe."""
    if data.startswith(_OLE):  # an Office 97-2003 file renamed, as people do
        old = {".docx": "Word .doc", ".xlsx": "Excel .xls"}.get(kind, "Office 97-2003")
        raise InputError(
            f"an old {old} file with a {kind} name: open it and save it as {kind}", path
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # zipfile fails with BadZipFile, ValueError, struct errors alike
        raise InputError(f"not a readable {kind} file (not a ZIP archive)", path) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _refuse(path, f"the file has {len(infos)} parts (limit {MAX_ENTRIES})")
        total = 0
        for info in infos:
            _check_size(path, info, info.file_size)
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _refuse(path, f"the file would unpack to more than {MAX_TOTAL_BYTES // MiB} MiB")
        unpacked = 0
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            unpacked += _scan_part(archive, info, path)
            if unpacked > MAX_TOTAL_BYTES:
                raise _refuse(path, "the file unpacks to more than the limit (an archive bomb?)")


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> int:
    """Unpack one XML part through a counted stream, looking for declarations."""
    size = 0
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                _check_size(path, info, size)
                window = tail + chunk
                if _DECLARATION.search(window):
                    raise _refuse(
                        path, f"the part '{info.filename}' declares a document type or "
                        "entities, which can hide text or expand without limit",
                    )  # fmt: skip
                tail = window[-16:]
    except InputError:
        raise
    except Exception as exc:  # zlib, zipfile, struct: a damaged archive either way
        raise InputError(f"the part '{info.filename}' is damaged ({exc})", path) from None
    return size
