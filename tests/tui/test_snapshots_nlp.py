"""What Review suggestions and Discover look like at 120x36, on the sample study."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from tests.nlp.conftest import _fresh_models, no_network  # noqa: F401  (autouse here too)

from .conftest import settle, steady_cursors

SIZE = (120, 36)
AppFor = Callable[..., QualcodeApp]


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()  # toasts time out: keep the picture steady
        steady_cursors(pilot)  # a dialog's field: its cursor drawn, not blinking
        await pilot.wait_for_scheduled_animations()  # the tab underline slides
        for _ in range(3):  # the footer recomposes after a change of focus
            await pilot.pause()

    return run


@pytest.mark.slow
def test_review_workspace(snap_compare: Any, app_for: AppFor, suggested: Study) -> None:
    """Review: pending suggestions best first, the passage and why it was suggested."""
    assert snap_compare(app_for(start="review"), terminal_size=SIZE, run_before=keys("down"))


@pytest.mark.slow
def test_review_filtered_by_theme(snap_compare: Any, app_for: AppFor, suggested: Study) -> None:
    """Review filtered by a top-level theme (its sub-themes included)."""
    assert snap_compare(
        app_for(start="review"), terminal_size=SIZE, run_before=keys("t", "2", "enter")
    )


@pytest.mark.slow
def test_review_pick_another_theme(snap_compare: Any, app_for: AppFor, suggested: Study) -> None:
    """The picker for another theme lists the passage's other suggestions first."""
    assert snap_compare(app_for(start="review"), terminal_size=SIZE, run_before=keys("p"))


def test_review_empty(snap_compare: Any, app_for: AppFor, demo_study: Study) -> None:
    """Review with nothing pending says how to make suggestions."""
    assert snap_compare(app_for(start="review"), terminal_size=SIZE, run_before=keys())


@pytest.mark.slow
def test_discover_key_phrases(snap_compare: Any, app_for: AppFor, demo_study: Study) -> None:
    """Discover: key phrases of one interview with example passages."""
    assert snap_compare(
        app_for(start="discover"), terminal_size=SIZE, run_before=keys("s", *"int04", "enter")
    )


@pytest.mark.slow
def test_discover_distinctive_terms(snap_compare: Any, app_for: AppFor, demo_study: Study) -> None:
    """Discover: terms distinctive of CSD against DASS interviews."""
    pressed = ("k", "g", *"sector", "enter", *"CSD", "enter", *"DASS", "enter")
    assert snap_compare(app_for(start="discover"), terminal_size=SIZE, run_before=keys(*pressed))


@pytest.mark.slow
def test_discover_candidate_adopted(snap_compare: Any, app_for: AppFor, demo_study: Study) -> None:
    """Discover: candidate themes of one interview, the first one adopted as D1."""
    assert snap_compare(
        app_for(start="discover"),
        terminal_size=SIZE,
        run_before=keys("s", *"int04", "enter", "3", "a"),
    )
