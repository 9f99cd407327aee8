"""The read & code side panel: where the cursor is, what is coded there, the shortcuts."""

from __future__ import annotations

from collections.abc import Sequence, Set

from rich.text import Text

from qualcode.domain.wording import counted
from qualcode.tui.read.data import Catalogue
from qualcode.tui.read.docview import DocumentView
from qualcode.tui.read.suggestions import WIDTH  # the side column's text, at 120 columns
from qualcode.tui.shared import themes


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def side_panel(
    view: DocumentView,
    catalogue: Catalogue,
    shortcuts: Sequence[str],
    last_theme: str | None,
    memo_segments: Set[str],
    width: int = WIDTH,
    me: str = "",
) -> Text:
    """``width``: the column's text width (narrower on an 80-column terminal); a
    coding by someone other than ``me`` says whose it is (a double-coded sample)."""
    doc = view.doc
    out = Text()
    if doc is None:
        return out
    labels = {t.id: t.label for t in catalogue.themes}
    unit = doc.turn_at(view.here)
    block = doc.blocks[doc.block_of(view.cursor)]
    row = doc.rows[doc.row_of(view.cursor)]
    line = row.line
    k = doc.row_of(view.cursor)
    while line is None and k > 0:
        k -= 1
        line = doc.rows[k].line
    out.append("Here\n", style="bold underline")
    out.append(f"case {block.case} · line {line or 1}\n")
    if unit is not None:
        who = unit.speaker or unit.role
        out.append(f"{_short(who, 16)} · {unit.segment}\n", style="dim")
        if unit.time is not None:
            out.append(f"turn starts at {unit.time}\n", style="dim")
        if unit.segment in memo_segments:
            out.append("✎ has a memo (m)\n", style="italic")
    selected = view.selection
    if selected is not None:
        a, z = doc.trim(*selected)
        out.append(f"selected {counted(max(0, z - a), 'character')}\n", style="bold")
    marks = doc.marks_in(*selected) if selected else doc.marks_at(view.cursor)
    out.append("\nCoded here\n", style="bold underline")
    if not marks:
        out.append("  (nothing)\n", style="dim")
    for mark in list(dict.fromkeys(marks))[:8]:
        colour = catalogue.colours.get(mark.theme, ("", "white"))[1]
        out.append("■ ", style=colour)
        whose = f" ({_short(mark.coder, 12)})" if mark.coder and mark.coder != me else ""
        shown, label = themes.fitted(mark.theme, labels.get(mark.theme, ""), width - 2 - len(whose))
        out.append(shown, style=f"bold {colour}")
        out.append(f" {label}" if label else "")
        out.append(f"{whose}\n", style="italic")
    out.append("\nShortcuts\n", style="bold underline")
    for n, theme in enumerate(shortcuts[:9], start=1):
        if not theme:
            continue
        colour = catalogue.colours.get(theme, ("", "white"))[1]
        out.append(f"{n} ", style="bold")
        shown, label = themes.fitted(theme, labels.get(theme, ""), width - 3)
        out.append(shown, style=f"bold {colour}")
        out.append(f" {label}\n" if label else "\n")
    if last_theme is not None:
        out.append(". ", style="bold")
        out.append(f"same as last: {last_theme}\n", style="dim")
    hints = ("enter theme", "s sentence", "t turn", "x remove", "c change", "m memo")
    out.append("\n" + "\n".join(_lines(hints, width)), style="dim")
    return out


def _lines(parts: Sequence[str], width: int) -> list[str]:
    """``parts`` joined by " · ", as many to a line as ``width`` holds."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines
