"""Loading what Read & code shows: the catalogue, a document, its codings.

``opening`` is true from the moment a document is asked for until it is on screen,
so that keys typed meanwhile wait for it (see :mod:`qualcode.tui.read.screen`); a
document that arrives after a newer one was asked for is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from textual import work
from textual.message import Message

from qualcode.domain.model import Coding
from qualcode.tui.read.coding import CodingActions
from qualcode.tui.read.data import (
    Catalogue,
    Opened,
    default_shortcuts,
    load_catalogue,
    load_codings,
    open_document,
)


@dataclass
class CatalogueLoaded(Message):
    """Every document the study offers, with the themes and coders."""

    catalogue: Catalogue


@dataclass
class SourcesRefreshed(Message):
    """The catalogue read again for the open-a-document picker."""

    catalogue: Catalogue


@dataclass
class DocumentOpened(Message):
    """A document laid out for the reading pane (dropped if another was asked for)."""

    opened: Opened


@dataclass
class CodingsLoaded(Message):
    """The codings of the document ``key``, with the catalogue as of now: the documents,
    cases, themes and coders others may have changed meanwhile."""

    key: str
    codings: Sequence[Coding]
    catalogue: Catalogue
    asked: int = 0  # which load this is (see ReadLoading.codings_asked)


class ReadLoading(CodingActions):
    def __init__(self) -> None:
        super().__init__()
        self.key: str | None = None  # the document on screen, or on its way
        self.wanted: str | None = None  # the document on its way
        self.catalogue_coming = True
        self.pending_offset: int | None = None
        self.pending_source: str | None = None
        self.pending_case: str | None = None
        self.shown_coder: str | None = None  # the app's coder filter, as drawn
        self.filter_since: datetime | None = None  # when it last changed
        # Loads of the codings asked for so far: only the newest is shown. A burst of
        # codings each asks for one, and an older load that finished late (read before
        # the later codings were stored) hid them until ctrl+l.
        self.codings_asked = 0

    @property
    def opening(self) -> bool:
        return self.catalogue_coming or self.wanted is not None

    def reload(self) -> None:
        super().reload()
        # the request stays with the app until a loaded catalogue takes it: a reload
        # that overtakes another (newest wins) must not lose it
        if self.qapp.read_request is not None or self.catalogue is None:
            self.catalogue_coming = True
            self._load_catalogue()
        elif self.opened is not None:
            self._load_codings()

    def adopt_catalogue(self, catalogue: Catalogue) -> None:
        """Take a newly loaded catalogue. A shortcut to a theme gone from it keeps its key,
        unused (shortcuts_for leaves it out), so that undoing the theme's deletion gives
        the key back; all gone: the framework's first themes."""
        self.catalogue = catalogue
        known = {t.id for t in catalogue.themes}
        app = self.qapp
        if not any(t in known for t in app.shortcuts):
            app.set_shortcuts(default_shortcuts(catalogue.themes, catalogue.depth))

    def load_failed(self) -> None:
        self.catalogue_coming = False
        self.wanted = None

    @work(thread=True, exit_on_error=False, exclusive=True, group="read-load")
    def _load_catalogue(self) -> None:
        self.post_message(CatalogueLoaded(load_catalogue(self.study)))

    def open_key(self, key: str) -> None:
        """Ask for a document; keys typed from now on wait for it."""
        self.catalogue_coming = False
        self.key = self.wanted = key
        self._open(key, self.view.text_width)

    @work(thread=True, exit_on_error=False, exclusive=True, group="read-doc")
    def _open(self, key: str, width: int) -> None:
        catalogue = self.catalogue
        assert catalogue is not None
        self.post_message(DocumentOpened(open_document(self.study, key, catalogue, width)))

    def _load_codings(self) -> None:
        self.codings_asked += 1
        self._fetch_codings(self.codings_asked)

    @work(thread=True, exit_on_error=False, exclusive=True, group="read-codings")
    def _fetch_codings(self, asked: int) -> None:
        opened = self.opened
        if opened is None:
            return
        codings = load_codings(self.study, opened.doc)
        catalogue = load_catalogue(self.study)
        self.post_message(CodingsLoaded(opened.key, codings, catalogue, asked))

    def on_codings_loaded(self, event: CodingsLoaded) -> None:
        key, codings = event.key, event.codings
        if event.asked != self.codings_asked:
            return  # a newer load is on its way, read after more was stored
        self.adopt_catalogue(event.catalogue)
        if self.opened is not None and key == self.opened.key and self.wanted is None:
            self.opened = Opened(
                key,
                self.opened.title,
                self.opened.doc,
                tuple(codings),
                self.opened.memo_segments,
            )
            self.show_marks()

    def document_loaded(self, opened: Opened) -> bool:
        """Show a loaded document; False when a newer one was asked for meanwhile."""
        if opened.key != self.wanted:
            return False
        self.wanted = None
        previous = self.opened
        self.opened = opened
        cursor = 0
        if previous is not None and previous.key == opened.key:
            cursor = self.view.cursor
        if self.pending_offset is not None:
            source = self.pending_source or opened.doc.blocks[0].source
            cursor = opened.doc.to_doc(source, self.pending_offset) or 0
            self.pending_offset = None
        elif self.pending_case is not None:
            doc = opened.doc
            block = next((b for b, x in enumerate(doc.blocks) if x.case == self.pending_case), 0)
            cursor = doc.bases[block]
        self.pending_case = self.pending_source = None
        first = opened.doc.next_unit(cursor - 1)
        if first is not None and opened.doc.unit_at(cursor) is None:
            cursor = first.start
        self.document_shown(opened, cursor)
        return True

    def document_shown(self, opened: Opened, cursor: int) -> None:
        """Put a loaded document on screen (override)."""

    def take_filter(self) -> bool:
        """Take up the app's coder filter (set here or in Cases); True when it changed.
        The session's own codings made from now on show whatever the filter."""
        coder = self.qapp.coder_filter
        if coder == self.shown_coder and self.filter_since is not None:
            return False
        self.shown_coder = coder
        self.filter_since = datetime.now(UTC)
        return True


__all__ = ["Catalogue", "ReadLoading"]
