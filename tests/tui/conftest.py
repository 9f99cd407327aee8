"""Fixtures for the workbench tests: the app on a private copy of the sample study."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled

from qualcode.services import framework, importing
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp, make_app


def _busy(app: QualcodeApp) -> bool:
    # a workspace says when what it asked for is not on screen yet (``busy``), which
    # finished workers alone do not tell: their results are messages still queued
    return any(getattr(screen, "busy", False) for screen in app.screen_stack)


def steady_cursors(pilot: Pilot[Any]) -> None:
    """Stop the text cursors blinking (shown, as when a field gets focus): on a loaded
    machine a snapshot could otherwise catch a cursor in its hidden half-second."""
    for field in pilot.app.screen.query("Input, TextArea"):
        if isinstance(field, Input | TextArea):
            field.cursor_blink = False


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker has finished, every queued write is stored and every
    workspace on screen shows what it loaded (no fixed sleeps: a loaded machine only
    takes longer)."""
    app = pilot.app
    assert isinstance(app, QualcodeApp)
    for _ in range(2000):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):  # a newer one took over: wait again
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.writing and not any(w.is_running for w in app.workers) and not _busy(app):
            return
    raise AssertionError("the app did not settle")


@pytest.fixture
def app_for(demo_study: Study) -> Callable[..., QualcodeApp]:
    """``app_for(start="read")``: the workbench on the demo study, with no user keymap."""

    def build(**options: object) -> QualcodeApp:
        options.setdefault("keymap", {})
        return make_app(demo_study, **options)  # type: ignore[arg-type]

    return build


@pytest.fixture
def small_study(study: Study, sample: Path) -> Study:
    """Two interviews and the interview framework, on each database of the run."""
    importing.import_transcripts(
        study, [sample / "transcripts" / "int01.txt", sample / "transcripts" / "int02.txt"]
    )
    importing.import_cases(study, sample / "transcripts" / "cases.csv", "case")
    framework.import_framework(study, sample / "frameworks" / "interviews.yaml")
    return study
