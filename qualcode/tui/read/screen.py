"""Read & code: one transcript or one survey question's answers, coded from the keyboard.

Keys are handled in the order typed (:mod:`qualcode.tui.shared.keyorder`); while a document is
on its way, the keys typed for it wait and then apply to it, never to the document
that was on screen before.

The screen is built in layers, one file each (read from the bottom up):

- :mod:`.coding` ``CodingActions``: the document on screen and the keys that code it;
- :mod:`.loading` ``ReadLoading``: the workers that load the catalogue, a document and
  its codings, and the messages they send back;
- :mod:`.suggestion_keys` ``SuggestionActions``: the keys that decide a suggestion; the
  panel is a widget of its own, :class:`.suggestions.SuggestionsPanel`, which finds and
  draws the suggestions for the turn at the cursor;
- this module: layout, keys typed while loading, moving around, the side panel.

Pure parts have modules of their own: :mod:`.document` (the laid-out text),
:mod:`.docview` (the widget that draws it), :mod:`.data` (what is loaded),
:mod:`.side_panel`, :mod:`.inline_picker` and the changes in :mod:`.suggest_changes`.
"""

from __future__ import annotations

from collections import deque

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState

from qualcode.tui.read.code_next import CodeNextActions
from qualcode.tui.read.coding import CodingAdded
from qualcode.tui.read.data import (
    Opened,
    entry_for_case,
    load_catalogue,
    marks_for,
)
from qualcode.tui.read.docview import DocumentView
from qualcode.tui.read.inline_picker import InlinePicker
from qualcode.tui.read.loading import (
    CatalogueLoaded,
    DocumentOpened,
    ReadLoading,
    SourcesRefreshed,
)
from qualcode.tui.read.side_panel import side_panel
from qualcode.tui.read.suggestion_keys import SuggestionActions
from qualcode.tui.read.suggestions import WIDTH as SIDE_WIDTH
from qualcode.tui.shared import coder_filter
from qualcode.tui.shared.keyorder import PassedKey, escaped_key
from qualcode.tui.shared.messages import Saved
from qualcode.tui.shared.picker import PickItem
from qualcode.tui.shared.workspace import MemoSaved

TYPE_AHEAD = 64  # keys kept while a document loads


