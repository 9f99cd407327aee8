"""The portable archive of a study: ``manifest.json`` plus one JSON Lines file per table
(``tables/<table>.jsonl``), read in one snapshot through SQLAlchemy.

Kept apart from ``backup`` (which opens studies) so that ``study`` can archive a
PostgreSQL study before upgrading its schema without an import loop.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table

from qualcode import __version__
from qualcode.config import backups_dir
from qualcode.errors import InputError
from qualcode.store.archive_tables import (
    decode_row,
    encode_row,
    reflected,
    schema_revision,
    table_rows,
)
from qualcode.store.schema import known_revision

ARCHIVE = "qualcode-archive"
ARCHIVE_VERSION = 1


def write_archive(engine: Engine, dest: Path) -> int:
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # one snapshot of every table
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin(), zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                revision = schema_revision(conn)
                for table in reflected(conn):
                    n = 0
                    with zf.open(f"tables/{table.name}.jsonl", "w") as fh:
                        for row in table_rows(conn, table):
                            line = json.dumps(encode_row(table, row), ensure_ascii=False)
                            fh.write(line.encode("utf-8") + b"\n")
                            n += 1
                    counts[table.name] = n
                manifest = {
                    "format": ARCHIVE,
                    "version": ARCHIVE_VERSION,
                    "revision": revision,
                    "qualcode": __version__,
                    "created": datetime.now(UTC).isoformat(),
                    "from": engine.url.render_as_string(hide_password=True),
                    "tables": counts,
                }
                zf.writestr("manifest.json", json.dumps(manifest, indent=2))
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return sum(counts.values())


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"not a qualcode archive ({exc})", path) from None
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE:
        raise InputError("not a qualcode archive (no qualcode manifest)", path)
    if manifest.get("version") != ARCHIVE_VERSION:
        raise InputError(f"archive version {manifest.get('version')} is not supported", path)
    return manifest


def archive_revision(path: Path, manifest: dict[str, Any]) -> str:
    revision = manifest.get("revision")
    if not isinstance(revision, str) or not known_revision(revision):
        raise InputError(
            f"the archive's schema {revision} is from a newer qualcode: upgrade qualcode", path
        )
    return revision


def archive_rows(zf: zipfile.ZipFile, table: Table) -> Iterator[dict[str, Any]]:
    name = f"tables/{table.name}.jsonl"
    if name not in zf.namelist():
        return
    with zf.open(name) as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    row = json.loads(line)
                    if not isinstance(row, dict):
                        raise ValueError("not a JSON object")
                    decoded = decode_row(table, row)
                except (ValueError, KeyError, TypeError) as exc:
                    raise InputError(
                        f"{name}, line {number}: the archive is damaged ({exc})", zf.filename
                    ) from None
                yield decoded


def upgrade_backup(engine: Engine, revision: str, folder: Path | None = None) -> Path:
    """Archive a (PostgreSQL) study before its schema is upgraded from ``revision``:
    ``<database>-<revision>-<UTC time>.zip`` in ``folder`` (the settings' ``backup_dir``,
    passed down), by default the user data folder's ``backups``."""
    folder = folder or backups_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", engine.url.database or "study")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    dest = folder / f"{name}-{revision}-{stamp}.zip"
    write_archive(engine, dest)
    return dest
