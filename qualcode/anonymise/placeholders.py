"""Consistent placeholders per study: ``[Person 3]``, ``[Place 2]``, ``[X] college``.

Names of one group share a placeholder; a group that already has one (from an earlier
run) keeps it, and new numbers continue after the highest number used so far.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from qualcode.anonymise.lexicon import ORG_SUFFIXES
from qualcode.domain.anonymise import CONTACT, ORGANISATION, PERSON, PLACE, name_key
from qualcode.domain.ids import without_accents

_PREFIX = {PERSON: "Person", PLACE: "Place", ORGANISATION: "Organisation"}
_NUMBERED = re.compile(r"\[(\w+) (\d+)\]")
_LETTERS = "XYZWVUTS"
_LETTERED = re.compile(rf"\[[{_LETTERS}]\] .+")
_KEEP_UPPER = re.compile(r"^[A-Z]{2,}$")
_DIGIT_LED = re.compile(r"[+\d]")  # a phone number; a postcode starts with letters


def org_label(original: str) -> str | None:
    """ "Kingsmere Borough Council" -> "borough council": the kind of organisation."""
    words = original.split()
    tail: list[str] = []
    for word in reversed(words[1:]):
        low = word.lower()
        if low in ORG_SUFFIXES or low in {"county", "borough", "city", "district", "metropolitan"}:
            tail.insert(0, word if _KEEP_UPPER.match(word) else low)
        elif _KEEP_UPPER.match(word) and tail:  # "NHS" in "Kingsmere NHS Trust"
            tail.insert(0, word)
        else:
            break
    return " ".join(tail) or None


class Placeholders:
    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.numbers: dict[str, int] = {}
        for placeholder in self.taken:
            m = _NUMBERED.fullmatch(placeholder)
            if m:
                word, n = m.group(1), int(m.group(2))
                self.numbers[word] = max(self.numbers.get(word, 0), n)

    def new(self, kind: str, original: str) -> str:
        if kind == ORGANISATION:
            label = org_label(original)
            if label:
                for letter in _LETTERS:
                    candidate = f"[{letter}] {label}"
                    if candidate not in self.taken:
                        self.taken.add(candidate)
                        return candidate
        if kind == CONTACT:
            word = (
                "Email"
                if "@" in original
                else "Phone"
                if _DIGIT_LED.match(original)
                else "Postcode"
            )
        else:
            word = _PREFIX.get(kind, "Name")
        n = self.numbers.get(word, 0) + 1
        self.numbers[word] = n
        placeholder = f"[{word} {n}]"
        self.taken.add(placeholder)
        return placeholder


def made_for(placeholder: str, kind: str) -> bool:
    """Whether ``placeholder`` is one numbered for ``kind`` ("[Person 2]" for a person),
    rather than one the researcher wrote ("[the manager]")."""
    if kind == ORGANISATION and _LETTERED.fullmatch(placeholder):
        return True  # "[X] college"
    found = _NUMBERED.fullmatch(placeholder)
    words = {"Email", "Phone", "Postcode"} if kind == CONTACT else {_PREFIX.get(kind, "Name")}
    return found is not None and found.group(1) in words


def assign(
    groups: Mapping[str, list[tuple[str, str]]], existing: Mapping[str, str]
) -> dict[str, str]:
    """A placeholder for every new name: ``groups`` maps a group to its (name, kind)
    pairs, ``existing`` the names already stored to their placeholders."""
    maker = Placeholders(existing.values())
    # a name found again in another spelling ("jim mcgregor", "O’Brien", "Wojcik",
    # "Mensah Boateng") is the same person: it got a placeholder of its own
    loose = {_loose(n): p for n, p in existing.items()}
    out: dict[str, str] = {}
    for members in groups.values():
        known = next((existing[n] for n, _ in members if n in existing), None)
        if known is None:
            known = next((loose[_loose(n)] for n, _ in members if _loose(n) in loose), None)
        if known is None:
            name, kind = max(members, key=lambda m: len(m[0]))
            known = maker.new(kind, name)
        for name, _kind in members:
            if name not in existing:
                out[name] = known
    return out


def _loose(name: str) -> str:
    """A name without its accents, capitals, hyphens or kind of apostrophe."""
    return name_key(without_accents(name).replace("-", " ")).casefold()
