"""Inverses of the review decisions that the TUI can undo: settling a disagreement
between two coders (:func:`qualcode.services.compare.resolve`) and accepting many
anonymisation proposals at once (:func:`qualcode.services.anonymise.accept_all`).

Each runs in one transaction and is audited like the change it reverses. Redoing a
settled disagreement simply settles it again with ``resolve``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from qualcode.domain.model import Coding
from qualcode.services import codings
from qualcode.services.compare import Resolution
from qualcode.services.study import Study
from qualcode.store import audit, convert
from qualcode.store import models as m


def _plain(c: Coding) -> dict[str, Any]:
    data = asdict(c)
    data["created"] = c.created.isoformat()
    return data


def reopen_disagreement(
    study: Study, resolution: Resolution, coders: Sequence[str], was_kept: bool
) -> list[Coding]:
    """Undo of ``resolve``: the codings it added go, the codings it removed come back
    (with new ids, which are returned), and the "kept both" mark is as it was
    (``was_kept``). A coding already back (or already gone) is left as it is."""
    restored: list[Coding] = []
    with study.write() as s:
        for c in resolution.added:
            row = s.get(m.CodingRow, c.id)
            if row is None:
                continue
            gone = convert.coding(row)
            s.delete(row)
            s.flush()
            audit.record(s, study.coder, "delete", "coding", gone.id, before=_plain(gone))
        for c in resolution.removed:
            coding, _ = codings.insert_coding(
                s,
                study.coder,
                c.source,
                c.start,
                c.end,
                c.theme,
                c.coder,
                c.origin,
                quote=c.quote,
                action="restore",
            )
            restored.append(coding)
        if (resolution.keep == "both") != was_kept:
            # compare.settled() reads the latest decision per segment and theme
            audit.record(
                s,
                study.coder,
                "resolve",
                "disagreement",
                f"{resolution.segment} {resolution.theme}",
                after={
                    "segment": resolution.segment,
                    "theme": resolution.theme,
                    "keep": "both" if was_kept else "undone",
                    "coders": list(coders),
                    "added": [],
                    "removed": [],
                },
            )
    return restored


def set_proposal_status(study: Study, ids: Iterable[int], status: str, only_from: str) -> int:
    """Set the status of the proposals ``ids`` that still have status ``only_from``
    (undo and redo of accepting many at once); returns how many changed."""
    changed = 0
    with study.write() as s:
        for proposal_id in ids:
            row = s.get(m.AnonymisationRow, proposal_id)
            if row is None or row.status != only_from:
                continue
            before = {"placeholder": row.placeholder, "kind": row.kind, "status": row.status}
            row.status = status
            after = {**before, "status": status}
            audit.record(s, study.coder, "update", "anonymisation", row.id, before, after)
            changed += 1
    return changed


__all__ = ["reopen_disagreement", "set_proposal_status"]
