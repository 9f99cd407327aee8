"""Codings typed in a fast burst all show on the page, not only the first."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qualcode.services import codings
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.read.loading import CodingsLoaded
from qualcode.tui.read.screen import ReadScreen

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


@pytest.mark.slow
async def test_three_codings_in_a_burst_all_show(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="read")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadScreen)
        await pilot.press("n", "2", "n", "2", "n", "2")
        await settle(pilot)
        stored = codings.list_codings(demo_study)
        assert len(stored) == 3
        doc = screen.view.doc
        assert doc is not None
        assert len(doc.marks) == 3
        # a load asked for after the first coding, finishing after the third's: it was
        # read before the others were stored, and hid them until ctrl+l
        assert screen.opened is not None
        assert screen.catalogue is not None
        late = CodingsLoaded(
            screen.opened.key, stored[:1], screen.catalogue, screen.codings_asked - 1
        )
        screen.post_message(late)
        await settle(pilot)
        assert len(doc.marks) == 3
