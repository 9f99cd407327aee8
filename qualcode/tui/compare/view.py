"""What the Compare workspace shows, as Rich renderables built from frozen data: the
agreement figures per theme, and one disagreement with both coders' themes side by side."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from qualcode.domain.wording import counted
from qualcode.services.agreement import AgreementReport, ThemeAgreement
from qualcode.services.coders import CoderActivity
from qualcode.services.compare import Disagreement
from qualcode.tui.shared import themes

Key = tuple[str, str]  # segment id, theme id
Span = tuple[int, int]


def key(d: Disagreement) -> Key:
    return (d.segment, d.theme)


@dataclass(frozen=True)
class CompareData:
    """One load of the workspace (read in a worker)."""

    coders: tuple[CoderActivity, ...]
    a: str | None
    b: str | None
    report: AgreementReport | None = None
    items: tuple[Disagreement, ...] = ()
    # per coder: segment id -> the themes of that coder's codings overlapping it
    themes: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    # (coder, source, theme) -> spans of that coder's codings (source offsets)
    spans: Mapping[tuple[str, str, str], tuple[Span, ...]] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    colours: Mapping[str, str] = field(default_factory=dict)  # theme id -> foreground
    backgrounds: Mapping[str, str] = field(default_factory=dict)


def default_pair(coders: Sequence[CoderActivity]) -> tuple[str | None, str | None]:
    """The two coders with most codings (most first; by name on a tie)."""
    ranked = sorted((c for c in coders if c.codings), key=lambda c: (-c.codings, c.coder))
    names = [c.coder for c in ranked[:2]]
    return (names[0] if names else None, names[1] if len(names) > 1 else None)


def kappa_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def share_text(value: float | None) -> str:
    """A whole percentage, except that short of all it never reads 100%."""
    if value is None:
        return "–"
    if value < 1 and round(value * 100) >= 100:
        return f"{math.floor(value * 1000) / 10:.1f}%"
    return f"{value:.0%}"


def short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


THEME_WIDTH = 26  # the table's theme column: an id and as much of its label as fits
NARROW_THEME = 12  # at 80 columns, so that every figure shows


def agreement_row(t: ThemeAgreement, open_items: int, width: int = THEME_WIDTH) -> list[Text]:
    """theme (id and label), kappa, % agreement, coded by A, coded by B, disagreements
    left. Ids and labels share one column, so that a long id ("query-process-clear")
    is not cut to six letters, where it read the same as its opposite."""
    low = t.kappa is not None and t.kappa < 0.6  # below "substantial" (Landis & Koch)
    shown, label = themes.fitted(t.theme, t.label, width)
    name = Text(shown, style="bold")
    if label:
        name.append(f" {label}")
    return [
        name,
        Text(kappa_text(t.kappa).rjust(5), style="bold red" if low else ""),
        Text(share_text(t.agreement).rjust(5)),
        Text(str(t.coded[0]).rjust(3)),
        Text((str(t.coded[1]) if len(t.coded) > 1 else "").rjust(3)),
        Text((str(open_items) if open_items else "·").rjust(4)),
    ]


def summary_line(
    data: CompareData, left: int, kept: int, shown: int, position: int, theme: str | None
) -> Text:
    """The line at the top: who is compared, how much, where the walk is."""
    out = Text()
    counts = {c.coder: c.codings for c in data.coders}
    if data.a is None or data.b is None:
        out.append("Compare needs two coders with codings", style="bold")
        out.append(" - code a sample under a second name (--coder), or import theirs", style="dim")
        return out
    out.append("A ", style="bold reverse")
    out.append(f" {data.a} ({counts.get(data.a, 0)})  ", style="bold")
    out.append("B ", style="bold reverse")
    out.append(f" {data.b} ({counts.get(data.b, 0)})  ", style="bold")
    if data.report is not None:
        out.append(f"· {counted(data.report.segments, 'segment')} compared ", style="dim")
    out.append(f"· {counted(left, 'disagreement')}")
    if kept:
        out.append(f" ({kept} kept both)", style="dim")
    if theme is not None:
        out.append(f" · theme {theme} only", style="bold yellow")
    if shown:
        out.append(f" · {position + 1} of {shown}", style="bold")
    return out


def where_line(d: Disagreement) -> Text:
    """Where the segment is and who coded the theme, then the theme in question."""
    out = Text()
    out.append(f"{d.case}", style="bold")
    out.append(f" · line {d.line} · segment {d.segment} · ", style="dim")
    side, who = ("A", d.coder_a) if d.a else ("B", d.coder_b)
    out.append(f"only {side} ({who}) coded", style="italic")
    if d.kept_both:
        out.append(" · kept both", style="italic green")
    out.append("\n")
    out.append(f" {d.theme} ", style="bold reverse")
    out.append(f" {d.label}", style="bold")
    return out


def side_by_side(
    d: Disagreement, data: CompareData, others: Set[str], width: int = 40
) -> RenderableType:
    """Both coders' themes on the segment, one row per theme in framework order; the
    theme in question is highlighted, other differences on this segment marked ≠."""
    mine_a = data.themes.get(d.coder_a, {}).get(d.segment, frozenset())
    mine_b = data.themes.get(d.coder_b, {}).get(d.segment, frozenset())
    order = list(data.labels)
    rank = {t: n for n, t in enumerate(order)}
    union = sorted(mine_a | mine_b | {d.theme}, key=lambda t: (rank.get(t, len(order)), t))
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column(Text(f"A  {d.coder_a}", style="bold underline"), ratio=1, no_wrap=True)
    table.add_column(Text(f"B  {d.coder_b}", style="bold underline"), ratio=1, no_wrap=True)
    for tid in union:
        cells = []
        for has in (tid in mine_a, tid in mine_b):
            if not has:
                cells.append(Text("  ·", style="dim"))
                continue
            colour = data.colours.get(tid, "white")
            cell = Text("■ ", style=colour)
            cell.append(tid, style=f"bold {colour}")
            cell.append(" " + short(data.labels.get(tid, ""), width - 4 - len(tid)))
            if tid == d.theme:
                cell.stylize("reverse")
                cell.append(" ◀")
            elif tid in others:
                cell.append(" ≠", style="bold yellow")
            cells.append(cell)
        table.add_row(*cells)
    return table


def segment_text(d: Disagreement, data: CompareData) -> Text:
    """The segment, with the characters coded with the theme (by whoever coded it) in
    the theme's colour."""
    text = Text(d.text)
    who = d.coder_a if d.a else d.coder_b
    background = data.backgrounds.get(d.theme, "#1f4e79")
    for start, end in data.spans.get((who, d.source, d.theme), ()):
        a, z = max(start, d.start) - d.start, min(end, d.end) - d.start
        if a < z:
            text.stylize(f"on {background}", a, z)
    return text


def keys_hint(d: Disagreement | None) -> Text:
    if d is None:
        return Text("c choose coders · v show kept both · t one theme", style="dim")
    return Text(
        f"a take A's ({d.coder_a}) · b take B's ({d.coder_b}) · k keep both · n/p next/previous"
        " · enter open",
        style="dim",
    )


def empty_walk(data: CompareData) -> RenderableType:
    if data.a is None or data.b is None:
        return Text(
            "Nothing to compare yet.\n\nA second researcher codes a sample of the cases under "
            "their own name (qualcode --coder bob open, or `qualcode codings import` with a "
            "coder column); then both appear here. c chooses the coders.",
        )
    return Group(
        Text("No disagreements left to walk.", style="bold"),
        Text(
            "\nEvery compared segment is coded alike by both coders (or kept both: v shows those).",
            style="dim",
        ),
    )
