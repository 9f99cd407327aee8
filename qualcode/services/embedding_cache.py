"""Sentence vectors cached per segment in the study's ``embeddings`` table.

A vector is reused while the segment's text has the same checksum; new or changed
segments are encoded outside any transaction and then written in one short one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qualcode.nlp import embeddings
from qualcode.nlp.suggester import Cancel, Progress
from qualcode.services.study import Study
from qualcode.store.queries import embeddings as embeddings_q


def segment_vectors(
    study: Study,
    segments: Sequence[tuple[str, str]],
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Any:
    """Unit vectors (len(segments) x dim) for (segment id, text) pairs, cached."""
    import numpy as np

    embeddings.require()
    sums = {sid: embeddings.checksum(text) for sid, text in segments}
    with study.read() as s:
        stored = embeddings_q.stored_vectors(s, embeddings.MODEL)
    out = np.zeros((len(segments), embeddings.DIM), dtype=np.float32)
    missing: list[int] = []
    for i, (sid, _text) in enumerate(segments):
        hit = stored.get(sid)
        if hit is not None and hit[0] == sums[sid]:
            out[i] = embeddings.from_bytes(hit[1])
        else:
            missing.append(i)
    if missing:

        def step(done: int, total: int) -> None:
            if progress:
                progress("embedding", done, total)

        fresh = embeddings.encode([segments[i][1] for i in missing], progress=step, cancel=cancel)
        out[missing] = fresh
        rows = [
            {
                "segment_id": segments[i][0],
                "model": embeddings.MODEL,
                "checksum": sums[segments[i][0]],
                "dim": embeddings.DIM,
                "vector": embeddings.to_bytes(fresh[j]),
            }
            for j, i in enumerate(missing)
        ]
        with study.write() as s:
            stale = [r["segment_id"] for r in rows if r["segment_id"] in stored]
            embeddings_q.replace_vectors(s, embeddings.MODEL, stale, rows)
    return out
