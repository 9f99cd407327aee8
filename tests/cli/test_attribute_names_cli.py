"""A case attribute named on the command line as the survey's column header reads it,
or by the first words of its key: a Google Form's keys are whole questions."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualcode.cli import cli
from qualcode.services.demo import sample_root

TEAM = "Which team are you in?"
BEFORE = "Which team were you in before?"


@pytest.fixture
def forms_study(tmp_path: Path) -> Path:
    study = tmp_path / "forms.qualcode"
    survey = tmp_path / "form.csv"
    with survey.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Response", TEAM, BEFORE, "What helps you most?"])
        for i in range(12):
            team = ("Duty", "Referral", "Court")[i % 3]
            writer.writerow([f"R{i:02d}", team, "Duty", f"Help {i}."])
    for args in (
        ["init", "--title", "forms"],
        ["framework", "import", str(sample_root() / "frameworks" / "survey.yaml")],
        ["import", "survey", str(survey), "--id-column", "Response"]
        + ["--text-column", "What helps you most?"],
    ):
        result = run(study, *args)
        assert result.exit_code == 0, result.output
    return study


def run(study: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--study", str(study), "--coder", "alice", *args])


def groups(result: Result) -> set[str]:
    assert result.exit_code == 0, result.output
    return {row["group"] for row in json.loads(result.stdout)}


def test_the_header_as_written_or_the_keys_first_words_name_the_attribute(
    forms_study: Path,
) -> None:
    expected = {"Court", "Duty", "Referral"}
    assert groups(run(forms_study, "matrix", "--by", "which_team_are_you_in", "--json")) == expected
    assert groups(run(forms_study, "matrix", "--by", TEAM, "--json")) == expected
    assert groups(run(forms_study, "matrix", "--by", "which team are", "--json")) == expected
    compared = run(forms_study, "matrix", "compare", "--by", "Which team are", "Duty", "Court")
    assert compared.exit_code == 0, compared.output


def test_words_that_begin_two_keys_are_refused_naming_both(forms_study: Path) -> None:
    result = run(forms_study, "matrix", "--by", "which_team", "--json")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: 'which_team' could be any of the attributes which_team_are_you_in, "
        "which_team_were_you_in_before: type more of it"
    ]


def test_a_name_that_matches_nothing_is_still_unknown(forms_study: Path) -> None:
    result = run(forms_study, "matrix", "--by", "team", "--json")
    assert result.exit_code == 2
    assert "unknown case attribute 'team'" in result.stderr
