"""Attributions per source kind: interview quotes `[{role}, {authority_type}]`, survey
answers `[{sector} {job}, survey]` by default, each settable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.config import load_settings
from qualcode.services import codings, framework, importing, queries, quotes
from qualcode.services.study import init_study
from qualcode.store.engine import sqlite_url
from tests.analysis.conftest import CodedDemo, sample_attributes


@pytest.mark.slow
def test_survey_quotes_get_their_own_default_attribution(coded_demo: CodedDemo) -> None:
    attrs = sample_attributes()
    found = quotes.quotes(coded_demo.study)
    survey = [q for q in found if not q.case.startswith("int")]
    interviews = [q for q in found if q.case.startswith("int")]
    assert survey
    assert interviews
    for q in survey:
        a = attrs[q.case]
        assert q.attribution == f"[{a['sector']} {a['job']}, survey]"
    for q in interviews:
        a = attrs[q.case]
        parts = [a[k] for k in ("role", "authority_type") if a.get(k)]
        assert q.attribution == f"[{', '.join(parts)}]"


def test_both_templates_are_settable(coded_demo: CodedDemo) -> None:
    result = CliRunner().invoke(
        cli,
        ["--study", str(coded_demo.path), "quotes", "--format", "json",
         "--attribution", "<{case}>", "--survey-attribution", "({sector}, respondent {case})"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    for row in rows:
        if row["case"].startswith("int"):
            assert row["attribution"] == f"<{row['case']}>"
        else:
            assert row["attribution"].endswith(f", respondent {row['case']})")
    bad = CliRunner().invoke(
        cli,
        ["--study", str(coded_demo.path), "quotes", "--survey-attribution", "[{jbo}]"],
    )
    assert bad.exit_code == 2
    assert "unknown attribute(s) jbo" in bad.stderr
    settings = load_settings(
        {"QUALCODE_SURVEY_ATTRIBUTION": "[{job}]", "QUALCODE_CONFIG": "/nonexistent"}
    )
    assert settings.survey_attribution == "[{job}]"
    assert settings.attribution == "[{role}, {authority_type}]"


def test_quotes_the_default_templates_cannot_attribute_are_warned_about(tmp_path: Path) -> None:
    """A study whose cases have none of the default templates' attributes (a usability
    study: session dates, task counts) would give a report unattributed quotes without
    a word: the command says so and names the study's attributes."""
    path = tmp_path / "ux.qualcode"
    study = init_study(sqlite_url(path), "UX", coder="alice")
    talk = tmp_path / "P1.txt"
    talk.write_text("Moderator: Try the query tab.\nP1: The lag setting confuses me.\n")
    importing.import_transcripts(study, [talk], case="P1")
    (tmp_path / "cases.csv").write_text("participant,session_date\nP1,2021-11-18\n")
    importing.import_cases(study, tmp_path / "cases.csv", "participant")
    framework.add_theme(study, "lag", "Lag unclear")
    turn = next(g for g in queries.list_segments(study) if "lag" in g.text)
    codings.code_segment(study, turn.id, "lag")
    study.close()
    plain = CliRunner().invoke(cli, ["--study", str(path), "quotes"])
    assert plain.exit_code == 0, plain.output
    assert "The lag setting confuses me." in plain.stdout
    (warning,) = [line for line in plain.stderr.splitlines() if line.startswith("warning:")]
    assert "the quote has no attribution" in warning
    assert "--attribution" in warning
    assert "session_date" in warning
    given = CliRunner().invoke(cli, ["--study", str(path), "quotes", "--attribution", "[{case}]"])
    assert "[P1]" in given.stdout
    assert "warning" not in given.stderr
    report = tmp_path / "report.docx"
    exported = CliRunner().invoke(cli, ["--study", str(path), "matrix", "export", str(report)])
    assert exported.exit_code == 0, exported.output
    assert "the quote has no attribution" in exported.stderr  # the report's quotes too


def test_quotes_with_attributions_are_not_warned_about(coded_demo: CodedDemo) -> None:
    result = CliRunner().invoke(cli, ["--study", str(coded_demo.path), "quotes"])
    assert result.exit_code == 0, result.output
    assert "no attribution" not in result.stderr
