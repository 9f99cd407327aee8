"""Python's cyclic garbage collector held off while a big job makes small objects.

Analysing and scoring a corpus, building a matrix, or loading and writing tens of
thousands of ORM rows (a bulk accept, its undo, a codings import) makes millions of
small objects, almost none of them in a reference cycle: reference counting frees
them. Each full collection those allocations trigger walks everything alive - the
corpus, the fitted model, the session's rows - and finds next to nothing. Measured on
30,000 answers: a first ``suggest`` 6.5 s -> 5.9 s; ``benchmarks/bulk_accept.py`` on
SQLite, a bulk accept of 29,423 suggestions 6.7 s -> 4.8 s, its undo 9.1 s -> 6.2 s and
the codings import 3.2 s -> 1.9 s; importing the survey 1.7 s -> 1.3 s; a REFI-QDA export
of it 7.4 s -> 6.7 s. Whatever cycles do appear (an ORM row and its relationships) are
collected once the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside; nested uses are fine (the outermost resumes it),
    and a collector someone else switched off stays off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


__all__ = ["gc_paused"]
