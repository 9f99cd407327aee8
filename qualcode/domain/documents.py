"""What the readers in ``qualcode.ingest`` produce: parsed documents, not database rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

RESPONDENT = "respondent"
INTERVIEWER = "interviewer"
OTHER = "other"  # context that nobody in the study said: task prompts, a topic guide
ROLES = (INTERVIEWER, RESPONDENT, OTHER)


@dataclass(frozen=True)
class Turn:
    """One speaker turn: ``start``/``end`` are code-point offsets of the spoken text
    (after any speaker label and timestamp) in the document's ``text``."""

    start: int
    end: int
    speaker: str | None
    role: str = RESPONDENT  # RESPONDENT, INTERVIEWER or OTHER
    time: str | None = None  # the turn's timestamp as written ("12:34", "00:01:02")


@dataclass(frozen=True)
class ParsedTranscript:
    """A transcript read from a file.

    ``text`` is exactly what will be stored (line endings normalised to ``\\n``, front
    matter removed); every offset in qualcode points into it.
    """

    name: str  # the file's name, e.g. "int01.txt"
    text: str
    turns: tuple[Turn, ...]
    attributes: Mapping[str, str] = field(default_factory=dict)
    case: str | None = None  # a case id given in the file's front matter
    layout: str = ""  # how the file marks its speakers, e.g. "Name: words"
    # a transcription service's header block (title, keywords, speaker list)
    source_attributes: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what a researcher should check about this file


@dataclass(frozen=True)
class TableRow:
    """One data row of a CSV/XLSX table; ``row`` is its row number in the file
    (the header is row 1, so the first data row is row 2)."""

    row: int
    values: Mapping[str, str]


@dataclass(frozen=True)
class Table:
    name: str  # file name
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    # a survey tool's question wording per column, from its extra header rows
    wording: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # how the header was read, where a tool's layout was guessed
