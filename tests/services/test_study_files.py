"""Study files on disk: owner-only permissions, and a .bak before a schema upgrade."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from qualcode.errors import StudyError
from qualcode.services.codings import add_coding, list_codings
from qualcode.services.queries import list_segments
from qualcode.services.study import init_study, open_study
from qualcode.store.engine import make_engine, sqlite_url
from qualcode.store.schema import MIGRATIONS, alembic_config, head_revision, upgrade
from tests.team.conftest import build_team_study, ok, run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: new files would be world-readable
    yield
    os.umask(old)


@pytest.mark.usefixtures("permissive_umask")
def test_study_and_its_journal_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.qualcode"
    ok(run("init", "--study", str(path)))
    study = open_study(sqlite_url(path))
    study.coder = "alice"
    with study.engine.connect() as conn:  # keep the -wal and -shm files in existence
        conn.execute(text("SELECT 1"))
        with study.write() as s:
            s.execute(text("UPDATE study SET title = 'x'"))
        files = sorted(p.name for p in tmp_path.iterdir())
        assert files == ["private.qualcode", "private.qualcode-shm", "private.qualcode-wal"]
        for name in files:
            assert mode(tmp_path / name) == 0o600, name
    study.close()
    restored = tmp_path / "restored.qualcode"
    ok(run("backup", str(tmp_path / "b.zip"), "--study", str(path)))
    ok(run("restore", str(tmp_path / "b.zip"), "--study", str(restored)))
    assert mode(tmp_path / "b.zip") == mode(restored) == 0o600


def extra_migration(tmp_path: Path) -> Path:
    """The shipped migrations plus one newer revision, as a later qualcode would have."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_test_upgrade.py").write_text(
        f'''"""A later schema: one more table."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head_revision()}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_marker", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("upgrade_marker")
''',
        encoding="utf-8",
    )
    return scripts


@pytest.mark.usefixtures("permissive_umask")
def test_upgrade_keeps_a_bak_with_everything_committed(tmp_path: Path) -> None:
    path = tmp_path / "study.qualcode"
    study = build_team_study(sqlite_url(path), tmp_path)
    seg = list_segments(study)[0]
    # another session stays open, so these codings are still only in the -wal file
    other = sqlite3.connect(path)
    other.execute("SELECT count(*) FROM study").fetchall()
    for theme in ("T2", "T3", "T4"):
        add_coding(study, seg.source, seg.start, seg.end, theme, coder="alice")
    assert (tmp_path / "study.qualcode-wal").stat().st_size > 0

    cfg = alembic_config(extra_migration(tmp_path))
    bak = upgrade(study.engine, cfg=cfg)

    assert bak == tmp_path / "study.qualcode.bak"
    assert mode(bak) == 0o600
    with sqlite3.connect(bak) as conn:  # the study as it was, complete
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]
        assert conn.execute("SELECT count(*) FROM codings").fetchone() == (3,)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "upgrade_marker" not in tables
    with study.engine.connect() as conn:  # the study itself moved on
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        conn.execute(text("SELECT count(*) FROM upgrade_marker"))
    assert len(list_codings(study)) == 3
    other.close()
    study.close()
    # already at the newest revision: no copy is made again
    bak.unlink()
    engine = make_engine(sqlite_url(path))
    assert upgrade(engine, cfg=cfg) is None
    engine.dispose()
    assert not bak.exists()


def test_a_study_from_a_newer_qualcode_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.qualcode"
    study = init_study(sqlite_url(path), "From the future")
    with study.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    study.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StudyError, match="newer qualcode"):
        open_study(sqlite_url(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not (tmp_path / "new.qualcode.bak").exists()
    result = run("info", "--study", str(path))
    assert result.exit_code == 2
    assert "newer qualcode" in result.stderr
