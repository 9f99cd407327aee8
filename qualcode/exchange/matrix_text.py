"""How a matrix cell, column or count reads in an export (shared by every format)."""

from __future__ import annotations

from qualcode.domain.framework import theme_title
from qualcode.domain.matrix import (
    DRAFTED,
    NOT_DISCUSSED,
    Cell,
    Group,
    MatrixSheet,
    ThemeCount,
)
from qualcode.domain.model import Theme

NOT_SUMMARISED = "(not summarised yet)"
_NOTED = (NOT_DISCUSSED, DRAFTED)  # statuses a cell's text mentions


def column_title(theme: Theme) -> str:
    """ "1.3 Agency staff"; a slug id that only spells its label ("query-process-clear
    Query process clear") is left out, not printed before its own words."""
    return theme_title(theme.id, theme.label)


def refs_text(cell: Cell) -> str:
    """ "int03 l.42; int03 l.57" - the passages behind a cell."""
    return "; ".join(dict.fromkeys(cell.refs))


def cell_text(cell: Cell, with_status: bool = True) -> str:
    """The summary (or a note that there is none yet) followed by the references."""
    summary = cell.summary
    if not cell.passages and not summary.text and summary.status not in _NOTED:
        return ""  # most cells of a large study: nothing to say, worked out quickly
    parts: list[str] = []
    if summary.text:
        parts.append(summary.text)
    elif summary.status == NOT_DISCUSSED:
        parts.append("not discussed")
    elif cell.passages:
        parts.append(NOT_SUMMARISED)
    if with_status and summary.status == DRAFTED:
        parts[-1] += " [draft]"
    refs = refs_text(cell)
    if refs:
        parts.append(f"({refs})")
    return "\n".join(parts)


def count_text(count: ThemeCount) -> str:
    return f"{count.cases} of {count.total} ({count.wording})"


def group_count(sheet: MatrixSheet, group: Group, theme_id: str) -> ThemeCount:
    """The sheet's count for one column in one group."""
    label = None if not sheet.by else (group.key[0] if len(sheet.by) == 1 else group.label)
    for count in sheet.counts:
        if count.theme == theme_id and count.group == label:
            return count
    raise KeyError((theme_id, label))


def group_heading(group: Group) -> str:
    n = len(group.rows)
    return f"{group.label} ({n} case{'s' if n != 1 else ''})"
