"""Lean read models for the workbench: the codings and segments of the sources on
screen, selected as plain rows (no ORM objects), because they are re-read after every
change and a long transcript can carry thousands of codings."""

from __future__ import annotations

from collections.abc import Collection

from qualcode.domain.model import Coding
from qualcode.services.study import Study
from qualcode.store.queries import codings as codings_q


def codings_of(study: Study, sources: Collection[str]) -> list[Coding]:
    """Every coding on the given sources, by source and position."""
    wanted = list(sources)
    with study.read() as s:
        rows = codings_q.coding_tuples(s, wanted[0] if len(wanted) == 1 else None)
    keep = set(wanted)
    return [
        Coding(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
        for r in rows
        if r[1] in keep
    ]


__all__ = ["codings_of"]
