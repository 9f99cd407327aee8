"""Failures reach the one error dialog in qualcode's own terms: a real database error
shows as a DatabaseFailure, and the TUI imports neither sqlalchemy nor the store."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from textual.widgets import Static

import qualcode.tui
from qualcode.tui.app import QualcodeApp
from qualcode.tui.shared.dialogs import ErrorDialog

from .conftest import settle

TUI = Path(qualcode.tui.__file__).parent


@pytest.mark.slow
async def test_a_database_error_shows_as_a_database_failure(
    app_for: Callable[..., QualcodeApp], tmp_path: Path
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'refused.qualcode'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    engine.dispose()
    app = app_for(start="cases")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.report_failure(caught.value)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.title_text == "Database error"
        shown = str(dialog.query_one("#error-message", Static).render())
        assert "UNIQUE constraint failed" in shown
        assert "Nothing was changed by this step; everything saved before it is safe." in shown
        assert dialog.details is None  # an expected failure: no traceback


def test_the_tui_imports_neither_sqlalchemy_nor_the_store() -> None:
    for path in TUI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert not name.startswith(("sqlalchemy", "qualcode.store")), f"{path}: {name}"
