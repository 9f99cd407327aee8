"""Shared helpers for the ingest tests: every span must be exactly the spoken words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import pytest


class Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


Spoken = Callable[[str, Sequence[Span]], list[str]]


def _spoken(text: str, spans: Sequence[Span]) -> list[str]:
    """The text of each span, after checking it is non-empty and has no outer whitespace."""
    words = []
    for span in spans:
        piece = text[span.start : span.end]
        assert piece, f"empty span {span}"
        assert piece == piece.strip(), f"span {span} has surrounding whitespace: {piece!r}"
        words.append(piece)
    starts = [span.start for span in spans]
    assert starts == sorted(starts), "spans are out of order"
    return words


@pytest.fixture
def spoken() -> Spoken:
    return _spoken
