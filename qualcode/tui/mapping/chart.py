"""A bar chart of an association: the share of each group holding the focus value
(raised the theme, held the dimension value), drawn with textual-plotext."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from qualcode.domain.mapping import Association


def group_bars(a: Association) -> list[tuple[str, float]]:
    """(group with its "n/N", percent holding the focus value), in the table's order."""
    return [
        (f"{g.group} {g.counts[a.focus]}/{g.total}", round(100.0 * g.share(a.focus), 1))
        for g in a.groups
        if g.counts
    ]


ROWS_PER_BAR = 3  # plotext needs room to keep neighbouring bars apart
FRAME_ROWS = 5  # title, axes, tick labels and the axis label


class GroupBars(PlotextPlot):
    """Horizontal bars, 0-100%, one per group; empty until an association is shown."""

    DEFAULT_CSS = "GroupBars { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.bars: list[tuple[str, float]] = []
        self.caption = ""

    def show(self, a: Association) -> None:
        self.bars = group_bars(a)
        focus = a.values[a.focus] if a.values else ""
        self.caption = f"{a.subject} {a.label}: % {focus} by {a.attribute}"
        self._draw()

    def clear_bars(self) -> None:
        self.bars, self.caption = [], ""
        self._draw()

    def rows_wanted(self) -> int:
        """The height that draws every bar apart (the screen sizes its panel by it)."""
        return ROWS_PER_BAR * max(len(self.bars), 1) + FRAME_ROWS

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self.bars:
            # plotext draws the first bar at the bottom: reversed, the table's order reads down
            labels = [label for label, _ in reversed(self.bars)]
            shares = [share for _, share in reversed(self.bars)]
            plt.bar(labels, shares, orientation="horizontal", width=0.6)
            plt.xlim(0, 100)
            plt.title(self.caption)
            plt.xlabel("% of the group's cases")
        self.refresh()
