"""Build ``data/word_vectors.npz``: ``python -m qualcode.nlp.build_word_vectors [N]``.

Needs the ``[embeddings]`` extra (the sentence model) and spacy-lookups-data (the word
probabilities that choose the N commonest words, 100,000 by default). Each word is
encoded on its own, as a one-word sentence; the vectors are centred, projected on
their DIMENSIONS principal directions, scaled to unit length and kept as 8-bit
integers with a float16 scale per word. It takes about a minute on two CPU cores and
gives the same table each time. Nothing of any study goes into it.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from importlib import resources
from pathlib import Path

from qualcode.nlp.word_vectors import TABLE

# Past 50,000 come words of the field our users work in: "carers" (61,464th),
# "safeguarding" (61,755th), "caseload" (79,129th), "multidisciplinary" (86,379th).
# On nhs-fft (seed 0, a third coded) and serdif's 161 quotes, top-3 0.809 / 0.601
# against 0.809 / 0.603 with 50,000.
WORDS = 100_000
# Principal directions kept of the model's 384. On nhs-fft (seed 0, a third coded) and
# serdif's 161 quotes (seeds 0-9), top-3: 384 -> 0.811 / 0.598, 192 -> 0.808 / 0.602,
# 96 -> 0.809 / 0.603, 64 -> 0.808 / 0.592, 32 -> 0.806 / 0.585. Each is a dense
# column of every passage: a first suggest on 30,000 answers took 14.3 s with 384, 9.5 s
# with 96 and 7.4 s without the block.
DIMENSIONS = 96
_SPELLING = re.compile(r"[a-z]+(?:'[a-z]+)?")


def commonest(n: int) -> list[str]:
    """The n commonest lower-case English words, by spaCy's lookup probabilities."""
    source = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with source.open("rb") as fh, gzip.open(fh) as unzipped:
        prob: dict[str, float] = json.load(unzipped)
    best: dict[str, float] = {}
    for word, logprob in prob.items():
        low = word.lower()
        if _SPELLING.fullmatch(low) and logprob > best.get(low, -1e9):
            best[low] = logprob
    return sorted(best, key=lambda w: (-best[w], w))[:n]


def build(n: int, out: Path, dimensions: int = DIMENSIONS) -> None:
    import numpy as np

    from qualcode.nlp import embeddings

    words = commonest(n)
    encoded = embeddings.encode(words).astype(np.float64)
    centred = encoded - encoded.mean(axis=0)
    _, _, directions = np.linalg.svd(centred, full_matrices=False)
    vectors = (centred @ directions[:dimensions].T).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    scale = np.abs(vectors).max(axis=1) / 127
    scale[scale == 0] = 1.0
    q = np.round(vectors / scale[:, None]).astype(np.int8)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, words=np.array(words), q=q, scale=scale.astype(np.float16))


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else WORDS
    build(count, Path(__file__).parent / "data" / TABLE)
