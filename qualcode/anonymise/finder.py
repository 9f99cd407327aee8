"""Finding names of people, places and organisations in a study's text.

Three sources, merged: the researcher's list (always wins), capitalisation and
context heuristics (runs of capitalised words holding at least one word that is a
name rather than an ordinary word; titles, initials and possessives; "... College",
"... Borough Council"; speaker labels), and a trained spaCy pipeline's entities
when one is installed. Variants of one person ("Jane Mowbray", "Mrs Mowbray",
"J. Mowbray", "Mowbray") share a group, and so a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from qualcode.anonymise.lexicon import (
    CONNECTORS,
    FUNCTION,
    GIVEN_NAMES,
    ORG_SUFFIXES,
    PLACE_ENDINGS,
    PLACE_SUFFIXES,
    ROLES,
    STOP,
    TITLES,
    Lexicon,
)
from qualcode.domain.anonymise import CONTACT, ORGANISATION, OTHER, PERSON, PLACE
from qualcode.domain.documents import INTERVIEWER
from qualcode.domain.turns import RESPONDENT_LABELS, speaker_role

_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*\.?")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\u2026\n\"\u201c(\[]|--|\u2013|\u2014)\W*$")
_POSSESSIVE = ("'s", "\u2019s", "s'", "s\u2019")
_PERSON_BEFORE = re.compile(
    r"\b(?:said|told|asked|called|named|colleague|manager|director|boss|ask|"
    r"spoke to|talked to|emailed|rang|phoned|met|thanks to|according to)\s+$",
    re.IGNORECASE,
)
_PERSON_AFTER = re.compile(r"^\s+(?:said|says|told|thinks|thought|who|asked|reckons|felt)\b")
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|around|across|outside|into|towards|neighbouring|neighboring|"
    r"over in|out in|up in|down in|based in|live in|lives in|living in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    original: str
    kind: str
    origin: str  # list, heuristic, speaker, spacy
    group: str  # names sharing a group share a placeholder


@dataclass(frozen=True)
class ListedName:
    name: str
    kind: str | None = None
    placeholder: str | None = None


@dataclass
class _Tok:
    text: str  # without a possessive ending
    start: int
    end: int
    possessive: bool
    initial: bool
    mid: bool  # not at the start of a sentence


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        initial = len(word) == 2 and word[1] == "." and word[0].isupper()
        if word.endswith(".") and not initial:
            word = word[:-1]
        possessive = word.endswith(_POSSESSIVE) and len(word) > 2
        core = word[:-2] if possessive else word
        mid = not _SENTENCE_END.search(text[max(0, m.start() - 12) : m.start()])
        out.append(_Tok(core, m.start(), m.start() + len(word), possessive, initial, mid))
    return out


def _named_speaker(label: str) -> bool:
    key = label.strip().rstrip(".").casefold()
    return bool(key) and key not in RESPONDENT_LABELS and speaker_role(label) != INTERVIEWER


_NAME_ENDS = ORG_SUFFIXES | PLACE_SUFFIXES
_CONTRACTION = re.compile(r"['\u2019](?:re|ll|ve|d|m|t)$", re.IGNORECASE)


def _capitalised(tok: _Tok) -> bool:
    """A word that could be (part of) a name: capitalised, no acronym, no contraction."""
    word = tok.text.rstrip(".")
    if not word[0].isupper() or _CONTRACTION.search(word):
        return False
    parts = word.split("-")
    if any(p[:1].islower() and p not in CONNECTORS for p in parts[1:]):
        return False  # "London-wide", "Re-referral"
    upper = sum(ch.isupper() for ch in word)
    # CSD, DASS, but also IROs, NQSWs, DoLS: acronyms are not names
    return not (len(word) > 1 and upper >= 2 and upper * 2 >= len(word))


class NameFinder:
    """``find(texts)`` -> names with a kind and a group. Heuristics always run; the
    spaCy pipeline ``nlp`` (anything with ``pipe`` and ``ents``) adds its entities."""

    def __init__(self, listed: Sequence[ListedName] = (), nlp: object | None = None) -> None:
        self.listed = list(listed)
        self.nlp = nlp

    def find(self, texts: Sequence[str], speakers: Iterable[str] = ()) -> list[Found]:
        speakers = [x for x in speakers if _named_speaker(x)]
        toks = [_tokens(t) for t in texts]
        words = {tk.text for ts in toks for tk in ts}
        lower = {w for w in words if w.islower()}
        mid = {tk.text for ts in toks for tk in ts if tk.mid and _capitalised(tk)}
        self.lex = Lexicon(words | set(speakers), lower, mid)
        found: dict[str, Found] = {}
        for item in self.listed:
            for f in self._listed(item, texts):
                found.setdefault(f.original, f)
        for text, ts in zip(texts, toks, strict=True):
            for f in self._runs(text, ts):
                found.setdefault(f.original, f)
        for speaker in speakers:
            words_ = speaker.split()
            if (
                words_
                and all(w[:1].isupper() for w in words_)
                and any(self.lex.is_proper(w, True) for w in words_)
            ):
                found.setdefault(speaker, Found(speaker, PERSON, "speaker", ""))
        if self.nlp is not None:
            for f in _spacy_found(self.nlp, texts, self.lex):
                found.setdefault(f.original, f)
        grouped = _group(list(found.values()))
        contacts = {f.original: f for t in texts for f in contact_details(t)}
        return grouped + [f for o, f in contacts.items() if o not in found]

    def _listed(self, item: ListedName, texts: Sequence[str]) -> list[Found]:
        name = " ".join(item.name.split())
        kind = item.kind or classify(name.split(), "", "")
        out = [Found(name, kind, "list", "")]
        parts = name.split()
        if kind == PERSON and len(parts) >= 2 and parts[0].lower().rstrip(".") not in TITLES:
            surname = parts[-1]
            pattern = re.compile(
                r"(?<!\w)(?:(?:" + "|".join(TITLES) + r")\.?\s+|[A-Z]\.\s*)?"
                + re.escape(surname) + r"(?!\w)", re.IGNORECASE,
            )  # fmt: skip
            variants = {v.group() for t in texts for v in pattern.finditer(t)}
            for v in sorted(variants):
                variant = " ".join(v.split())
                if variant[0].isupper():
                    out.append(Found(variant, kind, "list", ""))
        return out

    def _runs(self, text: str, toks: list[_Tok]) -> list[Found]:
        out: list[Found] = []
        i = 0
        while i < len(toks):
            if not _capitalised(toks[i]):
                i += 1
                continue
            j = i + 1
            while j < len(toks) and not (
                toks[j - 1].possessive and toks[j].text.lower() not in _NAME_ENDS
            ):
                gap = text[toks[j - 1].end : toks[j].start]
                if not (gap == " " or (toks[j - 1].initial and gap == "")):
                    break
                if _capitalised(toks[j]):
                    j += 1
                elif (
                    toks[j].text in CONNECTORS and j + 1 < len(toks)
                    and _capitalised(toks[j + 1]) and text[toks[j].end : toks[j + 1].start] == " "
                ):  # fmt: skip
                    j += 2
                else:
                    break
            out.extend(self._candidate(text, toks[i:j]))
            i = j
        return out

    def _candidate(self, text: str, run: list[_Tok]) -> list[Found]:
        titled = run[0].text.lower().rstrip(".") in TITLES and len(run) > 1
        proper = [t for t in run if self._proper(t, titled)]
        named_body = (
            len(run) > 1 and run[-1].text.lower() in _NAME_ENDS
            and run[0].text.lower() not in _NAME_ENDS and not self.lex.is_common(run[0].text)
        )  # fmt: skip
        if not proper and not titled and not named_body:
            return []
        # trim ordinary words at the edges ("So Mowbray", "Director Jane Mowbray")
        while len(run) > 1 and not titled and not self._keeps_run(run[0], run):
            run = run[1:]
        while len(run) > 1 and not titled and not self._proper(run[-1], False):
            if run[-1].text.lower() in _NAME_ENDS or _surname_after_given(run):
                break
            run = run[:-1]
        if run[-1].text in CONNECTORS:
            run = run[:-1]
        if run[-1].text == "I":  # the pronoun after a name ("asked Dr Shah I think")
            run = run[:-1]
        if not run or all(t.text.lower() in STOP for t in run):
            return []
        if len(run) == 1 and run[0].text.lower().rstrip(".") in TITLES:
            return []
        words = [t.text for t in run]
        original = text[run[0].start : run[-1].start + len(run[-1].text)]
        original = " ".join(original.split())
        before = text[max(0, run[0].start - 40) : run[0].start]
        after = text[run[-1].end : run[-1].end + 20]
        kind = classify(words, before, after, possessive=run[-1].possessive)
        found = [Found(original, kind, "heuristic", "")]
        if kind == PERSON and len(run) > 1 and (titled or run[0].initial or len(run) == 2):
            core = run[-1].text
            if len(core.rstrip(".")) > 1 and (self.lex.is_proper(core, True) or titled):
                found.append(Found(core, PERSON, "heuristic", ""))
        return found

    def _proper(self, tok: _Tok, titled: bool) -> bool:
        if tok.initial or tok.text.lower() in CONNECTORS:
            return False
        return self.lex.is_proper(tok.text, tok.mid or titled)

    def _keeps_run(self, first: _Tok, run: list[_Tok]) -> bool:
        if first.initial or self._proper(first, False):
            return True
        low = first.text.lower()
        if low in GIVEN_NAMES:
            return True
        # capitalised mid-sentence right before a name: a first name ("Kit Wolstenholme")
        if first.mid and low not in FUNCTION and low not in ROLES and low not in STOP:
            return True
        return not self.lex.is_common(first.text)


def classify(words: Sequence[str], before: str, after: str, possessive: bool = False) -> str:
    """person, place, organisation or other, from the words and what surrounds them."""
    low = [w.lower().rstrip(".") for w in words]
    if low[0] in TITLES or (len(words) > 1 and (len(words[0]) <= 2 and words[0].endswith("."))):
        return PERSON
    if low[-1] in ORG_SUFFIXES or "university" in low:
        return ORGANISATION
    if low[-1] in PLACE_SUFFIXES and len(words) > 1:
        return PLACE
    if low[0] in GIVEN_NAMES and len(words) > 1:
        return PERSON
    if _PERSON_BEFORE.search(before) or _PERSON_AFTER.search(after):
        return PERSON
    if _PLACE_BEFORE.search(before):
        return PLACE
    if possessive or len(words) == 2 or (len(words) == 1 and low[0] in GIVEN_NAMES):
        return PERSON
    if any(w.endswith(PLACE_ENDINGS) for w in low):
        return PLACE
    return OTHER


# An email address; a phone number as people write one: from + or 0, 10 to 13 digits,
# spaces, dots or hyphens between them ("07700 900123", "+44 (0)20 7946 0958").
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?!\w)")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?|0)(?:\d[ .-]?){8,11}\d(?!\w)")


# a full UK postcode, in capitals as written on letters: "SW1A 1AA", "M1 1AE"
_POSTCODE = re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])")


def contact_details(text: str) -> list[Found]:
    """The email addresses, phone numbers and postcodes ``text`` holds: one group for
    each address whatever its capitals, each number whatever its spacing, each postcode
    with or without its space."""
    out = []
    for m in _EMAIL.finditer(text):
        out.append(Found(m.group(), CONTACT, "contact", f"contact:{m.group().casefold()}"))
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 10 <= len(digits) <= 13:
            out.append(Found(m.group(), CONTACT, "contact", f"contact:{digits[-9:]}"))
    for m in _POSTCODE.finditer(text):
        out.append(Found(m.group(), CONTACT, "contact", f"contact:{m.group().replace(' ', '')}"))
    return out


def _surname_after_given(run: list[_Tok]) -> bool:
    """A capitalised word right after a known first name is that person's surname,
    however common it is as a word ("Fiona Bright", "Sandra Pilling"): trimmed, the
    surname stayed in every anonymised text beside the first name's placeholder."""
    last, before = run[-1], run[-2]
    low = last.text.lower()
    return (
        before.text.lower() in GIVEN_NAMES
        and last.mid
        and len(last.text) > 1
        and low not in FUNCTION
        and low not in STOP
        and low not in ROLES
        and low not in TITLES
    )