class ReadScreen(CodeNextActions, SuggestionActions, ReadLoading):
    AUTO_FOCUS = "#doc"
    # Under 100 columns (an 80x24 terminal over SSH) the side column narrows (app.tcss),
    # so the transcript keeps about 30 characters a line rather than 20.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    DEFAULT_CSS = """
    ReadScreen { layers: default overlay; }
    #read-here { height: 1fr; }
    #read-suggest { height: 9; border-top: hkey $primary 30%; }
    """
    BINDINGS = [
        Binding("o", "open_source", "Open…", id="read.open"),
        Binding(
            "greater_than_sign", "step_source(1)", "Next source", show=False, id="read.next_source"
        ),
        Binding(
            "less_than_sign",
            "step_source(-1)",
            "Previous source",
            show=False,
            id="read.prev_source",
        ),
        Binding("down,j", "rows(1)", "Line down", show=False, id="read.down"),
        Binding("up,k", "rows(-1)", "Line up", show=False, id="read.up"),
        Binding("right,l", "word(1)", "Next word", show=False, id="read.right"),
        Binding("left,h", "word(-1)", "Previous word", show=False, id="read.left"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="read.pagedown"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="read.pageup"),
        Binding("home,g", "edge(-1)", "Top", show=False, id="read.top"),
        Binding("end,G", "edge(1)", "Bottom", show=False, id="read.bottom"),
        Binding("right_square_bracket", "turn(1)", "Next turn", show=False, id="read.next_turn"),
        Binding(
            "left_square_bracket", "turn(-1)", "Previous turn", show=False, id="read.prev_turn"
        ),
        Binding(
            "right_parenthesis", "sentence(1)", "Next sentence", show=False, id="read.next_sentence"
        ),
        Binding(
            "left_parenthesis",
            "sentence(-1)",
            "Previous sentence",
            show=False,
            id="read.prev_sentence",
        ),
        Binding("n", "uncoded(1)", "Next uncoded", id="read.next_uncoded"),
        Binding("N", "uncoded(-1)", "Previous uncoded", show=False, id="read.prev_uncoded"),
        Binding("s", "select_sentence", "Select sentence", id="read.select_sentence"),
        Binding("t", "select_turn", "Select turn", id="read.select_turn"),
        Binding("shift+down", "extend_rows(1)", "Extend down", show=False, id="read.extend_down"),
        Binding("shift+up", "extend_rows(-1)", "Extend up", show=False, id="read.extend_up"),
        Binding(
            "shift+right", "extend_word(1)", "Extend right", show=False, id="read.extend_right"
        ),
        Binding("shift+left", "extend_word(-1)", "Extend left", show=False, id="read.extend_left"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="read.clear"),
        *SuggestionActions.CODING_BINDINGS,
        Binding("m", "segment_memo", "Memo", id="read.memo"),
        Binding("M", "case_memo", "Case memo", show=False, id="read.case_memo"),
        Binding("C", "coder_filter", "Coder filter", show=False, id="read.coder"),
        *SuggestionActions.SUGGESTION_BINDINGS,
        *CodeNextActions.NEXT_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.memo_segments: set[str] = set()
        self._side_text = ""
        self._title = ""
        self._typed: deque[events.Key] = deque()
        self._memo_coming = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="read-body"):
            with Vertical(id="read-main"):
                yield Static("Loading…", id="read-title", markup=False)
                yield DocumentView(id="doc")
            with Vertical(id="read-side"):
                yield Static("", id="read-here")
                yield self.panel
        yield InlinePicker(id="read-picker")
        yield Footer()

    @property
    def busy(self) -> bool:
        """Something is on its way to the screen (tests wait for it)."""
        return self.opening or self.suggestions_busy

    # --- keys: in order, held while a document or a memo is on its way ---------------------

    @property
    def holding_keys(self) -> bool:
        """A document, a memo's editor or `w`'s passage is on its way: keys wait for it."""
        return self.opening or self._memo_coming or self.next_coming

    async def take_key(self, event: events.Key) -> bool:
        if self.picker.is_open and self.picker.waiting:
            if len(self._typed) < TYPE_AHEAD:
                self._typed.append(event)  # for the document picked
            return True
        if self.picker.is_open:
            escaped = escaped_key(event)
            if escaped is not None:
                # Escape and a key sent together (a burst over SSH) read as alt+key:
                # the picker closes and the key does what it does on the passage
                self.picker.close()
                await self._take(PassedKey(*escaped))
                return True
            self.picker.feed(event)
            return True
        if self.holding_keys:
            if len(self._typed) < TYPE_AHEAD:
                if not self._typed and self.opening:
                    self.notify("Opening… the keys typed meanwhile apply to it", timeout=2)
                elif not self._typed and self.next_coming:
                    self.notify("The keys typed meanwhile apply to the passage found", timeout=2)
                self._typed.append(event)
            return True
        return False

    def next_not_found(self, why: str) -> None:
        self.drop_typed(f"The keys typed after w were not used: {why}")

    async def replay_typed(self) -> None:
        """Run the keys typed while loading, in order, until one starts another load."""
        while self._typed and not self.holding_keys:
            typed = self._typed.popleft()
            await self._take(PassedKey(typed.key, typed.character))

    def drop_typed(self, why: str) -> None:
        if self._typed:
            self._typed.clear()
            self.notify(why, timeout=3)

    # --- loading ----------------------------------------------------------------------

    async def on_document_opened(self, event: DocumentOpened) -> None:
        if self.document_loaded(event.opened):
            await self.replay_typed()

    def on_catalogue_loaded(self, event: CatalogueLoaded) -> None:
        catalogue = event.catalogue
        request = self.qapp.read_request
        self.qapp.read_request = None
        self.adopt_catalogue(catalogue)
        key = self.key
        offset = None
        if request is not None:
            key, offset = request.key, request.offset
            if key is None and request.source is not None:
                key = f"src:{request.source}"
                if not any(e.key == key for e in catalogue.entries):
                    # a survey answer opens its own question's page
                    entry = next((e for e in catalogue.entries if request.case in e.cases), None)
                    key = catalogue.answer_keys.get(request.source) or (
                        entry.key if entry else None
                    )
            elif key is None and request.case is not None:
                entry = entry_for_case(catalogue, request.case)
                key = entry.key if entry else None
            self.pending_source, self.pending_case = request.source, request.case
        if key is None and catalogue.entries:
            key = catalogue.entries[0].key
        if key is None:
            self.query_one("#read-title", Static).update("This study has no sources yet.")
            self.drop_typed("This study has no sources yet: the keys typed were not used")
            return
        self.pending_offset = offset
        self.open_key(key)

    def document_shown(self, opened: Opened, cursor: int) -> None:
        self.memo_segments = set(opened.memo_segments)
        self.view.show(opened.doc, cursor)
        self.show_marks()
        self.view.focus()

    def show_marks(self) -> None:
        if self.opened is None or self.catalogue is None:
            return
        self.take_filter()
        shown = coder_filter.visible(
            self.opened.codings, self.shown_coder, self.study.coder, self.filter_since
        )
        self.view.set_marks(marks_for(self.opened.doc, shown), dict(self.catalogue.colours))
        title = coder_filter.note(self.shown_coder) + self.opened.title
        if title != self._title:
            self._title = title
            self.query_one("#read-title", Static).update(title)
        self.update_side()

    def on_screen_resume(self) -> None:
        # the coder filter may have changed in Cases (Workspace's handler reloads data)
        self.show_marks()

    def action_coder_filter(self) -> None:
        if self.catalogue is None:
            return
        items = coder_filter.choices(
            self.catalogue.coders, self.study.coder, self.qapp.coder_filter
        )

        def chosen(key: str) -> None:
            self.qapp.choose_coder_filter(coder_filter.chosen(key))
            self.show_marks()

        self.picker.open(coder_filter.TITLE, items, chosen, coder_filter.HINT)

    def on_document_view_cursor_moved(self, event: object) -> None:
        self.update_side()

    def on_resize(self) -> None:
        self._side_text = ""  # the side column may have narrowed: draw it to fit
        self.call_after_refresh(self.update_side)

    def update_side(self) -> None:
        if self.opened is None or self.catalogue is None:
            return
        here = self.query_one("#read-here", Static)
        panel = side_panel(
            self.view,
            self.catalogue,
            self.current_shortcuts(),
            self.qapp.last_theme,
            self.memo_segments,
            here.content_region.width or SIDE_WIDTH,
            me=self.study.coder,
        )
        if panel.plain != self._side_text:  # most moves leave the panel as it was
            self._side_text = panel.plain
            # a fixed-size panel: no layout pass needed, which keeps keypresses fast
            here.update(panel, layout=False)
        self.suggest_here()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # (Textual also calls Workspace's handler, which reports the failure)
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "read-sources":
            self.picker.items_failed()
            self.call_later(self.replay_typed)  # keys held for a pick that found nothing
        elif event.worker.group in ("read-load", "read-doc"):
            self.load_failed()
            self.drop_typed("Opening failed: the keys typed meanwhile were not used")
        elif event.worker.group == "memo":
            self._memo_coming = False
            self.drop_typed("The memo did not open: the keys typed meanwhile were not used")

    # --- opening sources ----------------------------------------------------------------

    def action_open_source(self) -> None:
        if self.catalogue is None:
            return
        self.picker.open(
            "Open a transcript or survey question", self._source_items(), self.open_key
        )
        # another shell may have imported a transcript since the list was read
        self.picker.expect_items()
        self._refresh_sources()

    def _source_items(self) -> list[PickItem]:
        assert self.catalogue is not None
        return [PickItem(e.key, e.label, e.detail) for e in self.catalogue.entries]

    @work(thread=True, exit_on_error=False, exclusive=True, group="read-sources")
    def _refresh_sources(self) -> None:
        self.post_message(SourcesRefreshed(load_catalogue(self.study)))

    async def on_sources_refreshed(self, event: SourcesRefreshed) -> None:
        if self.opening:
            return  # a document is on its way with its own catalogue
        self.adopt_catalogue(event.catalogue)
        self.picker.replace_items(self._source_items())
        await self.replay_typed()  # keys held for a pick that found nothing

    def action_step_source(self, step: int) -> None:
        if self.catalogue is None or not self.catalogue.entries:
            return
        keys = [e.key for e in self.catalogue.entries]
        index = keys.index(self.key) if self.key in keys else -1
        self.open_key(keys[(index + step) % len(keys)])

    # --- movement and selection -----------------------------------------------------------

    def action_rows(self, delta: int) -> None:
        self.view.move_rows(delta)

    def action_extend_rows(self, delta: int) -> None:
        self.view.move_rows(delta, keep_anchor=True)

    def action_page(self, direction: int) -> None:
        self.view.page(direction)

    def action_edge(self, direction: int) -> None:
        doc = self.view.doc
        if doc is not None:
            self.view.move_to(0 if direction < 0 else len(doc.text))

    def action_word(self, step: int) -> None:
        doc = self.view.doc
        if doc is not None:
            at = self.view.cursor
            self.view.move_to(doc.word_right(at) if step > 0 else doc.word_left(at))

    def action_extend_word(self, step: int) -> None:
        doc = self.view.doc
        if doc is not None:
            at = self.view.cursor
            self.view.move_to(doc.word_end(at) if step > 0 else doc.word_left(at), keep_anchor=True)

    def action_turn(self, step: int) -> None:
        doc = self.view.doc
        unit = doc.next_unit(self.view.cursor, step) if doc else None
        if unit is not None:
            self.view.move_to(unit.start)

    def action_sentence(self, step: int) -> None:
        doc = self.view.doc
        found = doc.next_sentence(self.view.cursor, step) if doc else None
        if found is not None:
            self.view.move_to(found[0])

    def action_uncoded(self, step: int) -> None:
        doc = self.view.doc
        unit = doc.next_uncoded(self.view.cursor, step) if doc else None
        if unit is None:
            self.notify("No more uncoded respondent turns in this direction", timeout=2)
        else:
            self.view.move_to(unit.start)

    def action_select_sentence(self) -> None:
        doc = self.view.doc
        found = doc.sentence_at(self.view.cursor) if doc else None
        if found is not None:
            self.view.select(*found)

    def action_select_turn(self) -> None:
        doc = self.view.doc
        unit = doc.turn_at(self.view.here) if doc else None
        if unit is not None:
            self.view.select(unit.start, unit.end)

    def action_clear_selection(self) -> None:
        self.view.clear_selection()

    # --- saved changes and memos ------------------------------------------------------------

    @on(CodingAdded)
    def _coding_added(self, event: CodingAdded) -> None:
        self.add_shown_coding(event)  # before after_saved (Workspace's handler runs last)

    @on(MemoSaved)
    def _segment_memo_saved(self, event: MemoSaved) -> None:
        if event.kind == "segment" and event.target is not None:
            if event.kept:
                self.memo_segments.add(event.target)
            else:
                self.memo_segments.discard(event.target)

    def after_saved(self, event: Saved) -> None:
        self.update_side()

    def edit_memo(self, kind: str, target: str | None, title: str) -> None:
        # keys typed before the memo's dialog is up are its text, not commands
        self._memo_coming = True
        super().edit_memo(kind, target, title)

    def _open_memo(
        self, kind: str, target: str | None, title: str, text: str, others: str = ""
    ) -> None:
        self._memo_coming = False
        super()._open_memo(kind, target, title, text, others)
        # once the dialog is up, what was typed for it goes to its editor
        self.call_after_refresh(self.replay_typed)

    def action_segment_memo(self) -> None:
        doc = self.view.doc
        unit = doc.turn_at(self.view.here) if doc else None
        if unit is None:
            self.notify("Put the cursor in a turn to write a memo on it", timeout=3)
            return
        self.edit_memo("segment", unit.segment, f"Memo on segment {unit.segment}")

    def action_case_memo(self) -> None:
        doc = self.view.doc
        if doc is None:
            return
        case = doc.blocks[doc.block_of(self.view.cursor)].case
        self.edit_memo("case", case, f"Memo on case {case}")
