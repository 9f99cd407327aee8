"""A small team study on each database, and helpers to run qualcode as a real process."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from qualcode.cli import cli
from qualcode.services import framework, importing
from qualcode.services.study import Study, init_study
from qualcode.store.models import Base

FRAMEWORK = """\
title: Team test framework
themes:
  - id: "T1"
    label: Supervision
    children:
      - id: "T1.1"
        label: Frequency
      - id: "T1.2"
        label: Quality
  - id: "T2"
    label: Workload
  - id: "T3"
    label: Pay
  - id: "T4"
    label: Training
"""

TRANSCRIPT = "".join(
    f"Interviewer: Question {n}?\n\nRespondent: Answer number {n} about supervision, "
    f"workload and pay in the department, told at some length.\n\n"
    for n in range(1, 9)
)

RESPONDENTS = 60
CLI_PREFIX = [sys.executable, "-c", "import sys; from qualcode.cli import main; main()"]


def write_survey(path: Path, n: int, prefix: str = "R", extra: int = 0) -> Path:
    """A survey CSV: one row per respondent, two free-text questions."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "sector", "job", "q_help", "q_cease"])
        for i in range(1, n + 1):
            padding = " more words" * extra
            w.writerow(
                [
                    f"{prefix}{i:05d}",
                    ("CSD", "DASS", "PVI")[i % 3],
                    ("social worker", "manager")[i % 2],
                    f"Respondent {i} would like more staff and better supervision.{padding}",
                    "" if i % 4 == 0 else f"Pay and workload, says respondent {i}.{padding}",
                ]
            )
    return path


def build_team_study(url: str, folder: Path) -> Study:
    """A survey of 60 respondents (105 answers), one interview, and a framework."""
    study = init_study(url, "Team study", coder="lead")
    importing.import_survey(
        study, write_survey(folder / "survey.csv", RESPONDENTS), "id", ["q_help", "q_cease"]
    )
    transcript = folder / "int01.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    importing.import_transcripts(study, [transcript])
    fw = folder / "framework.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    framework.import_framework(study, fw)
    return study


@pytest.fixture
def team_study(db_url: str, tmp_path: Path) -> Iterator[Study]:
    """The team study on each database the run has (SQLite, and PostgreSQL when set)."""
    study = build_team_study(db_url, tmp_path)
    yield study
    study.close()


def db_args(study: Study) -> list[str]:
    return ["--db", study.engine.url.render_as_string(hide_password=False)]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QUALCODE_CONFIG"] = os.devnull  # no personal settings file
    env.pop("QUALCODE_STUDY", None)
    env.pop("QUALCODE_DB", None)
    return env


def spawn(args: Sequence[str], **kwargs: object) -> subprocess.Popen[str]:
    """qualcode (or a Python snippet when ``args[0] == '-c'``) as a real process."""
    cmd = [sys.executable, *args] if args and args[0] == "-c" else [*CLI_PREFIX, *args]
    return subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
        **kwargs,  # type: ignore[arg-type]
    )


def write_codings(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["segment", "theme", "coder"])
        w.writerows(rows)
    return path


@pytest.fixture
def empty_pg_url(pg_server: str | None) -> Iterator[str]:
    """A new, empty PostgreSQL database (skipped without a server)."""
    if not pg_server:
        pytest.skip("QUALCODE_TEST_DATABASE_URL is not set: no PostgreSQL server")
    name = f"qc_team_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def table_rows(study: Study) -> dict[str, list[dict[str, object]]]:
    """Every row of every table, comparable across SQLite and PostgreSQL."""
    out: dict[str, list[dict[str, object]]] = {}
    with study.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = []
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                item = dict(row._mapping)
                for key, value in item.items():
                    if isinstance(value, datetime):
                        item[key] = value.replace(tzinfo=UTC) if value.tzinfo is None else value
                rows.append(item)
            out[table.name] = rows
    return out
