"""One line on stderr that says what a long suggestion run is doing ("learning from
your codings 22/92"), rewritten in place, only when a person is watching. Where no one
is (a pipe, a log), only the slow first embedding of a study is noted, every 10%:
minutes of silence would look like a hang."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from qualcode.domain.stage_wording import stage_words

EVERY = 0.1  # seconds between redraws


class StageLine:
    """``progress(stage, done, total)`` for the services; used as a context manager,
    the line is cleared at the end, however the run ends."""

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.shown = 0  # width of what is on the line now
        self.last = 0.0
        self.tenth = -1  # the last tenth of an embedding noted where no one watches

    @property
    def watching(self) -> bool:
        return self.stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.watching:
            self._note(stage, done, total)
            return
        now = time.monotonic()
        if now - self.last < EVERY and done < total:
            return
        self.last = now
        count = f" {done:,}/{total:,}" if total > 1 else ""
        self._show(f"{self.what}: {stage_words(stage)}{count}")

    def __enter__(self) -> StageLine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.shown:
            self._show("")

    def _show(self, text: str) -> None:
        pad = " " * max(0, self.shown - len(text))
        self.stream.write(f"\r{text}{pad}" + ("\r" if not text else ""))
        self.stream.flush()
        self.shown = len(text)

    def _note(self, stage: str, done: int, total: int) -> None:
        if stage != "embedding" or not total:
            return
        tenth = done * 10 // total
        if tenth != self.tenth:
            self.tenth = tenth
            self.stream.write(f"embedding segments (cached for next time): {done}/{total}\n")
            self.stream.flush()
