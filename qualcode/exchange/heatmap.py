"""A heatmap of theme coverage by case (PNG or SVG) for a report.

Rows are the sheet's cases in their groups (a rule and a label between groups),
columns its themes, the shade the number of coded passages. Drawn with matplotlib's
Agg canvas directly - no pyplot, so no global backend and no display is touched.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.domain.matrix import MatrixSheet
from qualcode.exchange.files import replacing

MAX_LABELLED_ROWS = 120  # beyond this many cases, row labels would overlap
MAX_HEIGHT_INCHES = 60.0


def write_heatmap(sheet: MatrixSheet, path: Path, title: str | None = None) -> None:
    """Write ``sheet``'s coverage to ``path``; the format is the suffix (.png or .svg)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fmt = path.suffix.lower().lstrip(".")
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
    metadata = {"Date": None} if fmt == "svg" else {}
    with replacing(path) as tmp:
        fig.savefig(tmp, format=fmt, metadata=metadata)
