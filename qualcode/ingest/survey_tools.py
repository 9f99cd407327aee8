"""The extra header rows of survey tools' exports, read as headers, not respondents.

Qualtrics writes each column's question wording in the second row and, in newer
exports, an ``{"ImportId": ...}`` row third; SurveyMonkey writes a second header row
naming the answer options of multiple-choice questions (whose other columns have no
name in the first row) and ``Response`` / ``Open-Ended Response`` elsewhere. Read as
data, these rows became respondents called "Response ID" and ``{"ImportId":...}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Record = tuple[int, list[str]]  # (row number in the file, cell values)

_QUALTRICS_ID = ("responseid", "response id", "_recordid")
_MONKEY_ID = "respondent id"
_MONKEY_PLAIN = frozenset({"response", "open-ended response"})  # no option: the question


@dataclass(frozen=True)
class ToolHeader:
    """The header a tool's export really has: column names, how many data rows were
    header rows, each column's question wording where the export gave one, and what
    to tell the researcher."""

    cells: list[str]
    skipped: int = 0
    wording: dict[str, str] = field(default_factory=dict)
    note: str | None = None


def tool_header(name: str, cells: list[str], data: Sequence[Record]) -> ToolHeader:
    """The header of a Qualtrics or SurveyMonkey export; ``cells`` unchanged otherwise."""
    return _qualtrics(name, cells, data) or _surveymonkey(name, cells, data) or ToolHeader(cells)


def _cell(values: list[str], i: int) -> str:
    return values[i].strip() if i < len(values) else ""


def _qualtrics(name: str, cells: list[str], data: Sequence[Record]) -> ToolHeader | None:
    keys = [c.strip().casefold() for c in cells]
    at = next((i for i, k in enumerate(keys) if k in ("responseid", "_recordid")), None)
    if at is None or not data:
        return None
    first = data[0][1]
    if _cell(first, at).casefold() not in _QUALTRICS_ID:
        return None  # a real response id: an export without the wording row
    skipped = 1
    if len(data) > 1 and any(v.strip().startswith('{"ImportId"') for v in data[1][1]):
        skipped = 2
    wording = {
        c.strip(): _cell(first, i)
        for i, c in enumerate(cells)
        if c.strip() and _cell(first, i) and _cell(first, i) != c.strip()
    }
    rows = f"rows {data[0][0]} and {data[1][0]}" if skipped == 2 else f"row {data[0][0]}"
    what = "question wording and import ids" if skipped == 2 else "question wording"
    note = f"{name}: a Qualtrics export: {rows} hold each column's {what}, read as headers"
    return ToolHeader(cells, skipped, wording, note)


def _surveymonkey(name: str, cells: list[str], data: Sequence[Record]) -> ToolHeader | None:
    keys = [c.strip().casefold() for c in cells]
    if _MONKEY_ID not in keys or not data:
        return None
    first = data[0][1]
    if _cell(first, keys.index(_MONKEY_ID)):
        return None  # the first row is a respondent
    subs = [_cell(first, i) for i in range(max(len(cells), len(first)))]
    if not any(s.casefold() in _MONKEY_PLAIN for s in subs):
        return None
    names: list[str] = []
    question = ""
    for i, sub in enumerate(subs):
        head = cells[i].strip() if i < len(cells) else ""
        question = head or question
        if not question:
            names.append(head)
            continue
        plain = not sub or sub.casefold() in _MONKEY_PLAIN
        names.append(question if plain else f"{question} - {sub}")
    names = _unique(names)
    note = (
        f"{name}: a SurveyMonkey export: row {data[0][0]} names each column's answer "
        "options, read as a header"
    )
    return ToolHeader(names, 1, {}, note)


def _unique(names: list[str]) -> list[str]:
    """Names made unique as the tool's own viewer shows them: "Q (2)" for a repeat."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n and n in seen:
            seen[n] += 1
            out.append(f"{n} ({seen[n]})")
        else:
            seen[n] = 1
            out.append(n)
    return out
