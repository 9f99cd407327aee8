"""The matrix grid: a Line-API ScrollView drawing only the rows on screen.

Two fixed header lines name the columns (a top-level theme's sub-themes); the case
column stays put while wide sheets scroll column by column. Each group of cases
starts with a header row (its label, and per column how many of its cases raised the
theme); a cell shows its status glyph, how many coded passages it holds on a shade
that deepens with that number, and the first words of its summary.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.domain.framework import id_repeats_label
from qualcode.domain.matrix import DRAFTED, EMPTY, FINAL, NOT_DISCUSSED, WRITTEN, MatrixSheet
from qualcode.tui.matrix.data import CASE, GLYPHS, GROUP, GridRow, cell_words, first_line

HEADER = 2
MIN_COLUMN = 14
MAX_COLUMN = 32
MARGIN = 1
# shades for 0, 1, 2-3, 4-6 and 7+ coded passages
SHADES = (None, "#17324a", "#1d4668", "#245d8a", "#2d76b0")
GLYPH_COLOURS = {
    EMPTY: "#7f8c98",
    NOT_DISCUSSED: "#9a9a9a",
    DRAFTED: "#e5c07b",
    WRITTEN: "#61afef",
    FINAL: "#98c379",
}
UNSAVED = "#ff9f43"


def shade(coverage: int) -> str | None:
    if coverage <= 0:
        return SHADES[0]
    if coverage == 1:
        return SHADES[1]
    if coverage <= 3:
        return SHADES[2]
    if coverage <= 6:
        return SHADES[3]
    return SHADES[4]


def fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if len(text) > width:
        return text[: width - 1] + "…"
    return text.ljust(width)


class MatrixGrid(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of cases grouped under header rows, one column per theme, and a cursor."""

    COMPONENT_CLASSES = {
        "matrix--header",
        "matrix--group",
        "matrix--case",
        "matrix--synthesis",
        "matrix--cursor",
        "matrix--muted",
    }

    DEFAULT_CSS = """
    MatrixGrid { overflow-x: hidden; overflow-y: auto; }
    MatrixGrid > .matrix--header { color: $text; text-style: bold; background: $boost; }
    MatrixGrid > .matrix--group { color: $accent; text-style: bold; background: $panel; }
    MatrixGrid > .matrix--case { color: $text; }
    MatrixGrid > .matrix--synthesis { color: $text-muted; text-style: italic; }
    MatrixGrid > .matrix--cursor { background: $foreground; color: $background; }
    MatrixGrid > .matrix--muted { color: $text-muted; }
    """

    class Moved(Message):
        """The cursor moved to another cell."""

        def __init__(self, grid: MatrixGrid) -> None:
            super().__init__()
            self.grid = grid

    class Chosen(Message):
        """A cell was double-clicked."""

        def __init__(self, grid: MatrixGrid) -> None:
            super().__init__()
            self.grid = grid

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.sheet: MatrixSheet | None = None
        self.rows: list[GridRow] = []
        self.colours: Mapping[str, tuple[str, str]] = {}
        self.unsaved: Collection[tuple[str, str]] = ()
        self.row = 0  # index into rows (always a selectable row when there is one)
        self.column = 0
        self.first_column = 0  # the leftmost column shown (wide sheets scroll)

    # --- content ----------------------------------------------------------------------

    def show(
        self,
        sheet: MatrixSheet,
        rows: Sequence[GridRow],
        colours: Mapping[str, tuple[str, str]],
        keep: tuple[str | None, str | None] | None = None,
    ) -> None:
        """Show a sheet; ``keep`` = (case, theme) to put the cursor back on."""
        self.sheet = sheet
        self.rows = list(rows)
        self.colours = colours
        self.row, self.column = self._place(keep)
        self.virtual_size = Size(self.scrollable_content_region.width, HEADER + len(self.rows))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved(self))

    def clear(self) -> None:
        self.sheet, self.rows, self.row, self.column = None, [], 0, 0
        self.virtual_size = Size(self.scrollable_content_region.width, HEADER)
        self.refresh()
        self.post_message(self.Moved(self))

    def _place(self, keep: tuple[str | None, str | None] | None) -> tuple[int, int]:
        themes = [t.id for t in self.sheet.themes] if self.sheet else []
        column = min(self.column, max(len(themes) - 1, 0))
        row = self.row
        if keep is not None:
            case, theme = keep
            if theme in themes:
                column = themes.index(theme)
            found = [n for n, r in enumerate(self.rows) if case is not None and r.case == case]
            if found:
                return found[0], column
        selectable = [n for n, r in enumerate(self.rows) if r.selectable]
        if not selectable:
            return 0, column
        return min(selectable, key=lambda n: (abs(n - row), n)), column

    def set_unsaved(self, cells: Collection[tuple[str, str]]) -> None:
        self.unsaved = set(cells)
        self.refresh()

    @property
    def current(self) -> GridRow | None:
        if 0 <= self.row < len(self.rows) and self.rows[self.row].selectable:
            return self.rows[self.row]
        return None

    @property
    def theme(self) -> str | None:
        if self.sheet is None or not self.sheet.themes:
            return None
        return self.sheet.themes[self.column].id

    # --- geometry ---------------------------------------------------------------------

    @property
    def case_width(self) -> int:
        labels = [len(r.label) for r in self.rows] or [4]
        return min(max(max(labels), 8), 26) + 2

    @property
    def column_width(self) -> int:
        n = len(self.sheet.themes) if self.sheet else 0
        if not n:
            return MIN_COLUMN
        room = self.scrollable_content_region.width - self.case_width
        return min(max(room // n, MIN_COLUMN), MAX_COLUMN)

    @property
    def visible_columns(self) -> int:
        room = self.scrollable_content_region.width - self.case_width
        return max(1, room // self.column_width)

    @property
    def body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER)

    # --- cursor -----------------------------------------------------------------------

    def move(self, rows: int = 0, columns: int = 0, only: str | None = None) -> None:
        """Move by rows (skipping group headers; only rows of kind ``only`` if given)."""
        if not self.rows:
            return
        if columns and self.sheet is not None:
            self.column = min(max(self.column + columns, 0), len(self.sheet.themes) - 1)
        if rows:
            step = 1 if rows > 0 else -1
            target = self.row
            left = abs(rows)
            while left and 0 <= target + step < len(self.rows):
                target += step
                here = self.rows[target]
                if here.selectable and (only is None or here.kind == only):
                    left -= 1
                    self.row = target
        self._moved()

    def page(self, direction: int) -> None:
        self.move(rows=direction * max(1, self.body_height - 1))

    def edge(self, direction: int) -> None:
        selectable = [n for n, r in enumerate(self.rows) if r.selectable]
        if selectable:
            self.row = selectable[-1] if direction > 0 else selectable[0]
            self._moved()

    def next_group(self, direction: int) -> None:
        """The first row of the next (or previous) group."""
        if not self.rows:
            return
        here = self.rows[self.row].group
        wanted = here + direction
        for n, r in enumerate(self.rows):
            if r.group == wanted and r.selectable:
                self.row = n
                self._moved()
                return

    def _moved(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved(self))

    def _scroll_to_cursor(self) -> None:
        if not self.size.width or not self.size.height:
            return  # hidden (the cell view is open): place it when shown again
        visible = self.visible_columns
        n = len(self.sheet.themes) if self.sheet else 0
        self.first_column = max(0, min(self.first_column, n - visible))
        if self.column < self.first_column:
            self.first_column = self.column
        elif self.column >= self.first_column + visible:
            self.first_column = self.column - visible + 1
        height = self.body_height
        top = round(self.scroll_y)
        row = self.row
        if 0 < row < len(self.rows) and self.rows[row - 1].kind == GROUP:
            row -= 1  # keep the group's header in view when its first case is reached
        if row < top + MARGIN:
            self.scroll_to(y=max(0, row - MARGIN), animate=False, immediate=True)
        elif self.row >= top + height - MARGIN:
            self.scroll_to(y=self.row - height + MARGIN + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, HEADER + len(self.rows))
        self._scroll_to_cursor()
        self.refresh()

    # --- mouse ------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        where = event.get_content_offset(self)
        if where is None or where.y < HEADER:
            return
        index = round(self.scroll_y) + where.y - HEADER
        if not (0 <= index < len(self.rows)) or not self.rows[index].selectable:
            return
        self.row = index
        if where.x >= self.case_width:
            self.column = min(
                self.first_column + (where.x - self.case_width) // self.column_width,
                max(len(self.sheet.themes) - 1, 0) if self.sheet else 0,
            )
        self.focus()
        self._moved()
        if event.chain == 2:
            self.post_message(self.Chosen(self))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- drawing ----------------------------------------------------------------------

    def _columns(self) -> range:
        n = len(self.sheet.themes) if self.sheet else 0
        return range(self.first_column, min(n, self.first_column + self.visible_columns))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.sheet is None:
            return Strip.blank(width, base)
        if y < HEADER:
            return self._header(y, width, base)
        index = round(self.scroll_y) + y - HEADER
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        if row.kind == GROUP:
            return self._group(row, width, base)
        return self._row(row, index == self.row, width, base)

    def _header(self, y: int, width: int, base: Style) -> Strip:
        assert self.sheet is not None
        style = base + self.get_component_rich_style("matrix--header")
        cw, w = self.case_width, self.column_width
        left = "case" if y == 0 else ""
        if y == 1 and self.first_column:
            left = f"◂ {self.first_column} more"
        segments = [Segment(fit(" " + left, cw), style)]
        for n in self._columns():
            theme = self.sheet.themes[n]
            # a slug id ("query-inputs-and-elements-useful") only spells its label:
            # the header's two lines show the label once rather than the id twice
            same = id_repeats_label(theme.id, theme.label)
            label = theme.label if same else f"{theme.id} {theme.label}"
            lines = textwrap.wrap(label, w - 1) or [""]
            part = lines[y] if y < len(lines) else ""
            if y == 1 and len(lines) > 2:
                part = part[: w - 3] + " …" if len(part) >= w - 2 else part + " …"
            colour = self.colours.get(theme.id)
            cell_style = style
            if y == 0 and colour is not None:
                cell_style += Style(color=colour[1])
            if n == self.column:
                cell_style += Style(underline=True)
            segments.append(Segment(fit(part, w - 1), cell_style))
            segments.append(Segment(" ", style))
        return self._finish(segments, width, style)

    def _group(self, row: GridRow, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("matrix--group")
        segments = [Segment(fit(" " + row.label, self.case_width), style)]
        for n in self._columns():
            counted = row.counts[n] if n < len(row.counts) else ""
            text = f"{counted} raised" if counted else ""
            segments.append(Segment(fit(text, self.column_width), style))
        return self._finish(segments, width, style)

    def _row(self, row: GridRow, is_cursor: bool, width: int, base: Style) -> Strip:
        kind_style = "matrix--case" if row.kind == CASE else "matrix--synthesis"
        style = base + self.get_component_rich_style(kind_style)
        caret = self.get_component_rich_style("matrix--cursor", partial=True)
        muted = self.get_component_rich_style("matrix--muted", partial=True)
        label_style = style + caret if is_cursor else style
        segments = [Segment(fit(" " + row.label, self.case_width), label_style)]
        w = self.column_width
        for n in self._columns():
            here = is_cursor and n == self.column
            cell_segments = (
                self._cell(row, n, w - 1, style, muted)
                if row.kind == CASE
                else self._synthesis(row, n, w - 1, style, muted)
            )
            if here:
                mark = caret if self.has_focus else Style(underline=True)
                cell_segments = [Segment(s.text, (s.style or style) + mark) for s in cell_segments]
            segments.extend(cell_segments)
            segments.append(Segment(" ", style))
        return self._finish(segments, width, style)

    def _cell(self, row: GridRow, n: int, w: int, style: Style, muted: Style) -> list[Segment]:
        assert row.row is not None
        cell = row.row.cells[n]
        background = shade(cell.coverage)
        cell_style = style + Style(bgcolor=background) if background else style
        status = cell.summary.status
        unsaved = (cell.case, cell.theme) in self.unsaved
        glyph = "*" if unsaved else GLYPHS.get(status, "?")
        colour = UNSAVED if unsaved else GLYPH_COLOURS.get(status)
        count = f"{cell.coverage:>3}" if cell.coverage else "   "
        words = cell_words(cell)
        rest = fit(f"{count} {words}", w - 1)
        word_style = cell_style + muted if status == NOT_DISCUSSED else cell_style
        return [
            Segment(glyph, cell_style + Style(color=colour, bold=True)),
            Segment(rest, word_style),
        ]

    def _synthesis(self, row: GridRow, n: int, w: int, style: Style, muted: Style) -> list[Segment]:
        found = row.syntheses[n] if n < len(row.syntheses) else None
        text = first_line(found.text) if found is not None else ""
        # flush left, as a case's cells start with their glyph
        if not text:
            return [Segment(fit("(none yet)", w), style + muted)]
        return [Segment(fit(text, w), style)]

    def _finish(self, segments: list[Segment], width: int, style: Style) -> Strip:
        return Strip(segments).adjust_cell_length(width, style)

    def cell_region_x(self, column: int) -> int:
        """Where a column starts on screen (for tests and clicks)."""
        return self.case_width + (column - self.first_column) * self.column_width
