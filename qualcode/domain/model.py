"""Frozen value types that services return and the CLI and TUI consume.

ORM objects never leave ``qualcode.store``; these do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

AttrValue = str | int | float

TRANSCRIPT = "transcript"
SURVEY = "survey"


@dataclass(frozen=True)
class Case:
    id: str
    attributes: Mapping[str, AttrValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    id: str
    case: str
    name: str  # the imported file's name
    kind: str  # TRANSCRIPT or SURVEY
    question: str | None
    chars: int
    checksum: str
    # a transcription service's header block: title, keywords, speakers
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Segment:
    id: str
    case: str
    source: str
    start: int
    end: int
    speaker: str | None
    role: str  # "respondent", "interviewer" or "other" (prompts kept as context)
    text: str
    line: int  # 1-based line of ``start`` in the source text
    time: str | None = None  # the turn's timestamp in the transcript, as written


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    parent: str | None = None
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    keywords: tuple[str, ...] = ()
    position: int = 0


@dataclass(frozen=True)
class Coding:
    id: int
    source: str
    start: int
    end: int
    theme: str
    coder: str
    created: datetime
    origin: str = "manual"  # manual, import, suggestion, search
    quote: bool = False


@dataclass(frozen=True)
class Memo:
    id: int
    kind: str  # study, case, source, segment, theme
    target: str | None
    coder: str
    text: str
    created: datetime
    updated: datetime


@dataclass(frozen=True)
class StudyInfo:
    title: str
    url: str
    cases: int
    sources: int
    segments: int
    themes: int
    codings: int


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts of what was added and what was already there."""

    cases_added: int = 0
    cases_updated: int = 0
    sources_added: int = 0
    sources_unchanged: int = 0
    segments_added: int = 0
    codings_added: int = 0
    codings_unchanged: int = 0
    themes_added: int = 0
    themes_updated: int = 0
    messages: tuple[str, ...] = ()
    # per transcript file: file, source, layout, turns by role, warnings
    files: tuple[Mapping[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()  # "file: what to check", also in ``files``
