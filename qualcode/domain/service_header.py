"""A transcription service's header block and footer (standard library only).

Exports start with a title, a date, ``SUMMARY KEYWORDS`` and ``SPEAKERS`` blocks, and
may end with "Transcribed by ..."; these describe the source and are nobody's words.
"""

from __future__ import annotations

import re

_HEADER_MARKS = {"SUMMARY KEYWORDS": "keywords", "SPEAKERS": "speakers"}
_HEADER_SEARCH_LINES = 40
# Otter's "Transcribed by https://otter.ai"; Teams' "Alex Carter stopped transcription"
_FOOTER = re.compile(
    r"[ \t]*(?:transcribed by\b|[^\n:]{1,80}\bstopped transcription\.?[ \t]*$)",
    re.IGNORECASE,
)


def numbered_lines(text: str, start: int, end: int | None = None) -> list[tuple[int, str]]:
    """(offset, line) for each line of ``text[start:end]``."""
    out = []
    offset = start
    for line in text[start:end].split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def header(text: str) -> tuple[int, dict[str, str]]:
    """(where the body starts, attributes) for a service's header block at the top."""
    lines = numbered_lines(text, 0)[:_HEADER_SEARCH_LINES]
    marks = [i for i, (_o, line) in enumerate(lines) if line.strip() in _HEADER_MARKS]
    if not marks:
        return 0, {}
    attributes: dict[str, str] = {}
    first = next((line.strip() for _o, line in lines if line.strip()), "")
    if first and first not in _HEADER_MARKS:
        attributes["title"] = first
    end = 0
    for i in marks:
        values = []
        j = i + 1
        while j < len(lines) and lines[j][1].strip() and lines[j][1].strip() not in _HEADER_MARKS:
            values.append(lines[j][1].strip())
            j += 1
        attributes[_HEADER_MARKS[lines[i][1].strip()]] = " ".join(values)
        end = lines[j][0] if j < len(lines) else len(text)
    return min(end, len(text)), attributes


def footer(text: str, attributes: dict[str, str]) -> int:
    """Where the transcript ends: before a service's "Transcribed by ..." or "... stopped
    transcription" last line."""
    body = text.rstrip()
    last = body[body.rfind("\n") + 1 :]
    if _FOOTER.match(last):
        attributes["footer"] = last.strip()
        return body.rfind("\n") + 1
    return len(text)
