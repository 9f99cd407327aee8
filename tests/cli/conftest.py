"""Fixtures for the CLI tests that moved here from tests/analysis, team and nlp:
defined there, where the tests that stayed use them too."""

from tests.analysis.conftest import _coded_template, coded_demo, small  # noqa: F401
from tests.nlp.conftest import small_survey, survey_study  # noqa: F401
from tests.team.conftest import empty_pg_url, team_study  # noqa: F401
