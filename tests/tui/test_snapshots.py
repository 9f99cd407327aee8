"""What each workspace looks like at 120x36, on the sample study."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from qualcode.services import codings, queries
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp

from .conftest import settle

SIZE = (120, 36)
AppFor = Callable[..., QualcodeApp]


@pytest.fixture
def coded(demo_study: Study) -> Study:
    """int01 with a few passages coded, so that colours and the gutter show."""
    segs = queries.list_segments(demo_study, case="int01")
    for seg, theme in zip(segs[:4], ("1.1", "1.3", "1.3", "2.1"), strict=True):
        codings.add_coding(demo_study, seg.source, seg.start, seg.start + 60, theme)
        codings.code_segment(demo_study, seg.id, "1")
    return demo_study


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if pressed:
            await pilot.press(*pressed)
            await settle(pilot)

    return run


def test_cases_workspace(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """Cases: every case with its attributes and coding progress."""
    assert snap_compare(app_for(), terminal_size=SIZE, run_before=keys())


@pytest.mark.slow
def test_cases_filtered(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """Cases filtered by an attribute."""
    assert snap_compare(
        app_for(), terminal_size=SIZE, run_before=keys("slash", *"sector=CSD", "enter")
    )


@pytest.mark.slow
def test_read_and_code(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """Read & code: line numbers, dimmed interviewer, coded spans, gutter, a selected sentence."""
    assert snap_compare(
        app_for(start="read"), terminal_size=SIZE, run_before=keys(*"]]]]]]", "right", "s")
    )


@pytest.mark.slow
def test_theme_picker(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """The fuzzy theme picker narrowed by a few letters."""
    assert snap_compare(
        app_for(start="read"), terminal_size=SIZE, run_before=keys("n", "enter", *"sup")
    )


@pytest.mark.slow
def test_survey_question(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """Read & code on one survey question: one block per respondent."""
    assert snap_compare(
        app_for(start="read"), terminal_size=SIZE, run_before=keys("less_than_sign")
    )


def test_framework_workspace(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """Framework: the theme tree with coding and case counts, and the theme's notes."""
    assert snap_compare(app_for(start="framework"), terminal_size=SIZE, run_before=keys("down"))


@pytest.mark.slow
def test_search_workspace(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """Search: keyword in context with marked hits."""
    assert snap_compare(
        app_for(start="search"),
        terminal_size=SIZE,
        run_before=keys(*"agency", "enter", "space", "space"),
    )


def test_help_workspace(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """Help: every binding with its key and id."""
    assert snap_compare(app_for(start="help"), terminal_size=SIZE, run_before=keys())


@pytest.mark.slow
def test_error_dialog(snap_compare: Any, app_for: AppFor, coded: Study) -> None:
    """A failed change: one dialog with the error's title and whole message (the id was
    taken by a colleague after the tree was shown: one the tree shows is asked again)."""
    from qualcode.services import theme_edits

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        theme_edits.add_theme(Study(coded.engine, "carol"), "9", "Carol's theme", None)
        await pilot.press("A", "ctrl+u", *"9 Again", "enter")
        await settle(pilot)

    assert snap_compare(app_for(start="framework"), terminal_size=SIZE, run_before=run)
