"""Suggestions on studies too small to learn from: a new user's first commands.

Before any passage is imported, or with a pilot of two answers, every `suggest` command
used to stop with "unexpected failure ... this is a bug" from scikit-learn's
vectorisers. Now an empty study gets one `error:` line saying what to import (exit 2),
and a pilot gets its passages listed with what little there is to say."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.errors import InputError
from qualcode.services import framework, importing
from qualcode.services.study import Study
from qualcode.services.suggest import suggest

FRAMEWORK = """\
title: Pilot
themes:
  - id: "1"
    label: Parking
    keywords: [parking, car park]
  - id: "2"
    label: Pay
    keywords: [salary, pay]
"""


def _with_framework(study: Study, tmp_path: Path) -> Study:
    fw = tmp_path / "fw.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    framework.import_framework(study, fw)
    return study


def _survey(study: Study, tmp_path: Path, answers: list[str]) -> Study:
    path = tmp_path / "pilot.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "q"])
        w.writerows([f"R{i}", a] for i, a in enumerate(answers, 1))
    importing.import_survey(study, path, "id", ["q"])
    return study


@pytest.mark.parametrize(
    "command",
    [
        ["suggest", "--no-embeddings"],
        ["suggest", "next"],
        ["suggest", "reliability", "--no-embeddings"],
        ["suggest", "accept", "--above", "0.5", "--yes"],
    ],
)
def test_an_empty_study_says_what_to_import(
    sqlite_study: Study, tmp_path: Path, command: list[str]
) -> None:
    study = _with_framework(sqlite_study, tmp_path)
    url = study.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, [*command, "--db", url])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: the study has no passages")
    assert "qualcode import transcripts" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_pilot_of_two_answers_sharing_no_word_is_suggested_for(
    sqlite_study: Study, tmp_path: Path
) -> None:
    """Two answers share no character n-gram, so that block has no column at all."""
    study = _survey(_with_framework(sqlite_study, tmp_path), tmp_path, ["Yes.", "Pay rise?"])
    run = suggest(study, use_embeddings=False)
    assert [r.segment for r in run.results] == ["R1/q:1", "R2/q:1"]
    pay = run.results[1].suggestions
    assert pay
    assert pay[0].theme == "2"  # the framework's keyword


def test_passages_of_stop_words_only_are_refused_with_a_reason(
    sqlite_study: Study, tmp_path: Path
) -> None:
    study = _survey(_with_framework(sqlite_study, tmp_path), tmp_path, ["The.", "And."])
    with pytest.raises(InputError, match="none of the 2 passages has a word beyond stop words"):
        suggest(study, use_embeddings=False)
