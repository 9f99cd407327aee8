"""A consistent copy of a live SQLite study through SQLite's online backup API.

A plain file copy of a study in WAL mode can miss committed changes that still sit in
the ``-wal`` file (another coder's session keeps it from being checkpointed) or catch a
page half-written; the backup API copies one consistent snapshot while others work.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from qualcode.store.engine import SQLITE_BUSY_TIMEOUT_MS


class CopyCheckFailed(RuntimeError):
    """The copy did not pass SQLite's integrity check."""


def copy_sqlite(src: Path, dst: Path) -> Path:
    """Copy the study at ``src`` to ``dst`` (replaced atomically, readable by its owner
    only, a single file in rollback-journal mode) and check the copy."""
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        source = sqlite3.connect(src, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        with closing(source), closing(sqlite3.connect(tmp)) as target:
            source.backup(target)  # all pages in one step: one snapshot
            target.execute("PRAGMA journal_mode=DELETE")
            result = target.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise CopyCheckFailed(f"the copy of {src} failed its check: {result}")
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dst


def self_contained(path: Path) -> None:
    """Switch a SQLite file to a rollback journal, so that it is one file (no -wal)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
