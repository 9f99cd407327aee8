"""Opening, creating and describing a study."""

from __future__ import annotations

import errno
import getpass
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from qualcode.domain.model import StudyInfo
from qualcode.errors import InputError, StudyError
from qualcode.services.archive import upgrade_backup
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.engine import (
    WRITE,
    StudyUrl,
    make_engine,
    parse_url,
    sqlite_path,
    sqlite_url,
)
from qualcode.store.locking import begin_write
from qualcode.store.open_problems import (
    check_url,
    disk_full,
    open_problem,
    remove_sqlite_files,
)
from qualcode.store.queries import study as study_q
from qualcode.store.schema import current_revision, head_revision, known_revision, upgrade


def default_coder() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name inside some containers
        return "coder"


@dataclass
class Action:
    """One user action: every write made inside ``Study.action()`` shares ``batch`` in
    the audit trail, so undo can revert the action as a whole. ``changes`` counts the
    audit entries it has written so far (0: nothing changed, nothing to undo)."""

    batch: str
    changes: int = 0


def new_batch() -> str:
    return uuid.uuid4().hex


@dataclass
class Study:
    """An open study: an engine plus who is coding.

    ``read()`` and ``write()`` give a session in one transaction; a write takes the
    database's write lock at its start so concurrent writers queue instead of failing.
    """

    engine: Engine
    coder: str = field(default_factory=default_coder)
    upgrade_backup: Path | None = None  # the archive open_study wrote before upgrading

    def __post_init__(self) -> None:
        # "bob " and "bob" would be two coders that read the same everywhere
        self.coder = self.coder.strip()
        if not self.coder:
            raise InputError("the coder name is blank: give the name you code under")
        self._local = threading.local()  # the action in progress, per thread
        self._known_coders: set[str] = set()
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{WRITE: True}), expire_on_commit=False
        )

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def shown(self) -> str:
        """Where the study is, as messages name it (the file, or the URL without its
        password)."""
        return parse_url(self.url).shown

    @property
    def is_sqlite(self) -> bool:
        return self.engine.url.get_backend_name() == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def write(self, undoes: str | None = None) -> Iterator[Session]:
        """A write transaction; its audit entries share the current action's batch (a
        batch of its own outside an action). ``undoes`` marks them as reverting a batch."""
        action: Action | None = getattr(self._local, "action", None)
        # The lock is taken before the body runs, so a busy database is retried there.
        with begin_write(self._write) as session:
            session.info["batch"] = action.batch if action else new_batch()
            session.info["undoes"] = undoes
            try:
                yield session
                self._remember_coders(session)
            except BaseException:
                session.rollback()
                raise
            session.commit()
            if action is not None:
                action.changes += session.info.get("recorded", 0)

    @contextmanager
    def action(self) -> Iterator[Action]:
        """Group the writes of one user action; nested calls join the outer action."""
        outer: Action | None = getattr(self._local, "action", None)
        if outer is not None:
            yield outer
            return
        self._local.action = Action(new_batch())
        try:
            yield self._local.action
        finally:
            self._local.action = None

    @property
    def current_action(self) -> Action | None:
        """The action this thread is in, if any."""
        return getattr(self._local, "action", None)

    def _remember_coders(self, session: Session) -> None:
        """Everyone who writes to a study is listed in its ``coders`` table."""
        new = session.info.get("coders", set()) - self._known_coders
        if new:
            session.flush()  # rows another service added in this transaction count too
        for name in new:
            if session.get(m.CoderRow, name) is None:
                session.add(m.CoderRow(name=name))
            self._known_coders.add(name)

    def close(self) -> None:
        self.engine.dispose()


def resolve_url(study: str | Path | None = None, db: str | None = None) -> str:
    if db:
        return db
    if study:
        return sqlite_url(study)
    raise StudyError(
        "no study chosen: pass --study PATH or --db URL (or set QUALCODE_STUDY / QUALCODE_DB)",
        "No study",
    )


UNTITLED = "Untitled study"  # a study created without a title


