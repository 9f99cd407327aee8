"""Replacing names by placeholders in text, and generalising job titles (stdlib only).

``mapping`` maps an original name (``"Jane Mowbray"``) to its placeholder
(``"[Person 3]"``). Names match as whole words, case-sensitively (and in capitals),
with any run of whitespace between their words; longer names win over the shorter
names inside them, so ``"Jane Mowbray"`` is replaced whole before ``"Mowbray"``.
Possessives keep their ending: ``"Mowbray's"`` becomes ``"[Person 3]'s"``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

PROPOSED = "proposed"
ACCEPTED = "accepted"
REJECTED = "rejected"
STATUSES = (PROPOSED, ACCEPTED, REJECTED)

PERSON = "person"
PLACE = "place"
ORGANISATION = "organisation"
OTHER = "other"
CONTACT = "contact"  # an email address, a phone number or a postcode
KINDS = (PERSON, PLACE, ORGANISATION, OTHER, CONTACT)


@dataclass(frozen=True)
class Proposal:
    """One name the study's text holds and what replaces it in anonymised outputs."""

    id: int
    original: str
    placeholder: str
    kind: str  # PERSON, PLACE, ORGANISATION, OTHER or CONTACT
    status: str  # PROPOSED, ACCEPTED or REJECTED
    origin: str  # list, heuristic, speaker, spacy, review
    occurrences: int


@dataclass(frozen=True)
class Replacement:
    """``text[start:end]`` is replaced by ``placeholder``."""

    start: int
    end: int
    placeholder: str


_APOSTROPHES = "'\u2019"


def _name_pattern(name: str) -> str:
    words = name.split()
    parts = []
    for word in words:
        escaped = "".join(
            f"[{_APOSTROPHES}]" if ch in _APOSTROPHES else re.escape(ch) for ch in word
        )
        parts.append(escaped)
    return r"\s+".join(parts)


_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(_APOSTROPHES, "'"))
_PHONE = re.compile(r"\+?[\d\s\-().]+")
_POSTCODE = re.compile(r"([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})")
_SEP = r"[\s\-().]*"


def _contact_key(text: str) -> str:
    """A phone number's digits (+44 read as 0), or a postcode's letters and digits."""
    if _POSTCODE.fullmatch(text.strip()):
        return "".join(text.split()).upper()
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+44") or (digits.startswith("44") and len(digits) == 12):
        digits = "0" + digits[2:].removeprefix("0")
    return digits


def _contact_shape(key: str) -> str | None:
    """A pattern for the phone number or postcode ``key`` in any spacing (None: it is
    neither)."""
    found = _POSTCODE.fullmatch(key)
    if found:
        return rf"(?i:{re.escape(found.group(1))}\s*{re.escape(found.group(2))})"
    if not _PHONE.fullmatch(key):
        return None
    digits = _contact_key(key)
    if len(digits) < 9:
        return None
    if digits.startswith("0"):  # a UK number: 0..., +44 ..., +44 (0) ...
        head = rf"(?:\+{_SEP}44{_SEP}(?:\(0\){_SEP})?|0{_SEP})"
        return head + _SEP.join(digits[1:])
    return r"\+?" + _SEP.join(digits)


def name_key(name: str) -> str:
    """A name as looked up: single spaces, one kind of apostrophe."""
    return " ".join(name.split()).translate(_APOSTROPHE_TABLE)


