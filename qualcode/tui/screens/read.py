"""Read & code: one transcript or one survey question's answers, coded from the keyboard."""

from __future__ import annotations

from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static

from qualcode.services import codings as coding_service
from qualcode.services import undoing
from qualcode.services.study import Study
from qualcode.tui import changes
from qualcode.tui.base import Workspace
from qualcode.tui.changes import Outcome
from qualcode.tui.document import Mark
from qualcode.tui.docview import DocumentView
from qualcode.tui.messages import Loaded, Saved
from qualcode.tui.picker import Picker, PickItem
from qualcode.tui.read_data import (
    Catalogue,
    Opened,
    default_shortcuts,
    entry_for_case,
    load_catalogue,
    load_codings,
    marks_for,
    open_document,
)
from qualcode.tui.side_panel import side_panel

SHORTCUTS = [
    Binding(str(n), f"shortcut({n})", f"Code with shortcut {n}", show=False, id=f"read.theme{n}")
    for n in range(1, 10)
]


class ReadScreen(Workspace):
    MODE = "read"
    HELP = "Read a transcript or a survey question's answers and code passages."
    AUTO_FOCUS = "#doc"
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
        Binding("enter,a", "pick_theme", "Apply theme", id="read.apply"),
        Binding("full_stop", "same_as_last", "Same as last", id="read.same"),
        *SHORTCUTS,
        Binding("x,delete", "remove_coding", "Remove coding", id="read.remove"),
        Binding("c", "change_coding", "Change theme", id="read.change"),
        Binding("m", "segment_memo", "Memo", id="read.memo"),
        Binding("M", "case_memo", "Case memo", show=False, id="read.case_memo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalogue: Catalogue | None = None
        self.opened: Opened | None = None
        self.key: str | None = None
        self._pending_offset: int | None = None
        self._pending_source: str | None = None
        self._pending_case: str | None = None
        self.memo_segments: set[str] = set()
        self._side_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="read-body"):
            with Vertical(id="read-main"):
                yield Static("Loading…", id="read-title", markup=False)
                yield DocumentView(id="doc")
            yield Static("", id="read-side")
        yield Footer()

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    # --- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        super().reload()
        # the request stays with the app until a loaded catalogue takes it: a reload
        # that overtakes another (newest wins) must not lose it
        if self.qapp.read_request is not None or self.catalogue is None:
            self._load_catalogue()
        elif self.opened is not None:
            self._load_codings()

    @work(thread=True, exit_on_error=False, exclusive=True, group="read-load")
    def _load_catalogue(self) -> None:
        catalogue = load_catalogue(self.study)
        self.post_message(Loaded("catalogue", catalogue))

    @work(thread=True, exit_on_error=False, exclusive=True, group="read-doc")
    def _open(self, key: str, width: int) -> None:
        assert self.catalogue is not None
        self.post_message(Loaded("document", open_document(self.study, key, self.catalogue, width)))

    @work(thread=True, exit_on_error=False, exclusive=True, group="read-codings")
    def _load_codings(self) -> None:
        if self.opened is None:
            return
        codings = load_codings(self.study, self.opened.doc)
        self.post_message(Loaded("codings", (self.opened.key, codings)))

    def on_loaded(self, event: Loaded) -> None:
        if event.what == "catalogue":
            self._catalogue_loaded(event.data)
        elif event.what == "document":
            self._document_loaded(event.data)
        elif event.what == "codings":
            key, codings = event.data
            if self.opened is not None and key == self.opened.key:
                self.opened = Opened(
                    key,
                    self.opened.title,
                    self.opened.doc,
                    tuple(codings),
                    self.opened.memo_segments,
                )
                self._show_marks()

    def _catalogue_loaded(self, catalogue: Catalogue) -> None:
        request = self.qapp.read_request
        self.qapp.read_request = None
        self.catalogue = catalogue
        known = {t.id for t in catalogue.themes}
        app = self.qapp
        kept = [t if t in known else "" for t in app.shortcuts]
        app.shortcuts = kept if any(kept) else default_shortcuts(catalogue.themes, catalogue.depth)
        key = self.key
        offset = None
        if request is not None:
            key = getattr(request, "key", None)
            offset = getattr(request, "offset", None)
            source = getattr(request, "source", None)
            case = getattr(request, "case", None)
            if key is None and source is not None:
                key = f"src:{source}"
                if not any(e.key == key for e in catalogue.entries):
                    entry = next((e for e in catalogue.entries if case in e.cases), None)
                    key = entry.key if entry else None
            elif key is None and case is not None:
                entry = entry_for_case(catalogue, case)
                key = entry.key if entry else None
            self._pending_source = source
            self._pending_case = case
        if key is None and catalogue.entries:
            key = catalogue.entries[0].key
        if key is None:
            self.query_one("#read-title", Static).update("This study has no sources yet.")
            return
        self.key = key
        self._pending_offset = offset
        self._open(key, self.view.text_width)

    def _document_loaded(self, opened: Opened) -> None:
        previous = self.opened
        self.opened = opened
        cursor = 0
        if previous is not None and previous.key == opened.key:
            cursor = self.view.cursor
        if self._pending_offset is not None:
            source = self._pending_source or opened.doc.blocks[0].source
            cursor = opened.doc.to_doc(source, self._pending_offset) or 0
            self._pending_offset = None
        elif self._pending_case is not None:
            doc = opened.doc
            block = next((b for b, x in enumerate(doc.blocks) if x.case == self._pending_case), 0)
            cursor = doc.bases[block]
        self._pending_case = self._pending_source = None
        first = opened.doc.next_unit(cursor - 1)
        if first is not None and opened.doc.unit_at(cursor) is None:
            cursor = first.start
        self.memo_segments = set(opened.memo_segments)
        self.query_one("#read-title", Static).update(opened.title)
        self.view.show(opened.doc, cursor)
        self._show_marks()
        self.view.focus()

    def _show_marks(self) -> None:
        if self.opened is None or self.catalogue is None:
            return
        marks = marks_for(self.opened.doc, self.opened.codings)
        self.view.set_marks(marks, dict(self.catalogue.colours))
        self._update_side()

    def on_document_view_cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        self._update_side()

    def _update_side(self) -> None:
        if self.opened is None or self.catalogue is None:
            return
        panel = side_panel(
            self.view,
            self.catalogue,
            self.qapp.shortcuts,
            self.qapp.last_theme,
            self.memo_segments,
        )
        if panel.plain != self._side_text:  # most moves leave the panel as it was
            self._side_text = panel.plain
            # a fixed-size panel: no layout pass needed, which keeps keypresses fast
            self.query_one("#read-side", Static).update(panel, layout=False)

    # --- opening sources ----------------------------------------------------------------

    def action_open_source(self) -> None:
        if self.catalogue is None:
            return
        items = [PickItem(e.key, e.label, e.detail) for e in self.catalogue.entries]

        def chosen(key: str | None) -> None:
            if key is not None:
                self.key = key
                self._open(key, self.view.text_width)

        self.app.push_screen(Picker("Open a transcript or survey question", items), chosen)

    def action_step_source(self, step: int) -> None:
        if self.catalogue is None or not self.catalogue.entries:
            return
        keys = [e.key for e in self.catalogue.entries]
        index = keys.index(self.key) if self.key in keys else -1
        self.key = keys[(index + step) % len(keys)]
        self._open(self.key, self.view.text_width)

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
        unit = doc.unit_at(self.view.cursor) if doc else None
        if unit is not None:
            self.view.select(unit.start, unit.end)

    def action_clear_selection(self) -> None:
        self.view.clear_selection()

    # --- coding ---------------------------------------------------------------------------

    def target_span(self) -> tuple[str, int, int] | None:
        """(source, start, end) to code: the selection, else the turn at the cursor."""
        doc = self.view.doc
        if doc is None:
            return None
        selected = self.view.selection
        if selected is not None:
            start, end = doc.trim(*selected)
        else:
            unit = doc.unit_at(self.view.cursor)
            if unit is None:
                return None
            start, end = unit.start, unit.end
        if end <= start:
            return None
        return doc.to_source(start, end)

    def theme_items(self) -> list[PickItem]:
        if self.catalogue is None:
            return []
        keys = {tid: str(n + 1) for n, tid in enumerate(self.qapp.shortcuts) if tid}
        return [
            PickItem(
                t.id,
                t.label,
                f"[{keys[t.id]}]" if t.id in keys else "",
                self.catalogue.depth.get(t.id, 0),
                self.catalogue.colours[t.id][1],
            )
            for t in self.catalogue.themes
        ]

    def action_pick_theme(self) -> None:
        span = self.target_span()
        if span is None:
            self.notify("Put the cursor in a turn or select a passage first", timeout=3)
            return
        self.app.push_screen(
            Picker("Apply theme", self.theme_items(), "type letters of a label or id"),
            partial(self._apply_chosen, span),
        )

    def _apply_chosen(self, span: tuple[str, int, int], theme: str | None) -> None:
        if theme is not None:
            self.apply(theme, span)

    def action_shortcut(self, number: int) -> None:
        shortcuts = self.qapp.shortcuts
        if number <= len(shortcuts) and shortcuts[number - 1]:
            self.apply(shortcuts[number - 1])
        else:
            self.notify(f"No theme on key {number}: set one in the framework (k)", timeout=3)

    def action_same_as_last(self) -> None:
        if self.qapp.last_theme is None:
            self.notify("No theme applied yet", timeout=2)
        else:
            self.apply(self.qapp.last_theme)

    def apply(self, theme: str, span: tuple[str, int, int] | None = None) -> None:
        span = span or self.target_span()
        if span is None:
            self.notify("Put the cursor in a turn or select a passage first", timeout=3)
            return
        source, start, end = span
        self.qapp.last_theme = theme

        def run(study: Study) -> Outcome:
            coding, entry = changes.code_span(study, source, start, end, theme)
            # the coloured span is the feedback; a toast would only cost a redraw
            said = "" if entry else f"Already coded {theme}"
            return Outcome(said, entry, {"coding": coding})

        self.submit(run, "code")
        self.view.sel_anchor = None

    def on_saved(self, event: Saved) -> None:
        data = event.outcome.data
        coding = data.get("coding")
        if event.tag == "code" and self.opened is not None and coding is not None:
            # show the new coding now; the reload that follows confirms the rest
            self.opened = Opened(
                self.opened.key,
                self.opened.title,
                self.opened.doc,
                (*self.opened.codings, coding),
                self.opened.memo_segments,
            )
            self._show_marks()
        if event.tag == "memo" and data.get("kind") == "segment":
            if data.get("saved"):
                self.memo_segments.add(data["target"])
            else:
                self.memo_segments.discard(data["target"])
        self._update_side()

    def _marks_here(self) -> list[Mark]:
        doc = self.view.doc
        if doc is None:
            return []
        selected = self.view.selection
        if selected is not None:
            return doc.marks_in(*selected)
        return doc.marks_at(self.view.cursor)

    def _choose_mark(self, title: str, then: object) -> None:
        marks = self._marks_here()
        if not marks:
            self.notify("No coding at the cursor", timeout=2)
            return
        if len(marks) == 1:
            then(marks[0])  # type: ignore[operator]
            return
        labels = {t.id: t.label for t in self.catalogue.themes} if self.catalogue else {}
        items = [PickItem(str(m.coding), f"{m.theme} {labels.get(m.theme, '')}") for m in marks]
        by_id = {str(m.coding): m for m in marks}

        def chosen(key: str | None) -> None:
            if key is not None:
                then(by_id[key])  # type: ignore[operator]

        self.app.push_screen(Picker(title, items), chosen)

    def action_remove_coding(self) -> None:
        def remove(mark: Mark) -> None:
            def run(study: Study) -> Outcome:
                gone = undoing.remove_codings(study, [mark.coding])
                entry = changes.RemoveCodings(gone, label=f"remove {mark.theme}") if gone else None
                return Outcome(f"Removed {mark.theme}", entry)

            self.submit(run, "remove")

        self._choose_mark("Remove which coding?", remove)

    def action_change_coding(self) -> None:
        def change(mark: Mark) -> None:
            def chosen(theme: str | None) -> None:
                if theme is None or theme == mark.theme:
                    return

                def run(study: Study) -> Outcome:
                    coding_service.change_theme(study, mark.coding, theme)
                    entry = changes.ChangeTheme(
                        mark.coding, mark.theme, theme, label=f"change {mark.theme} to {theme}"
                    )
                    return Outcome(f"Changed {mark.theme} to {theme}", entry)

                self.submit(run, "change")

            self.app.push_screen(Picker(f"Change {mark.theme} to", self.theme_items()), chosen)

        self._choose_mark("Change which coding?", change)

    # --- memos ------------------------------------------------------------------------------

    def action_segment_memo(self) -> None:
        doc = self.view.doc
        unit = doc.unit_at(self.view.cursor) if doc else None
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
