"""Quitting never loses work silently: an unsaved matrix summary or memo is asked
about, a memo closed with escape is kept for the session, and the palette offers no
screenshot (an SVG of interview text outside the study)."""

from __future__ import annotations

import pytest

from qualcode.services import memos, summaries
from qualcode.services.study import Study
from qualcode.tui.shared.dialogs import ConfirmDialog, MemoDialog

from .conftest import settle
from .matrix_helpers import AppFor, coded, open_cell, open_matrix

__all__ = ["coded"]  # a fixture the tests take by name


@pytest.mark.slow
async def test_quit_asks_about_an_unsaved_summary(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        await pilot.press("e", *"Relies on agency staff.", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "the summary of int01 on 1.3" in app.screen.message
        await pilot.press("n")  # back to the editor, the text still there
        assert app.is_running
        assert screen.cell_view.text == "Relies on agency staff."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert summaries.get_summary(demo_study, "int01", "1.3").text == "Relies on agency staff."
        await pilot.press("ctrl+q")  # nothing unsaved now: quits at once
        await pilot.pause()
        assert not app.is_running


@pytest.mark.slow
async def test_quit_twice_on_the_question_quits(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        await pilot.press("e", *"Draft", "escape", "escape")  # left the cell: kept in session
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert summaries.get_summary(demo_study, "int01", "1.3").text == ""


async def test_the_palette_offers_no_screenshot(app_for: AppFor) -> None:
    app = app_for(start="anonymise")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Quit" in titles
        assert "Screenshot" not in titles
        # "theme" typed in the palette found Textual's colour themes before coding
        assert "Theme" not in titles
        assert "Colour scheme" in titles


@pytest.mark.slow
async def test_quit_asks_about_a_memo_open_in_its_editor(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*"Staffing dominates", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Study memo (open in its editor)" in app.screen.message
        await pilot.press("n")  # back to the editor, the text still there
        assert isinstance(app.screen, MemoDialog)
        assert app.screen.typed == "Staffing dominates"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert memos.get_memo(demo_study, "study", None).text == "Staffing dominates"  # type: ignore[union-attr]
        await pilot.press("ctrl+q")  # nothing unsaved now: quits at once
        await pilot.pause()
        assert not app.is_running


@pytest.mark.slow
async def test_escape_keeps_a_changed_memo_for_the_session(
    app_for: AppFor, demo_study: Study
) -> None:
    memos.set_memo(demo_study, "case", "int01", "Large borough")
    app = app_for()  # opens on Cases, at int01
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        assert app.screen.typed == "Large borough"
        await pilot.press("escape")  # nothing changed: nothing kept
        await settle(pilot)
        assert app.unsaved_work() == []
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"; two sites", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, MemoDialog)
        assert memos.get_memo(demo_study, "case", "int01").text == "Large borough"  # type: ignore[union-attr]
        assert app.unsaved_work() == ["a case memo on int01"]
        await pilot.press("m")  # opens on what was typed, not on what is stored
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        assert app.screen.typed == "Large borough; two sites"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert memos.get_memo(demo_study, "case", "int01").text == "Large borough; two sites"  # type: ignore[union-attr]
        assert app.unsaved_work() == []


def _burst(app: object, text: str, last: str) -> None:
    """Keys arriving together, as over a laggy SSH link or a paste: none is handled
    before the next arrives."""
    from textual import events

    for ch in text:
        app.post_message(events.Key("space" if ch == " " else ch, ch))  # type: ignore[attr-defined]
    app.post_message(events.Key(last, None))  # type: ignore[attr-defined]


async def test_ctrl_s_saves_every_key_typed_before_it_however_fast(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    """ctrl+s is bound ahead of the editor (priority), so it used to run while the keys
    before it still waited for the editor: "No changes to save", or the first word."""
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        await pilot.press("e")
        _burst(app, "Heavily reliant on agency staff.", "ctrl+s")
        await settle(pilot)
        assert summaries.get_summary(demo_study, "int01", "1.3").text == (
            "Heavily reliant on agency staff."
        )
        await pilot.press("escape", "escape", "f6")  # out of the cell; the study memo
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        _burst(app, "Staffing dominates", "ctrl+s")
        await settle(pilot)
        assert memos.get_memo(demo_study, "study", None).text == "Staffing dominates"  # type: ignore[union-attr]


async def test_ctrl_q_sees_every_key_typed_before_it(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        await pilot.press("e")
        _burst(app, "Agency", "ctrl+q")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, ConfirmDialog)
        assert "the summary of int01 on 1.3" in app.screen.message


@pytest.mark.slow
async def test_a_memo_saved_in_another_window_is_not_overwritten(
    app_for: AppFor, demo_study: Study
) -> None:
    """Two windows, one coder: the second save silently replaced the first."""
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        memos.set_memo(demo_study, "study", None, "Written in the other window.")
        await pilot.press(*"Typed here", "ctrl+s")
        await settle(pilot)
        assert memos.get_memo(demo_study, "study", None).text == "Written in the other window."  # type: ignore[union-attr]
        await pilot.press("escape")  # the refusal's dialog
        await settle(pilot)
        await pilot.press("f6")  # opens on what was typed, with what is stored shown
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        assert app.screen.typed == "Typed here"
        assert "Stored now (ctrl+s replaces it): Written in the other window." in (
            app.screen.subtitle
        )
        await pilot.press("ctrl+s")  # now knowingly
        await settle(pilot)
    assert memos.get_memo(demo_study, "study", None).text == "Typed here"  # type: ignore[union-attr]


async def test_a_coding_typed_just_before_ctrl_q_is_saved_before_quitting(
    app_for: AppFor, demo_study: Study
) -> None:
    """t, a theme's shortcut and ctrl+q in one burst quit with no coding: ctrl+q ran
    before Read & code had taken the keys before it."""
    from qualcode.services import codings

    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        _burst(app, "t1", "ctrl+q")
        for _ in range(100):
            if not app.is_running:
                break
            await pilot.pause(0.1)
        assert not app.is_running
    assert len(codings.list_codings(demo_study)) == 1
