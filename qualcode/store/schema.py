"""Create and upgrade a study's schema through the migrations shipped in the package."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from qualcode.store.engine import sqlite_path

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        return rev


def upgrade(engine: Engine, *, backup: bool = True) -> Path | None:
    """Bring the schema to the newest revision; returns the ``.bak`` copy made, if any.

    A SQLite study that already has a schema is copied to ``<file>.bak`` before an
    upgrade, so a failed or unwanted upgrade loses nothing.
    """
    current = current_revision(engine)
    if current == head_revision():
        return None
    bak: Path | None = None
    path = sqlite_path(str(engine.url))
    if backup and current is not None and path is not None and path.exists():
        bak = path.with_name(path.name + ".bak")
        engine.dispose()
        shutil.copy2(path, bak)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return bak