def _group(found: list[Found]) -> list[Found]:
    """Give variants of one person one group; other names group by themselves. Two
    people who share a surname (Denise and Yusuf Okafor) are two groups: each full
    name, and an initial or first name that points at one of them, goes with that
    person; a bare or titled surname ("Okafor", "Ms Okafor") that could be either is a
    group of its own."""
    surnames: dict[str, str] = {}
    firsts: dict[str, set[str]] = {}
    given: dict[str, set[str]] = {}  # surname -> the first names seen with it
    for f in found:
        words = f.original.split()
        if f.kind == PERSON and len(words) > 1:
            surname = words[-1]
            surnames.setdefault(surname, f"person:{surname}")
            if _first_name(words[0]):
                firsts.setdefault(words[0], set()).add(surname)
                given.setdefault(surname, set()).add(words[0])
    out = []
    for f in found:
        words = f.original.split()
        group = f"{f.kind}:{f.original}"
        kind = f.kind
        if words[-1] in surnames and (f.kind == PERSON or len(words) == 1):
            group, kind = surnames[words[-1]], PERSON
            people = given.get(words[-1], set())
            if len(people) > 1:  # a surname two people share
                group = _one_of(words, people) or group
        elif len(words) == 1 and len(firsts.get(words[0], ())) == 1:
            surname = next(iter(firsts[words[0]]))
            group, kind = f"person:{surname}", PERSON
            if len(given.get(surname, ())) > 1:
                group = f"person:{words[0]} {surname}"
        out.append(Found(f.original, kind, f.origin, group))
    return out


