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


async def test_a_read_only_study_says_so_when_opened_and_when_a_write_fails(
    app_for: Callable[..., QualcodeApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only study file opened without a word, and each write then said only
    "attempt to write a readonly database"."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from qualcode.cli import one_line
    from qualcode.store.failures import database_failure

    path = tmp_path / "ro.qualcode"
    sqlite3.connect(path).execute("CREATE TABLE t (x INTEGER)").connection.commit()
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    )
    with pytest.raises(OperationalError) as caught, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))  # SQLite's own refusal
    engine.dispose()
    failure = database_failure(caught.value)
    assert failure is not None
    assert failure.title == "Study is read-only"
    assert one_line(str(failure)).startswith(
        "The study file cannot be written: it is read-only (attempt to write a readonly "
        "database). Nothing can be saved to it: copy it to a file you can write to, or ask "
        "for write access. Nothing was changed by this step;"
    )
    # the file's mode bits: root may write anyway, so the check is told what they say
    monkeypatch.setattr("qualcode.services.study.os.access", lambda p, mode: False)
    app = app_for(start="cases")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any("This study file (or its folder) is read-only" in m for m in said)
