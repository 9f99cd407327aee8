"""A backup before a schema upgrade: a PostgreSQL study is archived first (SQLite keeps its
``.bak``), and an archive of a study at an older schema restores into a current study."""

from __future__ import annotations

import dataclasses
import json
import re
import stat
import zipfile
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qualcode.errors import StudyError
from qualcode.services import frameworks
from qualcode.services.backup import backup
from qualcode.services.codings import add_coding, list_codings
from qualcode.services.study import Study, open_study
from qualcode.store.engine import make_engine, sqlite_url
from qualcode.store.schema import alembic_config, current_revision, head_revision
from tests.services.test_backup import code_some
from tests.team.conftest import build_team_study, ok, run, table_rows

Rows = dict[str, list[dict[str, object]]]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def downgrade_to_0001(study: Study) -> None:
    """Take the study back to the first schema, as an older qualcode left it."""
    with study.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    study.close()


def revision_of(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


# tables later revisions added: going down to 0001 drops them with their rows
NEWER_TABLES = {
    "frameworks",
    "theme_dimensions",
    "cell_dimensions",
    "coding_dimensions",
    "key_issues",
    "study_settings",
}


def comparable(rows: Rows) -> Rows:
    """Rows without what schema 0001 cannot hold (the change batches, newer tables) or a
    restore adds."""
    out = {name: table for name, table in rows.items() if name not in NEWER_TABLES}
    out["themes"] = [{k: v for k, v in t.items() if k != "framework"} for t in rows["themes"]]
    out["changes"] = [
        {k: v for k, v in c.items() if k not in ("batch", "undoes")}
        for c in rows["changes"]
        if c["action"] != "restore"
    ]
    return out


def codings_of(study: Study) -> list[Any]:
    """The study's codings, times in UTC (SQLite gives them back without a zone)."""
    return [
        dataclasses.replace(c, created=c.created.replace(tzinfo=c.created.tzinfo or UTC))
        for c in list_codings(study)
    ]


def manifest_of(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(archive) as zf:
        manifest: dict[str, Any] = json.loads(zf.read("manifest.json"))
        changes = [json.loads(line) for line in zf.read("tables/changes.jsonl").splitlines()]
    assert changes
    assert all("batch" not in c and "undoes" not in c for c in changes)  # as the study was
    return manifest


def old_pg_study(url: str, folder: Path) -> tuple[Rows, list[Any]]:
    study = build_team_study(url, folder)
    frameworks.edit_framework(study, "default", title="Team")  # a frameworks row too
    code_some(study, "alice")
    rows, codings = table_rows(study), codings_of(study)
    downgrade_to_0001(study)
    assert revision_of(url) == "0001"
    return rows, codings


@pytest.mark.slow
def test_postgresql_study_is_archived_before_its_schema_is_upgraded(
    tmp_path: Path, empty_pg_url: str
) -> None:
    rows, codings = old_pg_study(empty_pg_url, tmp_path)
    folder = tmp_path / "backups" / "team"
    study = open_study(empty_pg_url, "alice", backup_dir=folder)  # the settings' backup_dir
    try:
        archive = study.upgrade_backup
        assert archive is not None
        assert list(folder.iterdir()) == [archive]  # no temporary file left over
        database = make_url(empty_pg_url).database
        assert re.fullmatch(rf"{database}-0001-\d{{8}}T\d{{6}}\.zip", archive.name)
        assert mode(archive) == 0o600
        assert mode(folder) == 0o700
        manifest = manifest_of(archive)
        assert manifest["revision"] == "0001"
        assert manifest["tables"]["codings"] == len(codings) == 5
        # the study itself is now current and holds the same codings
        assert current_revision(study.engine) == head_revision()
        assert codings_of(study) == codings
        assert comparable(table_rows(study)) == comparable(rows)
    finally:
        study.close()
    # the pre-upgrade archive restores into a working, current SQLite study
    target = tmp_path / "restored.qualcode"
    ok(run("restore", str(archive), "--study", str(target), "--coder", "ops"))
    assert revision_of(sqlite_url(target)) == head_revision()
    restored = open_study(sqlite_url(target), "alice")
    try:
        assert restored.upgrade_backup is None
        assert codings_of(restored) == codings
        assert comparable(table_rows(restored)) == comparable(rows)
        assert all(rows.values()), [k for k, v in rows.items() if not v]
        assert add_coding(restored, "int01", 0, 5, "T4").id not in {c.id for c in codings}
    finally:
        restored.close()


@pytest.mark.slow
def test_the_cli_says_where_the_backup_went(
    tmp_path: Path, empty_pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_pg_study(empty_pg_url, tmp_path)
    monkeypatch.delenv("QUALCODE_BACKUP_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the user data folder
    result = ok(run("info", "--db", empty_pg_url))
    folder = tmp_path / "data" / "qualcode" / "backups"
    [archive] = folder.iterdir()
    assert f"Backed up the study before upgrading its schema: {archive}" in result.stderr
    assert "Team study" in result.stdout
    assert mode(folder) == 0o700
    assert manifest_of(archive)["revision"] == "0001"
    assert revision_of(empty_pg_url) == head_revision()
    # opened again: already current, so no second backup and no message
    again = ok(run("info", "--db", empty_pg_url))
    assert "Backed up" not in again.stderr
    assert list(folder.iterdir()) == [archive]


@pytest.mark.slow
def test_a_failed_backup_leaves_the_postgresql_study_unupgraded(
    tmp_path: Path, empty_pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows, _codings = old_pg_study(empty_pg_url, tmp_path)
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the backups folder should be")
    with pytest.raises(StudyError, match="could not be written.*left as it was"):
        open_study(empty_pg_url, "alice", backup_dir=not_a_folder)
    assert revision_of(empty_pg_url) == "0001"
    monkeypatch.setenv("QUALCODE_BACKUP_DIR", str(not_a_folder))  # read by the CLI's settings
    result = run("info", "--db", empty_pg_url)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "left as it was" in result.stderr
    assert revision_of(empty_pg_url) == "0001"
    engine = create_engine(empty_pg_url)
    with engine.connect() as conn:  # nothing was lost either
        assert conn.execute(text("SELECT count(*) FROM codings")).scalar() == len(rows["codings"])
    engine.dispose()
    # with a usable folder the same study is backed up and upgraded
    study = open_study(empty_pg_url, "alice", backup_dir=tmp_path / "ok")
    assert study.upgrade_backup is not None
    assert comparable(table_rows(study)) == comparable(rows)
    study.close()


def test_archive_of_an_old_sqlite_study_restores_at_head(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "old.qualcode")
    study = build_team_study(url, tmp_path)
    code_some(study, "alice")
    rows, codings = table_rows(study), codings_of(study)
    downgrade_to_0001(study)
    # archived as it is, at schema 0001 (without opening it, which would upgrade it)
    archive = tmp_path / "old.zip"
    old = Study(make_engine(url), "alice")
    report = backup(old, archive)
    old.close()
    assert report.format == "archive"
    assert mode(archive) == 0o600
    assert manifest_of(archive)["revision"] == "0001"
    assert revision_of(url) == "0001"
    target = tmp_path / "restored.qualcode"
    ok(run("restore", str(archive), "--study", str(target)))
    restored = open_study(sqlite_url(target), "alice")
    try:
        assert revision_of(sqlite_url(target)) == head_revision()
        assert codings_of(restored) == codings
        assert comparable(table_rows(restored)) == comparable(rows)
    finally:
        restored.close()
    # opening the old SQLite study itself still keeps a .bak, not an archive
    reopened = open_study(url, "alice")
    assert reopened.upgrade_backup is None
    assert (tmp_path / "old.qualcode.bak").exists()
    assert comparable(table_rows(reopened)) == comparable(rows)
    reopened.close()


def test_an_archive_from_a_newer_schema_is_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "s.qualcode")
    build_team_study(url, tmp_path).close()
    archive = tmp_path / "s.zip"
    ok(run("backup", str(archive), "--study", str(tmp_path / "s.qualcode")))
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                data = json.dumps({**json.loads(data), "revision": "f00dfeed"}).encode()
            dst.writestr(item, data)
    target = tmp_path / "restored.qualcode"
    result = run("restore", str(newer), "--study", str(target))
    assert result.exit_code == 2
    assert "schema f00dfeed is from a newer qualcode: upgrade qualcode" in result.stderr
    assert not target.exists()


@pytest.mark.slow
def test_archive_of_an_old_study_restores_into_postgresql(
    tmp_path: Path, empty_pg_url: str
) -> None:
    url = sqlite_url(tmp_path / "old.qualcode")
    study = build_team_study(url, tmp_path)
    code_some(study, "alice")  # bytes, JSON and timestamps: decoded for PostgreSQL's types
    rows, codings = table_rows(study), codings_of(study)
    downgrade_to_0001(study)
    archive = tmp_path / "old.zip"
    old = Study(make_engine(url), "alice")
    backup(old, archive)
    old.close()
    ok(run("restore", str(archive), "--db", empty_pg_url))
    assert revision_of(empty_pg_url) == head_revision()
    restored = open_study(empty_pg_url, "alice")
    try:
        assert restored.upgrade_backup is None  # restored at head: nothing to upgrade
        assert codings_of(restored) == codings
        assert comparable(table_rows(restored)) == comparable(rows)
        assert add_coding(restored, "int01", 0, 5, "T4").id not in {c.id for c in codings}
    finally:
        restored.close()
