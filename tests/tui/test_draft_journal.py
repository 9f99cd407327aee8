"""Unsaved drafts outlive a session that ends without ctrl+q (a dropped SSH link, a
killed process): the workbench keeps them on disk, readable by the user alone, and the
next session on the study puts each back where it was typed, unsaved. A quit the user
chose drops them, as it said it would."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from qualcode.services import memos, summaries
from qualcode.services.study import Study
from qualcode.tui.shared import journal
from qualcode.tui.shared.dialogs import ConfirmDialog, MemoDialog

from .conftest import settle
from .matrix_helpers import AppFor, coded, open_cell, open_matrix

__all__ = ["coded"]  # a fixture the tests take by name


def the_file(app: object) -> Path:
    path = app.journal  # type: ignore[attr-defined]
    assert path is not None
    return Path(path)


def session_ended(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process that wrote the files has ended (a dropped connection): in a test it
    is this one, still running."""
    monkeypatch.setattr(journal, "_alive", lambda pid: False)


def test_the_file_is_the_users_alone_and_names_no_study(tmp_path: Path) -> None:
    path = tmp_path / "drafts" / "x.json"
    drafts = [journal.Draft("read", ("memo", "case", "int01"), "a case memo on int01", "Ms A.")]
    journal.save(path, drafts)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert journal.load(path)[1] == drafts
    journal.save(path, [])
    assert not path.exists()
    assert journal.journal_path("sqlite:////home/r/Interview-Kamala-Oduya.qualcode", "r")
    name = journal.journal_path("postgresql+psycopg://u:secret@h/db", "alice").name  # type: ignore[union-attr]
    assert "secret" not in name
    assert "alice" not in name
    path.write_text("{not json", encoding="utf-8")
    assert journal.load(path) == (None, [])  # never a reason not to open the study


@pytest.mark.slow
async def test_a_memo_and_a_summary_typed_before_a_hang_up_come_back(
    app_for: AppFor,
    demo_study: Study,
    coded: list[tuple[str, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memos.set_memo(demo_study, "case", "int01", "Large borough")
    app = app_for()  # opens on Cases, at int01
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"; two sites", "escape")  # kept for the session
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        await pilot.press("e", *"Relies on agency staff.")  # still in the editor
        await settle(pilot)
        app.write_journal()  # as the timer does every few seconds
        first = the_file(app)
        assert first.exists()
        # the connection drops: the app ends without ctrl+q and nothing is saved
    assert summaries.get_summary(demo_study, "int01", "1.3").text == ""
    assert memos.get_memo(demo_study, "case", "int01").text == "Large borough"  # type: ignore[union-attr]

    session_ended(monkeypatch)
    again = app_for()
    said: list[str] = []
    notify = again.notify
    again.notify = lambda message, **kw: (said.append(str(message)), notify(message, **kw))[1]  # type: ignore[method-assign]
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert any("2 drafts not saved" in s and "the summary of int01 on 1.3" in s for s in said)
        await pilot.press("m")  # the memo editor opens on what was typed
        await settle(pilot)
        assert isinstance(again.screen, MemoDialog)
        assert again.screen.typed == "Large borough; two sites"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert memos.get_memo(demo_study, "case", "int01").text == "Large borough; two sites"  # type: ignore[union-attr]
        # the summary waits in the Matrix, named by ctrl+q until saved
        assert "the summary of int01 on 1.3 (recovered)" in again.unsaved_work()
        screen = await open_matrix(pilot)
        assert ("int01", "1.3") in screen.unsaved
        await open_cell(pilot, screen, "int01", "1.3")
        assert screen.cell_view.text == "Relies on agency staff."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert summaries.get_summary(demo_study, "int01", "1.3").text == "Relies on agency staff."
        again.write_journal()
        assert not first.exists()  # taken over by this session's file...
        assert not the_file(again).exists()  # ...which holds nothing: nothing is unsaved


@pytest.mark.slow
async def test_quitting_and_saying_lose_it_drops_the_drafts(
    app_for: AppFor, demo_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f6")  # the study memo's editor
        await settle(pilot)
        await pilot.press(*"Staffing dominates")
        app.write_journal()
        written = the_file(app)
        assert written.exists()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert not written.exists()
    session_ended(monkeypatch)
    again = app_for()
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert again.recovered == []
        assert again.unsaved_work() == []


@pytest.mark.slow
async def test_two_windows_keep_their_own_drafts(app_for: AppFor, demo_study: Study) -> None:
    """Two windows on one study as one coder each rewrote the one file with their own
    drafts only, so the other's unsaved text was gone after a hang-up; a second window
    also "recovered" the drafts of a first one still running."""
    first, second = app_for(), app_for()
    async with first.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f6")  # the study memo's editor
        await settle(pilot)
        await pilot.press(*"First window's words")
        first.write_journal()
        async with second.run_test(size=(120, 36)) as other:
            await settle(other)
            assert second.recovered == []  # the first is still running: not left behind
            second.write_journal()  # nothing unsaved here
            assert the_file(first).exists()
            assert journal.load(the_file(first))[1][0].text == "First window's words"
