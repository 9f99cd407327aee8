"""The study store: schema through migrations, SQLite settings, opening and creating."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from qualcode.errors import StudyError
from qualcode.services.study import Study, init_study, open_study, study_info
from qualcode.store.engine import sqlite_url
from qualcode.store.models import Base
from qualcode.store.schema import current_revision, head_revision, upgrade


def test_migrations_build_exactly_the_models(study: Study) -> None:
    """The shipped migrations and the ORM models describe the same schema."""
    with study.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(study.engine) == head_revision()


def test_new_study_is_empty_and_titled(study: Study) -> None:
    info = study_info(study)
    assert info.title == "Test study"
    assert (info.cases, info.sources, info.segments, info.themes, info.codings) == (0, 0, 0, 0, 0)


def test_init_refuses_an_existing_study(db_url: str) -> None:
    init_study(db_url, "one").close()
    with pytest.raises(StudyError, match="already exists"):
        init_study(db_url, "two")


def test_sqlite_pragmas(sqlite_study: Study) -> None:
    with sqlite_study.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_study_file_readable_by_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.qualcode"
    init_study(sqlite_url(path)).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_open_missing_or_foreign_file(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match="no such study"):
        open_study(sqlite_url(tmp_path / "absent.qualcode"))
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(StudyError):
        open_study(sqlite_url(other))


def test_upgrade_mechanism_copies_before_changing(tmp_path: Path) -> None:
    path = tmp_path / "s.qualcode"
    study = init_study(sqlite_url(path), "keep me")
    with study.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffff'"))
    with pytest.raises(Exception, match="ffffffff"):
        upgrade(study.engine)  # an unknown revision is never silently overwritten
    assert (tmp_path / "s.qualcode.bak").exists()
    study.close()