class Matcher:
    """A compiled mapping: finds every replacement in a text in one regex pass."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._lookup: dict[str, str] = {}
        self._canon: dict[str, str] = {}  # a matched form -> the name as given
        for original, placeholder in mapping.items():
            key = name_key(original)
            if key:
                self._lookup[key] = placeholder
                self._canon[key] = key
        for key, placeholder in list(self._lookup.items()):
            if key.upper() not in self._lookup:
                self._lookup[key.upper()] = placeholder
                self._canon[key.upper()] = key
        # A name of two words or more is matched in any capitals ("sarah jones", "rm4
        # 7qt"): only one word alone can be an ordinary word ("Rose", "rose").
        self._folded: dict[str, str] = {}
        for key in list(self._canon.values()):
            if " " in key:
                self._folded.setdefault(key.casefold(), key)
        # A phone number or postcode in any spacing ("07700-900-123", "+447700900123",
        # "RM47QT"): typed so after the names were reviewed, it went out as written.
        self._forms: dict[str, str] = {}  # its digits, or letters and digits -> the key
        shapes: list[str] = []
        for key in list(self._canon.values()):
            shape = _contact_shape(key)
            if shape is not None and _contact_key(key) not in self._forms:
                self._forms[_contact_key(key)] = key
                shapes.append(shape)
        names = sorted(self._lookup, key=lambda n: (-len(n), n))
        patterns = shapes + [
            f"(?i:{_name_pattern(n)})" if " " in n else _name_pattern(n) for n in names
        ]
        self._regex = (
            re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)") if patterns else None
        )

    def _name(self, matched: str) -> str:
        """The key of the name a match is a form of."""
        key = name_key(matched)
        if key in self._lookup:
            return key
        folded = self._folded.get(key.casefold())
        return folded if folded is not None else self._forms[_contact_key(matched)]

    def replacements(self, text: str) -> list[Replacement]:
        if self._regex is None or not text:
            return []
        return [
            Replacement(m.start(), m.end(), self._lookup[self._name(m.group())])
            for m in self._regex.finditer(text)
        ]

    def apply(self, text: str) -> str:
        return apply_replacements(text, self.replacements(text))

    def count(self, text: str) -> dict[str, int]:
        """Occurrences per name (keyed by :func:`name_key`; capitals count for the name)."""
        out: dict[str, int] = {}
        if self._regex is None:
            return out
        for m in self._regex.finditer(text):
            key = self._canon[self._name(m.group())]
            out[key] = out.get(key, 0) + 1
        return out


@lru_cache(maxsize=16)
def _cached(items: tuple[tuple[str, str], ...]) -> Matcher:
    return Matcher(dict(items))


def matcher(mapping: Mapping[str, str]) -> Matcher:
    return _cached(tuple(sorted(mapping.items())))


def apply_replacements(text: str, replacements: Sequence[Replacement]) -> str:
    out: list[str] = []
    pos = 0
    for r in replacements:
        out.append(text[pos : r.start])
        out.append(r.placeholder)
        pos = r.end
    out.append(text[pos:])
    return "".join(out)


def anonymise_text(text: str, mapping: Mapping[str, str]) -> str:
    """``text`` with every name in ``mapping`` replaced by its placeholder."""
    if not mapping:
        return text
    return matcher(mapping).apply(text)


class OffsetMap:
    """Maps offsets in the original text to offsets in the anonymised text.

    An offset inside a replaced name moves to the start of its placeholder when it
    starts a span and to the end when it ends one, so a coded passage keeps covering
    the placeholder of any name it touched.
    """

    def __init__(self, replacements: Sequence[Replacement]) -> None:
        self._starts = [r.start for r in replacements]
        self._reps = list(replacements)
        shifts = []
        shift = 0
        for r in replacements:
            shifts.append(shift)
            shift += len(r.placeholder) - (r.end - r.start)
        self._shifts = shifts
        self._total = shift

    def map(self, offset: int, *, end: bool = False) -> int:
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        r = self._reps[i]
        base = r.start + self._shifts[i]
        if offset >= r.end:
            return offset + self._shifts[i] + len(r.placeholder) - (r.end - r.start)
        if offset == r.start:
            return base
        return base + len(r.placeholder) if end else base

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.map(start), self.map(end, end=True)


def anonymise_with_offsets(text: str, mapping: Mapping[str, str]) -> tuple[str, OffsetMap]:
    """The anonymised text and the map from old offsets to new ones."""
    reps = matcher(mapping).replacements(text) if mapping else []
    return apply_replacements(text, reps), OffsetMap(reps)


# --- job titles -------------------------------------------------------------------


@dataclass(frozen=True)
class TitleRule:
    """A title that fully matches ``pattern`` (a regular expression, case-insensitive)
    is shown as ``title``."""

    pattern: str
    title: str


def generalise_title(title: str, rules: Iterable[TitleRule]) -> str:
    """The first matching rule's title, or ``title`` unchanged."""
    clean = " ".join(title.split())
    for rule in rules:
        if _title_regex(rule.pattern).fullmatch(clean):
            return rule.title
    return title


@lru_cache(maxsize=256)
def _title_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def anonymise_attributes(
    values: Mapping[str, object],
    text: Callable[[str], str],
    title: Callable[[str], str],
    title_attributes: Iterable[str],
) -> dict[str, object]:
    """Case attributes for an anonymised output: job titles generalised, names replaced."""
    titled = set(title_attributes)
    out: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = title(value) if name in titled else value
            value = text(value)
        out[name] = value
    return out