def _first_name(word: str) -> bool:
    """A first name, not a title ("Dr") or an initial ("J.")."""
    return word.lower().rstrip(".") not in TITLES and len(word.rstrip(".")) > 1


def _one_of(words: list[str], people: set[str]) -> str | None:
    """The group of the one person among ``people`` (first names) that ``words`` (a
    name ending in the shared surname) points at, by first name or initial."""
    surname, before = words[-1], [w for w in words[:-1] if w.lower().rstrip(".") not in TITLES]
    if not before:
        return None
    first = before[0]
    if first in people:
        return f"person:{first} {surname}"
    initial = first.rstrip(".")
    if len(initial) == 1:
        matching = [p for p in people if p[0].upper() == initial.upper()]
        if len(matching) == 1:
            return f"person:{matching[0]} {surname}"
    return None


_SPACY_KINDS: Mapping[str, str] = {
    "PERSON": PERSON, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE, "ORG": ORGANISATION,
}  # fmt: skip


def _spacy_found(nlp: object, texts: Sequence[str], lex: Lexicon) -> list[Found]:
    out = []
    for doc in nlp.pipe(texts, batch_size=16):  # type: ignore[attr-defined]
        for ent in doc.ents:
            kind = _SPACY_KINDS.get(ent.label_)
            if kind is None:
                continue
            name = " ".join(ent.text.split())
            if name.lower().startswith("the "):
                name = name[4:]
            for ending in _POSSESSIVE[:2]:
                name = name.removesuffix(ending)
            words = name.split()
            if not words or not words[0][:1].isupper() or all(w.lower() in STOP for w in words):
                continue
            if len(words) == 1 and words[0].isupper():
                continue  # acronyms
            out.append(Found(name, kind, "spacy", ""))
    return out
