"""Keys typed in one burst in the Framework workspace go where they were meant, in
order: two new themes typed together both arrive (the app used to end with
ScreenStackError, and the second theme's keys were lost)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from textual.keys import _character_to_key

from qualcode.services.framework import list_themes
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def burst(app: QualcodeApp, *keys: str) -> None:
    """Keys handed to the app all at once, as the terminal driver does with a burst."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, None))


@pytest.mark.slow
async def test_two_themes_added_in_one_burst(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        burst(app, "A", "ctrl+u", *"20 one", "enter", "A", "ctrl+u", *"21 two", "enter")
        for _ in range(20):
            await pilot.pause(0.1)
        await settle(pilot)
    labels = {t.id: t.label for t in list_themes(demo_study)}
    assert labels.get("20") == "one"
    assert labels.get("21") == "two"
