"""Cyclic garbage collection is paused while suggestions are worked out, and while
big imports write, and resumes after, even when the work fails: its full collections
walked the whole corpus and model for nothing (0.8 s of a later `suggest` on 30,000
answers)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from qualcode.errors import InputError
from qualcode.services import framework, importing, queries
from qualcode.services import suggest as suggest_mod
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study
from tests.services.conftest import Watch

THEMES = """\
title: Invented
themes:
  - id: "A"
    label: Parking
    keywords: [car park]
  - id: "B"
    label: Pay
    keywords: [salary]
"""


def test_nested_pauses_resume_when_the_outermost_ends() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def _parking_and_pay(study: Study, tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("id,q\nR1,The car park is full\nR2,My salary is low\n", encoding="utf-8")
    importing.import_survey(study, survey, "id", ["q"])
    fw = tmp_path / "fw.yaml"
    fw.write_text(THEMES, encoding="utf-8")
    framework.import_framework(study, fw)


def test_suggest_runs_paused_and_resumes_even_when_it_fails(
    sqlite_study: Study, tmp_path: Path, collector_during: Watch
) -> None:
    _parking_and_pay(sqlite_study, tmp_path)
    seen = collector_during(suggest_mod, "_store")
    run = suggest_mod.suggest(sqlite_study, top=1, use_embeddings=False)
    assert run.results
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(InputError):
        suggest_mod.suggest(sqlite_study, top=0, use_embeddings=False)
    assert gc.isenabled()


def test_imports_write_with_the_collector_paused_and_resume_it(
    sqlite_study: Study, tmp_path: Path, collector_at_commit: list[bool]
) -> None:
    """A survey of 30,000 answers is 30,000 segments as ORM rows: full collections took
    a quarter of its import (services/gc_pause.py)."""
    from qualcode.services import codings

    _parking_and_pay(sqlite_study, tmp_path)
    sheet = tmp_path / "codings.csv"
    first = queries.list_segments(sqlite_study)[0].id
    sheet.write_text(f"segment,theme\n{first},A\n", encoding="utf-8")
    codings.import_codings(sqlite_study, sheet)
    assert gc.isenabled()
    assert collector_at_commit[0] is False  # the survey
    assert collector_at_commit[-1] is False  # the codings


def test_codings_are_listed_with_the_collector_paused(
    sqlite_study: Study, tmp_path: Path, collector_during: Watch
) -> None:
    """``codings export`` and the coder comparison read every coding as an ORM row."""
    from qualcode.services import codings
    from qualcode.store.queries import codings as codings_q

    _parking_and_pay(sqlite_study, tmp_path)
    codings.code_segment(sqlite_study, queries.list_segments(sqlite_study)[0].id, "A")
    seen = collector_during(codings_q, "coding_rows")
    assert [c.theme for c in codings.list_codings(sqlite_study)] == ["A"]
    assert seen == [False]
    assert gc.isenabled()
