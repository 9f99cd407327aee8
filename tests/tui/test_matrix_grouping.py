"""The Matrix workspace remembers its grouping per study: a new session opens the matrix
grouped as it was left, and the title says plainly when it is not grouped."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from qualcode.services import study_settings
from qualcode.services.study import Study

from .conftest import settle
from .matrix_helpers import AppFor, open_matrix


def _title(screen: object) -> str:
    return str(screen.query_one("#matrix-title", Static).render())  # type: ignore[attr-defined]


@pytest.mark.slow
async def test_the_grouping_is_kept_when_the_matrix_is_opened_again(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        assert screen.by == []
        assert "not grouped" in _title(screen)
        assert "grouped by no grouping" not in _title(screen)
        await pilot.press("g")
        await settle(pilot)
        assert screen.by == ["sector"]
        assert "grouped by sector" in _title(screen)
    assert study_settings.remembered_grouping(demo_study) == ["sector"]
    again = app_for()
    async with again.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        assert screen.by == ["sector"]
        assert "grouped by sector" in _title(screen)
        await pilot.press("G")  # back to none, remembered too
        await settle(pilot)
        assert screen.by == []
    assert study_settings.remembered_grouping(demo_study) == []


def test_a_grouping_naming_a_missing_attribute_is_dropped(demo_study: Study) -> None:
    from qualcode.tui.matrix.data import load_page

    study_settings.remember_grouping(demo_study, ["no_such_attribute", "sector"])
    assert study_settings.remembered_grouping(demo_study) == ["no_such_attribute", "sector"]
    page = load_page(demo_study, None, study_settings.remembered_grouping(demo_study))
    assert page is not None
    assert page.by == ("sector",)
