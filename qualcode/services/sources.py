"""Removing sources, e.g. to replace a transcript that changed since it was imported."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.errors import InputError, NotFoundError
from qualcode.services.study import Study
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import source_rows
from qualcode.store.queries import sources as sources_q


@dataclass(frozen=True)
class RemovalPlan:
    sources: tuple[str, ...]
    codings: int
    file_name: str | None = None
    by_coder: tuple[tuple[str, int], ...] = ()  # whose codings go, most first

    def describe(self) -> str:
        """What goes, and whose: a colleague's codings go too, and for good."""
        whose = ", ".join(f"{n:,} by {coder}" for coder, n in self.by_coder)
        codings = f"{self.codings:,} coding{'s' if self.codings != 1 else ''}"
        return (
            f"{len(self.sources):,} source{'s' if len(self.sources) != 1 else ''} and "
            f"{codings}" + (f" ({whose})" if whose and self.codings else "")
        )


def plan_removal(study: Study, source_ids: list[str], file_name: str | None = None) -> RemovalPlan:
    if not source_ids and not file_name:
        raise InputError("name the sources to remove, or --file NAME")
    with study.read() as s:
        ids = list(source_ids)
        for sid in ids:
            if s.get(m.SourceRow, sid) is None:
                raise NotFoundError(f"no source {sid!r}")
        if file_name:
            found = sources_q.source_ids_named(s, file_name)
            if not found:
                raise NotFoundError(f"no sources imported from {file_name!r}")
            ids.extend(x for x in found if x not in ids)
        codings = codings_q.count_codings_of_sources(s, ids)
        coders = codings_q.coders_of_sources(s, ids)
    by_coder = tuple(sorted(coders.items(), key=lambda item: (-item[1], item[0])))
    return RemovalPlan(tuple(ids), codings, file_name, by_coder)


def remove_sources(study: Study, plan: RemovalPlan) -> None:
    """Remove the sources as one action, which `qualcode undo` takes back: each entry
    keeps the rows that go (see services/inverse_sources.py)."""
    with study.write() as s:
        for sid in plan.sources:
            if s.get(m.SourceRow, sid) is not None:
                drop_source(s, study.coder, sid)
        if plan.file_name:
            # kept for the undo: without its record the file's answers would be taken
            # again by a later import of the same file, every one of them twice
            kept = source_rows.capture_imports(s, plan.file_name)
            sources_q.forget_imports_named(s, plan.file_name)
            if kept:
                audit.record(s, study.coder, "forget", "import", plan.file_name, {"rows": kept})


def drop_source(s: Session, who: str, sid: str) -> None:
    """Delete one source and all that hangs on it, recording what went."""
    row = s.get(m.SourceRow, sid)
    if row is None:
        return
    rows = source_rows.capture(s, sid)
    before = {
        "name": row.name,
        "case": row.case_id,
        "checksum": row.checksum,
        "codings": len(rows["codings"]),
        "rows": rows,
    }
    s.delete(row)
    s.flush()
    audit.record(s, who, "delete", "source", sid, before=before)
