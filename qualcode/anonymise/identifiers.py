"""Names inside identifiers: case ids, source and file names, segment ids, attribute values.

Free text is anonymised case-sensitively (``Rose`` the person, ``rose`` the verb). An
identifier is not prose: ``mowbray``, ``Jane_Mowbray``, ``int03-MOWBRAY`` and
``JaneMowbray`` all name Jane Mowbray. Here a name matches whatever its case and
whatever separates (or does not separate) its words, wherever letters do not continue
it; for a person, each word of the name (bar titles and initials) matches on its own
too, so a case called after a surname is replaced even when only the full name was
listed, and an initial before it goes with it ("J. Mowbray" reads "[Person 62]"). Two
identifiers that would read the same once replaced are told apart
(``[Person 3]``, ``[Person 3] (2)``) so rows never merge. An identifier that is an
email address, a phone number or an IP address (a survey keyed by the respondents'
emails) reads ``[Case 1]``, ``[Case 2]``..., and so do the source and segment ids that
start with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.anonymise.lexicon import TITLES
from qualcode.domain.anonymise import PERSON
from qualcode.domain.ids import without_accents
from qualcode.domain.personal_details import is_personal_value

_SEPARATORS = re.compile(r"[\W_]+")
MIN_PART = 3  # shorter words of a name ("Al", "Li") would match inside ordinary ids


@dataclass(frozen=True)
class AcceptedName:
    original: str
    placeholder: str
    kind: str


_FILE_SUFFIX = re.compile(r"\.(?:txt|md|docx|vtt|srt|csv|xlsx|xlsm|tsv)$", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # "KamalaOduya"


def as_prose(identifier: str) -> str:
    """An identifier read as a sentence, for the name finder: "Interview with Kamala
    Oduya 2023-04-01." for the case "Interview-with-Kamala-Oduya-2023-04-01" or the
    file "interview_KamalaOduya.docx" - researchers name files after the people in
    them, and those names reach every export that shows a case or a reference."""
    text = _CAMEL.sub(" ", _FILE_SUFFIX.sub("", identifier.strip()))
    text = re.sub(r"(?<=[^\W\d_])[-_.]+|[-_.]+(?=[^\W\d_])", " ", text)
    words = text.split()
    # "mrs-k-wojcik-interview": after a title, a name written in lower case
    for i, word in enumerate(words[:-1]):
        if word.casefold().rstrip(".") in TITLES:
            words[i] = word.capitalize()
            for j in (i + 1, i + 2):
                if j < len(words) and words[j].isalpha() and words[j].islower():
                    words[j] = words[j].capitalize()
                    if len(words[j]) > 1:
                        break
    return " ".join(words) + "."


def _key(text: str) -> str:
    return _SEPARATORS.sub("", text).casefold()


def _pattern(name: str) -> str:
    words = [w for w in _SEPARATORS.split(name) if w]
    return r"[\W_]*".join(re.escape(w) for w in words)


def _alternatives(names: Sequence[AcceptedName]) -> dict[str, str]:
    """Spelling key -> placeholder; full names first, so they win over their parts."""
    out: dict[str, str] = {}
    for n in names:
        key = _key(n.original)
        if key:
            out.setdefault(key, n.placeholder)
    for n in names:
        if n.kind != PERSON:
            continue
        for word in _SEPARATORS.split(n.original):
            if len(word) >= MIN_PART and word.casefold() not in TITLES:
                out.setdefault(word.casefold(), n.placeholder)
    return out


def _with_plain_spellings(names: Sequence[AcceptedName]) -> list[AcceptedName]:
    """Each name, and as an id made from a file name spells it: without its accents
    ("Zoe-Bronte" for Zoë Brontë)."""
    out = list(names)
    for n in names:
        plain = without_accents(n.original)
        if plain != n.original:
            out.append(AcceptedName(plain, n.placeholder, n.kind))
    return out


class Identifiers:
    """Replaces accepted names in identifiers; ``found`` tells which remain."""

    def __init__(self, names: Sequence[AcceptedName]) -> None:
        names = _with_plain_spellings(names)
        self._lookup = _alternatives(names)
        spelled: dict[str, str] = {}
        for n in names:
            spelled.setdefault(_key(n.original), _pattern(n.original))
            if n.kind == PERSON:
                for word in _SEPARATORS.split(n.original):
                    spelled.setdefault(word.casefold(), re.escape(word))
        patterns = [spelled[k] for k in sorted(self._lookup, key=lambda k: (-len(k), k))]
        self._regex = (
            re.compile(r"(?<![^\W\d_])(?:" + "|".join(patterns) + r")(?![^\W\d_])", re.IGNORECASE)
            if patterns
            else None
        )
        self._known: dict[str, str] = {}
        self._personal = 0  # identifiers that were personal details, numbered so far
        people = sorted({n.placeholder for n in names if n.kind == PERSON})
        # an initial left before a person's placeholder ("J. Mowbray" -> "J. [Person 62]")
        # still points at them: it goes with the name
        self._initial = (
            re.compile(
                r"(?<![^\W\d_])[^\W\d_]\.?[\s_-]*(?=(?:"
                + "|".join(re.escape(p) for p in people)
                + r"))"
            )
            if people
            else None
        )

    def raw(self, value: str) -> str:
        if self._regex is None or not value:
            return value
        # a file name from a Mac stores "ë" as "e" and a mark: read as one letter, or
        # "Zoe" was replaced and the mark left after the placeholder
        value = unicodedata.normalize("NFC", value)
        out = self._regex.sub(lambda m: self._lookup.get(_key(m.group()), m.group()), value)
        return out if self._initial is None or out == value else self._initial.sub("", out)

    def learn(self, identifiers: Iterable[str]) -> None:
        """Fix how each of ``identifiers`` reads, keeping distinct ones distinct."""
        every = sorted(set(identifiers))
        taken = {i for i in every if self.raw(i) == i} | set(self._known.values())
        for ident in every:
            if ident in self._known:
                continue
            if is_personal_value(ident):
                self._personal += 1
                out = f"[Case {self._personal}]"
            else:
                out = self.raw(ident)
            if out == ident:
                continue
            candidate, n = out, 1
            while candidate in taken:
                n += 1
                candidate = f"{out} ({n})"
            taken.add(candidate)
            self._known[ident] = candidate

    def __call__(self, value: str) -> str:
        known = self._known.get(value)
        if known is not None:
            return known
        cuts = [i for i, ch in enumerate(value) if ch in ":/ "]
        # "mowbray:3", "mowbray/q1:1", "mowbray l.4": the longest known head
        for cut in reversed(cuts):
            head = self._known.get(value[:cut])
            if head is not None:
                return head + self.raw(value[cut:])
        return self.raw(value)

    def found(self, value: str) -> list[str]:
        """The placeholders of the names ``value`` still holds."""
        if self._regex is None or not value:
            return []
        value = unicodedata.normalize("NFC", value)
        return [self._lookup.get(_key(m.group()), "?") for m in self._regex.finditer(value)]
