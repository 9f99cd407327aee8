"""Why a study cannot be opened, in words a researcher can act on."""

from __future__ import annotations

import os
import shutil
from contextlib import suppress
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from qualcode.errors import StudyError

LOW_SPACE = 256 * 1024  # SQLite needs room for its -wal and -shm files


def check_url(url: str) -> None:
    """Refuse a ``--db`` value that is not a database URL (or has a bad port)."""
    try:
        parsed = make_url(url)
        _ = parsed.port  # "host:notaport" fails here
    except (ArgumentError, ValueError) as exc:
        raise StudyError(
            f"{url!r} is not a database URL ({str(exc).splitlines()[0]}); write it like "
            "postgresql+psycopg://user@host:5432/study, or use --study PATH for a SQLite file",
            "Bad database URL",
        ) from None


def remove_sqlite_files(path: Path) -> None:
    for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with suppress(OSError):
            extra.unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


def open_problem(shown: str, path: Path | None, exc: DatabaseError) -> str:
    reason = _reason(exc)
    if path is not None:
        folder = path.parent
        if disk_full(folder):
            return f"{shown}: the disk holding the study is full ({reason}); free some space"
        if "readonly" in reason.replace("-", "").replace(" ", "").lower() or (
            "unable to open" in reason
            and (not os.access(folder, os.W_OK) or not os.access(path, os.W_OK))
        ):
            return (
                f"{shown}: the study or its folder is read-only ({reason}); qualcode needs to "
                "write the study file and its -wal/-shm files beside it: copy the study to a "
                "folder you can write to"
            )
        if "disk is full" in reason or "disk full" in reason:
            return f"{shown}: the disk is full ({reason})"
        return f"{shown}: cannot open the study ({reason}); is it a qualcode study?"
    if isinstance(exc, OperationalError):
        return f"{shown}: cannot connect to the database server ({reason})"
    return f"{shown}: cannot open the study ({reason}); is it a qualcode study?"
