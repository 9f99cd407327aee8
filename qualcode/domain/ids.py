"""Readable, stable identifiers and attribute names."""

from __future__ import annotations

import hashlib
import re

_NON_KEY = re.compile(r"[^0-9a-z]+")
_NON_SLUG = re.compile(r"[^0-9A-Za-z._-]+")


def snake_key(name: str) -> str:
    """ "Authority type" -> "authority_type": attribute names usable in templates."""
    return _NON_KEY.sub("_", name.strip().lower()).strip("_")


def slug(name: str) -> str:
    """A file stem or column name as an id: letters, digits, ``.``, ``_`` and ``-``."""
    return _NON_SLUG.sub("-", name.strip()).strip("-") or "x"


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not yet taken."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def checksum(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def segment_id(source_id: str, ordinal: int) -> str:
    return f"{source_id}:{ordinal}"
