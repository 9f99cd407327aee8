"""Fixtures for the workbench tests: the app on a private copy of the sample study."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled

from qualcode.services import anonymise, codings, framework, importing, queries
from qualcode.services.study import Study, open_study
from qualcode.services.suggest import suggest
from qualcode.services.suggest_model import clear_cache
from qualcode.store.engine import sqlite_url
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


# --- variants of the sample study, each built once per run and copied per test ----------


def _variant(template: Path, folder: Path, build: Callable[[Study], object]) -> Path:
    path = folder / "demo.qualcode"
    shutil.copy2(template, path)
    study = open_study(sqlite_url(path), coder="alice")
    try:
        build(study)
    finally:
        study.close()
        clear_cache()  # no model fitted here outlives the build
    return path


def _suggest_two_interviews(study: Study) -> None:
    for case in ("int01", "int02"):
        suggest(study, case=case, use_embeddings=False)


def _teach_then_suggest(study: Study) -> None:
    tree = framework.framework_tree(study)
    leaves = [t.id for t in tree.ordered() if not tree.children.get(t.id)]
    segs = [g for g in queries.list_segments(study) if g.case in ("int01", "int02")]
    for i, g in enumerate(segs[:60]):
        codings.code_segment(study, g.id, leaves[i % 6])
    suggest(study, case="int03", use_embeddings=False)


@pytest.fixture(scope="session")
def _suggested_template(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Cold-start suggestions (deterministic) pending for int01 and int02."""
    return _variant(_demo_template, tmp_path_factory.mktemp("suggested"), _suggest_two_interviews)


@pytest.fixture(scope="session")
def _taught_template(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two interviews' answers coded by hand (enough for the model to cross-validate)
    and pending suggestions for a third."""
    return _variant(_demo_template, tmp_path_factory.mktemp("taught"), _teach_then_suggest)


@pytest.fixture(scope="session")
def _proposed_template(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The names found in the sample (heuristics only, nothing decided)."""

    def find(study: Study) -> None:
        anonymise.find_names(study, use_spacy=False)

    return _variant(_demo_template, tmp_path_factory.mktemp("proposed"), find)


# a test asking for one of these fixtures gets the sample study in that state
DEMO_VARIANTS = {
    "suggested": "_suggested_template",
    "taught": "_taught_template",
    "proposed": "_proposed_template",
}


@pytest.fixture
def demo_path(_demo_template: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A private copy of the sample study, or of the variant a test asks for (see
    DEMO_VARIANTS): built once per run, not again in every test that needs it."""
    chosen = [t for name, t in DEMO_VARIANTS.items() if name in request.fixturenames]
    template = request.getfixturevalue(chosen[0]) if chosen else _demo_template
    path = tmp_path / "demo.qualcode"
    shutil.copy2(template, path)
    return path


@pytest.fixture
def suggested(demo_study: Study) -> Study:
    """The sample study with pending cold-start suggestions for two interviews."""
    return demo_study


@pytest.fixture
def taught(demo_study: Study) -> Study:
    """The sample study with two interviews coded and suggestions for a third."""
    return demo_study


@pytest.fixture
def proposed(demo_study: Study) -> Study:
    """The sample study with its names found (heuristics only, nothing decided)."""
    return demo_study


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


def record_notices(app: Any) -> list[str]:
    """Every notice ``app`` shows, kept: a notice times out, on a busy machine before a
    test reads it."""
    said: list[str] = []
    shown = app.notify

    def notify(message: Any, *args: Any, **kwargs: Any) -> None:
        said.append(str(message))
        shown(message, *args, **kwargs)

    app.notify = notify
    return said
