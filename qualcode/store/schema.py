"""Create and upgrade a study's schema through the migrations shipped in the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from qualcode.store.engine import sqlite_path
from qualcode.store.sqlite_copy import copy_sqlite

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(script_location: Path | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location or MIGRATIONS))
    return cfg


def head_revision(cfg: Config | None = None) -> str | None:
    return ScriptDirectory.from_config(cfg or alembic_config()).get_current_head()


def known_revision(rev: str, cfg: Config | None = None) -> bool:
    """Whether this qualcode knows the revision (a newer qualcode's study is unknown)."""
    script = ScriptDirectory.from_config(cfg or alembic_config())
    return rev in {s.revision for s in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        return rev


def upgrade(engine: Engine, *, backup: bool = True, cfg: Config | None = None) -> Path | None:
    """Bring the schema to the newest revision; returns the ``.bak`` copy made, if any.

    A SQLite study that already has a schema is copied to ``<file>.bak`` before an
    upgrade, so a failed or unwanted upgrade loses nothing.
    """
    cfg = cfg or alembic_config()
    current = current_revision(engine)
    if current == head_revision(cfg):
        return None
    bak: Path | None = None
    path = sqlite_path(engine.url)
    if backup and current is not None and path is not None and path.exists():
        bak = path.with_name(path.name + ".bak")
        engine.dispose()
        copy_sqlite(path, bak)  # online backup: includes what is still in the -wal file
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return bak
