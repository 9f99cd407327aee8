"""What a REFI-QDA project holds, as plain values (the part qualcode reads and writes).

Texts are stored with ``\\n`` line endings and every selection's offsets point into
that text: the reader has already mapped offsets given over ``\\r\\n`` text.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

TEXT = "Text"
INTEGER = "Integer"
FLOAT = "Float"
BOOLEAN = "Boolean"
DATE = "Date"
DATETIME = "DateTime"
VARIABLE_TYPES = (TEXT, BOOLEAN, INTEGER, FLOAT, DATE, DATETIME)

_GUID = re.compile(
    r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?"
)
_FOREIGN = uuid.UUID("6f1c1b0e-2d55-4c53-9d4c-2a9f6f0d8e11")


def norm_guid(raw: str | None) -> str | None:
    """GUIDs compared and stored as 36 lower-case characters without braces; a value
    that is no GUID at all gets a stable stand-in so that references still resolve."""
    if raw is None:
        return None
    raw = raw.strip()
    if not raw:
        return None
    found = _GUID.fullmatch(raw)
    if found:
        return found.group(1).lower()
    return str(uuid.uuid5(_FOREIGN, raw))


def derived_guid(namespace: str, key: str) -> str:
    """A GUID for something the study has no column for, the same at every export."""
    return str(uuid.uuid5(uuid.UUID(namespace), key))


def xml_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive datetimes; they were UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(raw: str | None) -> datetime | None:
    if not raw:
        return None
    text = raw.strip().replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class User:
    guid: str
    name: str


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    description: str | None = None
    color: str | None = None
    children: tuple[Code, ...] = ()
    notes: tuple[str, ...] = ()  # NoteRef targets


@dataclass(frozen=True)
class Variable:
    guid: str
    name: str
    type: str = TEXT


@dataclass(frozen=True)
class Value:
    variable: str  # the Variable's GUID
    value: str | int | float | bool


@dataclass(frozen=True)
class Case:
    guid: str
    name: str | None
    description: str | None = None
    values: tuple[Value, ...] = ()
    sources: tuple[str, ...] = ()  # SourceRef targets


@dataclass(frozen=True)
class Coding:
    guid: str
    code: str  # the Code's GUID
    creator: str | None = None
    created: datetime | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    guid: str
    start: int
    end: int
    name: str | None = None
    description: str | None = None
    creator: str | None = None
    created: datetime | None = None
    codings: tuple[Coding, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextSource:
    guid: str
    name: str
    text: str | None  # None: the file is missing
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    description: str | None = None
    selections: tuple[Selection, ...] = ()
    notes: tuple[str, ...] = ()
    values: tuple[Value, ...] = ()


@dataclass(frozen=True)
class Note:
    guid: str
    name: str | None
    text: str
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    description: str | None = None


@dataclass(frozen=True)
class Link:
    guid: str
    origin: str
    target: str
    name: str | None = None
    direction: str | None = "OneWay"


@dataclass(frozen=True)
class Set:
    """A named group of codes and sources (ATLAS.ti's code and document groups; a
    qualcode framework with what it codes)."""

    guid: str
    name: str
    description: str | None = None
    codes: tuple[str, ...] = ()  # MemberCode targets
    sources: tuple[str, ...] = ()  # MemberSource targets


@dataclass(frozen=True)
class Project:
    name: str
    origin: str | None = None
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    users: tuple[User, ...] = ()
    codes: tuple[Code, ...] = ()
    variables: tuple[Variable, ...] = ()
    cases: tuple[Case, ...] = ()
    sources: tuple[TextSource, ...] = ()
    notes: tuple[Note, ...] = ()
    links: tuple[Link, ...] = ()
    sets: tuple[Set, ...] = ()
    project_notes: tuple[str, ...] = ()  # Project/NoteRef targets
    description: str | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def walk_codes(self) -> list[tuple[Code, Code | None]]:
        """Every code with its parent, parents first."""
        out: list[tuple[Code, Code | None]] = []

        def visit(codes: tuple[Code, ...], parent: Code | None) -> None:
            for code in codes:
                out.append((code, parent))
                visit(code.children, code)

        visit(self.codes, None)
        return out
