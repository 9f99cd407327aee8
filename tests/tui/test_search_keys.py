"""Search's keys as the README documents them: `/` leads to the search box (and is
never typed into it), and letters typed in the hits start a new search."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Input

from qualcode.services import search
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def _query(app: QualcodeApp) -> Input:
    return app.screen.query_one("#search-query", Input)


@pytest.mark.slow
async def test_slash_after_f5_is_not_typed_into_the_search(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("slash", *"reflective", "enter")
        await settle(pilot)
        assert _query(app).value == "reflective"
        hits = search.search(demo_study, "reflective")
        assert hits
        assert app.screen.query_one("#search-hits", DataTable).row_count == len(hits)


@pytest.mark.slow
async def test_after_enter_slash_or_a_letter_starts_a_new_search(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for(start="search")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(*"agency", "enter")
        await settle(pilot)
        table = app.screen.query_one("#search-hits", DataTable)
        assert table.has_focus  # space, a, c and o act on the hits
        await pilot.press("slash", *"supervision", "enter")  # replaces the last search
        await settle(pilot)
        assert _query(app).value == "supervision"
        assert table.row_count == len(search.search(demo_study, "supervision"))
        assert table.has_focus
        await pilot.press(*"turnover")  # t is no key here: the letters go to the search
        await settle(pilot)
        assert _query(app).has_focus
        assert _query(app).value == "turnover"
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == len(search.search(demo_study, "turnover"))


@pytest.mark.slow
async def test_no_hits_leaves_the_words_ready_to_change(app_for: AppFor) -> None:
    app = app_for(start="search")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(*"zzqqxx", "enter")
        await settle(pilot)
        assert _query(app).has_focus
        await pilot.press("backspace", "backspace")
        assert _query(app).value == "zzqq"


@pytest.mark.slow
async def test_coding_one_hit_says_one_passage(app_for: AppFor) -> None:
    app = app_for(start="search")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(*"agency", "enter")
        await settle(pilot)
        await pilot.press("space", "c", *"1.3", "enter")
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any("Coded 1 passage with 1.3" in m for m in said), said
        assert not any("1 passages" in m for m in said), said


@pytest.mark.slow
async def test_letters_typed_fast_in_the_hits_all_reach_the_search(
    app_for: AppFor, demo_study: Study
) -> None:
    from textual import events

    app = app_for(start="search")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(*"agency", "enter")
        await settle(pilot)
        assert app.screen.query_one("#search-hits", DataTable).has_focus
        for ch in "turnover":  # as a terminal delivers them: all queued before any is handled
            app.post_message(events.Key(ch, ch))
        await settle(pilot)
        assert _query(app).value == "turnover"
        assert _query(app).has_focus
