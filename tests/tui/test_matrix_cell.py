"""An open cell of the Matrix workspace, driven as a researcher would: summaries saved,
refused on a concurrent edit, drafted and accepted; quotes marked; the transcript
opened at a passage. Assertions are on what is stored (through the services)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from qualcode.domain.matrix import DRAFTED, EMPTY, FINAL, NOT_DISCUSSED, WRITTEN
from qualcode.services import codings, importing, summaries
from qualcode.services.study import Study
from qualcode.tui.read.screen import ReadScreen
from qualcode.tui.shared.dialogs import ErrorDialog

from .conftest import settle
from .matrix_helpers import AppFor, coded, go_to, matrix_screen, open_cell, open_matrix

__all__ = ["coded"]  # a fixture the tests take by name


@pytest.mark.slow
async def test_edit_and_save_a_summary(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        passages = {seg for c, seg, t in coded if c == "int01" and t == "1.3"}
        assert screen.cell_view.cell is not None
        assert len(screen.cell_view.cell.passages) == len(passages)
        await pilot.press("e", *"Relies heavily on agency staff.", "ctrl+s")
        await settle(pilot)
        stored = summaries.get_summary(demo_study, "int01", "1.3")
        assert stored.text == "Relies heavily on agency staff."
        assert (stored.status, stored.version, stored.coder) == (WRITTEN, 1, "alice")
        assert not screen.cell_view.dirty
        await pilot.press("end", *" Costly.", "ctrl+s")
        await settle(pilot)
        stored = summaries.get_summary(demo_study, "int01", "1.3")
        assert stored.text == "Relies heavily on agency staff. Costly."
        assert stored.version == 2
        await pilot.press("escape", "ctrl+z")  # the editor loses the focus; undo the save
        await settle(pilot)
        assert summaries.get_summary(demo_study, "int01", "1.3").text == (
            "Relies heavily on agency staff."
        )
        assert screen.cell_view.text == "Relies heavily on agency staff."


@pytest.mark.slow
async def test_a_concurrent_edit_is_refused_and_the_text_kept(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        await pilot.press("e", *"My summary.")
        # bob saves the same cell between the opening and the save
        summaries.set_summary(demo_study, "int01", "1.3", "Bob's summary.", coder="bob")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        message = str(app.screen.message)
        assert "bob changed it" in message
        assert "you started from version 0" in message
        stored = summaries.get_summary(demo_study, "int01", "1.3")
        assert (stored.text, stored.coder) == ("Bob's summary.", "bob")
        await pilot.press("escape")
        await settle(pilot)
        view = matrix_screen(app).cell_view
        assert view.text == "My summary."
        assert view.conflict is not None
        assert view.conflict.text == "Bob's summary."
        # having seen bob's text, a second save knowingly replaces it
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = summaries.get_summary(demo_study, "int01", "1.3")
        assert (stored.text, stored.coder, stored.version) == ("My summary.", "alice", 2)


@pytest.mark.slow
async def test_draft_then_accept(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        await pilot.press("d")
        await settle(pilot)
        drafted = summaries.get_summary(demo_study, "int01", "1.3")
        assert drafted.status == DRAFTED  # never final without the keystroke
        assert "(int01 l." in drafted.text
        assert screen.cell_view.text == drafted.text
        await pilot.press("a")
        await settle(pilot)
        final = summaries.get_summary(demo_study, "int01", "1.3")
        assert (final.status, final.text) == (FINAL, drafted.text)
        assert [v.status for v in summaries.summary_history(demo_study, "int01", "1.3")] == [
            DRAFTED,
            FINAL,
        ]


@pytest.mark.slow
async def test_d_never_replaces_a_written_summary(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    """`d` on a written cell saved the machine's draft over the researcher's words at
    once; it now proposes the draft in the editor, as on a final cell."""
    summaries.set_summary(demo_study, "int01", "1.3", "Mine: agency reliance.", None, 0)
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await go_to(pilot, screen, "int01", "1.3")
        await pilot.press("d")  # on the grid: told to open it
        await settle(pilot)
        stored = summaries.get_summary(demo_study, "int01", "1.3")
        assert (stored.text, stored.status) == ("Mine: agency reliance.", WRITTEN)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")  # in the cell: proposed, not saved
        await settle(pilot)
        stored = summaries.get_summary(demo_study, "int01", "1.3")
        assert (stored.text, stored.version) == ("Mine: agency reliance.", 1)
        assert "(int01 l." in screen.cell_view.text
        assert screen.cell_view.dirty


@pytest.mark.slow
async def test_edited_draft_accepted_in_one_keystroke(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int03", "1.3")
        await pilot.press("d")
        await settle(pilot)
        drafted = summaries.get_summary(demo_study, "int03", "1.3")
        assert drafted.status == DRAFTED
        await pilot.press("e", *" Agency spend is high.")  # the cursor is at the end
        await pilot.press("escape", "a")
        await settle(pilot)
        final = summaries.get_summary(demo_study, "int03", "1.3")
        assert (final.status, final.text) == (FINAL, drafted.text + " Agency spend is high.")


async def test_mark_a_quote_and_undo(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        await pilot.press("down", "q")
        await settle(pilot)
        view = screen.cell_view
        assert view.cell is not None
        second = view.cell.passages[1]
        marked = [c for c in codings.list_codings(demo_study, case="int01") if c.quote]
        assert [(c.source, c.start, c.end, c.theme) for c in marked] == [
            (second.source, second.start, second.end, "1.3")
        ]
        assert view.cell.passages[1].quote
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not any(c.quote for c in codings.list_codings(demo_study, case="int01"))
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert [c.id for c in codings.list_codings(demo_study, case="int01") if c.quote] == [
            c.id for c in marked
        ]


@pytest.mark.slow
async def test_jump_to_the_transcript(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await pilot.press("right_square_bracket")  # sheet 2: practice
        await settle(pilot)
        await open_cell(pilot, screen, "int03", "2.3")
        view = screen.cell_view
        assert view.cell is not None
        assert len(view.cell.passages) >= 2
        await pilot.press("down")
        passage = view.cell.passages[1]
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "read"
        reader = app.screen
        assert isinstance(reader, ReadScreen)
        assert reader.opened is not None
        assert reader.opened.key == f"src:{passage.source}"
        assert reader.view.cursor == reader.opened.doc.to_doc(passage.source, passage.start)
        await pilot.press("f7")  # back where we were
        await settle(pilot)
        assert matrix_screen(app).in_cell
        assert matrix_screen(app).cell_view.key == ("int03", "2.3")


@pytest.mark.slow
async def test_status_cycle_and_unsaved_text(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await go_to(pilot, screen, "int02", "1.4")
        await pilot.press("s")
        await settle(pilot)
        assert summaries.get_summary(demo_study, "int02", "1.4").status == NOT_DISCUSSED
        await pilot.press("s")
        await settle(pilot)
        assert summaries.get_summary(demo_study, "int02", "1.4").status == EMPTY
        # text typed and left unsaved is kept for the session, not stored
        await pilot.press("enter", "e", *"Half written", "escape", "escape")
        await settle(pilot)
        assert not screen.in_cell
        assert ("int02", "1.4") in screen.grid.unsaved
        assert summaries.get_summary(demo_study, "int02", "1.4").text == ""
        await pilot.press("enter")
        await settle(pilot)
        assert screen.cell_view.text == "Half written"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert summaries.get_summary(demo_study, "int02", "1.4").text == "Half written"
        # a coded cell is never "not discussed": s says why and changes nothing
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not screen.in_cell
        await go_to(pilot, screen, "int03", "1.3")
        cell = screen.grid_cell()
        assert cell is not None
        assert cell.passages
        assert summaries.get_summary(demo_study, "int03", "1.3").status == EMPTY
        await pilot.press("s")
        await settle(pilot)
        assert summaries.get_summary(demo_study, "int03", "1.3").status == EMPTY
        assert any("coded passage" in str(n.message) for n in app._notifications)


@pytest.mark.slow
async def test_a_survey_sheet_jumps_to_the_question(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    """A survey sheet lists the respondents; a passage opens its question's answers."""
    first = min(c for c, _, t in coded if t == "S1.1")  # R0001... sort as numbers
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await pilot.press("t", *"S1", "enter")
        await settle(pilot)
        assert screen.page is not None
        assert screen.page.sheet.kinds == ("survey",)
        await open_cell(pilot, screen, first, "S1.1")
        view = screen.cell_view
        assert view.cell is not None
        passage = view.cell.passages[0]
        assert passage.ref == f"{first} q_supervision"
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReadScreen)
        assert reader.opened is not None
        assert reader.opened.key == "q:q_supervision"
        assert reader.view.cursor == reader.opened.doc.to_doc(passage.source, passage.start)


@pytest.mark.slow
async def test_a_cells_title_names_a_cases_numeric_attributes(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    """A bare number in the title ("12") says nothing: it comes with its attribute's
    name, while a value with letters ("CSD") stands alone."""
    sheet = tmp_path / "years.csv"
    sheet.write_text("case,years_in_post\nint01,12\n", encoding="utf-8")
    importing.import_cases(demo_study, sheet, "case")
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        title = str(screen.cell_view.query_one("#cell-title", Static).render())
        assert title.startswith("int01 · 1.3")
        assert "CSD" in title
        assert "years_in_post 12" in title
