"""ctrl+z takes back a memo's save, as `qualcode undo` does: the app's undo list went
straight past memos ("Nothing to undo" after overwriting one by mistake)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qualcode.services import memos
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.shared.dialogs import MemoDialog

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def text_of(study: Study) -> str | None:
    memo = memos.get_memo(study, "case", "int01")
    return memo.text if memo else None


@pytest.mark.slow
async def test_ctrl_z_takes_back_a_memo_saved_over_another(
    app_for: AppFor, demo_study: Study
) -> None:
    memos.set_memo(demo_study, "case", "int01", "Large borough, two sites.")
    app = app_for()  # opens on Cases, at int01
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*" Oops", "ctrl+s")  # changed by mistake
        await settle(pilot)
        assert text_of(demo_study) == "Large borough, two sites. Oops"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert text_of(demo_study) == "Large borough, two sites."
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert text_of(demo_study) == "Large borough, two sites. Oops"
