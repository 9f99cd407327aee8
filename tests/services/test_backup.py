"""`qualcode backup` and `qualcode restore`: consistent copies, portable archives that
move a study between SQLite and PostgreSQL, and restores that are all or nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from qualcode.services.codings import add_coding, list_codings
from qualcode.services.queries import list_segments
from qualcode.services.study import Study, open_study
from qualcode.store import models as m
from qualcode.store.engine import sqlite_url
from tests.team.conftest import build_team_study, db_args, ok, run, table_rows


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def code_some(study: Study, coder: str, n: int = 5) -> None:
    for g in list_segments(study)[:n]:
        add_coding(study, g.source, g.start, g.end, "T2", coder=coder)
    fill_other_tables(study, coder)


def fill_other_tables(study: Study, coder: str) -> None:
    """A row in every other table, with bytes, JSON, unicode and timestamps."""
    seg = list_segments(study)[0]
    with study.write() as s:
        s.merge(m.CoderRow(name=coder, guid="0f8fad5b-d9cb-469f-a165-70867728950e"))
        s.add(m.MemoRow(kind="case", target=seg.case, coder=coder, text="Zoë's “memo”"))
        s.add(m.SummaryRow(case_id=seg.case, theme_id="T2", text="Short", coder=coder))
        s.add(
            m.SummaryHistoryRow(
                case_id=seg.case, theme_id="T2", text="", status="empty", coder=coder, version=1
            )
        )
        s.add(m.SynthesisRow(theme_id="T2", attribute="sector", value="CSD", coder=coder))
        s.add(
            m.SuggestionRow(
                segment_id=seg.id,
                theme_id="T3",
                score=0.25,
                because=["pay", "staff"],
                method="keywords",
                params={"k": 3, "nested": {"x": [1, None]}},
            )
        )
        s.add(
            m.EmbeddingRow(
                segment_id=seg.id, model="test", checksum="c", dim=3, vector=bytes(range(256))
            )
        )
        s.add(m.AnonymisationRow(original="Haverleigh", placeholder="[X] council", kind="place"))
        s.add(m.FrameworkRow(name="survey ✓", title="Zoë survey", kind="survey", questions=["q"]))
        s.add(m.ThemeDimensionRow(theme_id="T2", name="stance", values=["heavy", "light ✓"]))
        s.add(m.CellDimensionRow(case_id=seg.case, theme_id="T2", dimension="stance",
                                 value="light ✓", coder=coder))  # fmt: skip
        s.add(m.KeyIssuesRow(theme_id="T2", text="Zoë's “key issues”", coder=coder))
        coding = next(iter(list_codings(study)), None)
        if coding is not None:
            s.add(m.CodingDimensionRow(coding_id=coding.id, dimension="standing",
                                       value="typical", coder=coder))  # fmt: skip
        s.add(m.StudySettingRow(name="matrix.grouping", value='["sector", "rôle"]'))


def same_study(a: Study, b: Study) -> None:
    """Every table holds the same rows, apart from the restore's own log entry."""
    rows_a, rows_b = table_rows(a), table_rows(b)
    restored = [c for c in rows_b["changes"] if c["action"] == "restore"]
    assert len(restored) == 1
    rows_b["changes"] = [c for c in rows_b["changes"] if c["action"] != "restore"]
    assert rows_a.keys() == rows_b.keys()
    for name in rows_a:
        assert rows_a[name] == rows_b[name], name
    assert all(rows_a.values()), [k for k, v in rows_a.items() if not v]


@pytest.mark.slow
def test_sqlite_backup_includes_changes_still_in_the_wal(tmp_path: Path) -> None:
    study = build_team_study(sqlite_url(tmp_path / "live.qualcode"), tmp_path)
    # another coder's open session keeps the -wal file from being checkpointed
    other = sqlite3.connect(tmp_path / "live.qualcode")
    other.execute("SELECT count(*) FROM codings").fetchall()
    code_some(study, "alice")
    assert (tmp_path / "live.qualcode-wal").stat().st_size > 0
    dest = tmp_path / "backups" / "copy.qualcode"
    dest.parent.mkdir()
    result = ok(run("backup", str(dest), "--study", str(tmp_path / "live.qualcode")))
    assert "sqlite" in result.stderr
    assert mode(dest) == 0o600
    assert list(dest.parent.iterdir()) == [dest]  # no temporary file left over
    with sqlite3.connect(dest) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM codings").fetchone() == (5,)
    copy = open_study(sqlite_url(dest))
    assert table_rows(copy) == table_rows(study)
    copy.close()
    # the copy is itself a study; restoring it gives a new study with the same rows
    ok(run("restore", str(dest), "--study", str(tmp_path / "new.qualcode")))
    restored = open_study(sqlite_url(tmp_path / "new.qualcode"))
    same_study(study, restored)
    restored.close()
    # walk47b: a study file named .zip replaced an archive backup under that name
    zipped = run("backup", str(dest.with_suffix(".zip")), "--format", "sqlite",
                 "--study", str(tmp_path / "live.qualcode"))  # fmt: skip
    assert zipped.exit_code == 2
    assert "--format sqlite writes a study file: name it .qualcode, not .zip" in zipped.stderr
    assert not dest.with_suffix(".zip").exists()
    other.close()
    study.close()


