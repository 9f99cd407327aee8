"""Cases -> S: the speakers of a case or of the whole study, and a role changed with r
through the write queue (undone with ctrl+z), codings kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from qualcode.services import codings, progress, queries, speakers
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.cases.screen import CasesScreen
from qualcode.tui.cases.speakers import SpeakersScreen
from qualcode.tui.help.screen import HelpScreen
from qualcode.tui.read.screen import ReadScreen
from qualcode.tui.shared.messages import ReadRequest

from .conftest import settle

AppFor = Callable[..., QualcodeApp]
SIZE = (120, 36)


def _rows(app: QualcodeApp) -> list[list[str]]:
    screen = app.screen
    assert isinstance(screen, SpeakersScreen)
    table = screen.query_one("#speakers-table", DataTable)
    return [[str(v) for v in table.get_row_at(n)] for n in range(table.row_count)]


def _title(app: QualcodeApp) -> str:
    return str(app.screen.query_one("#speakers-title").render())


@pytest.mark.slow
async def test_speakers_of_a_case_and_of_the_study(app_for: AppFor, demo_study: Study) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, SpeakersScreen)
        expected = speakers.list_speakers(demo_study, "int01")
        assert _rows(app) == [
            [x.source, x.speaker, x.role, str(x.turns), str(x.words)] for x in expected
        ]
        assert _title(app).startswith("Speakers of case int01 (1 transcript)")

        await pilot.press("a")
        await settle(pilot)
        totals = speakers.speaker_totals(speakers.list_speakers(demo_study))
        assert _rows(app) == [
            [t.speaker, t.role, str(t.sources), str(t.turns), str(t.words)] for t in totals
        ]
        assert _title(app).startswith("Speakers of the whole study")

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)


async def test_role_changed_in_one_transcript_and_undone(
    app_for: AppFor, demo_study: Study
) -> None:
    text = queries.source_text(demo_study, "int01")
    question = next(
        g for g in queries.list_segments(demo_study, "int01", include_interviewer=True)
        if g.role == "interviewer"
    )  # fmt: skip
    coding = codings.add_coding(demo_study, "int01", question.start, question.end, "1.1")
    before = progress.case_progress(demo_study)["int01"].segments
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert _rows(app)[0][1:3] == ["Interviewer", "interviewer"]
        await pilot.press("r", *"respondent", "enter")
        await settle(pilot)
        assert _rows(app)[0][1:3] == ["Interviewer", "respondent"]
        after = progress.case_progress(demo_study)["int01"]
        assert after.segments == before + len(
            [g for g in queries.list_segments(demo_study, "int01") if g.speaker == "Interviewer"]
        )
        # only int01 changed; the coding on the question is where it was
        assert {x.role for x in speakers.list_speakers(demo_study, "int02")} == {
            "interviewer",
            "respondent",
        }
        kept = [c for c in codings.list_codings(demo_study) if c.id == coding.id]
        assert [(c.start, c.end) for c in kept] == [(question.start, question.end)]
        assert text == queries.source_text(demo_study, "int01")

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _rows(app)[0][1:3] == ["Interviewer", "interviewer"]
        assert progress.case_progress(demo_study)["int01"].segments == before
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert _rows(app)[0][1:3] == ["Interviewer", "respondent"]


@pytest.mark.slow
async def test_role_changed_in_every_transcript(app_for: AppFor, demo_study: Study) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S", "a")
        await settle(pilot)
        rows = _rows(app)
        row = next(n for n, r in enumerate(rows) if r[0] == "Interviewer")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("r", *"other", "enter")
        await settle(pilot)
        assert {
            x.role for x in speakers.list_speakers(demo_study) if x.speaker == "Interviewer"
        } == {"other"}
        assert [r for r in _rows(app) if r[0] == "Interviewer"][0][1] == "other"
        # escape in the picker changes nothing
        await pilot.press("r", "escape")
        await settle(pilot)
        assert isinstance(app.screen, SpeakersScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)


@pytest.mark.slow
async def test_the_reader_shows_a_turn_s_time(app_for: AppFor, demo_study: Study) -> None:
    timed = [g for g in queries.list_segments(demo_study, "int13") if g.time]
    assert timed  # int13 is a transcription service's export with timestamps
    turn = timed[1]
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_reader(ReadRequest(case="int13", source="int13", offset=turn.start + 1))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadScreen)
        side = str(screen.query_one("#read-here").render())
        assert f"turn starts at {turn.time}" in side
        assert turn.time is not None
        assert turn.time not in turn.text  # metadata, never the turn's words


@pytest.mark.slow
async def test_help_lists_the_speakers_keys(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        shown: Any = screen.keys_table()
        titles = [str(t.title) for t in shown.renderables if hasattr(t, "title")]
        assert "Speakers (S in Cases)" in titles
        ids = [
            str(cell)
            for table in shown.renderables
            if hasattr(table, "columns")
            for cell in table.columns[2]._cells
        ]
        assert {"cases.speakers", "speakers.role", "speakers.scope"} <= set(ids)


@pytest.mark.slow
def test_speakers_snapshot(snap_compare: Any, app_for: AppFor) -> None:
    """The whole study's speakers with their roles, sources, turns and words."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("S", "a")
        await settle(pilot)

    assert snap_compare(app_for(), terminal_size=SIZE, run_before=run_before)
