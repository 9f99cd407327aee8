"""Several processes writing one study at once: nothing lost, busy is waited for."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from qualcode.services.audit_log import list_changes
from qualcode.services.codings import list_codings, segment_themes
from qualcode.services.queries import list_segments
from qualcode.services.study import Study
from qualcode.store import models as m
from qualcode.store.engine import sqlite_path
from qualcode.store.locking import PG_WRITE_LOCK, retrying

from .conftest import db_args, spawn, write_codings

THEMES = ["T1", "T1.1", "T1.2", "T2", "T3", "T4"]


def start_together(at: float, args: list[str]) -> list[str]:
    """Python args that load qualcode, then wait for the same moment before running."""
    code = (
        "import sys, time; from qualcode.cli import main; "
        f"time.sleep(max(0.0, {at} - time.time())); sys.argv = ['qualcode', *sys.argv[1:]]; "
        "main()"
    )
    return ["-c", code, *args]


@pytest.mark.slow
def test_four_concurrent_bulk_imports_lose_nothing(team_study: Study, tmp_path: Path) -> None:
    segs = [g.id for g in list_segments(team_study)]
    files, expected = [], set()
    for k in range(4):
        rows = [(s, t, f"c{k}") for s in segs for t in THEMES]  # this process's own work
        rows += [(s, "T2", "shared") for s in segs[:30]]  # the same rows in every file
        rows += [(s, "T1", f"c{(k + 1) % 4}") for s in segs[:10]]  # the next file's rows
        expected |= set(rows)
        files.append(write_codings(tmp_path / f"coder{k}.csv", rows))
    at = time.time() + 3.0
    procs = [
        spawn(start_together(at, ["codings", "import", str(f), *db_args(team_study)]))
        for f in files
    ]
    outcomes = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outcomes, strict=True):
        assert p.returncode == 0, err
        assert "error" not in err.lower(), err
    added = sum(int(err.split()[0]) for _out, err in outcomes)
    where = {(g.source, g.start, g.end): g.id for g in list_segments(team_study)}
    codings = list_codings(team_study)  # each covers exactly one whole segment
    have = {(where[(c.source, c.start, c.end)], c.theme, c.coder) for c in codings}
    assert have == expected
    assert added == len(expected) == len(list_codings(team_study))
    imports = [c for c in list_changes(team_study) if c.entity == "codings"]
    assert len(imports) == 4
    assert sum(c.after["added"] for c in imports) == len(expected)


def _hold_write_lock(study: Study):  # type: ignore[no-untyped-def]
    """Another session holding the study's write lock (SQLite file lock, or the
    PostgreSQL advisory lock qualcode's writers take)."""
    path = sqlite_path(str(study.engine.url))
    if path is not None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn, lambda: (conn.execute("COMMIT"), conn.close())
    engine = create_engine(study.engine.url)
    pg = engine.connect()
    pg.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_WRITE_LOCK})
    return pg, lambda: (
        pg.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_WRITE_LOCK}),
        pg.close(),
        engine.dispose(),
    )


@pytest.mark.slow
@pytest.mark.slow_postgresql
def test_a_busy_study_is_waited_for_not_an_error(team_study: Study, tmp_path: Path) -> None:
    segs = [g.id for g in list_segments(team_study)]
    path = write_codings(tmp_path / "c.csv", [(s, "T3", "bob") for s in segs])
    _holder, release = _hold_write_lock(team_study)
    try:
        proc = spawn(["codings", "import", str(path), *db_args(team_study)])
        time.sleep(2.0)
        assert proc.poll() is None, proc.communicate()  # still waiting, not failed
        assert list_codings(team_study) == []  # and nothing written yet
    finally:
        release()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err.startswith(f"{len(segs)} codings added")
    assert len(segment_themes(team_study, "bob")) == len(segs)


@pytest.mark.slow_postgresql
def test_retrying_reruns_a_transaction_that_hit_a_transient_failure(team_study: Study) -> None:
    """A real transient failure (PostgreSQL: serialization failure; SQLite: database is
    locked) on the first attempt, success on the second."""
    url = team_study.engine.url
    attempts = []
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(sqlite_path(str(url)), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        impatient = create_engine(url, connect_args={"timeout": 0})

        def work() -> str:
            attempts.append(1)
            if len(attempts) == 2:
                holder.execute("COMMIT")
            with impatient.begin() as conn:
                conn.execute(update(m.StudyRow.__table__).values(title="retitled"))
            return "done"

    else:
        impatient = create_engine(url, isolation_level="REPEATABLE READ")
        other = create_engine(url)

        def work() -> str:
            attempts.append(1)
            with impatient.begin() as conn:
                conn.execute(select(m.StudyRow.title)).scalar()  # snapshot taken
                if len(attempts) == 1:  # someone else changes the row meanwhile
                    with other.begin() as o:
                        o.execute(update(m.StudyRow.__table__).values(title="theirs"))
                conn.execute(update(m.StudyRow.__table__).values(title="retitled"))
            return "done"

    assert retrying(work) == "done"
    assert len(attempts) == 2
    with team_study.read() as s:
        assert s.scalar(select(m.StudyRow.title)) == "retitled"
    impatient.dispose()


def test_retrying_does_not_hide_real_errors(team_study: Study) -> None:
    attempts = []

    def work() -> None:
        attempts.append(1)
        with team_study.write() as s:
            s.add(m.StudyRow(id=1, title="a second study row"))

    with pytest.raises(IntegrityError):
        retrying(work)
    assert len(attempts) == 1

    def broken() -> None:
        attempts.append(1)
        with team_study.engine.connect() as conn:
            conn.execute(text("SELECT nonsense("))

    with pytest.raises(DBAPIError):
        retrying(broken)
    assert len(attempts) == 2


@pytest.mark.slow_postgresql
def test_writers_from_threads_of_one_process(team_study: Study) -> None:
    """Two threads coding at once (a TUI session's workers) both land."""
    from concurrent.futures import ThreadPoolExecutor

    from qualcode.services.codings import add_coding

    segs = list_segments(team_study)

    def code(coder: str) -> int:
        for g in segs:
            add_coding(team_study, g.source, g.start, g.end, "T4", coder=coder)
        return len(segs)

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(code, ["x", "y"])) == [len(segs)] * 2
    assert len(list_codings(team_study, theme="T4")) == 2 * len(segs)
