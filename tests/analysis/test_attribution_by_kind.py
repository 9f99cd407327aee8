"""Attributions per source kind: interview quotes `[{role}, {authority_type}]`, survey
answers `[{sector} {job}, survey]` by default, each settable."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.config import load_settings
from qualcode.services import quotes
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
