"""A source with everything that goes with it when it is removed (its segments, codings,
their dimension values and its suggestions), as JSON rows an undo can put back.

The sentence vectors are left out: they are a cache, worked out again when wanted, and
would make each entry of the audit trail many times the size of the text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from qualcode.store import models as m
from qualcode.store.archive_tables import decode_row, encode_row

Rows = dict[str, list[dict[str, Any]]]
# parents before children, as they go back in
KEPT = ("sources", "segments", "codings", "coding_dimensions", "suggestions")


def _table(name: str) -> Table:
    return m.Base.metadata.tables[name]


def capture(s: Session, source_id: str) -> Rows:
    """Every row that goes when ``source_id`` is removed, as JSON-ready dicts."""
    sources, segments, codings = _table("sources"), _table("segments"), _table("codings")
    dims, suggestions = _table("coding_dimensions"), _table("suggestions")
    segment_ids = select(segments.c.id).where(segments.c.source_id == source_id)
    coding_ids = select(codings.c.id).where(codings.c.source_id == source_id)
    queries = {
        "sources": select(sources).where(sources.c.id == source_id),
        "segments": select(segments).where(segments.c.source_id == source_id),
        "codings": select(codings).where(codings.c.source_id == source_id),
        "coding_dimensions": select(dims).where(dims.c.coding_id.in_(coding_ids)),
        "suggestions": select(suggestions).where(suggestions.c.segment_id.in_(segment_ids)),
    }
    return {
        name: [encode_row(_table(name), row) for row in s.execute(query)]
        for name, query in queries.items()
    }


def capture_imports(s: Session, name: str) -> list[dict[str, Any]]:
    """The import records of files called ``name`` (what `sources remove --file`
    forgets, so that the file can be imported again), as JSON-ready dicts."""
    table = _table("imports")
    return [encode_row(table, row) for row in s.execute(select(table).where(table.c.name == name))]


def put_back_imports(s: Session, rows: list[dict[str, Any]]) -> None:
    """Insert forgotten import records again, under their own ids: the sources that go
    back with them point at those ids."""
    _insert(s, "imports", [decode_row(_table("imports"), r) for r in rows])


def counts(rows: Rows) -> dict[str, int]:
    """How many rows of each table were kept (what the log shows in place of them)."""
    return {name: len(rows.get(name) or ()) for name in KEPT if rows.get(name)}


def put_back(s: Session, rows: Rows) -> None:
    """Insert the captured rows again. A coding or suggestion whose id was taken since
    gets a new one (the coding's dimension values follow it); the caller has checked
    that the source, its case and the codings' themes can go back."""
    source = [decode_row(_table("sources"), r) for r in rows.get("sources") or ()]
    for r in source:  # an import record forgotten by `sources remove --file`
        if r.get("import_id") is not None and s.get(m.ImportRow, r["import_id"]) is None:
            r["import_id"] = None
    _insert(s, "sources", source)
    _insert(s, "segments", [decode_row(_table("segments"), r) for r in rows.get("segments") or ()])
    moved = _insert_keyed(s, "codings", rows.get("codings") or ())
    dims = [decode_row(_table("coding_dimensions"), r) for r in rows.get("coding_dimensions") or ()]
    for r in dims:
        r["coding_id"] = moved.get(r["coding_id"], r["coding_id"])
    _insert(s, "coding_dimensions", dims)
    themes = set(s.scalars(select(m.ThemeRow.id)))
    kept = [r for r in rows.get("suggestions") or () if r.get("theme_id") in themes]
    _insert_keyed(s, "suggestions", kept)  # one of a theme deleted since is not wanted


def _insert(s: Session, name: str, values: list[dict[str, Any]]) -> None:
    if values:
        s.execute(insert(_table(name)), values)


def _insert_keyed(s: Session, name: str, encoded: Any) -> dict[Any, Any]:
    """Insert rows keyed by an integer id, keeping each id that is still free; returns
    {old id: new id} for those that were not."""
    table = _table(name)
    values = [decode_row(table, r) for r in encoded]
    if not values:
        return {}
    wanted = [r["id"] for r in values]
    taken: set[Any] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        taken.update(s.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
    _insert(s, name, [r for r in values if r["id"] not in taken])
    moved: dict[Any, Any] = {}
    for r in values:
        if r["id"] in taken:
            old = r.pop("id")
            result = s.execute(insert(table).values(**r).returning(table.c.id))
            moved[old] = result.scalar_one()
    return moved
