"""Inverses of removing a source (see services/inverses.py): its text, segments, codings
and suggestions come back as they were, and the redo removes them again.

An entry recorded before removals kept their rows cannot be undone; it says so and
names `qualcode restore`, as an import of codings from an older qualcode does.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualcode.errors import ConflictError
from qualcode.services.sources import drop_source
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import source_rows
from qualcode.store.queries import sources as sources_q


def resource(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of removing a source: it comes back with all that went with it."""
    before = states.read(change.before)
    sid = str(change.entity_id)
    rows = before.get("rows")
    if not isinstance(rows, dict):
        raise ConflictError(
            f"source {sid!r} was removed by an older qualcode, which kept no copy of it; "
            "undo refused (`qualcode restore` brings back a backup)"
        )
    here = s.get(m.SourceRow, sid)
    if here is not None:
        if here.checksum == before.get("checksum"):
            return  # already back
        raise ConflictError(
            f"a different source {sid!r} was imported since; remove it first "
            f"(`qualcode sources remove {sid}`) to bring this one back"
        )
    if s.get(m.CaseRow, before.get("case")) is None:
        raise ConflictError(f"case {before.get('case')!r} was removed since; undo refused")
    themes = {str(r["theme_id"]) for r in rows.get("codings") or ()}
    gone = sorted(t for t in themes if s.get(m.ThemeRow, t) is None)
    if gone:
        raise ConflictError(
            f"theme {gone[0]!r}, which {sid}'s codings use, was deleted since; undo that first"
        )
    source_rows.put_back(s, rows)
    s.flush()
    after = {k: before.get(k) for k in ("name", "case", "checksum", "codings")}
    audit.record(s, who, "restore", "source", sid, after=after)


def unsource(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of bringing a source back (a redo of its removal): it goes again,
    unless it has been replaced since."""
    after = states.read(change.after)
    row = s.get(m.SourceRow, str(change.entity_id))
    if row is None:
        return  # already gone
    if row.checksum != after.get("checksum"):
        raise ConflictError(f"source {row.id!r} was replaced since; undo refused")
    # codings made on it since it came back are someone's work since: not taken unseen
    coders = codings_q.coders_of_sources(s, [row.id])
    if sum(coders.values()) > int(after.get("codings") or 0):
        whose = ", ".join(f"{n:,} by {c}" for c, n in sorted(coders.items(), key=lambda i: -i[1]))
        raise ConflictError(
            f"source {row.id!r} has codings made since it came back ({whose}); undo "
            f"refused. `qualcode sources remove {row.id}` takes it out with them, and can "
            "itself be undone"
        )
    drop_source(s, who, row.id)


def remember_import(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of forgetting a file's import records (`sources remove --file`): they
    come back, so that importing the same file again is a no-op as before."""
    rows = states.read(change.before).get("rows") or []
    wanted = []
    for row in rows:
        here = sources_q.import_named(s, str(row["kind"]), str(row["name"]))
        if here is None:
            wanted.append(row)
        elif here.checksum != row.get("checksum"):
            raise ConflictError(
                f"a different version of {row['name']} was imported since; undo refused "
                f"(`qualcode sources remove --file {row['name']}` takes it out first)"
            )
    source_rows.put_back_imports(s, wanted)
    s.flush()
    audit.record(s, who, "remember", "import", change.entity_id, after={"rows": rows})


def forget_import(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of bringing import records back (the redo of a removal by file)."""
    rows = states.read(change.after).get("rows") or []
    kept = []
    for row in rows:
        here = s.get(m.ImportRow, row["id"])
        if here is not None and here.checksum == row.get("checksum"):
            kept.append(row)
            s.delete(here)
    s.flush()
    audit.record(s, who, "forget", "import", change.entity_id, before={"rows": kept})


SOURCE_INVERSES = {
    ("source", "delete"): resource,
    ("source", "restore"): unsource,
    ("import", "forget"): remember_import,
    ("import", "remember"): forget_import,
}
