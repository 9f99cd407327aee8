"""The Anonymise workspace driven as a user would: reviewing the proposed placeholders;
assertions are on the proposals stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from qualcode.domain.anonymise import ACCEPTED, PROPOSED, REJECTED, Proposal
from qualcode.services import anonymise
from qualcode.services.study import Study
from qualcode.tui.anonymise.screen import AnonymiseScreen
from qualcode.tui.app import QualcodeApp
from qualcode.tui.shared.dialogs import ConfirmDialog, PromptDialog

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def by_id(study: Study) -> dict[int, Proposal]:
    return {p.id: p for p in anonymise.list_proposals(study)}


def screen_of(app: QualcodeApp) -> AnonymiseScreen:
    screen = app.screen
    assert isinstance(screen, AnonymiseScreen)
    return screen


def said(app: QualcodeApp) -> str:
    """Every notification shown so far."""
    return " ".join(str(n.message) for n in app._notifications)


@pytest.mark.slow
async def test_accept_reject_and_edit_a_placeholder(app_for: AppFor, proposed: Study) -> None:
    first, second, third = anonymise.list_proposals(proposed)[:3]
    app = app_for(start="anonymise")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert [p.id for p in screen.shown[:3]] == [first.id, second.id, third.id]
        context = str(app.screen.query_one("#anon-context", Static).render())
        assert first.original in context
        assert first.placeholder in context
        await pilot.press("a", "x")  # the cursor moves on after each decision
        await settle(pilot)
        stored = by_id(proposed)
        assert (stored[first.id].status, stored[second.id].status) == (ACCEPTED, REJECTED)
        assert screen.current == third.id
        await pilot.press("e")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("ctrl+u", *"[neighbouring county]", "enter")
        await settle(pilot)
        stored = by_id(proposed)
        assert stored[third.id].placeholder == "[neighbouring county]"
        assert stored[third.id].status == PROPOSED
        assert screen.current == third.id  # a new placeholder does not move the row
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        stored = by_id(proposed)
        assert stored[third.id].placeholder == third.placeholder
        assert stored[second.id].status == PROPOSED
        assert stored[first.id].status == ACCEPTED
        names = " ".join(p.original for p in stored.values())
        assert not any(p.original in said(app) for p in stored.values()), names


@pytest.mark.slow
async def test_accept_all_asks_first_and_undoes(app_for: AppFor, proposed: Study) -> None:
    first = anonymise.list_proposals(proposed)[0]
    anonymise.decide(proposed, first.id, status=REJECTED)
    app = app_for(start="anonymise")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(anonymise.list_proposals(proposed, PROPOSED)) > 0
        await pilot.press("A", "y")
        await settle(pilot)
        statuses = {p.id: p.status for p in anonymise.list_proposals(proposed)}
        assert statuses.pop(first.id) == REJECTED  # a rejected name stays rejected
        assert set(statuses.values()) == {ACCEPTED}
        await pilot.press("ctrl+z")
        await settle(pilot)
        statuses = {p.id: p.status for p in anonymise.list_proposals(proposed)}
        assert statuses.pop(first.id) == REJECTED
        assert set(statuses.values()) == {PROPOSED}


@pytest.mark.slow
async def test_status_filter_keeps_the_review_going(app_for: AppFor, proposed: Study) -> None:
    waiting = anonymise.list_proposals(proposed, PROPOSED)
    app = app_for(start="anonymise")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("s")  # proposed only
        screen = screen_of(app)
        assert screen.status == PROPOSED
        table = app.screen.query_one("#anon-table", DataTable)
        assert table.row_count == len(waiting)
        await pilot.press("a", "a", "a")  # accepted rows leave the list; the next comes up
        assert table.row_count == len(waiting) - 3
        await settle(pilot)
        accepted = {p.id for p in anonymise.list_proposals(proposed, ACCEPTED)}
        assert accepted == {p.id for p in waiting[:3]}
        assert screen.current == waiting[3].id


@pytest.mark.slow
async def test_find_names_with_a_list(app_for: AppFor, demo_study: Study, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("person: Marjorie Quennell\nplace: Lindenvale\n", encoding="utf-8")
    app = app_for(start="anonymise")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "press f" in str(app.screen.query_one("#anon-context", Static).render())
        await pilot.press("f")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*str(names), "enter")
        await settle(pilot)
        stored = {p.original: p for p in anonymise.list_proposals(demo_study)}
        assert stored["Lindenvale"].status == ACCEPTED  # listed: accepted at once
        assert stored["Lindenvale"].origin == "list"
        assert len(stored) > 50  # and the heuristics found the rest
        assert screen_of(app).query_one("#anon-table", DataTable).row_count == len(stored)
        assert not app.screen.query_one("#anon-progress").has_class("running")


async def test_a_missing_names_file_is_one_error(app_for: AppFor, demo_study: Study) -> None:
    from qualcode.tui.shared.dialogs import ErrorDialog

    app = app_for(start="anonymise")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f", *"/nonexistent/names.txt", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        await pilot.press("enter")
        assert anonymise.list_proposals(demo_study) == []
        assert not app.screen.query_one("#anon-progress").has_class("running")
