"""One line on stderr that says what a long suggestion run is doing ("learning from
your codings 22/92"), rewritten in place, only when a person is watching: scripts and
logs see nothing of it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

import click

STAGES = {
    "reading": "reading passages",
    "embedding": "computing sentence vectors",
    "learning": "learning from your codings",
    "suggesting": "scoring passages",
}
EVERY = 0.1  # seconds between redraws


class StageLine:
    """``progress(stage, done, total)`` for the services; ``close`` clears the line."""

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.shown = 0  # width of what is on the line now
        self.last = 0.0

    @property
    def watching(self) -> bool:
        return self.stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.watching:
            return
        now = time.monotonic()
        if now - self.last < EVERY and done < total:
            return
        self.last = now
        count = f" {done:,}/{total:,}" if total > 1 else ""
        self._show(f"{self.what}: {STAGES.get(stage, stage)}{count}")

    def close(self) -> None:
        if self.shown:
            self._show("")

    def _show(self, text: str) -> None:
        pad = " " * max(0, self.shown - len(text))
        self.stream.write(f"\r{text}{pad}\r" if not text else f"\r{text}{pad}")
        self.stream.flush()
        self.shown = len(text)


def embedding_notes() -> Callable[[str, int, int], None]:
    """The slow first embedding of a study's segments, on stderr every 10%, where no
    stage line is drawn (a log, a pipe): minutes of silence would look like a hang."""
    shown = [-1]

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "embedding" and total and not sys.stderr.isatty():
            tenth = done * 10 // total
            if tenth != shown[0]:
                shown[0] = tenth
                click.echo(f"embedding segments (cached for next time): {done}/{total}", err=True)

    return progress


def both(*callbacks: Callable[[str, int, int], None]) -> Callable[[str, int, int], None]:
    def progress(stage: str, done: int, total: int) -> None:
        for callback in callbacks:
            callback(stage, done, total)

    return progress
