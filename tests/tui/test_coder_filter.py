"""The coder filter (C) in Read & code and Cases, and the refresh key (ctrl+l), driven
as a user would on a study coded by two coders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from qualcode.domain.model import Segment
from qualcode.services import codings, importing, queries
from qualcode.services.progress import case_progress
from qualcode.services.study import Study, open_study
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.cases.screen import CasesScreen
from qualcode.tui.read.screen import ReadScreen
from qualcode.tui.shared.picker import Picker

from .conftest import settle

AppFor = Callable[..., QualcodeApp]
SIZE = (120, 36)


def code_two_coders(alice: Study, bob: Study) -> list[Segment]:
    """int01's respondent turns: alice codes turns 0 and 2, bob turns 1 and 2."""
    turns = queries.list_segments(alice, case="int01")
    assert {t.role for t in turns} == {"respondent"}
    codings.code_segment(alice, turns[0].id, "1.1")
    codings.code_segment(alice, turns[2].id, "2.1")
    codings.code_segment(bob, turns[1].id, "1.3")
    codings.add_coding(bob, turns[2].source, turns[2].start, turns[2].start + 80, "2.4")
    return turns


@pytest.fixture
def bob(demo_study: Study) -> Iterator[Study]:
    """Bob, coding the same study from another process (his own connection)."""
    other = open_study(demo_study.url, coder="bob")
    yield other
    other.close()


@pytest.fixture
def turns(demo_study: Study, bob: Study) -> list[Segment]:
    return code_two_coders(demo_study, bob)


def _read(app: QualcodeApp) -> ReadScreen:
    screen = app.screen
    assert isinstance(screen, ReadScreen)
    return screen


def _shown(app: QualcodeApp, study: Study) -> list[tuple[str, str, int]]:
    """(coder, theme, source offset) of every coded span the document shows."""
    by_id = {c.id: c for c in codings.list_codings(study)}
    doc = _read(app).view.doc
    assert doc is not None
    out = [(by_id[m.coding].coder, m.theme, by_id[m.coding].start) for m in doc.marks]
    return sorted(out)


def _title(app: QualcodeApp) -> str:
    return str(_read(app).query_one("#read-title", Static).content)


def _here(app: QualcodeApp) -> str:
    """The side panel's "Coded here" list."""
    content = _read(app).query_one("#read-here", Static).content
    text = str(getattr(content, "plain", content))
    return text.split("Coded here", 1)[1].split("Shortcuts", 1)[0]


def _at(app: QualcodeApp, turn: Segment) -> bool:
    view = _read(app).view
    assert view.doc is not None
    return view.cursor == view.doc.to_doc(turn.source, turn.start)


def _row(app: QualcodeApp, case: str) -> list[str]:
    screen = app.screen
    assert isinstance(screen, CasesScreen)
    return [str(v) for v in screen.query_one("#cases-table", DataTable).get_row(case)]


def _count_line(app: QualcodeApp) -> str:
    return str(app.screen.query_one("#cases-count", Static).content)


@pytest.mark.slow
async def test_read_shows_one_coders_spans_and_n_follows_the_filter(
    app_for: AppFor, demo_study: Study, turns: list[Segment]
) -> None:
    app = app_for(start="read")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _read(app)
        assert {c for c, _, _ in _shown(app, demo_study)} == {"alice", "bob"}
        assert "coder:" not in _title(app)

        await pilot.press("C")
        assert screen.picker.is_open
        assert [(i.key, i.label, i.detail) for i in screen.picker.shown] == [
            ("*", "All coders", "4 codings · shown now"),
            ("alice", "2 codings", "you"),
            ("bob", "2 codings", ""),
        ]
        await pilot.press(*"bob", "enter")
        await settle(pilot)
        assert app.coder_filter == "bob"
        assert _shown(app, demo_study) == [
            ("bob", "1.3", turns[1].start),
            ("bob", "2.4", turns[2].start),
        ]
        assert _title(app).startswith("coder: bob · ")

        # "uncoded" is "not coded by the coder shown": alice's turn 0 counts as uncoded
        await pilot.press("g", "n")
        assert _at(app, turns[0])
        assert "(nothing)" in _here(app)
        await pilot.press("n")
        assert _at(app, turns[3])
        await pilot.press("N")
        assert _at(app, turns[0])
        await pilot.press("right_square_bracket", "right_square_bracket")  # to bob's turn 1
        assert "1.3 " in _here(app)
        assert "1.1" not in _here(app)

        await pilot.press("C", *"alice", "enter")
        await settle(pilot)
        assert app.coder_filter == "alice"
        assert [(c, t) for c, t, _ in _shown(app, demo_study)] == [
            ("alice", "1.1"),
            ("alice", "2.1"),
        ]
        await pilot.press("g", "n")
        assert _at(app, turns[1])

        await pilot.press("C", "enter")  # the first choice: every coder
        await settle(pilot)
        assert app.coder_filter is None
        assert len(_shown(app, demo_study)) == 4
        assert "coder:" not in _title(app)
        await pilot.press("g", "n")
        assert _at(app, turns[3])

        await pilot.press("C", *"bob", "escape")  # cancelled: nothing changes
        await settle(pilot)
        assert app.coder_filter is None


