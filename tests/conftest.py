"""Shared fixtures: a real temp-file SQLite study and, when QUALCODE_TEST_DATABASE_URL
names a PostgreSQL server, the same tests against a fresh database there."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qualcode.services.demo import build_demo, sample_root
from qualcode.services.study import Study, init_study, open_study
from qualcode.store.engine import sqlite_url

PG_ENV = "QUALCODE_TEST_DATABASE_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--all",
        action="store_true",
        dest="run_all",
        help="also run the slow tests (@pytest.mark.slow); `pytest -m slow` runs only them",
    )


def _runs_slow(config: pytest.Config) -> bool:
    """``--all``, or a ``-m`` expression naming ``slow`` (it then decides about them)."""
    return bool(config.getoption("run_all") or "slow" in config.getoption("markexpr", ""))


def pytest_report_header(config: pytest.Config) -> str:
    if _runs_slow(config):
        return "slow tests: included"
    return "slow tests: left out (the fast set); `pytest --all` runs everything"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_url") == "postgresql":
            item.add_marker(pytest.mark.postgres)
            # a test whose PostgreSQL run is slow (a fresh database, a big study built
            # in it) keeps its SQLite run in the fast set
            if item.get_closest_marker("slow_postgresql") is not None:
                item.add_marker(pytest.mark.slow)


class LeaveOutSlowTests:
    """Deselects the slow tests unless asked for them. Runs last, so that the snapshot
    plugin sees them as deselected (not as unused snapshots, which fail the run)."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        if _runs_slow(config):
            return
        slow = [item for item in items if item.get_closest_marker("slow") is not None]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if item.get_closest_marker("slow") is None]


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(LeaveOutSlowTests(), "qualcode-leave-out-slow-tests")


@pytest.fixture(autouse=True)
def own_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own suggestion cache, on disk out of the user's home (a CLI test's
    subprocess inherits it) and in memory: a model fitted by one test is never
    another's (an earlier test's model would be updated, not refitted, and its
    calibration carried over)."""
    from qualcode.services.suggest_model import clear_cache

    folder = tmp_path / "qualcode-cache"
    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(folder))
    clear_cache()
    return folder


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own folder for the drafts the workbench keeps until saved (never
    the user's, and no test finds another's)."""
    folder = tmp_path / "qualcode-state"
    monkeypatch.setenv("QUALCODE_STATE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def pg_server() -> str | None:
    return os.environ.get(PG_ENV) or None


def _fresh_pg_database(server: str) -> tuple[str, str]:
    name = f"qc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False), name


def _drop_pg_database(server: str, name: str) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_server: str | None) -> Iterator[str]:
    """A URL for an empty database: a temp SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "study.qualcode")
        return
    if not pg_server:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against")
    url, name = _fresh_pg_database(pg_server)
    try:
        yield url
    finally:
        _drop_pg_database(pg_server, name)


@pytest.fixture
def study(db_url: str) -> Iterator[Study]:
    """An empty study on each database the run has."""
    s = init_study(db_url, "Test study", coder="alice")
    yield s
    s.close()


@pytest.fixture
def sqlite_study(tmp_path: Path) -> Iterator[Study]:
    """An empty SQLite study, for tests that are about files rather than databases."""
    s = init_study(sqlite_url(tmp_path / "study.qualcode"), "Test study", coder="alice")
    yield s
    s.close()


@pytest.fixture(scope="session")
def sample() -> Path:
    return sample_root()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.qualcode"
    build_demo(sqlite_url(path), coder="alice").close()
    return path


@pytest.fixture
def demo_path(_demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the sample study (built once per run, copied per test)."""
    path = tmp_path / "demo.qualcode"
    shutil.copy2(_demo_template, path)
    return path


@pytest.fixture
def demo_study(demo_path: Path) -> Iterator[Study]:
    s = open_study(sqlite_url(demo_path), coder="alice")
    yield s
    s.close()
