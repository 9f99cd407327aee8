"""The engine factory: SQLite files by default, any SQLAlchemy URL (PostgreSQL) for teams."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE = "qualcode_write"


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


@dataclass(frozen=True)
class StudyUrl:
    """A study's database URL, parsed once: opening a study asks it whether it is a
    SQLite file, which file, and how to name it in messages."""

    url: URL

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite study file (None for another database, or in-memory SQLite)."""
        return Path(self.url.database) if self.is_sqlite and self.url.database else None

    @property
    def shown(self) -> str:
        """For messages: the file's path, or the URL without its password."""
        path = self.path
        return str(path) if path is not None else self.url.render_as_string(hide_password=True)


def parse_url(url: str | URL | StudyUrl) -> StudyUrl:
    """Parse once; an already-parsed URL is passed through."""
    return url if isinstance(url, StudyUrl) else StudyUrl(make_url(url))


def is_sqlite(url: str | URL | StudyUrl) -> bool:
    return parse_url(url).is_sqlite


def sqlite_path(url: str | URL | StudyUrl) -> Path | None:
    return parse_url(url).path


def sqlite_title(path: Path) -> str | None:
    """The title of the study in the SQLite file ``path``, read without writing a byte
    (None: not a study, or not a database)."""
    found = sqlite_study(path)
    return found[0] if found is not None else None


def sqlite_last_change(path: Path) -> tuple[int, str, str] | None:
    """(id, batch, time) of the newest change logged in the SQLite study ``path``,
    read without writing a byte (None: no change, or not a study)."""
    row = _peek(path, "SELECT id, batch, at FROM changes ORDER BY id DESC LIMIT 1")
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


def sqlite_study(path: Path) -> tuple[str, str] | None:
    """(title, guid) of the study in the SQLite file ``path``, read without writing a
    byte (None: not a study, or not a database)."""
    row = _peek(path, "SELECT title, guid FROM study")
    return (str(row[0]), str(row[1] or "")) if row else None


def _peek(path: Path, query: str) -> tuple[Any, ...] | None:
    """The first row of ``query`` on the SQLite file ``path`` (None: no row, or not a
    database of that shape). Immutable: a read-only connection would still leave -wal
    and -shm files beside the file."""
    import sqlite3

    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = con.execute(query).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return tuple(row) if row else None


def make_engine(url: str | StudyUrl) -> Engine:
    """An engine with the study's connection settings.

    SQLite: foreign keys on, WAL, a busy timeout, and our own BEGIN so that a write
    transaction takes the write lock up front (``BEGIN IMMEDIATE``) instead of failing
    half-way when another process writes.
    """
    where = parse_url(url)
    if not where.is_sqlite:
        return create_engine(where.url, pool_pre_ping=True)
    path = where.path
    if path is not None and not path.exists():
        # Study files hold interview data: readable by their owner only.
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    engine = create_engine(
        where.url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