@pytest.mark.slow_postgresql
def test_archive_round_trip_into_a_new_sqlite_study(team_study: Study, tmp_path: Path) -> None:
    code_some(team_study, "alice")
    archive = tmp_path / "study.zip"
    ok(run("backup", str(archive), *db_args(team_study)))
    assert mode(archive) == 0o600
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "qualcode-archive"
        assert manifest["tables"]["codings"] == 5
        first = json.loads(zf.read("tables/codings.jsonl").splitlines()[0])
        assert first["coder"] == "alice"
    target = tmp_path / "restored.qualcode"
    ok(run("restore", str(archive), "--study", str(target), "--coder", "ops"))
    assert mode(target) == 0o600
    restored = open_study(sqlite_url(target), "alice")
    same_study(team_study, restored)
    add_coding(restored, "int01", 0, 5, "T4")  # ids carry on after the restored ones
    restored.close()


@pytest.mark.slow_postgresql
def test_archive_round_trip_into_an_empty_postgresql_database(
    team_study: Study, tmp_path: Path, empty_pg_url: str
) -> None:
    code_some(team_study, "bob")
    archive = tmp_path / "study.zip"
    ok(run("backup", str(archive), *db_args(team_study)))
    ok(run("restore", str(archive), "--db", empty_pg_url))
    restored = open_study(empty_pg_url, "carol")
    try:
        same_study(team_study, restored)
        before = {c.id for c in list_codings(restored)}
        new = add_coding(restored, "int01", 0, 5, "T4")  # the id sequence was moved on
        assert new.id not in before
        refused = run("restore", str(archive), "--db", empty_pg_url)
        assert refused.exit_code == 2
        assert "holds a study" in refused.stderr
    finally:
        restored.close()


@pytest.mark.slow
def test_sqlite_backup_restores_into_postgresql(tmp_path: Path, empty_pg_url: str) -> None:
    study = build_team_study(sqlite_url(tmp_path / "s.qualcode"), tmp_path)
    code_some(study, "alice")
    ok(run("backup", str(tmp_path / "s.bak.qualcode"), "--study", str(tmp_path / "s.qualcode")))
    ok(run("restore", str(tmp_path / "s.bak.qualcode"), "--db", empty_pg_url))
    restored = open_study(empty_pg_url)
    same_study(study, restored)
    restored.close()
    study.close()


@pytest.mark.slow_postgresql
def test_restore_refuses_and_leaves_nothing(team_study: Study, tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    ok(run("backup", str(archive), *db_args(team_study)))
    existing = tmp_path / "existing.qualcode"
    existing.write_bytes(b"not empty")
    for args, needle in (
        ([str(archive), "--study", str(existing)], "already exists"),
        ([str(tmp_path / "none.zip"), "--study", str(tmp_path / "n.qualcode")], "no such backup"),
        ([str(existing), "--study", str(tmp_path / "n.qualcode")], "not a qualcode backup"),
    ):
        result = run("restore", *args)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error: ")
        assert needle in result.stderr
    # a damaged archive: one row short of what its manifest lists
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "tables/segments.jsonl":
                data = b"\n".join(data.splitlines()[1:])
            dst.writestr(item, data)
    target = tmp_path / "restored.qualcode"
    result = run("restore", str(damaged), "--study", str(target))
    assert result.exit_code == 2
    assert "damaged" in result.stderr
    assert "damaged.zip" in result.stderr
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "restor" in p.name) == []


@pytest.mark.slow_postgresql
def test_a_failed_postgresql_restore_leaves_the_database_empty(
    team_study: Study, tmp_path: Path, empty_pg_url: str
) -> None:
    archive = tmp_path / "a.zip"
    ok(run("backup", str(archive), *db_args(team_study)))
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["tables"]["codings"] = 99
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    assert run("restore", str(damaged), "--db", empty_pg_url).exit_code == 2
    engine = create_engine(empty_pg_url)
    assert inspect(engine).get_table_names() == []  # schema and rows rolled back together
    engine.dispose()