def init_study(url: str, title: str = UNTITLED, coder: str | None = None) -> Study:
    """Create an empty study; refuses a database that already holds one."""
    where = _where(url)
    path = where.path
    if path is not None and path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            sqlite = fh.read(16) == b"SQLite format 3\x00"
        what = "a study already exists there" if sqlite else "a file that is not a study is there"
        raise StudyError(f"{path}: {what}; choose another name", "Study exists")
    created = path is not None and not path.exists()
    engine = _engine(where)
    try:
        if current_revision(engine) is not None:
            raise StudyError(f"{where.shown}: a study already exists there", "Study exists")
        upgrade(engine, backup=False)
        study = Study(engine, coder or default_coder())
        with study.write() as s:
            s.add(m.StudyRow(id=1, title=title, guid=str(uuid.uuid4())))
            audit.record(s, study.coder, "create", "study", 1, after={"title": title})
        return study
    except (SQLAlchemyError, OSError) as exc:
        engine.dispose()
        if created and path is not None:  # no empty or half-made study left behind
            remove_sqlite_files(path)
        full = path is not None and disk_full(path.parent)
        because = "the disk is full: " if full else ""
        raise StudyError(
            f"{where.shown}: cannot create the study ({because}{_reason(exc)})"
        ) from exc
    except BaseException:
        engine.dispose()
        if created and path is not None:
            remove_sqlite_files(path)
        raise


def open_study(url: str, coder: str | None = None, backup_dir: Path | None = None) -> Study:
    """Open an existing study, upgrading its schema (SQLite keeps a ``.bak`` first; any
    other database is archived first, into ``backup_dir`` (the settings' folder; None: the
    user data folder's ``backups``), the path in ``Study.upgrade_backup``)."""
    where = _where(url)  # once: the checks and messages below all use it
    path = where.path
    if path is not None and not path.exists():
        raise StudyError(f"{path}: no such study (create it with `qualcode init`)", "No study")
    if path is not None and path.is_file() and path.stat().st_size == 0:
        # opening it would make it an empty database, which `init` then refuses
        raise StudyError(f"{path}: an empty file, not a study (`qualcode init` makes one there)")
    if path is not None and _is_backup_archive(path):
        raise StudyError(
            f"{path}: a qualcode backup archive, not a study: `qualcode restore {path.name} "
            "--study NEW.qualcode` makes a study of it"
        )
    engine = _engine(where)
    try:
        rev = current_revision(engine)
        if rev is None:
            raise StudyError(
                f"{where.shown}: not a qualcode study (create one with `qualcode init`)"
            )
        if not known_revision(rev):
            raise StudyError(
                f"{where.shown}: made by a newer qualcode (schema {rev}); upgrade qualcode "
                "to open it",
                "Newer study",
            )
        archive: Path | None = None
        if rev != head_revision():
            if not where.is_sqlite:
                try:
                    archive = upgrade_backup(engine, rev, backup_dir)
                except (OSError, SQLAlchemyError) as exc:
                    raise StudyError(
                        f"{where.shown}: the backup before upgrading the schema could not be "
                        f"written ({_reason(exc)}); the study was left as it was",
                        "Backup failed",
                    ) from exc
            upgrade(engine)
        return Study(engine, coder or default_coder(), archive)
    except DatabaseError as exc:
        engine.dispose()
        raise StudyError(open_problem(where.shown, path, exc)) from exc
    except StudyError:
        engine.dispose()
        raise


def _is_backup_archive(path: Path) -> bool:
    """A .zip written by `qualcode backup` (its manifest names the format)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return "manifest.json" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read_only(study: Study) -> bool:
    """Whether the study's SQLite file, or the folder its -wal and -shm files go in, is
    closed to writing: every change would then fail (a server's database: False)."""
    path = sqlite_path(study.url)
    if path is None:
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def study_info(study: Study) -> StudyInfo:
    with study.read() as s:
        row = s.get(m.StudyRow, 1)

        def count(model: type[m.Base]) -> int:
            return study_q.row_count(s, model)

        return StudyInfo(
            title=row.title if row else "",
            url=study.url,
            cases=count(m.CaseRow),
            sources=count(m.SourceRow),
            segments=count(m.SegmentRow),
            themes=count(m.ThemeRow),
            codings=count(m.CodingRow),
        )


def _engine(where: StudyUrl) -> Engine:
    try:
        return make_engine(where)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            # a locked-down home: "cannot connect" read as a database server's fault
            raise StudyError(
                f"{where.shown}: cannot write there ({_reason(exc)}); give --study a file "
                "in a folder you can write to (or set $QUALCODE_STUDY)"
            ) from exc
        raise StudyError(f"{where.shown}: cannot connect ({_reason(exc)})") from exc
    except (SQLAlchemyError, ValueError) as exc:
        raise StudyError(f"{where.shown}: cannot connect ({_reason(exc)})") from exc
    except ImportError as exc:  # the URL names a driver that is not installed
        raise StudyError(
            f"{where.shown}: the database driver is not installed ({exc.name or exc})"
        ) from exc


def _where(url: str) -> StudyUrl:
    """``url`` parsed once; a URL that cannot be parsed is bad input, not a traceback."""
    check_url(url)
    return parse_url(url)


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
