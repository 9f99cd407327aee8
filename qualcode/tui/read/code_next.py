"""``w`` in Read & code: go to the uncoded passage whose coding would teach the
suggestions most (``services.suggest_bulk.next_to_code``: the model's least sure,
most typical passage; before any coding, the most typical one)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.message import Message

from qualcode.errors import QualcodeError
from qualcode.services.suggest_bulk import NextPassage, next_to_code
from qualcode.tui.shared.messages import ReadRequest
from qualcode.tui.shared.workspace import Workspace


@dataclass
class NextFound(Message):
    passage: NextPassage | None
    error: str | None = None


class CodeNextActions(Workspace):
    NEXT_BINDINGS = [
        Binding("w", "code_next", "What to code next", id="read.code_next"),
    ]
    # True from `w` until its passage is chosen: keys typed meanwhile (Enter, a theme)
    # wait and apply to that passage, never to the one on screen (Read & code holds them)
    next_coming = False

    def action_code_next(self) -> None:
        self.notify("Finding the passage that would teach the suggestions most…", timeout=2)
        self.next_coming = True
        # after the codings typed before it are stored: `w Enter a-theme Enter w ...` in
        # one burst found the same passage twice, the first coding not yet written
        self.qapp.after_writes(self._start_finding)

    def _start_finding(self) -> None:
        self._find_next()

    def next_not_found(self, why: str) -> None:
        """`w` found no passage: the keys typed for it apply to nothing (override)."""

    @work(thread=True, exit_on_error=False, group="code-next", exclusive=True)
    def _find_next(self) -> None:
        try:
            found = next_to_code(self.study, limit=1)
        except QualcodeError as exc:
            self.post_message(NextFound(None, str(exc)))
            return
        self.post_message(NextFound(found[0] if found else None))

    def on_next_found(self, event: NextFound) -> None:
        p = event.passage
        self.next_coming = False
        if event.error is not None:
            self.notify(event.error, title="What to code next", severity="error")
            self.next_not_found("no passage was found to code next")
        elif p is None:
            self.notify("Every respondent passage is coded", title="What to code next")
            self.next_not_found("every respondent passage is coded")
        else:
            self.notify(f"{p.segment}: {p.why}", title="Code next", timeout=6)
            self.qapp.open_reader(ReadRequest(case=p.case, source=p.source, offset=p.start))
