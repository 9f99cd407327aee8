"""The open cell: its coded passages (source and line) beside the summary editor.

The editor remembers the summary it started from (``base``): a save carries that
version, so a cell someone else changed meanwhile is refused, not overwritten. After
such a refusal the stored text is shown under the editor and the user's own text
stays in it; saving again then knowingly replaces the stored version. No database
work here: the Matrix screen runs it in workers and hands the results in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from qualcode.domain.matrix import Cell, Passage, Summary, SummaryVersion
from qualcode.tui.matrix.data import GLYPHS

PASSAGE_CHARS = 700  # longer passages are cut in the list (the transcript has them whole)


class PassageList(OptionList, inherit_bindings=False):
    """The cell's passages; Enter and the quote key belong to the Matrix screen."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Next passage", show=False),
        Binding("up,k", "cursor_up", "Previous passage", show=False),
        Binding("home", "first", "First passage", show=False),
        Binding("end", "last", "Last passage", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click only highlights; Enter (the screen's binding) jumps


def passage_prompt(p: Passage, column: str, labels: Mapping[str, str], colour: str) -> Text:
    text = Text()
    text.append("★ " if p.quote else "  ", style="bold #e5c07b")
    text.append(p.ref, style="bold")
    if p.theme != column:  # coded with a sub-theme of the column
        text.append(f"  {p.theme} {labels.get(p.theme, '')}", style=colour or "")
    text.append(f"  ({p.coder})", style="dim")
    body = " ".join(p.text.split())
    if len(body) > PASSAGE_CHARS:
        body = body[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
    text.append("\n" + body + "\n")
    return text


class CellView(Vertical):
    """Passages on the left, the summary editor and its state on the right."""

    DEFAULT_CSS = """
    CellView { height: 1fr; }
    CellView #cell-title {
        height: 1; padding: 0 1; background: $boost; color: $accent; text-style: bold;
    }
    CellView #cell-body { height: 1fr; }
    CellView #cell-left { width: 3fr; }
    CellView #cell-right { width: 2fr; border-left: vkey $primary 50%; padding: 0 1; }
    CellView .cell-heading { height: 1; color: $text-muted; text-style: bold; }
    CellView #cell-passages { height: 1fr; border: none; }
    CellView #cell-summary { height: 1fr; min-height: 6; }
    CellView #cell-state { height: auto; color: $text-muted; }
    CellView #cell-stored {
        height: auto; max-height: 10; display: none; color: $warning;
        border-top: hkey $warning;
    }
    CellView #cell-stored.shown { display: block; }
    CellView #cell-dimensions { height: auto; display: none; color: $text-muted; }
    CellView #cell-dimensions.shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.cell: Cell | None = None
        self.base = Summary(case="", theme="")  # what the editor's text started from
        self.stored = self.base  # the latest stored summary the screen handed in
        self.conflict: Summary | None = None  # a newer stored version shown to the user
        self.labels: Mapping[str, str] = {}
        self.colours: Mapping[str, tuple[str, str]] = {}
        self.note = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="cell-title", markup=False)
        with Horizontal(id="cell-body"):
            with Vertical(id="cell-left"):
                yield Static("", id="cell-passages-heading", classes="cell-heading")
                yield PassageList(id="cell-passages")
            with Vertical(id="cell-right"):
                yield Static("", id="cell-dimensions", markup=False)
                yield Static("Summary", id="cell-summary-heading", classes="cell-heading")
                yield TextArea("", id="cell-summary", soft_wrap=True)
                yield Static("", id="cell-state", markup=False)
                yield Static("", id="cell-stored", markup=False)

    @property
    def editor(self) -> TextArea:
        return self.query_one("#cell-summary", TextArea)

    @property
    def passages(self) -> PassageList:
        return self.query_one("#cell-passages", PassageList)

    @property
    def key(self) -> tuple[str, str] | None:
        return (self.cell.case, self.cell.theme) if self.cell else None

    @property
    def text(self) -> str:
        return self.editor.text

    @property
    def dirty(self) -> bool:
        """The editor holds text that is not what it started from."""
        return self.editor.text.strip() != self.base.text

    @property
    def current_passage(self) -> Passage | None:
        index = self.passages.highlighted
        if self.cell is None or index is None or not 0 <= index < len(self.cell.passages):
            return None
        return self.cell.passages[index]

    # --- filling --------------------------------------------------------------------

    def open(
        self,
        cell: Cell,
        title: str,
        labels: Mapping[str, str],
        colours: Mapping[str, tuple[str, str]],
        kept: tuple[str, Summary] | None = None,
    ) -> None:
        """Show ``cell``; ``kept`` = (text, base) of an edit not saved earlier."""
        self.cell = cell
        self.labels, self.colours = labels, colours
        self.stored = cell.summary
        self.conflict = None
        self.note = ""
        self.query_one("#cell-title", Static).update(title)
        text, self.base = kept if kept is not None else (cell.summary.text, cell.summary)
        self.editor.load_text(text)
        self.editor.move_cursor(self.editor.document.end)
        if kept is not None:
            self.note = "Your unsaved text from before: ctrl+s saves it."
        self._fill_passages(0)
        self.update_state()

    def refresh_cell(self, cell: Cell) -> None:
        """Newer data for the open cell (after any change to the study)."""
        if self.cell is None:
            return
        self.cell = cell
        self.stored = cell.summary
        self._fill_passages(self.passages.highlighted or 0)
        if not self.dirty and cell.summary.version != self.base.version:
            if self.editor.text.strip() != cell.summary.text:
                self.editor.load_text(cell.summary.text)
            self.base = cell.summary
        self.update_state()

    def _fill_passages(self, keep: int) -> None:
        cell = self.cell
        if cell is None:
            return
        column = self.colours.get(cell.theme, ("", ""))
        options = [
            Option(
                passage_prompt(p, cell.theme, self.labels, self.colours.get(p.theme, column)[1]),
                id=str(n),
            )
            for n, p in enumerate(cell.passages)
        ]
        listing = self.passages
        listing.set_options(options)
        if options:
            listing.highlighted = min(keep, len(options) - 1)
        quotes = sum(1 for p in cell.passages if p.quote)
        heading = f"Passages ({len(options)}{f', {quotes} marked as quotes' if quotes else ''})"
        if not options:
            heading = "No coded passages in this cell"
        self.query_one("#cell-passages-heading", Static).update(heading)

    def set_text(self, text: str) -> None:
        """Replace the editor's text (ctrl+z in the editor brings the old text back)."""
        area = self.editor
        area.replace(text, area.document.start, area.document.end)
        area.move_cursor(area.document.end)

    # --- after writes ---------------------------------------------------------------

    def saved(self, summary: Summary, show_text: bool = False) -> None:
        """A write of this cell's summary is stored; ``show_text`` puts its text in."""
        if self.key != (summary.case, summary.theme):
            return
        if show_text and self.editor.text.strip() != summary.text:
            self.set_text(summary.text)
        self.base = self.stored = summary
        self.conflict = None
        self.note = ""
        self.update_state()

    def rebase_status(self, summary: Summary, started: int) -> None:
        """A status change is stored: an edit that started from ``started`` now
        starts from the new version (the text in the store did not change)."""
        if self.key != (summary.case, summary.theme):
            return
        if self.base.version == started:
            self.base = summary
        self.stored = summary
        self.update_state()

    def show_stored(self, stored: Summary) -> None:
        """After a refused save: show what is stored now; the user's text stays."""
        if self.key != (stored.case, stored.theme):
            return
        self.stored = stored
        if stored.version != self.base.version:
            self.conflict = stored
            self.base = stored  # the next ctrl+s knowingly replaces what is shown below
            self.note = (
                f"Not saved: {stored.coder or 'someone'} changed this cell (now version "
                f"{stored.version}). Your text is kept above; the stored text is below. "
                "ctrl+s saves yours over it, r takes theirs."
            )
        self.update_state()

    def take_stored(self) -> None:
        if self.conflict is not None:
            self.set_text(self.conflict.text)
            self.conflict = None
            self.note = ""
            self.update_state()

    def propose(self, text: str, note: str) -> None:
        self.set_text(text)
        self.note = note
        self.update_state()

    def update_state(self) -> None:
        base = self.base
        glyph = GLYPHS.get(self.stored.status, "?")
        state = f"{glyph} {self.stored.status}"
        if self.stored.version:  # the time is in the history (H)
            state += f" · version {self.stored.version} by {self.stored.coder}"
        if self.dirty:
            state += f" · UNSAVED changes (from version {base.version})"
        lines = [state]
        if self.note:
            lines.append(self.note)
        lines.append("e or tab: edit · esc: back · [ ]: other cases · H: history")
        self.query_one("#cell-state", Static).update("\n".join(lines))
        stored = self.query_one("#cell-stored", Static)
        if self.conflict is not None:
            stored.update(f"Stored now (version {self.conflict.version}):\n{self.conflict.text}")
            stored.add_class("shown")
        else:
            stored.remove_class("shown")

    def show_dimensions(self, text: str) -> None:
        """The cell's dimension values ("stance: mixed · standing: —"); blank hides them."""
        line = self.query_one("#cell-dimensions", Static)
        line.update(f"{text}  (v: set)" if text else "")
        line.set_class(bool(text), "shown")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.update_state()


class HistoryDialog(ModalScreen[None]):
    """Every saved version of a cell's summary, newest first."""

    BINDINGS = [Binding("escape,enter,h", "close", "Close", id="matrix_history.close")]

    def __init__(self, title: str, versions: Sequence[SummaryVersion]) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.versions = versions

    def compose(self) -> ComposeResult:
        table = Table(expand=True, show_lines=True, box=box.SIMPLE)
        table.add_column("v", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("by", no_wrap=True)
        table.add_column("when (UTC)", no_wrap=True)
        table.add_column("text", ratio=1)
        for v in reversed(self.versions):
            table.add_row(
                str(v.version), v.status, v.coder, v.changed.strftime("%Y-%m-%d %H:%M"), v.text
            )
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                yield Static(table if self.versions else "No saved versions yet.")
            yield Static("escape close", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
