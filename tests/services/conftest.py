"""Fixtures for the service tests that moved here from tests/analysis, team and nlp:
defined there, where the tests that stayed use them too; and one of their own."""

import gc
from collections.abc import Callable
from typing import Any

import pytest

from qualcode.store import audit
from tests.analysis.conftest import _coded_template, coded_demo, small  # noqa: F401
from tests.nlp.conftest import small_survey, survey_study  # noqa: F401
from tests.team.conftest import empty_pg_url, team_study  # noqa: F401

Watch = Callable[[object, str], list[bool]]


@pytest.fixture
def collector_during(monkeypatch: pytest.MonkeyPatch) -> Watch:
    """``watch(module, name)``: a list that hears, at each call of ``module.name``,
    whether Python's cyclic garbage collector was on (big work pauses it:
    services/gc_pause.py)."""

    def watch(module: object, name: str) -> list[bool]:
        seen: list[bool] = []
        original = getattr(module, name)

        def watched(*args: Any, **kwargs: Any) -> Any:
            seen.append(gc.isenabled())
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)
        return seen

    return watch


@pytest.fixture
def collector_at_commit(collector_during: Watch) -> list[bool]:
    """Whether the collector was on as each transaction wrote its audit entries."""
    return collector_during(audit, "insert_rows")
