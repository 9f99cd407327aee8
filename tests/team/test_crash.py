"""A qualcode process killed (SIGKILL) in the middle of a bulk import leaves a study that
opens, passes the integrity check, holds every committed change and none of the
half-done import. Each test kills several real `qualcode ... import` processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from qualcode.services.codings import add_coding, list_codings
from qualcode.services.queries import list_segments
from qualcode.services.study import Study, open_study
from qualcode.store import models as m
from qualcode.store.engine import sqlite_path

from .conftest import db_args, spawn, write_codings, write_survey

RUNS = 3
THEMES = ["T1", "T1.1", "T1.2", "T2", "T3", "T4"]


def counts(study: Study) -> dict[str, int]:
    """Rows in every table: the whole state an import could touch."""
    with study.read() as s:
        return {
            t.name: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in m.Base.metadata.sorted_tables
        }


def wait_until_mid_import(study: Study, proc: subprocess.Popen[str], table: str) -> None:
    """Block until the import is demonstrably half-way through its transaction:
    SQLite - two megabytes of its uncommitted pages are already in the -wal file;
    PostgreSQL - its session is inserting into ``table`` inside an open transaction
    (by INSERT, or by COPY, as many new codings go in)."""
    deadline = time.monotonic() + 120
    path = sqlite_path(str(study.engine.url))
    if path is not None:
        wal = Path(f"{path}-wal")
        base = wal.stat().st_size if wal.exists() else 0
        while not (wal.exists() and wal.stat().st_size > base + 2_000_000):
            assert proc.poll() is None, f"the import ended first: {proc.communicate()}"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        return
    watcher = create_engine(study.engine.url)
    probe = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
        "AND (query ILIKE :q OR query ILIKE :copy)"
    )
    try:
        with watcher.connect() as conn:
            wanted = {"q": f"INSERT INTO {table}%", "copy": f"COPY {table}%"}
            while not conn.execute(probe, wanted).scalar():
                conn.rollback()
                assert proc.poll() is None, f"the import ended first: {proc.communicate()}"
                assert time.monotonic() < deadline
                time.sleep(0.005)
    finally:
        watcher.dispose()


def kill(proc: subprocess.Popen[str]) -> str:
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert "added" not in err  # it never reported a finished import
    return out


def check_survives(study: Study, expected: dict[str, int], marker: str) -> None:
    url = study.engine.url.render_as_string(hide_password=False)
    path = sqlite_path(url)
    if path is not None:
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    fresh = open_study(url, "checker")  # the study opens like any other
    try:
        assert counts(fresh) == expected  # every committed row, nothing of the import
        assert [c.coder for c in list_codings(fresh, coder=marker)] == [marker]
    finally:
        fresh.close()


def commit_marker(study: Study, run: int) -> str:
    """A change committed just before the import starts; it must survive."""
    seg = list_segments(study)[run]
    marker = f"marker{run}"
    add_coding(study, seg.source, seg.start, seg.end, "T3", coder=marker)
    return marker


@pytest.mark.slow
def test_killed_survey_import_leaves_no_trace(team_study: Study, tmp_path: Path) -> None:
    for run in range(RUNS):
        marker = commit_marker(team_study, run)
        expected = counts(team_study)
        big = write_survey(tmp_path / f"wave{run}.csv", 8_000, prefix=f"W{run}-", extra=20)
        proc = spawn(
            ["import", "survey", str(big), "--id-column", "id", "--text-column", "q_help",
             "--text-column", "q_cease", *db_args(team_study)]
        )  # fmt: skip
        wait_until_mid_import(team_study, proc, "segments")
        kill(proc)
        check_survives(team_study, expected, marker)
    # and the same file imports cleanly afterwards: nothing half-done blocks it
    proc = spawn(
        ["import", "survey", str(big), "--id-column", "id", "--text-column", "q_help",
         "--text-column", "q_cease", *db_args(team_study)]
    )  # fmt: skip
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert counts(team_study)["cases"] == expected["cases"] + 8_000


@pytest.mark.slow
def test_killed_codings_import_leaves_no_trace(team_study: Study, tmp_path: Path) -> None:
    segs = [g.id for g in list_segments(team_study)]
    rows = [(s, t, f"coder{k:03d}") for k in range(70) for s in segs for t in THEMES]
    big = write_codings(tmp_path / "many.csv", rows)
    for run in range(RUNS):
        marker = commit_marker(team_study, run)
        expected = counts(team_study)
        proc = spawn(["codings", "import", str(big), *db_args(team_study)])
        wait_until_mid_import(team_study, proc, "codings")
        kill(proc)
        check_survives(team_study, expected, marker)
