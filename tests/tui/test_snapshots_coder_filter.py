"""What the coder filter looks like at 120x36."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from qualcode.services.study import Study, open_study
from qualcode.tui.app import QualcodeApp

from .conftest import settle
from .test_coder_filter import code_two_coders

SIZE = (120, 36)
AppFor = Callable[..., QualcodeApp]


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*pressed)
        await settle(pilot)

    return run


@pytest.mark.slow
def test_read_filtered_to_one_coder(snap_compare: Any, app_for: AppFor, demo_study: Study) -> None:
    """Read & code filtered to bob: only his spans and gutter ids, "coder: bob" in the title."""
    bob = open_study(demo_study.url, coder="bob")
    code_two_coders(demo_study, bob)
    bob.close()
    # to bob's first turn, so that the side panel lists his coding there
    pressed = ("C", *"bob", "enter", *"]]]")
    assert snap_compare(app_for(start="read"), terminal_size=SIZE, run_before=keys(*pressed))
