"""What the team workspaces look like at 120x36: Compare coders and Anonymise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from qualcode.domain.anonymise import ACCEPTED, REJECTED
from qualcode.services import anonymise, codings, queries
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp

from .conftest import settle, steady_cursors

SIZE = (120, 36)
AppFor = Callable[..., QualcodeApp]


@pytest.fixture
def double_coded(demo_study: Study) -> Study:
    """alice and bob code the first answers of int01, agreeing on some."""
    segs = queries.list_segments(demo_study, case="int01")
    for seg, theme in zip(segs[:6], ("1.1", "1.3", "1.3", "2.1", "2.3", "1"), strict=True):
        codings.code_segment(demo_study, seg.id, theme, coder="alice")
    for seg, theme in zip(segs[:6], ("1.1", "1.2", "1.3", "2.3", "2.3", "1"), strict=True):
        codings.code_segment(demo_study, seg.id, theme, coder="bob")
    seg = segs[1]
    codings.add_coding(demo_study, seg.source, seg.start, seg.start + 80, "1.3", coder="bob")
    return demo_study


@pytest.fixture
def reviewed(demo_study: Study) -> Study:
    """Names found, a few decided."""
    anonymise.find_names(demo_study, use_spacy=False)
    found = anonymise.list_proposals(demo_study)
    anonymise.decide(demo_study, found[0].id, status=ACCEPTED)
    anonymise.decide(demo_study, found[1].id, status=REJECTED)
    anonymise.decide(demo_study, found[2].id, status=ACCEPTED, placeholder="[neighbouring borough]")
    return demo_study


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if pressed:
            await pilot.press(*pressed)
            await settle(pilot)
        pilot.app.clear_notifications()  # they time out: not part of the picture
        steady_cursors(pilot)  # a dialog's field: its cursor drawn, not blinking
        await pilot.pause()

    return run


def test_compare_workspace(snap_compare: Any, app_for: AppFor, double_coded: Study) -> None:
    """Compare: agreement per theme beside a disagreement, both coders' themes side by side."""
    assert snap_compare(app_for(start="compare"), terminal_size=SIZE, run_before=keys("n"))


@pytest.mark.slow
def test_compare_after_settling(snap_compare: Any, app_for: AppFor, double_coded: Study) -> None:
    """Compare: one taken from A, one kept both - the walk is on the next one."""
    assert snap_compare(app_for(start="compare"), terminal_size=SIZE, run_before=keys("a", "k"))


@pytest.mark.slow
def test_compare_one_coder(snap_compare: Any, app_for: AppFor, demo_study: Study) -> None:
    """Compare with a single coder: what to do to get a second one."""
    codings.code_segment(demo_study, queries.list_segments(demo_study)[0].id, "1.1")
    assert snap_compare(app_for(start="compare"), terminal_size=SIZE, run_before=keys())


@pytest.mark.slow
def test_anonymise_workspace(snap_compare: Any, app_for: AppFor, reviewed: Study) -> None:
    """Anonymise: proposals with their status, and where the highlighted name occurs."""
    assert snap_compare(app_for(start="anonymise"), terminal_size=SIZE, run_before=keys("down"))


@pytest.mark.slow
def test_anonymise_proposed_only(snap_compare: Any, app_for: AppFor, reviewed: Study) -> None:
    """Anonymise filtered to the names still waiting for review."""
    assert snap_compare(app_for(start="anonymise"), terminal_size=SIZE, run_before=keys("s"))


@pytest.mark.slow
def test_anonymise_edit_placeholder(snap_compare: Any, app_for: AppFor, reviewed: Study) -> None:
    """Anonymise: the small dialog that changes a placeholder."""
    assert snap_compare(
        app_for(start="anonymise"), terminal_size=SIZE, run_before=keys("down", "down", "e")
    )
