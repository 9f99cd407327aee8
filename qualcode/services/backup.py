"""Backing up a study and restoring it into a new one.

Two formats:

- ``sqlite``: a copy of a SQLite study made with SQLite's online backup API, a
  consistent snapshot even while others are coding. It is itself a study file.
- ``archive``: a portable zip of the whole study - ``manifest.json`` plus one JSON Lines
  file per table (``tables/<table>.jsonl``) - read in one snapshot through SQLAlchemy.
  The only format for a PostgreSQL study; restores into SQLite or PostgreSQL.

An archive holds the tables as they are in the database, so a study whose schema is
older than this qualcode's is archived faithfully (``archive.upgrade_backup`` does that before a
PostgreSQL study's schema is upgraded). A restore goes into a new SQLite file or an empty
database, in one transaction (SQLite: into a temporary file renamed at the end), so a
failed restore leaves nothing behind; an older archive is restored at its own schema
revision and then upgraded to this qualcode's.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import (
    Table,
    inspect,
)

from qualcode.errors import InputError, StudyError
from qualcode.services.archive import archive_revision, archive_rows, read_manifest, write_archive
from qualcode.services.study import Study, open_study
from qualcode.store.archive_tables import (
    insert_rows,
    log_restore,
    model_rows,
    model_tables,
    reflected,
    reset_sequences,
    row_count,
)
from qualcode.store.engine import (
    make_engine,
    parse_url,
    sqlite_last_change,
    sqlite_path,
    sqlite_study,
    sqlite_url,
)
from qualcode.store.queries import changes as changes_q
from qualcode.store.queries import study as study_q
from qualcode.store.schema import alembic_config
from qualcode.store.sqlite_copy import CopyCheckFailed, copy_sqlite, self_contained

SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    format: str  # "sqlite" or "archive"
    size: int  # bytes
    rows: int | None  # rows written (archive only)


@dataclass(frozen=True)
class RestoreReport:
    url: str
    format: str
    tables: int
    rows: int


def backup(study: Study, dest: Path, fmt: str | None = None) -> BackupReport:
    """Write a backup of ``study`` to ``dest`` (replaced atomically; owner-only)."""
    path = sqlite_path(study.engine.url)
    if fmt is None:
        fmt = "sqlite" if path is not None and dest.suffix.lower() != ".zip" else "archive"
    if fmt not in ("sqlite", "archive"):
        raise InputError(f"unknown backup format {fmt!r} (sqlite or archive)")
    if fmt == "sqlite" and dest.suffix.lower() == ".zip":
        # a study file named .zip is opened by no archive tool, and read as none
        raise InputError("--format sqlite writes a study file: name it .qualcode, not .zip", dest)
    if path is not None and dest.resolve() == path.resolve():
        raise InputError("a backup cannot overwrite the study itself", dest)
    if not dest.parent.is_dir():
        raise InputError("no such folder", dest.parent)
    _check_replaceable(study, dest)
    if fmt == "sqlite":
        if path is None:
            raise InputError(
                "a PostgreSQL study is backed up as a portable archive: name a .zip file", dest
            )
        copy_sqlite(path, dest)
        return BackupReport(dest, "sqlite", dest.stat().st_size, None)
    rows = write_archive(study.engine, dest)
    return BackupReport(dest, "archive", dest.stat().st_size, rows)


# --- restoring -----------------------------------------------------------------------


def _check_replaceable(study: Study, dest: Path) -> None:
    """A backup replaces only an older backup of the same study (the nightly file):
    another study at ``dest`` was replaced without a word, and one open in a colleague's
    workbench went on taking writes into a -wal beside a different database."""
    if not dest.exists():
        return
    if not dest.is_file():  # /dev/null as root was replaced by the backup file
        raise InputError("is not a regular file: a backup needs a file of its own", dest)
    wal = Path(f"{dest}-wal")
    if wal.exists() or Path(f"{dest}-shm").exists():
        raise InputError(
            f"is a study that looks open ({wal.name} beside it): a backup never replaces "
            "one; name another file",
            dest,
        )
    found = sqlite_study(dest)
    if found is None:
        with dest.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
        if head.startswith(ZIP_MAGIC) and dest.suffix.lower() == ".zip":
            return  # an archive: replaced, as the nightly backup is
        what = "a database" if head == SQLITE_MAGIC else "a file of another kind"
        raise InputError(
            f"is {what}, not a backup of this study: a backup never replaces it; name another file",
            dest,
        )
    title, guid = found
    with study.read() as s:
        ours = study_q.study_guid(s)
        last = sqlite_last_change(dest)
        known = last is None or changes_q.has_change(s, last[0], last[1])
    if not guid or guid != ours:
        raise InputError(
            f"is another study ({title!r}), not a backup of this one: a backup never "
            "replaces it; name another file",
            dest,
        )
    if not known:  # a copy of this study that went on by itself: newer work
        assert last is not None
        raise InputError(
            f"is a copy of this study with work this one does not have (its last change "
            f"at {last[2][:16]}): a backup never replaces it; name another file",
            dest,
        )


def backup_format(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        raise InputError("no such backup file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read the backup ({exc.strerror})", path) from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(ZIP_MAGIC):
        return "archive"
    raise InputError("not a qualcode backup (neither a study file nor a .zip archive)", path)


def restore(source: Path, url: str, coder: str) -> RestoreReport:
    """Restore the backup at ``source`` into a new SQLite file or an empty database.

    A damaged backup (a truncated or corrupt study file, a broken archive line, a row
    referring to one that is not there) is reported as bad input; nothing is written.
    """
    import sqlite3
    import zlib

    from sqlalchemy.exc import DatabaseError, IntegrityError

    damaged = (IntegrityError, sqlite3.DatabaseError, CopyCheckFailed, zipfile.BadZipFile)
    try:
        return _restore_from(source, url, coder)
    except (*damaged, zlib.error, EOFError) as exc:
        raise InputError(
            f"the backup is damaged ({_reason(exc)}); nothing was restored", source
        ) from None
    except DatabaseError as exc:
        if sqlite_path(url) is None and not _from_backup(exc):
            raise
        raise InputError(
            f"the backup is damaged ({_reason(exc)}); nothing was restored", source
        ) from None


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _from_backup(exc: BaseException) -> bool:
    """A DatabaseError raised while reading the SQLite backup (not the target server)."""
    import sqlite3

    return isinstance(getattr(exc, "orig", None), sqlite3.DatabaseError)


def _restore_from(source: Path, url: str, coder: str) -> RestoreReport:
    fmt = backup_format(source)
    target = sqlite_path(url)
    if target is not None and target.exists() and target.stat().st_size > 0:
        raise StudyError(f"{target}: already exists; restore into a new file")
    if fmt == "archive":
        manifest = read_manifest(source)
        revision = archive_revision(source, manifest)
        with zipfile.ZipFile(source) as zf:
            return _restore(
                url,
                fmt,
                revision,
                lambda table: archive_rows(zf, table),
                manifest["tables"],
                coder,
                source,
            )
    with tempfile.TemporaryDirectory(prefix="qualcode-restore-") as tmp:
        copy = Path(tmp) / "backup.qualcode"
        copy_sqlite(source, copy)  # never touch the backup itself (opening may upgrade)
        study = open_study(sqlite_url(copy), coder)
        try:
            with study.engine.connect() as conn:
                expected = {t.name: row_count(conn, t) for t in model_tables()}

                def rows(table: Table) -> Iterable[Any]:
                    return model_rows(conn, table)

                # the copy was opened, so it is at this qualcode's schema
                return _restore(url, fmt, "head", rows, expected, coder, source)
        finally:
            study.close()


def _restore(
    url: str,
    fmt: str,
    revision: str,
    rows_of: Callable[[Table], Iterable[Any]],
    expected: dict[str, int],
    coder: str,
    source: Path,
) -> RestoreReport:
    target = sqlite_path(url)
    work_url = url
    if target is not None:  # build beside the target, rename when complete
        work = target.with_name(f".{target.name}.{os.getpid()}.restoring")
        _remove_sqlite(work)
        work_url = sqlite_url(work)
    engine = make_engine(work_url)
    try:
        ours = {t.name for t in model_tables()} | {"alembic_version"}
        if ours & set(inspect(engine).get_table_names()):
            raise StudyError(f"{_shown(url)}: holds a study; restore into an empty database")
        total = 0
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)  # the backup's own schema: every column fits
            tables = reflected(conn)
            unknown = sorted(set(expected) - {t.name for t in tables})
            if any(expected[name] for name in unknown):
                raise InputError(
                    f"the backup lists tables its schema {revision} does not have "
                    f"({', '.join(unknown)}); the backup is damaged",
                    source,
                )
            for table in tables:
                n = insert_rows(conn, table, rows_of(table))
                if n != int(expected.get(table.name, 0)):
                    raise InputError(
                        f"table {table.name}: {n} rows where the backup lists "
                        f"{expected.get(table.name)}; the backup is damaged",
                        source,
                    )
                total += n
            command.upgrade(cfg, "head")  # then on to this qualcode's, in the same transaction
            if conn.dialect.name == "postgresql":
                reset_sequences(conn)
            log_restore(conn, coder, {"from": source.name, "format": fmt, "rows": total})
        engine.dispose()
        if target is not None:
            _finish_sqlite(work, target)
    except BaseException:
        engine.dispose()
        if target is not None:
            _remove_sqlite(work)
        raise
    return RestoreReport(_shown(url), fmt, len(expected), total)


def _finish_sqlite(work: Path, target: Path) -> None:
    self_contained(work)
    os.replace(work, target)


def _remove_sqlite(path: Path) -> None:
    for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        extra.unlink(missing_ok=True)


def _shown(url: str) -> str:
    return parse_url(url).shown
