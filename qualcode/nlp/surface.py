"""What a passage's words as written say before any analysis: its tone, its mood and
its meaning (the mean of its word vectors; :mod:`qualcode.nlp.word_vectors`).

They need the text alone, not its analysed tokens, so a big study's are worked out in
a process of their own (:class:`qualcode.nlp.forked.Aside`) while its words are
analysed and counted here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.nlp.mood import mood
from qualcode.nlp.tone import tone
from qualcode.nlp.word_vectors import PassageMeaning


@dataclass(frozen=True)
class Surface:
    """Of each passage, in order: (positive, negative) tone, (asks, wishes) mood and its
    meaning vector; and the meaning's weights, fitted on these passages."""

    meaning: PassageMeaning
    tone: Any  # passages x 2, float32
    mood: Any  # passages x 2, float32
    vectors: Any  # passages x dimensions, float32

    def __len__(self) -> int:
        return int(self.tone.shape[0])


def read_surface(texts: Sequence[str], meaning: PassageMeaning | None = None) -> Surface:
    """``meaning``: weights fitted already (else: fitted on these texts)."""
    if meaning is None:
        meaning = PassageMeaning().fit(texts)
    return Surface(meaning, pairs(tone, texts), pairs(mood, texts), meaning.transform(texts))


def pairs(score: Callable[[str], tuple[float, float]], texts: Sequence[str]) -> Any:
    """Two columns from each text: its tone, or its mood."""
    import numpy as np

    return np.array([score(t) for t in texts], dtype=np.float32).reshape(-1, 2)
