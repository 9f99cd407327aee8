"""ctrl+z and ctrl+y in the workbench revert actions from the audit trail: what undo
did is in the log under its own batch, and a colleague's later change is never
overwritten by an undo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from qualcode.services import codings, framework, queries
from qualcode.services.study import Study, open_study
from qualcode.store import models as m
from qualcode.tui.app import QualcodeApp
from qualcode.tui.shared.dialogs import ConfirmDialog, ErrorDialog

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def batches(study: Study) -> list[tuple[str | None, str | None, str, str]]:
    """(batch, undoes, action, entity) of every change this coder made."""
    with study.read() as s:
        rows = s.scalars(select(m.ChangeRow).where(m.ChangeRow.coder == study.coder))
        return [(r.batch, r.undoes, r.action, r.entity) for r in rows]


async def test_undo_and_redo_of_a_merge_are_batches_in_the_log(
    app_for: AppFor, demo_study: Study
) -> None:
    for seg in queries.list_segments(demo_study, case="int01")[:3]:
        codings.code_segment(demo_study, seg.id, "1.2")
    seen = len(batches(demo_study))
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "m", *"1.1", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        merge = batches(demo_study)[seen:]
        assert {b for b, *_ in merge} == {merge[0][0]}  # one action, one batch
        assert ("merge", "theme") in {(a, e) for _, _, a, e in merge}
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert framework.framework_tree(demo_study).themes["1.2"].parent == "1"
        undo = batches(demo_study)[seen + len(merge) :]
        assert undo
        assert {u for _, u, *_ in undo} == {merge[0][0]}
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "1.2" not in framework.framework_tree(demo_study).themes
        redo = batches(demo_study)[seen + len(merge) + len(undo) :]
        assert redo
        assert {u for _, u, *_ in redo} == {undo[0][0]}
        assert {c.theme for c in codings.list_codings(demo_study)} == {"1.1"}


@pytest.mark.slow
async def test_undo_refuses_to_overwrite_a_colleagues_edit(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for(start="framework")
    colleague = open_study(demo_study.engine.url.render_as_string(hide_password=False), "bob")
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("a", *"Caseload weighting", "enter")  # adds 1.6
            await settle(pilot)
            await pilot.press("r", "ctrl+u", *"Caseload weights", "enter")
            await settle(pilot)
            framework.update_theme(colleague, "1.6", label="Weighting of caseloads")
            await pilot.press("ctrl+z")  # would undo the rename: bob renamed it since
            await settle(pilot)
            assert isinstance(app.screen, ErrorDialog)
            assert "changed by someone else" in app.screen.message
            assert framework.framework_tree(demo_study).themes["1.6"].label == (
                "Weighting of caseloads"
            )
            await pilot.press("escape")
            assert len(app.history) == 1  # the refused entry left the list: the add is next
            await pilot.press("ctrl+z")  # the theme bob renamed is not taken away either
            await settle(pilot)
            assert isinstance(app.screen, ErrorDialog)
            assert framework.framework_tree(demo_study).themes["1.6"].label == (
                "Weighting of caseloads"
            )
            assert len(app.history) == 0
    finally:
        colleague.close()