@pytest.mark.slow
async def test_coding_while_filtered_codes_as_yourself_and_shows_in_cases(
    app_for: AppFor, demo_study: Study, turns: list[Segment]
) -> None:
    app = app_for(start="read")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C", *"bob", "enter", "g", "n", "n")  # turn 3: nobody coded it
        assert _at(app, turns[3])
        await pilot.press("3")
        await settle(pilot)
        theme = app.shortcuts[2]
        mine = [c for c in codings.list_codings(demo_study) if c.start == turns[3].start]
        assert [(c.coder, c.theme, c.end) for c in mine] == [("alice", theme, turns[3].end)]
        # your new coding shows beside bob's, and n moves past it
        assert ("alice", theme, turns[3].start) in _shown(app, demo_study)
        assert {c for c, _, _ in _shown(app, demo_study)} == {"alice", "bob"}
        assert f"{theme} " in _here(app)
        await pilot.press("n")
        assert _at(app, turns[4])

        # the filter survives opening another document and coming back
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert _title(app).startswith("coder: bob · ")
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert "int01" in _title(app)
        assert _title(app).startswith("coder: bob · ")
        assert len(_shown(app, demo_study)) == 3

        # Cases uses the same filter: progress counts bob's codings only
        await pilot.press("f2")
        await settle(pilot)
        assert case_progress(demo_study, "bob")["int01"].coded == 2
        assert _row(app, "int01")[2].startswith("2/")
        assert "coder: bob" in _count_line(app)

        await pilot.press("C")
        assert isinstance(app.screen, Picker)
        await pilot.press(*"alice", "enter")
        await settle(pilot)
        assert app.coder_filter == "alice"
        assert _row(app, "int01")[2].startswith("3/")  # turns 0, 2 and 3
        assert "coder: alice" in _count_line(app)

        await pilot.press("f3")  # Read & code follows what Cases chose
        await settle(pilot)
        assert _title(app).startswith("coder: alice · ")
        assert [t for c, t, _ in _shown(app, demo_study) if c != "alice"] == []
        assert len(_shown(app, demo_study)) == 3

        await pilot.press("f2", "C", "enter")  # every coder again
        await settle(pilot)
        assert app.coder_filter is None
        assert _row(app, "int01")[2].startswith("4/")
        assert "coder:" not in _count_line(app)


async def test_ctrl_l_shows_what_another_process_saved(
    app_for: AppFor, demo_study: Study, bob: Study, turns: list[Segment]
) -> None:
    app = app_for(start="read")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C", *"bob", "enter")
        await settle(pilot)
        assert len(_shown(app, demo_study)) == 2
        coding = codings.code_segment(bob, turns[5].id, "3")  # bob, elsewhere
        assert ("bob", "3", turns[5].start) not in _shown(app, demo_study)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert ("bob", "3", coding.start) in _shown(app, demo_study)
        await pilot.press("C")  # the chooser's counts are fresh too
        assert [(i.label, i.detail) for i in _read(app).picker.shown][2] == (
            "3 codings",
            "shown now",
        )
        await pilot.press("escape")

        await pilot.press("f2")
        await settle(pilot)
        assert _row(app, "int02")[2].startswith("0/")
        for turn in queries.list_segments(bob, case="int02")[:4]:
            codings.code_segment(bob, turn.id, "1.2")
        assert _row(app, "int02")[2].startswith("0/")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert _row(app, "int02")[2].startswith("4/")


async def test_ctrl_l_lists_a_transcript_another_process_imported(
    app_for: AppFor, demo_study: Study, bob: Study, tmp_path: Path
) -> None:
    """A colleague's new transcript is in Read & code's opener after ctrl+l, and the
    document on screen stays open."""
    app = app_for(start="read")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _read(app)
        before = screen.key
        new = tmp_path / "int99.txt"
        new.write_text("Interviewer: How is recruitment?\nRespondent: Hard.\n", encoding="utf-8")
        importing.import_transcripts(bob, [new], case="int99")
        assert screen.catalogue is not None
        assert not any("int99" in e.cases for e in screen.catalogue.entries)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert any("int99" in e.cases for e in screen.catalogue.entries)
        assert screen.key == before
        await pilot.press("o", *"int99")
        await settle(pilot)
        assert any("int99" in item.label for item in screen.picker.shown)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.opened is not None
        assert screen.opened.title == "int99 · int99.txt"  # no attributes: nothing after


@pytest.mark.slow
async def test_a_blind_double_coders_filter_is_there_the_next_session(
    app_for: AppFor, demo_study: Study, bob: Study, turns: list[Segment]
) -> None:
    """bob codes blind: alice's codings hidden. The filter lasted only until he quit,
    so every morning he saw her work until he remembered C."""
    blind = make_app(bob, start="read", keymap={})
    async with blind.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C", *"bob", "enter")
        await settle(pilot)
        await blind.workers.wait_for_complete()
    again = make_app(bob, start="read", keymap={})
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.coder_filter == "bob"
        assert {c for c, _, _ in _shown(again, demo_study)} == {"bob"}
        assert _title(again).startswith("coder: bob · ")
    # each coder's own choice: alice still sees everyone
    assert app_for(start="read").coder_filter is None
