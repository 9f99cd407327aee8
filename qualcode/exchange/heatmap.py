"""A heatmap of theme coverage by case (PNG or SVG) for a report.

Rows are the sheet's cases in their groups (a rule and a label between groups),
columns its themes, the shade the number of coded passages. Drawn with matplotlib's
Agg canvas directly - no pyplot, so no global backend and no display is touched.

Given several sheets (one per framework of a study with interviews and a survey) it
draws one panel each, one above the other. A panel with more cases than can be
labelled (a survey's respondents) shows one row per group instead - the share of the
group's cases raising each theme - so that a thousand respondents do not squeeze the
sixteen interviews into thin bands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.domain.matrix import MatrixSheet
from qualcode.exchange.files import replacing

MAX_LABELLED_ROWS = 120  # beyond this many cases, row labels would overlap
MAX_HEIGHT_INCHES = 60.0


def write_heatmap(
    sheet: MatrixSheet | Sequence[MatrixSheet], path: Path, title: str | None = None
) -> None:
    """Write the coverage of ``sheet`` (or of several sheets, one panel each) to
    ``path``; the format is the suffix (.png or .svg)."""
    sheets = [sheet] if isinstance(sheet, MatrixSheet) else list(sheet)
    if len(sheets) == 1 and len(sheets[0].rows) <= MAX_LABELLED_ROWS:
        _write_one(sheets[0], path, title)
    else:  # a survey's thousands of respondents: a row per group (see ``panel``)
        _write_panels(sheets, path, title)


def _save(fig: Any, path: Path) -> None:
    fmt = path.suffix.lower().lstrip(".")
    metadata = {"Date": None} if fmt == "svg" else {}
    with replacing(path) as tmp:
        fig.savefig(tmp, format=fmt, metadata=metadata)


def _write_one(sheet: MatrixSheet, path: Path, title: str | None) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    cases = [row.case for row in sheet.rows]
    themes = [t.id for t in sheet.themes]
    n_rows, n_cols = max(len(cases), 1), max(len(themes), 1)
    labelled = len(cases) <= MAX_LABELLED_ROWS
    width = 3.0 + 0.45 * n_cols + (1.5 if sheet.by else 0)
    height = min(2.5 + (0.2 if labelled else 0.05) * n_rows, MAX_HEIGHT_INCHES)
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    values = sheet.coverage_grid() if len(cases) and len(themes) else [[0]]
    image = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, interpolation="nearest")
    ax.set_xticks(range(len(themes)))
    ax.set_xticklabels(themes, rotation=60, ha="right", fontsize=8)
    if labelled:
        ax.set_yticks(range(len(cases)))
        ax.set_yticklabels(cases, fontsize=7)
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{len(cases)} cases")
    start = 0
    for group in sheet.groups:
        end = start + len(group.rows)
        if sheet.by:
            if start:
                ax.axhline(start - 0.5, color="black", linewidth=1.2)
            ax.text(
                n_cols - 0.3,
                (start + end - 1) / 2,
                f" {group.label} ({len(group.rows)})",
                va="center",
                ha="left",
                fontsize=8,
                clip_on=False,
            )
        start = end
    colorbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.25 if sheet.by else 0.04)
    colorbar.set_label("coded passages")
    colorbar.locator = MaxNLocator(integer=True)
    colorbar.update_ticks()
    grouping = f" by {', '.join(sheet.by)}" if sheet.by else ""
    ax.set_title(title or f"Theme coverage{grouping}: {sheet.title}", fontsize=10)
    fig.tight_layout()
    _save(fig, path)


@dataclass(frozen=True)
class Panel:
    """What one panel draws: labelled rows, theme columns, values and their meaning."""

    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    measure: str  # the colour bar's label
    rules: tuple[int, ...] = ()  # rows above which a group starts


def panel(sheet: MatrixSheet) -> Panel:
    """Each case a labelled row; or, past MAX_LABELLED_ROWS cases, each group a row
    holding the percentage of its cases raising each theme."""
    columns = tuple(_short(f"{t.id} {t.label}") for t in sheet.themes)
    if len(sheet.rows) <= MAX_LABELLED_ROWS:
        rules: list[int] = []
        start = 0
        for group in sheet.groups:
            if start and sheet.by:
                rules.append(start)
            start += len(group.rows)
        labels = tuple(
            f"{row.case} · {group.label}" if sheet.by else row.case
            for group in sheet.groups
            for row in group.rows
        )
        values = tuple(tuple(float(v) for v in row) for row in sheet.coverage_grid())
        return Panel(sheet.title, labels, columns, values, "coded passages", tuple(rules))
    rows: list[str] = []
    shares: list[tuple[float, ...]] = []
    for group in sheet.groups:
        n = len(group.rows)
        label = group.label if sheet.by else "all cases"
        rows.append(f"{label} ({n})")
        shares.append(
            tuple(
                100.0 * sum(1 for r in group.rows if r.cells[i].coverage) / n if n else 0.0
                for i in range(len(columns))
            )
        )
    return Panel(sheet.title, tuple(rows), columns, tuple(shares), "% of cases raising it")


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _write_panels(sheets: Sequence[MatrixSheet], path: Path, title: str | None) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = [panel(s) for s in sheets]
    heights = [max(len(p.rows), 1) for p in panels]
    width = 4.5 + 0.45 * max(max(len(p.columns), 1) for p in panels)
    height = min(1.5 + sum(0.2 * h + 1.2 for h in heights), MAX_HEIGHT_INCHES)
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(len(panels), 1, height_ratios=[h + 5 for h in heights])
    for n, p in enumerate(panels):
        ax = fig.add_subplot(grid[n, 0])
        values = [list(v) for v in p.values] if p.rows and p.columns else [[0.0]]
        image = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, interpolation="nearest")
        ax.set_xticks(range(len(p.columns)))
        ax.set_xticklabels(p.columns, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(p.rows)))
        ax.set_yticklabels(p.rows, fontsize=7)
        for start in p.rules:
            ax.axhline(start - 0.5, color="black", linewidth=1.2)
        ax.set_title(p.title, fontsize=9)
        colorbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.04)
        colorbar.set_label(p.measure, fontsize=7)
    grouping = f" by {', '.join(sheets[0].by)}" if sheets[0].by else ""
    each = ", one panel per framework" if len(sheets) > 1 else ""
    fig.suptitle(title or f"Theme coverage{grouping}{each}", fontsize=10)
    fig.tight_layout()
    _save(fig, path)
