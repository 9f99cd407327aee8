"""Readable, stable identifiers and attribute names."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

_NON_KEY = re.compile(r"[^0-9a-z]+")
_NON_SLUG = re.compile(r"[^0-9A-Za-z._-]+")


def snake_key(name: str) -> str:
    """ "Authority type" -> "authority_type": attribute names usable in templates."""
    return _NON_KEY.sub("_", name.strip().lower()).strip("_")


def attribute_named(typed: str, known: Sequence[str]) -> str:
    """The attribute of ``known`` that ``typed`` means: itself; the key its words make
    (a column's header as written, "Which team are you in?" for
    ``which_team_are_you_in``); or the one key that begins with those words
    (``which_team``), so a long question need not be typed whole. ``typed`` itself when
    none matches (the caller says it is unknown); ValueError when several begin so."""
    if typed in known:
        return typed
    key = snake_key(typed)
    if not key:
        return typed
    if key in known:
        return key
    begun = [k for k in known if k.startswith(key + "_")]
    if len(begun) > 1:
        raise ValueError(f"{typed!r} could be any of the attributes {', '.join(begun)}")
    return begun[0] if begun else typed


def slug(name: str) -> str:
    """A file stem or column name as an id: letters, digits, ``.``, ``_`` and ``-``;
    accented letters without their accents ("Zoë Brontë" gives "Zoe-Bronte", where
    the letters were dropped: "Zo-Bront", which no accepted name matched)."""
    return _NON_SLUG.sub("-", without_accents(name).strip()).strip("-") or "x"


def without_accents(text: str) -> str:
    """``text`` with its letters' accents taken off ("Zoë Brontë" gives "Zoe Bronte")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
