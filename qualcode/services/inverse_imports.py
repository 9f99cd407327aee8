"""Inverses of importing transcripts and survey files (see services/inverses.py).

A file imported by mistake (the wrong wave, the wrong id column) is taken out by
`qualcode undo`: its sources, the cases it made and the attribute values it set or
changed. Only while nobody has coded its passages: then the undo is refused, and
`qualcode sources remove` (which names whose codings go, and is itself undoable) takes
it out. Every step records an entry of its own, so the redo is the inverses of those:
the cases come back, then their values, then the sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.errors import ConflictError
from qualcode.services.inverse_cases import put_values_back
from qualcode.services.sources import drop_source
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import source_rows
from qualcode.store.queries import sources as sources_q

SURVEY = "survey"


def unimport_transcript(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of importing one transcript: the source goes, and its case's values
    and the case itself if the import made it."""
    before, after = states.read(change.before), states.read(change.after)
    sid = str(change.entity_id)
    row = s.get(m.SourceRow, sid)
    if row is None:
        return  # removed since
    if after.get("checksum") not in (None, row.checksum):
        raise ConflictError(f"source {sid!r} was replaced since its import; undo refused")
    name = Path(str(after.get("file") or row.name)).name
    _refuse_coded(s, [sid], name, f"sources remove {sid}")
    case = str(after.get("case") or row.case_id)
    drop_source(s, who, sid)
    new = {k: str(v) for k, v in dict(after.get("attributes") or {}).items()}
    old = dict(before.get("attributes") or {})
    _put_values_back(s, who, case, {k: old[k] for k in old if k in new}, new)
    if after.get("case_added"):
        _drop_case(s, who, case)


def unimport_survey(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of importing a survey file: its answers go, with its import record (so
    that the file can be imported again), the values it changed and the cases it made."""
    before, after = states.read(change.before), states.read(change.after)
    name = str(change.entity_id)
    record = sources_q.import_named(s, SURVEY, name)
    if record is None:
        return  # removed since (`sources remove --file`)
    if after.get("checksum") not in (None, record.checksum):
        raise ConflictError(f"a different version of {name} was imported since; undo refused")
    sids = sources_q.source_ids_of_import(s, record.id)
    _refuse_coded(s, sids, name, f"sources remove --file {name}")
    for sid in sids:
        drop_source(s, who, sid)
    kept = source_rows.capture_imports(s, name)
    s.delete(record)
    s.flush()
    audit.record(s, who, "forget", "import", name, {"rows": kept})
    new_values: Mapping[str, Mapping[str, Any]] = after.get("values") or {}
    for case, old in dict(before.get("values") or {}).items():
        new = {k: str(v) for k, v in dict(new_values.get(case) or {}).items()}
        _put_values_back(s, who, case, dict(old), new)
    for case in after.get("cases") or ():
        _drop_case(s, who, str(case))


def _refuse_coded(s: Session, sids: Sequence[str], name: str, command: str) -> None:
    coders = codings_q.coders_of_sources(s, sids) if sids else {}
    if coders:
        total = sum(coders.values())
        whose = ", ".join(f"{n:,} by {c}" for c, n in sorted(coders.items(), key=lambda i: -i[1]))
        raise ConflictError(
            f"{name} has {total:,} coding{'s' if total != 1 else ''} since its import "
            f"({whose}); undo refused. `qualcode {command}` takes it out, codings and all, "
            "and can itself be undone"
        )


def _put_values_back(
    s: Session, who: str, case: str, old: Mapping[str, Any], new: Mapping[str, str]
) -> None:
    """The case's values as before the import (None: not set), unless one was changed
    since; recorded as an import of values, whose inverse (inverse_cases.revalue) is
    the redo."""
    if not old or s.get(m.CaseRow, case) is None:
        return
    expected = {name: new.get(name) for name in old}
    put_values_back(s, case, expected, old, since="since the import")
    restored = {"case": case, "values": dict(old)}
    audit.record(s, who, "import", "case", case, {"case": case, "values": dict(new)}, restored)


def _drop_case(s: Session, who: str, case: str) -> None:
    """The case an import made goes with its values, unless something else holds it
    now (another source of it, a summary, a memo): then it stays."""
    if s.get(m.CaseRow, case) is None or cases_q.what_holds(s, case) is not None:
        return
    rows = cases_q.case_attribute_rows(s, case)
    values = {r.name: r.value for r in rows}
    for row in rows:
        s.delete(row)
    s.delete(s.get(m.CaseRow, case))
    s.flush()
    audit.record(s, who, "delete", "case", case, before={"case": case, "attributes": values})


IMPORT_INVERSES = {
    ("source", "import"): unimport_transcript,
    ("survey", "import"): unimport_survey,
}
