"""Dimensions and key issues in the Matrix workspace, driven as a researcher would: the
open cell shows its values, v places it on a dimension from a picker of the declared
values (undo takes it back), K writes the theme's key issues. Assertions are on what
is stored (through the services)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from qualcode.services import dimensions, key_issues
from qualcode.services.study import Study
from qualcode.tui.shared.dialogs import MemoDialog
from qualcode.tui.shared.picker import Picker

from .conftest import settle
from .matrix_helpers import AppFor, open_cell, open_matrix


def stance(study: Study, case: str) -> str | None:
    return dimensions.cell_values(study, ["2.3"]).get((case, "2.3"), {}).get("stance")


@pytest.mark.slow
async def test_set_a_dimension_value_in_the_cell(app_for: AppFor, demo_study: Study) -> None:
    assert stance(demo_study, "int01") == "mixed"  # the sample's value
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await pilot.press("right_square_bracket")  # sheet 2: practice
        await settle(pilot)
        await open_cell(pilot, screen, "int01", "2.3")
        line = screen.cell_view.query_one("#cell-dimensions", Static)
        assert line.display
        shown = str(line.render())
        assert "stance: mixed · mention: prompted · standing: typical" in shown
        await pilot.press("v")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, Picker)
        labels = [item.label for item in picker.items]
        assert labels[:3] == ["stance: very positive", "stance: mixed", "stance: negative"]
        assert "standing: exceptional" in labels
        # the label alone: no internal "stance=..." key beside it
        shown_options = picker.query_one("#picker-options", OptionList)
        prompts = [
            str(shown_options.get_option_at_index(i).prompt)
            for i in range(shown_options.option_count)
        ]
        assert prompts[:3] == ["stance: very positive", "stance: mixed  (now)", "stance: negative"]
        assert not any("=" in p for p in prompts)
        assert "standing: typical  (now)" in prompts
        await pilot.press(*"stance=neg", "enter")
        await settle(pilot)
        assert stance(demo_study, "int01") == "negative"
        assert "stance: negative" in str(line.render())
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert stance(demo_study, "int01") == "mixed"
        assert "stance: mixed" in str(line.render())
        # removing a value: the picker offers it for dimensions the cell has a value on
        await pilot.press("v", *"standing: remove", "enter")
        await settle(pilot)
        assert "standing" not in dimensions.cell_values(demo_study, ["2.3"])[("int01", "2.3")]


@pytest.mark.slow
async def test_cells_of_themes_without_dimensions_show_no_line(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, "int01", "1.3")
        assert not screen.cell_view.query_one("#cell-dimensions", Static).display


@pytest.mark.slow
async def test_write_key_issues_from_the_grid_and_a_cell(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await pilot.press("right", "right", "K")  # the grid's column 1.3
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*"Agency costs dominate.", "ctrl+s")
        await settle(pilot)
        note = key_issues.get_key_issues(demo_study, "1.3")
        assert note is not None
        assert note.text == "Agency costs dominate."
        await open_cell(pilot, screen, "int02", "1.3")
        await pilot.press("K")
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        await pilot.press("end", *" Cover is thin.", "ctrl+s")
        await settle(pilot)
        note = key_issues.get_key_issues(demo_study, "1.3")
        assert note is not None
        assert (note.text, note.version) == ("Agency costs dominate. Cover is thin.", 2)


async def test_key_issues_refused_for_a_colleagues_change_show_their_text(
    app_for: AppFor, demo_study: Study
) -> None:
    """Opened again after the refusal, the editor held only your text: bob's, which
    ctrl+s then replaced, was nowhere on screen."""
    from qualcode.services.study import open_study
    from qualcode.tui.shared.dialogs import ErrorDialog

    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_matrix(pilot)
        await pilot.press("right", "right", "K")  # the grid's column 1.3
        await settle(pilot)
        await pilot.press(*"Vacancies drive agency use.")
        bob = open_study(demo_study.url, coder="bob")
        key_issues.set_key_issues(bob, "1.3", "Retention, not recruitment.")
        bob.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MemoDialog)
        assert dialog.typed == "Vacancies drive agency use."
        assert "Stored now, version 1 by bob (ctrl+s replaces it): Retention, not recruitment." in (
            dialog.subtitle
        )
