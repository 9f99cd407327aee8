"""What the Matrix workspace looks like at 120x36, on the sample study with codings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from qualcode.domain.matrix import FINAL, NOT_DISCUSSED
from qualcode.services import codings, quotes, summaries
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp

from .conftest import settle
from .matrix_helpers import code_by_rules

SIZE = (120, 36)
AppFor = Callable[..., QualcodeApp]


@pytest.fixture
def charted(demo_study: Study, tmp_path: Path) -> Study:
    """Coded interviews, a few summaries in each status and one marked quote."""
    code_by_rules(demo_study, tmp_path)
    summaries.set_summary(demo_study, "int01", "1.3", "Reliant on agency staff; costly.", FINAL)
    summaries.set_summary(demo_study, "int03", "1.3", "About a quarter agency (int03 l.19).")
    summaries.set_summary(demo_study, "int02", "1.4", "", NOT_DISCUSSED)
    first = codings.list_codings(demo_study, case="int01", theme="1.3")[1]
    quotes.mark_quote(demo_study, first.id)
    return demo_study


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run


def test_matrix_grid(snap_compare: Any, app_for: AppFor, charted: Study) -> None:
    """The grid grouped by sector: counts per group, shading, status glyphs, summaries."""
    assert snap_compare(
        app_for(start="matrix"), terminal_size=SIZE, run_before=keys("g", "right", "right")
    )


@pytest.mark.slow
def test_matrix_cell(snap_compare: Any, app_for: AppFor, charted: Study) -> None:
    """A cell open: its passages with references and a marked quote, the summary editor."""
    assert snap_compare(
        app_for(start="matrix"),
        terminal_size=SIZE,
        run_before=keys("g", "right", "right", "enter"),
    )
