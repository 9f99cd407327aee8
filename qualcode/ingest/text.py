"""Plain-text and Markdown transcripts, with optional ``key: value`` front matter."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from qualcode.domain.documents import ParsedTranscript
from qualcode.domain.layouts import parse_layout
from qualcode.errors import InputError
from qualcode.ingest.encoding import decode_bytes, read_bytes, windows_1252_note

_FENCE = "---"
_CLOSERS = frozenset({"---", "..."})  # YAML allows "..." to end a document too


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; a leading BOM goes; accents are stored
    composed (NFC): a Mac may write "ë" as "e" and a combining mark, and then "Zoë:"
    read as no speaker, and a search or a name list's "Zoë" matched nothing."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    return unicodedata.normalize("NFC", text)


def snake_key(key: str) -> str:
    """``"Authority type"`` -> ``"authority_type"``."""
    return re.sub(r"[\W_]+", "_", key.strip().lower()).strip("_")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def split_front_matter(text: str, path: Path | str) -> tuple[dict[str, str], str]:
    """``(attributes, body)``: front matter needs a ``---`` first line and a closing one."""
    lines = text.split("\n")
    if lines[0].strip() != _FENCE:
        return {}, text
    close = next((n for n in range(1, len(lines)) if lines[n].strip() in _CLOSERS), None)
    if close is None:  # a lone rule at the top is ordinary text
        return {}, text
    attributes: dict[str, str] = {}
    for index in range(1, close):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        name = snake_key(key)
        if not colon or not name:
            raise InputError("front matter line is not 'key: value'", path, index + 1)
        attributes[name] = _unquote(value.strip())
    return attributes, "\n".join(lines[close + 1 :])


def transcript_from_text(
    text: str, path: Path, interviewer_labels: Collection[str] = ()
) -> ParsedTranscript:
    """Front matter split off, then the body parsed into turns (the layout judged from
    the whole document); ``interviewer_labels`` name the interviewer's speakers."""
    attributes, body = split_front_matter(normalise_newlines(text), path)
    if not body.strip():
        if attributes:
            raise InputError("no transcript text after the front matter", path)
        raise InputError("empty file", path)
    if not _LETTER.search(body):
        # a failed export: times, numbers, no one's words
        raise InputError("no words in the file, only numbers or timestamps", path)
    case = attributes.pop("case", "").strip() or None
    labels = [label.strip() for label in attributes.get("interviewer", "").split(",")]
    labels = [label for label in [*labels, *interviewer_labels] if label]
    body, numbered = without_line_numbers(body)
    layout = parse_layout(body, labels)
    name = f"{layout.name}, line numbers removed" if numbered else layout.name
    return ParsedTranscript(
        name=path.name,
        text=body,
        turns=layout.turns,
        attributes=attributes,
        case=case,
        layout=name,
        source_attributes=layout.attributes,
        warnings=layout.warnings,
    )


_LETTER = re.compile(r"[^\W\d_]")
_LINE_NUMBER = re.compile(r"[ \t]*(\d{1,5})(?:[.:)]?\t|[.:)]?[ ]{1,8})(?=\S)")
MIN_NUMBERED_LINES = 5
NUMBERED_SHARE = 0.8  # of the non-blank lines


def without_line_numbers(text: str) -> tuple[str, bool]:
    """``text`` without the line numbers a transcript is printed with for reference
    ("12<tab>Interviewer: ..."), and whether there were any: read as words they hide
    every speaker label and turn each line into a numbered prompt. Numbered only when
    nearly every line starts with a number and the numbers go up."""
    lines = text.split("\n")
    found = [(i, _LINE_NUMBER.match(line)) for i, line in enumerate(lines) if line.strip()]
    numbers = [(i, int(m.group(1)), m.end()) for i, m in found if m is not None]
    if len(numbers) < max(MIN_NUMBERED_LINES, NUMBERED_SHARE * len(found)):
        return text, False
    values = [n for _i, n, _end in numbers]
    rising = sum(1 for a, b in zip(values, values[1:], strict=False) if b > a)
    if rising < NUMBERED_SHARE * (len(values) - 1):
        return text, False
    for i, _n, end in numbers:
        lines[i] = lines[i][end:]
    return "\n".join(lines), True


def read_text_transcript(path: Path, interviewer_labels: Collection[str] = ()) -> ParsedTranscript:
    """A .txt or .md transcript."""
    data = read_bytes(path)
    parsed = transcript_from_text(decode_bytes(data, path), path, interviewer_labels)
    guessed = windows_1252_note(data)
    return replace(parsed, warnings=(guessed, *parsed.warnings)) if guessed else parsed
