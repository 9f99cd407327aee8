"""Database errors become a DatabaseFailure (qualcode.errors) on the services side, so
the TUI shows them without knowing the driver: real SQLite and PostgreSQL errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from qualcode.errors import DatabaseFailure, QualcodeError
from qualcode.services.failures import as_user_error

NOT_SAVED = "Nothing was changed by this step; everything saved before it is safe."


def test_a_locked_sqlite_study_is_busy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.qualcode'}"
    holder = create_engine(url)
    waiter = create_engine(url, connect_args={"timeout": 0})
    with holder.connect() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.commit()
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError) as caught, waiter.begin() as other:
            other.execute(text("INSERT INTO t VALUES (1)"))
        conn.rollback()
    holder.dispose()
    waiter.dispose()
    failure = as_user_error(caught.value)
    assert isinstance(failure, DatabaseFailure)
    assert failure.title == "Database busy"
    assert "database is locked" in failure.message
    assert f"{NOT_SAVED} Try again in a moment." in failure.message
    assert failure.__cause__ is caught.value


def test_a_refused_row_is_a_database_error(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'refused.qualcode'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    engine.dispose()
    failure = as_user_error(caught.value)
    assert isinstance(failure, DatabaseFailure)
    assert failure.title == "Database error"
    assert "UNIQUE constraint failed" in failure.message
    assert failure.message.endswith(NOT_SAVED)


def test_an_unreachable_postgresql_database_is_unavailable(pg_server: str | None) -> None:
    if not pg_server:
        pytest.skip("QUALCODE_TEST_DATABASE_URL is not set: no PostgreSQL server")
    url = make_url(pg_server).set(database="qualcode_no_such_database")
    engine = create_engine(url)
    with pytest.raises(OperationalError) as caught, engine.connect():
        pass
    engine.dispose()
    failure = as_user_error(caught.value)
    assert isinstance(failure, DatabaseFailure)
    assert failure.title == "Database unavailable"
    assert "qualcode_no_such_database" in failure.message


def test_other_errors_pass_through_unchanged() -> None:
    for error in (ValueError("x"), OSError("disk full"), QualcodeError("said")):
        assert as_user_error(error) is error
