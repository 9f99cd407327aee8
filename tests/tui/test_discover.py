"""Discover driven as a user would; assertions are on what is stored and computed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, TabbedContent

from qualcode.services import discover, framework, queries
from qualcode.services.discover import adopted_keywords
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.discover.screen import DiscoverScreen
from qualcode.tui.framework.screen import FrameworkScreen
from qualcode.tui.read.screen import ReadScreen
from tests.nlp.conftest import _fresh_models, no_network  # noqa: F401  (autouse here too)

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def _screen(app: QualcodeApp) -> DiscoverScreen:
    screen = app.screen
    assert isinstance(screen, DiscoverScreen)
    return screen


@pytest.mark.slow
async def test_scope_a_case_then_adopt_a_candidate_and_undo(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for(start="discover")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        assert screen.result is not None  # the whole study, read on opening
        assert screen.result.scope == "the study"
        await pilot.press("s", *"int07", "enter")
        await settle(pilot)
        expected = discover.discover(demo_study, case="int07", use_embeddings=False)
        assert screen.result == expected
        phrases = screen.query_one("#discover-phrases", DataTable)
        assert phrases.row_count == len(expected.phrases)
        assert str(phrases.get_row_at(0)[0]) == expected.phrases[0].phrase

        await pilot.press("3", "down")  # the second candidate
        assert screen.query_one(TabbedContent).active == "candidates"
        candidate = expected.themes[1]
        await pilot.press("a")
        await settle(pilot)
        theme = framework.framework_tree(demo_study).themes["D1"]
        assert (theme.label, theme.parent, theme.keywords) == (
            candidate.label.split(" (")[0],  # its terms are its keywords
            None,
            adopted_keywords(candidate.terms),
        )
        assert "D1" in str(screen.query_one("#discover-theme-text").render())
        await pilot.press("a")  # the same one again: not added twice
        await settle(pilot)
        assert "D2" not in framework.framework_tree(demo_study).themes

        await pilot.press("f4")
        await settle(pilot)
        tree_screen = app.screen
        assert isinstance(tree_screen, FrameworkScreen)
        assert tree_screen.data is not None
        assert "D1" in tree_screen.data.tree.themes

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "D1" not in framework.framework_tree(demo_study).themes


@pytest.mark.slow
async def test_adopt_under_a_theme(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="discover")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("s", *"int03", "enter")
        await settle(pilot)
        await pilot.press("3", "A", *"2.3", "enter")
        await settle(pilot)
        screen = _screen(app)
        assert screen.result is not None
        theme = framework.framework_tree(demo_study).themes["D1"]
        assert theme.parent == "2.3"
        assert theme.label == screen.result.themes[0].label.split(" (")[0]


@pytest.mark.slow
async def test_compare_two_groups(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="discover")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("k")  # transcripts only
        await settle(pilot)
        screen = _screen(app)
        transcripts = {s.id for s in queries.list_sources(demo_study) if s.kind == "transcript"}
        segments = [g for g in queries.list_segments(demo_study) if g.source in transcripts]
        assert screen.result is not None
        assert screen.result.segments == len(segments)

        await pilot.press("g", *"sector", "enter", *"CSD", "enter", *"DASS", "enter")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "distinctive"
        expected = discover.discover(
            demo_study,
            by="sector",
            group="CSD",
            against="DASS",
            kind="transcript",
            use_embeddings=False,
        )
        assert screen.result == expected
        assert expected.distinctive
        terms = screen.query_one("#discover-terms", DataTable)
        assert terms.row_count == len(expected.distinctive)
        assert str(terms.get_row_at(0)[0]) == expected.distinctive[0].term
        title = str(screen.query_one("#discover-contrast").render())
        assert "sector = CSD" in title
        assert "sector = DASS" in title


@pytest.mark.slow
async def test_enter_opens_an_example_passage(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="discover")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("s", *"int05", "enter")
        await settle(pilot)
        screen = _screen(app)
        assert screen.result is not None
        example = screen.result.phrases[0].examples[0]
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "read"
        reader = app.screen
        assert isinstance(reader, ReadScreen)
        (seg,) = queries.list_segments(demo_study, ids=[example.segment])
        assert reader.opened is not None
        assert reader.opened.key == f"src:{seg.source}"
        assert reader.view.cursor == reader.opened.doc.to_doc(seg.source, seg.start)


@pytest.mark.slow
async def test_a_new_scope_replaces_a_running_one(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="discover")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        screen.action_cycle_kind()  # transcripts: the run starts ...
        screen.action_cycle_kind()  # ... and is replaced at once by the survey
        await settle(pilot)
        assert screen.scope.kind == "survey"
        assert screen.result is not None
        assert screen.result.scope == "the study (survey sources)"
        assert screen.stop_run is None
