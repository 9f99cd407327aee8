"""Word (.docx) transcripts: the body's paragraphs and table rows, one line each.

Some transcription services and many researchers' templates put a transcript in a
table, one row a turn: speaker, time and words in cells of their own. Each such row
becomes the line ``[time] Speaker: words``, which the layouts read like any labelled
transcript; other rows become their cells' text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import Any

from qualcode.domain.documents import ParsedTranscript
from qualcode.domain.turns import TIME, match_label
from qualcode.errors import InputError
from qualcode.ingest.encoding import failure_reason, read_bytes
from qualcode.ingest.limits import check_office_file
from qualcode.ingest.text import transcript_from_text


def _docx_body(data: bytes, path: Path) -> tuple[str, bool, str | None]:
    """The paragraphs and table rows, a line each (an empty paragraph is a blank
    line), whether the body holds tracked changes, and the title above a table of
    details read as the case's attributes (None: no such title)."""
    import docx  # only when a .docx is read: python-docx and lxml are slow to import

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx fails with many types (zip, XML, KeyError...)
        reason = failure_reason(exc)
        if "spreadsheetml" in reason:  # an Excel workbook under a Word file's name
            raise InputError("an Excel workbook named .docx: rename it .xlsx", path) from None
        reason = re.sub(r"file '<_io\.BytesIO object at 0x[0-9a-f]+>' ", "", reason)
        raise InputError(f"not a readable .docx file ({reason})", path) from None
    lines: list[str] = []
    titled: str | None = None
    first_table = True
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table
            rows = _table_rows(block)
            above = [line.strip() for line in lines if line.strip()]
            # a table of details heading the document (under blank lines or a title
            # such as "Interview 7") is its front matter: the case's attributes
            if first_table and _details(rows) and _title_only(above):
                lines = _front_matter(rows, " / ".join(above))
                titled = " / ".join(above) or None
            else:
                lines.extend(_row_line(r) for r in rows)
            first_table = False
            lines.append("")  # a table ends a paragraph
        else:
            lines.append(paragraph_text(block._p))
    body = document.element.body
    tracked = next(body.iter(f"{_W}ins", f"{_W}del"), None) is not None
    return "\n".join(lines), tracked, titled


MAX_TITLE_LINES = 3
MAX_TITLE_CHARS = 100


def _title_only(lines: list[str]) -> bool:
    """Lines that can stand above a table of details: a heading or two, no one's turn."""
    return len(lines) <= MAX_TITLE_LINES and all(
        len(line) <= MAX_TITLE_CHARS and match_label(line) is None for line in lines
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# text inside these was taken out (a tracked deletion, the old place of moved text)
_REMOVED = frozenset({f"{_W}del", f"{_W}moveFrom"})


def paragraph_text(element: Any) -> str:
    """A paragraph's text as Word shows it with every tracked change accepted: the
    runs of insertions too (python-docx's ``text`` reads only the runs directly in the
    paragraph and its links, so a transcript corrected with track changes on lost
    its corrections), never those of deletions; each run read as python-docx reads
    it (tabs, line breaks, non-breaking hyphens)."""
    removed: set[Any] = set()
    out: list[str] = []
    for node in element.iter(*_REMOVED, f"{_W}r"):
        if node.tag in _REMOVED:
            removed.update(node.iter(f"{_W}r"))
        elif node not in removed:
            out.append(node.text)
    return "".join(out)


_TIME_CELL = re.compile(rf"[\[(]?(?P<t>{TIME})[\])]?(?:\s*-+>?\s*[\[(]?{TIME}[\])]?)?")
_HEADINGS = frozenset(
    [
        "speaker",
        "name",
        "who",
        "time",
        "timestamp",
        "start",
        "end",
        "text",
        "transcript",
        "words",
        "utterance",
        "said",
        "content",
        "dialogue",
        # as meeting tools and typists head them (walk48b: Name | Timestamp | Comment)
        "comment",
        "comments",
        "message",
        "speech",
        "speaker name",
        "time stamp",
        "timecode",
        "start time",
        "end time",
        "#",
        "no.",
    ]
)
_MAX_SPEAKER_CELL = 40


def _table_rows(table: Any) -> list[list[str]]:
    """Each row's cell texts, a merged cell once and a heading row (Speaker | Time |
    Text) left out."""
    out = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # a merged cell comes back once for each column it spans
            text = " ".join(" ".join(paragraph_text(p._p) for p in cell.paragraphs).split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells and not all(c.casefold() in _HEADINGS for c in cells):
            out.append(cells)
    return out


MAX_DETAIL_ROWS = 15
MAX_DETAIL_CHARS = 60


def _details(rows: list[list[str]]) -> bool:
    """Whether a table reads as an interview's details ("Participant | P07", "Date |
    3 March 2024"): two cells a row, each label once, short values, no times."""
    if not rows or len(rows) > MAX_DETAIL_ROWS or any(len(r) != 2 for r in rows):
        return False
    labels = [r[0].rstrip(":").strip() for r in rows]
    return (
        len({label.casefold() for label in labels}) == len(labels)
        and all(len(r[1]) <= MAX_DETAIL_CHARS and len(r[0]) <= MAX_DETAIL_CHARS for r in rows)
        and not any(_TIME_CELL.fullmatch(c) for r in rows for c in r)
    )


def _front_matter(rows: list[list[str]], title: str = "") -> list[str]:
    """The details as front matter (``---`` / ``key: value`` / ``---``), which the text
    reader makes the case's attributes (``interviewer:`` names the interviewer); the
    title above the table, if any, as ``title:`` unless the table has one."""
    pairs = [(r[0].rstrip(":").strip(), r[1]) for r in rows]
    if title and not any(key.casefold() == "title" for key, _ in pairs):
        pairs.insert(0, ("title", title))
    return ["---", *(f"{key}: {value}" for key, value in pairs), "---"]


def _row_line(cells: list[str]) -> str:
    time = next((m.group("t") for c in cells if (m := _TIME_CELL.fullmatch(c))), None)
    rest = [c for c in cells if not _TIME_CELL.fullmatch(c)]
    stamp = f"[{time}] " if time else ""
    if len(rest) >= 2 and _speaker_like(rest[0]):
        return f"{stamp}{rest[0].rstrip(':').rstrip()}: {' '.join(rest[1:])}"
    return stamp + " ".join(rest)


def _speaker_like(cell: str) -> bool:
    return (
        len(cell) <= _MAX_SPEAKER_CELL
        and len(cell.split()) <= 4
        and not cell.endswith((".", "?", "!", ",", ":"))
    ) or (cell.endswith(":") and len(cell) <= _MAX_SPEAKER_CELL + 1)


def read_docx_transcript(path: Path, interviewer_labels: Collection[str] = ()) -> ParsedTranscript:
    """A .docx transcript; front matter typed at the top of the document works too."""
    data = read_bytes(path)
    if not data:
        raise InputError("empty file", path)
    check_office_file(data, path, ".docx")  # archive bombs, hidden entities
    text, tracked, titled = _docx_body(data, path)
    if not text.strip():
        raise InputError("the document has no text", path)
    parsed = transcript_from_text(text, path, interviewer_labels)
    notes: list[str] = []
    if titled is not None:  # a structure guessed: said
        notes.append(f"the table of details under {titled!r} read as the case's attributes")
    if tracked:
        notes.append(
            "tracked changes read as accepted: inserted words kept, deleted words left out"
        )
    return replace(parsed, warnings=(*parsed.warnings, *notes)) if notes else parsed
