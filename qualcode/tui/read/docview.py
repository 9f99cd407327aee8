"""The reading pane: a Line-API ScrollView that draws only the rows on screen.

Left gutter: source line numbers. Text: speaker labels in bold, interviewer turns
dimmed, coded spans on their theme's colour, the selection and the cursor. Right
gutter: the ids of the themes coded on each row, in their colours.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.tui.read.document import Document, Mark

LEFT = 6  # "12345 "
RIGHT = 16  # " 1.2 3.4 S10"
MARGIN = 2  # rows kept visible around the cursor


class DocumentView(ScrollView, can_focus=True, inherit_bindings=False):
    """A document with a cursor (an offset) and an optional selection (anchor..cursor)."""

    COMPONENT_CLASSES = {
        "docview--gutter",
        "docview--gutter-cursor",
        "docview--label",
        "docview--interviewer",
        "docview--header",
        "docview--selection",
        "docview--cursor",
    }

    DEFAULT_CSS = """
    DocumentView { overflow-x: hidden; overflow-y: scroll; }
    DocumentView > .docview--gutter { color: $text-muted; }
    DocumentView > .docview--gutter-cursor { color: $accent; text-style: bold; }
    DocumentView > .docview--label { color: $text-primary; text-style: bold; }
    DocumentView > .docview--interviewer { color: $text-muted; }
    DocumentView > .docview--header { color: $accent; text-style: bold; }
    DocumentView > .docview--selection { background: $primary 70%; color: $text; }
    DocumentView > .docview--cursor { background: $foreground; color: $background; }
    """

    class CursorMoved(Message):
        """The cursor or the selection changed."""

        def __init__(self, view: DocumentView, offset: int) -> None:
            super().__init__()
            self.view = view
            self.offset = offset

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.doc: Document | None = None
        self.cursor = 0
        self.sel_anchor: int | None = None
        self.colours: dict[str, tuple[str, str]] = {}
        self._dragging = False
        self._goal_column: int | None = None

    # --- content ----------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - LEFT - RIGHT)

    def show(self, doc: Document, cursor: int = 0) -> None:
        """Show a new document (already built off the UI thread)."""
        self.doc = doc
        if self.size.width and doc.width != self.text_width:
            doc.layout(self.text_width)
        self.sel_anchor = None
        self._update_virtual_size()
        self.move_to(cursor, keep_anchor=False, centre=True)

    def set_marks(self, marks: list[Mark], colours: dict[str, tuple[str, str]]) -> None:
        if self.doc is None:
            return
        self.colours = colours
        self.doc.set_marks(marks)
        self.refresh()

    def _update_virtual_size(self) -> None:
        rows = len(self.doc.rows) if self.doc else 0
        self.virtual_size = Size(self.scrollable_content_region.width, rows)

    def on_resize(self, event: events.Resize) -> None:
        if self.doc is not None and self.doc.width != self.text_width:
            self.doc.layout(self.text_width)
            self._update_virtual_size()
            self.scroll_to_cursor(centre=True)
        self.refresh()

    # --- cursor and selection ---------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.sel_anchor is None or self.sel_anchor == self.cursor:
            return None
        return min(self.sel_anchor, self.cursor), max(self.sel_anchor, self.cursor)

    @property
    def here(self) -> int:
        """Where the reader is, for the turn they are on: the cursor, or, where a
        selection runs up to it, the last character selected (the cursor then stands
        just past the turn `t` selected, where no turn is)."""
        if self.sel_anchor is not None and self.sel_anchor < self.cursor:
            return self.cursor - 1
        return self.cursor

    def move_to(self, offset: int, *, keep_anchor: bool = False, centre: bool = False) -> None:
        if self.doc is None:
            return
        offset = min(max(offset, 0), len(self.doc.text))
        if keep_anchor and self.sel_anchor is None:
            self.sel_anchor = self.cursor
        elif not keep_anchor:
            self.sel_anchor = None
        self.cursor = offset
        self._goal_column = None
        self.scroll_to_cursor(centre=centre)
        self.refresh()
        self.post_message(self.CursorMoved(self, offset))

    def select(self, start: int, end: int) -> None:
        """Select [start, end) and put the cursor at its end."""
        if self.doc is None:
            return
        self.sel_anchor = start
        self.cursor = end
        self._goal_column = None
        self.scroll_to_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(self, end))

    def clear_selection(self) -> None:
        self.sel_anchor = None
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor))

    def move_rows(self, delta: int, *, keep_anchor: bool = False) -> None:
        if self.doc is None:
            return
        row = self.doc.row_of(self.cursor)
        goal = self._goal_column
        if goal is None:
            goal = self.doc.column_of(self.cursor)
        target = min(max(row + delta, 0), len(self.doc.rows) - 1)
        step = 1 if delta > 0 else -1
        while 0 < target < len(self.doc.rows) - 1 and self.doc.rows[target].header is not None:
            target += step
        self.move_to(self.doc.offset_at(target, goal), keep_anchor=keep_anchor)
        self._goal_column = goal

    def page(self, direction: int, *, keep_anchor: bool = False) -> None:
        self.move_rows(
            direction * max(1, self.scrollable_content_region.height - 2), keep_anchor=keep_anchor
        )

    def scroll_to_cursor(self, centre: bool = False) -> None:
        if self.doc is None:
            return
        row = self.doc.row_of(self.cursor)
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if centre:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)
        elif row < top + MARGIN:
            self.scroll_to(y=max(0, row - MARGIN), animate=False, immediate=True)
        elif row >= top + height - MARGIN:
            self.scroll_to(y=row - height + MARGIN + 1, animate=False, immediate=True)

    # --- mouse ----------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        if self.doc is None:
            return None
        where = event.get_content_offset_capture(self)
        row = round(self.scroll_y) + where.y
        if row >= len(self.doc.rows):
            return len(self.doc.text)
        return self.doc.offset_at(row, where.x - LEFT)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at(event)
        if offset is None:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.move_to(offset)
        self.sel_anchor = offset

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = self._offset_at(event)
        if offset is not None and offset != self.cursor:
            self.move_to(offset, keep_anchor=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.capture_mouse(False)
            if self.sel_anchor == self.cursor:
                self.sel_anchor = None

    def on_click(self, event: events.Click) -> None:
        if self.doc is not None and event.chain == 2:
            found = self.doc.sentence_at(self.cursor)
            if found is not None:
                self.select(*found)

    # --- drawing --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        doc = self.doc
        index = round(self.scroll_y) + y
        base = self.rich_style
        if doc is None or index >= len(doc.rows):
            return Strip.blank(width, base)
        row = doc.rows[index]
        cursor_row = doc.row_of(self.cursor) == index
        gutter = self.get_component_rich_style(
            "docview--gutter-cursor" if cursor_row else "docview--gutter"
        )
        number = f"{row.line:>5} " if row.line is not None else " " * LEFT
        segments = [Segment(number[-LEFT:], base + gutter)]
        text_width = width - LEFT - RIGHT
        if row.header is not None:
            title = row.header
            if len(title) > text_width - 1:  # narrowed since it was built: say it is cut
                title = title[: max(0, text_width - 2)] + "…"
            title = title.ljust(text_width)
            segments.append(Segment(title, base + self.get_component_rich_style("docview--header")))
            segments.append(Segment(" " * RIGHT, base))
            return Strip(segments, width)
        used = self._text_segments(doc, index, base, segments, cursor_row)
        if used < text_width:
            segments.append(Segment(" " * (text_width - used), base))
        segments.extend(self._theme_gutter(doc.row_marks(index), base))
        return Strip(segments, width)

    def _text_segments(
        self, doc: Document, index: int, base: Style, out: list[Segment], cursor_row: bool
    ) -> int:
        row = doc.rows[index]
        marks = doc.row_marks(index)
        selection = self.selection
        cuts = {row.start, row.end}
        for mark in marks:
            cuts.update((mark.start, mark.end))
        if selection is not None:
            cuts.update(selection)
        cuts.update((self.cursor, self.cursor + 1))
        k = max(doc.unit_index(row.start), 0)
        while k < len(doc.units) and doc.units[k].start < row.end:
            cuts.update((doc.units[k].start, doc.units[k].end))
            k += 1
        points = sorted(c for c in cuts if row.start <= c <= row.end)
        text = doc.text
        # full styles: a muted colour has alpha, which only the full style blends
        label = self.get_component_rich_style("docview--label")
        dim = self.get_component_rich_style("docview--interviewer")
        chosen = self.get_component_rich_style("docview--selection", partial=True)
        caret = self.get_component_rich_style("docview--cursor", partial=True)
        used = 0
        for a, z in zip(points, points[1:], strict=False):
            if z <= a:
                continue
            style = base
            unit = doc.unit_at(a)
            if unit is None:
                style += label
            elif unit.role != "respondent":
                style += dim
            covering = [m for m in marks if m.start <= a < m.end]
            if covering:
                mark = min(covering, key=lambda m: m.end - m.start)
                colour = self.colours.get(mark.theme)
                if colour is not None:
                    style += Style(bgcolor=colour[0])
            if selection is not None and selection[0] <= a < selection[1]:
                style += chosen
            if a == self.cursor and self.has_focus:
                style += caret
            out.append(Segment(text[a:z], style))
            used += z - a
        if cursor_row and self.cursor == row.end and self.has_focus:
            out.append(Segment(" ", base + caret))
            used += 1
        return used

    def _theme_gutter(self, marks: list[Mark], base: Style) -> list[Segment]:
        themes = list(dict.fromkeys(m.theme for m in marks))
        out = [Segment(" ", base)]
        used = 1
        for n, theme in enumerate(themes):
            label = theme if n == 0 else " " + theme
            more = n < len(themes) - 1
            room = RIGHT - used - (2 if more else 0)
            cut = len(label) > room
            if cut and n > 0:
                out.append(Segment(" +", base))
                used += 2
                break
            if cut:  # a long id (a slug such as "staff-manner-personal") shows its start
                label = label[: room - 1] + "…"
            colour = self.colours.get(theme)
            style = base + Style(color=colour[1], bold=True) if colour else base
            out.append(Segment(label, style))
            used += len(label)
            if cut and more:
                out.append(Segment(" +", base))
                used += 2
                break
        out.append(Segment(" " * max(0, RIGHT - used), base))
        return out

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def row_region(self, offset: int) -> Region:
        """Where ``offset`` is drawn, in the view's virtual space (for tests)."""
        if self.doc is None:
            return Region(0, 0, 0, 0)
        row = self.doc.row_of(offset)
        return Region(LEFT + self.doc.column_of(offset), row, 1, 1)