@pytest.mark.slow_postgresql
def test_backup_refusals(team_study: Study, tmp_path: Path) -> None:
    if team_study.is_sqlite:
        study_file = str(team_study.engine.url.database)
        result = run("backup", study_file, *db_args(team_study))
        assert result.exit_code == 2
        assert "overwrite the study itself" in result.stderr
    else:
        args = ["--format", "sqlite", *db_args(team_study)]
        result = run("backup", str(tmp_path / "b.qualcode"), *args)
        assert result.exit_code == 2
        assert "portable archive" in result.stderr
        ok(run("backup", str(tmp_path / "b.data"), "--format", "archive", *db_args(team_study)))
    result = run("backup", str(tmp_path / "no" / "such" / "b.zip"), *db_args(team_study))
    assert result.exit_code == 2
    assert "no such folder" in result.stderr


@pytest.mark.parametrize("name", ["study.qualcode", "with space.qualcode"])
def test_backup_file_replaced_atomically(tmp_path: Path, name: str) -> None:
    study = build_team_study(sqlite_url(tmp_path / name), tmp_path)
    dest = tmp_path / "b.qualcode"
    ok(run("backup", str(dest), "--study", str(tmp_path / name)))
    with sqlite3.connect(dest) as conn:
        assert conn.execute("SELECT title FROM study").fetchone() == ("Team study",)
    ok(run("backup", str(dest), "--study", str(tmp_path / name)))  # its own older backup
    study.close()


def test_a_backup_or_an_export_never_replaces_another_study(tmp_path: Path) -> None:
    """`backup wave1.qualcode` from another study replaced wave1 without a word (and a
    workbench open on it went on writing into a -wal beside a different database);
    `codings export wave1.qualcode` wrote CSV over it."""
    study = build_team_study(sqlite_url(tmp_path / "team.qualcode"), tmp_path)
    other = tmp_path / "wave1.qualcode"
    ok(run("init", str(other), "--title", "Wave 1"))
    before = other.read_bytes()
    result = run("backup", str(other), "--study", str(tmp_path / "team.qualcode"))
    assert result.exit_code == 2
    assert "is another study ('Wave 1'), not a backup of this one" in result.stderr
    for args in (["codings", "export"], ["framework", "export"], ["export", "qdpx"]):
        result = run(*args, str(other), "--study", str(tmp_path / "team.qualcode"))
        assert result.exit_code == 2, args
        assert "is a database (a qualcode study?): an export never writes over one" in (
            result.stderr
        )
    assert other.read_bytes() == before
    mine = tmp_path / "nightly.qualcode"
    ok(run("backup", str(mine), "--study", str(tmp_path / "team.qualcode")))
    Path(f"{mine}-wal").write_bytes(b"")  # as while someone has the backup open
    result = run("backup", str(mine), "--study", str(tmp_path / "team.qualcode"))
    assert result.exit_code == 2
    assert "looks open (nightly.qualcode-wal beside it)" in result.stderr
    # a copy of the study that went on by itself holds newer work: never replaced
    from qualcode.services import memos
    from qualcode.services.study import open_study

    work = tmp_path / "work.qualcode"
    ok(run("backup", str(work), "--study", str(tmp_path / "team.qualcode")))
    copy = open_study(sqlite_url(work), coder="lead")
    memos.set_memo(copy, "study", None, "Written offline in the copy.")
    copy.close()
    result = run("backup", str(work), "--study", str(tmp_path / "team.qualcode"))
    assert result.exit_code == 2
    assert "is a copy of this study with work this one does not have" in result.stderr
    notes = tmp_path / "notes.docx"  # a mistyped target: never a backup
    notes.write_text("my notes")
    result = run("backup", str(notes), "--study", str(tmp_path / "team.qualcode"))
    assert result.exit_code == 2
    assert "is a file of another kind, not a backup of this study" in result.stderr
    assert notes.read_text() == "my notes"
    archive = tmp_path / "snap.zip"  # opened as a study by mistake: says what it is
    ok(run("backup", str(archive), "--study", str(tmp_path / "team.qualcode")))
    result = run("info", "--study", str(archive))
    assert result.exit_code == 2
    assert "a qualcode backup archive, not a study: `qualcode restore snap.zip" in result.stderr
    fifo = tmp_path / "pipe"  # as /dev/null is, to root: replaced by the backup
    os.mkfifo(fifo)
    result = run("backup", str(fifo), "--study", str(tmp_path / "team.qualcode"))
    assert result.exit_code == 2
    assert "is not a regular file: a backup needs a file of its own" in result.stderr
    assert fifo.is_fifo()
    study.close()
