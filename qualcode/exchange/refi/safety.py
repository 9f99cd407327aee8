"""Reading untrusted archives and XML: every check runs before anything is used.

A REFI-QDA archive comes from someone else's machine. It is refused whole when an
entry would land outside the folder it is unpacked into (``../``, absolute paths,
drive letters, links), when it would unpack to more than the limits allow (archive
bombs: total and per-file size, compression ratio), and its XML is parsed with
``defusedxml`` refusing document type declarations, entities and external
references. Nothing is ever extracted to disk: entries are read into memory through
a size-capped stream.
"""

from __future__ import annotations

import posixpath
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from qualcode.errors import InputError

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_entries: int = 100_000
    max_file_bytes: int = 512 * MiB  # one entry, uncompressed
    max_total_bytes: int = 4096 * MiB  # all entries, uncompressed (media included)
    max_ratio: float = 200.0  # uncompressed / compressed, for entries past ratio_floor
    ratio_floor: int = 1 * MiB


DEFAULT_LIMITS = Limits()
_CHUNK = 64 * 1024


def entry_problem(name: str) -> str | None:
    """Why an archive entry name is unsafe to unpack, or None."""
    if "\x00" in name:
        return "has a NUL character in its name"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        return "has an absolute path"
    if any(part == ".." for part in unified.split("/")):
        return "would be written outside the target folder (../)"
    normal = posixpath.normpath(unified)
    if normal.startswith("../") or normal == "..":
        return "would be written outside the target folder (../)"
    return None


class SafeArchive:
    """A ZIP archive checked entry by entry before any is read."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise InputError(
                "not a REFI-QDA archive (a .qdpx file is a ZIP archive)", path
            ) from None
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror or exc})", path) from None
        try:
            self._check()
        except InputError:
            self._zip.close()
            raise
        self._read_total = 0
        self._by_lower = {i.filename.replace("\\", "/").lower(): i for i in self._infos}

    def _refuse(self, message: str) -> InputError:
        return InputError(f"refused: {message}", self.path)

    def _check(self) -> None:
        infos = self._zip.infolist()
        limits = self.limits
        if len(infos) > limits.max_entries:
            raise self._refuse(f"the archive has {len(infos)} entries (limit {limits.max_entries})")
        total = 0
        for info in infos:
            problem = entry_problem(info.filename)
            if problem:
                raise self._refuse(f"the archive entry '{info.filename}' {problem}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise self._refuse(f"the archive entry '{info.filename}' is a symbolic link")
            if info.flag_bits & 0x1:
                raise self._refuse(f"the archive entry '{info.filename}' is encrypted")
            self._check_size(info, info.file_size)
            total += info.file_size
            if total > limits.max_total_bytes:
                raise self._refuse(
                    f"the archive would unpack to more than {limits.max_total_bytes // MiB} MiB"
                    " (an archive bomb?)"
                )
        self._infos = [i for i in infos if not i.is_dir()]

    def _check_size(self, info: zipfile.ZipInfo, size: int) -> None:
        limits = self.limits
        if size > limits.max_file_bytes:
            raise self._refuse(
                f"the archive entry '{info.filename}' unpacks to more than "
                f"{limits.max_file_bytes // MiB} MiB (an archive bomb?)"
            )
        if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
            raise self._refuse(
                f"the archive entry '{info.filename}' is compressed more than "
                f"{limits.max_ratio:g} to 1 (an archive bomb?)"
            )

    def names(self) -> list[str]:
        return [i.filename for i in self._infos]

    def find(self, name: str) -> str | None:
        """The entry called ``name``, ignoring case (``Sources/`` and ``sources/``)."""
        info = self._by_lower.get(name.replace("\\", "/").lower())
        return info.filename if info is not None else None

    def read(self, name: str) -> bytes:
        """The entry's bytes, read through a capped stream: sizes in the archive's
        headers can lie, so the bytes actually produced are counted."""
        info = self._zip.getinfo(name)
        out = bytearray()
        try:
            with self._zip.open(info) as stream:
                self._drain(stream, info, out)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise InputError(f"the archive entry '{name}' is damaged ({exc})", self.path) from None
        self._read_total += len(out)
        if self._read_total > self.limits.max_total_bytes:
            raise self._refuse("the archive unpacks to more than the limit (an archive bomb?)")
        return bytes(out)

    def _drain(self, stream: IO[bytes], info: zipfile.ZipInfo, out: bytearray) -> None:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                return
            out.extend(chunk)
            self._check_size(info, len(out))

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_capped(path: Path, limit: int = DEFAULT_LIMITS.max_file_bytes) -> bytes:
    """A plain file's bytes, refused past ``limit``."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"refused: the file is larger than {limit // MiB} MiB", path)
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path) from None


MAX_XML_DEPTH = 200  # codes nested deeper than any framework; the readers recurse


def _check_depth(root: Element, where: str | Path) -> None:
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_XML_DEPTH:
            raise InputError(
                f"refused: the XML nests elements more than {MAX_XML_DEPTH} deep", where
            )
        stack.extend((kid, depth + 1) for kid in el)


def parse_xml(data: bytes, where: str | Path) -> Element:
    """Parse untrusted XML: no DTD, no entities, no external references."""
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        _check_depth(root, where)
        return root
    except DTDForbidden:
        raise InputError(
            "refused: the XML declares a document type (DTD), which REFI-QDA files never "
            "need and which can hide entity attacks",
            where,
        ) from None
    except EntitiesForbidden as exc:
        raise InputError(f"refused: the XML declares an entity ({exc.name!r})", where) from None
    except ExternalReferenceForbidden:
        raise InputError("refused: the XML refers to an external resource", where) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        reason = str(exc).split(":")[0]
        raise InputError(f"not well-formed XML ({reason})", where, line) from None
