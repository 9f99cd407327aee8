"""Writers queue instead of failing: the write lock is taken when a write transaction
starts, and a busy database is waited for and retried, never reported as an error.

SQLite: ``BEGIN IMMEDIATE`` (see :mod:`qualcode.store.engine`) takes the file's write
lock, waiting up to the busy timeout. PostgreSQL: a transaction-scoped advisory lock
does the same for the study's database, so two bulk imports never interleave (and so
never deadlock or trip over each other's unique keys); reads are never blocked.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qualcode.store.engine import SQLITE_BUSY_TIMEOUT_MS

T = TypeVar("T")

# One advisory lock per database ("qual" in ASCII); a study is one database.
PG_WRITE_LOCK = 0x7175616C
ATTEMPTS = 8

# serialization_failure, deadlock_detected, lock_not_available
PG_TRANSIENT = {"40001", "40P01", "55P03"}
SQLITE_TRANSIENT = ("database is locked", "database is busy", "database table is locked")


def is_transient(exc: BaseException) -> bool:
    """A failure that goes away when the same transaction is tried again."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in PG_TRANSIENT:
        return True
    return isinstance(exc, OperationalError) and any(
        m in str(orig).lower() for m in SQLITE_TRANSIENT
    )


def _pause(attempt: int) -> None:
    # Jitter keeps several waiting processes from retrying in lock-step.
    time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))


def begin_write(factory: sessionmaker[Session], attempts: int = ATTEMPTS) -> Session:
    """A session in a write transaction that already holds the write lock.

    Nothing of the caller's has run yet, so a busy failure here is simply retried.
    """
    for attempt in range(attempts):
        session = factory()
        try:
            session.begin()
            conn = session.connection()  # emits BEGIN (IMMEDIATE on SQLite) now
            if conn.dialect.name == "postgresql":
                # Wait as long as SQLite's busy timeout, then retry (never hang for ever).
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})
                conn.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")
            return session
        except DBAPIError as exc:
            session.close()
            if not is_transient(exc) or attempt == attempts - 1:
                raise
            _pause(attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def retrying(fn: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run ``fn`` (one whole transaction) again when the database reports a transient
    failure part-way through: a PostgreSQL serialization failure or deadlock, or SQLite
    still busy after its timeout. ``fn`` must do all its work in one transaction."""
    for attempt in range(attempts):
        try:
            return fn()
        except DBAPIError as exc:
            if not is_transient(exc) or attempt == attempts - 1:
                raise
            _pause(attempt)
    raise AssertionError("unreachable")  # pragma: no cover
