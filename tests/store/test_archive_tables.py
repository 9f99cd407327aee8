"""Whole-table reads and writes that backups and restores are built on."""

from __future__ import annotations

from qualcode.services.study import Study
from qualcode.store import archive_tables as at
from qualcode.store.queries import changes as changes_q
from qualcode.store.schema import head_revision


def test_table_level_reads_and_the_restore_entry(seeded: Study) -> None:
    with seeded.engine.connect() as conn:
        assert at.schema_revision(conn) == head_revision()
        tables = {t.name: t for t in at.reflected(conn)}
        codings = tables["codings"]
        assert at.row_count(conn, codings) == 3
        assert [r.coder for r in at.table_rows(conn, codings)] == ["alice", "bob", "alice"]
        themes = sorted(r["id"] for r in at.model_rows(conn, tables["themes"]))
        assert themes == ["1", "1.1", "2"]
    with seeded.engine.begin() as conn:
        at.log_restore(conn, "carol", {"from": "x.zip", "format": "archive", "rows": 3})
    with seeded.read() as s:
        newest = changes_q.change_rows(s, limit=1)[0]
        assert (newest.coder, newest.action, newest.after["rows"]) == ("carol", "restore", 3)
