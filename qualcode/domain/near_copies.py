"""Whether one transcript is mostly another: a copy with a line or two changed.

An exact copy under another file name is refused by its checksum; a copy someone
corrected ("int01 final.docx" beside "int01.docx") has another checksum and would come
in as a second case, counted twice in every matrix. Each text is fingerprinted by a
fixed sample of its runs of words (shingles): the same runs are sampled in every text,
so two texts share as large a share of their samples as of their runs.
"""

from __future__ import annotations

import re
import zlib

SHINGLE = 8  # words: runs this long rarely recur by chance in two interviews
SAMPLE = 4  # keep about one run in this many (the same ones in every text)
MIN_WORDS = 200  # shorter texts share stock phrases: too few runs to judge
SHARED = 0.8  # of the shorter text's runs found in the other: a copy of it

_WORD = re.compile(r"\w+")


def fingerprint(text: str) -> frozenset[int] | None:
    """The sampled runs of words of ``text`` (None for a text too short to judge): the
    runs that open on a word whose hash falls in one bucket of ``SAMPLE``, so that
    only those runs are hashed."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    anchor: dict[str, bool] = {}
    for word in words:
        if word not in anchor:
            anchor[word] = zlib.crc32(word.encode()) % SAMPLE == 0
    last = len(words) - SHINGLE + 1
    return frozenset(
        zlib.crc32(" ".join(words[i : i + SHINGLE]).encode())
        for i, word in enumerate(words[:last])
        if anchor[word]
    )


def shared(a: frozenset[int], b: frozenset[int]) -> float:
    """The share of the smaller fingerprint's runs that the other has."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small) if small else 0.0
