"""Fixtures for the service tests that moved here from tests/analysis, team and nlp:
defined there, where the tests that stayed use them too; and one of their own."""

import gc
from typing import Any

import pytest

from qualcode.store import audit
from tests.analysis.conftest import _coded_template, coded_demo, small  # noqa: F401
from tests.nlp.conftest import small_survey, survey_study  # noqa: F401
from tests.team.conftest import empty_pg_url, team_study  # noqa: F401


@pytest.fixture
def collector_at_commit(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether Python's cyclic garbage collector was on as each transaction wrote its
    audit entries (at commit): big writes pause it (services/gc_pause.py)."""
    seen: list[bool] = []
    write = audit.insert_rows

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return write(*args, **kwargs)

    monkeypatch.setattr(audit, "insert_rows", watched)
    return seen
