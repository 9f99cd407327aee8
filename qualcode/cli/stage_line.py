"""One line on stderr that says what a long suggestion run is doing ("learning from
your codings 22/92"), rewritten in place, only when a person is watching. Where no one
is (a pipe, a log), only the slow first embedding of a study is noted, every 10%:
minutes of silence would look like a hang."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

from qualcode.domain.stage_wording import stage_words

EVERY = 0.1  # seconds between redraws
ESTIMATE_AFTER = 3.0  # seconds into a stage before its time left is guessed


class StageLine:
    """``progress(stage, done, total)`` for the services; used as a context manager,
    the line is cleared at the end, however the run ends."""

    def __init__(
        self,
        what: str,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.shown = 0  # width of what is on the line now
        self.last = 0.0
        self.tenth = -1  # the last tenth of an embedding noted where no one watches
        self.begun: dict[str, tuple[float, int]] = {}  # stage -> when and where it began
        self.totals: dict[str, int] = {}  # stage -> the steps it said it has

    @property
    def watching(self) -> bool:
        return self.stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if self.totals.get(stage) != total:
            # a stage announced as one step ("learning", 0 of 1) and then counted (17 of
            # 88) starts its pace at the count: what came between was other work
            self.totals[stage] = total
            self.begun.pop(stage, None)
        if done > 0 or total <= 1:  # from the first step done: not a model's loading
            self.begun.setdefault(stage, (now, done))
        if not self.watching:
            self._note(stage, done, total, now)
            return
        if now - self.last < EVERY and done < total:
            return
        self.last = now
        count = f" {done:,}/{total:,}" if total > 1 else ""
        self._show(f"{self.what}: {stage_words(stage)}{count}{self._left(stage, done, total, now)}")

    def _left(self, stage: str, done: int, total: int, now: float) -> str:
        """How long the stage has to go, at its pace so far, once that pace means
        something; a first embedding says it is done once only."""
        once = " (once: kept for next time)" if stage == "embedding" else ""
        if stage not in self.begun:
            return once
        began, first = self.begun[stage]
        if now - began < ESTIMATE_AFTER or done <= first or done >= total:
            return once
        seconds = (now - began) / (done - first) * (total - done)
        return f" · {_duration(seconds)} left{once}"

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
        # A line wider than the terminal wraps, and "\r" then rewrites only its tail.
        width = shutil.get_terminal_size((120, 24)).columns - 1
        text = text if len(text) <= width else text[: width - 1] + "…"
        pad = " " * max(0, min(self.shown, width) - len(text))
        self.stream.write(f"\r{text}{pad}" + ("\r" if not text else ""))
        self.stream.flush()
        self.shown = len(text)

    def _note(self, stage: str, done: int, total: int, now: float) -> None:
        if stage != "embedding" or not total:
            return
        tenth = done * 10 // total
        if tenth != self.tenth:
            self.tenth = tenth
            left = self._left(stage, done, total, now).replace(" (once: kept for next time)", "")
            self.stream.write(f"embedding segments (cached for next time): {done}/{total}{left}\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    """About how long: "about 40 s", "about 3 min"; rounded, as a guess should be."""
    if seconds < 60:
        return f"about {max(5, round(seconds / 5) * 5)} s"
    return f"about {round(seconds / 60)} min"
