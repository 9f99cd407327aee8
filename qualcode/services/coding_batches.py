"""Coding writes the TUI makes in bulk or must tell apart: removing several codings
in one transaction, re-creating codings as they were (benchmarks and tests build
studies with it), and adding a coding while saying whether it is new.

Not undo: undo is built on the audit trail: :mod:`qualcode.services.undo_log`.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.domain.model import Coding
from qualcode.services import codings
from qualcode.services.codings import plain_coding
from qualcode.services.study import Study
from qualcode.store import audit, convert
from qualcode.store import models as m


def remove_codings(study: Study, ids: Iterable[int]) -> list[Coding]:
    """Delete the codings that still exist; returns what was deleted."""
    gone: list[Coding] = []
    with study.write() as s:
        for coding_id in ids:
            row = s.get(m.CodingRow, coding_id)
            if row is None:
                continue
            coding = convert.coding(row)
            s.delete(row)
            gone.append(coding)
            audit.record(s, study.coder, "delete", "coding", coding_id, before=plain_coding(coding))
    return gone


def add_codings(study: Study, items: Iterable[Coding]) -> list[Coding]:
    """Create codings as given (coder, origin, quote); one already present is returned
    as it is."""
    with study.write() as s:
        return [
            codings.insert_coding(
                s,
                study.coder,
                c.source,
                c.start,
                c.end,
                c.theme,
                c.coder,
                c.origin,
                quote=c.quote,
            )[0]
            for c in items
        ]


def add_coding_once(
    study: Study, source: str, start: int, end: int, theme: str, origin: str = "manual"
) -> tuple[Coding, bool]:
    """Like ``codings.add_coding``, and says whether the coding is new (only a new one
    is worth an undo entry); the check and the insert share one transaction."""
    with study.write() as s:
        codings.check_target(s, source, start, end, theme)
        return codings.insert_coding(s, study.coder, source, start, end, theme, study.coder, origin)


__all__ = ["add_coding_once", "add_codings", "remove_codings"]
