"""Case attributes that are personal details: never written to an anonymised output.

Survey tools export who answered beside what they said: Microsoft Forms an ``Email``
and a ``Name`` column, Qualtrics ``RecipientEmail``, ``RecipientFirstName``,
``IPAddress`` and the location, SurveyMonkey ``Email Address`` and ``IP Address``.
Imported, they become case attributes like any other. Replacing accepted names does
not hide an email address or an IP address, so an anonymised export leaves such an
attribute out whole (standard library only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# attribute names (snake keys, separators dropped) that hold personal details
_NAMES = frozenset(
    [
        "email",
        "emailaddress",
        "mail",
        "name",
        "fullname",
        "firstname",
        "lastname",
        "surname",
        "forename",
        "givenname",
        "familyname",
        "middlename",
        "respondentname",
        "participantname",
        "intervieweename",
        "contactname",
        "recipientemail",
        "recipientfirstname",
        "recipientlastname",
        "ipaddress",
        "ip",
        "phone",
        "phonenumber",
        "telephone",
        "tel",
        "mobile",
        "mobilenumber",
        "cellphone",
        "address",
        "homeaddress",
        "streetaddress",
        "street",
        "postcode",
        "zipcode",
        "zip",
        "locationlatitude",
        "locationlongitude",
        "latitude",
        "longitude",
        "dateofbirth",
        "dob",
        "birthdate",
        "nhsnumber",
        "ninumber",
        "nationalinsurancenumber",
    ]
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")  # IPv4; an IPv6 column is found by its name
# a phone number as written, not a bare number (an id, an amount): "+44 20 7946 0958",
# "020 7946 0958", "07700900123"
_PHONE = re.compile(r"(?:\+|0)[\d\s()\-]{8,}|\d[\d()\-]*[\s()\-][\d\s()\-]{6,}")
_VALUE_SHARE = 0.5  # of an attribute's filled-in values


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


# a person's name under a form's wording: "Your name (optional)", "Staff name",
# "Interviewee" (not "Team name", "Service name": those name groups)
_PERSON_NAME = re.compile(
    r"(?:your|my|staff|employee|patient|client|student|manager|worker|carer|person)"
    r"s?(?:full|first|last|given|family)?name(?:optional|please)?|interviewee|yourname\w*"
)


# attributes that name who took part: personal when their values are people's names
_WHO = frozenset(
    ["participant", "respondent", "interviewee", "informant", "person", "speaker", "contact"]
)
_NAME_WORD = re.compile(r"[^\W\d_][\w'\u2019\-]*\.?")
_PARTICLES = frozenset(["van", "von", "der", "de", "la", "le", "du", "da", "di", "bin", "al"])


def _full_name(value: str) -> bool:
    """ "Mary Whitfield", "Dr Ann O'Neill-Hart", "Jan van der Berg": two to four words,
    each capitalised (or a name's particle)."""
    surname, comma, given = value.partition(",")
    if comma and "," not in given:  # "Whitfield, Mary", as registers and Teams write it
        value = f"{given.strip()} {surname.strip()}"
    words = value.split()
    return 2 <= len(words) <= 4 and all(
        _NAME_WORD.fullmatch(w) and (w[0].isupper() or (i > 0 and w in _PARTICLES))
        for i, w in enumerate(words)
    )


def is_personal(name: str, values: Iterable[str] = ()) -> bool:
    """Whether an attribute called ``name`` with these values holds personal details:
    its name says so ("Email", "Recipient first name", "IP Address", "Your name
    (optional)"), or most of its values are email addresses, IP addresses or phone
    numbers."""
    key = _key(name)
    if key in _NAMES or _PERSON_NAME.fullmatch(key):
        return True
    filled = [v.strip() for v in values if v and v.strip()]
    if not filled:
        return False
    if key in _WHO and sum(1 for v in filled if _full_name(v)) >= (_VALUE_SHARE * len(filled)):
        return True  # "Participant: Mary Whitfield" (a details table), not "P07"
    looks = sum(1 for v in filled if is_personal_value(v))
    return looks >= _VALUE_SHARE * len(filled)


def is_personal_value(value: str) -> bool:
    """Whether ``value`` is an email address, an IP address or a phone number."""
    v = value.strip()
    return bool(
        _EMAIL.fullmatch(v) or _IP.fullmatch(v) or (_PHONE.fullmatch(v) and _digits(v) >= 9)
    )


def _digits(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


def personal_attributes(values: dict[str, list[str]]) -> frozenset[str]:
    """The attributes (name -> every case's value) that hold personal details."""
    return frozenset(name for name, vals in values.items() if is_personal(name, vals))
