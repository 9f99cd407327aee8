"""Read & code offers only the themes whose framework applies to the open document:
interview themes in a transcript, survey themes ("S...") on survey answers - in the
theme picker and on keys 1-9 alike (the sample's frameworks say what each codes)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qualcode.services import codings, queries
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.read.screen import ReadScreen

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


@pytest.mark.slow
async def test_picker_and_keys_offer_the_documents_own_framework(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"int03", "enter", "enter")  # an interview
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadScreen)
        await pilot.press("n")
        await pilot.press("enter")
        assert screen.picker.is_open
        offered = [item.key for item in screen.picker.items]
        assert "1.1" in offered
        assert not [t for t in offered if t.startswith("S")]
        await pilot.press(*"staffing")
        assert screen.picker.shown
        assert not screen.picker.shown[0].key.startswith("S")  # not survey theme S4
        await pilot.press("escape")
        await pilot.press("1")
        await settle(pilot)
        (source,) = queries.list_sources(demo_study, case="int03")
        (coded,) = codings.list_codings(demo_study, source=source.id)
        assert not coded.theme.startswith("S")
        interview_key_1 = coded.theme

        await pilot.press("f2", "slash", *"R0007", "enter", "enter")  # survey answers
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadScreen)
        assert screen.opened is not None
        assert screen.opened.key.startswith("q:")
        await pilot.press("enter")
        assert screen.picker.is_open
        offered = [item.key for item in screen.picker.items]
        assert offered
        assert all(t.startswith("S") for t in offered)
        await pilot.press("escape")
        await pilot.press("1")
        await settle(pilot)
        (answer,) = codings.list_codings(demo_study, case="R0007")
        assert answer.theme.startswith("S")
        # "same as last" carries the interview theme over: refused on a survey answer
        app.last_theme = interview_key_1
        await pilot.press("full_stop")
        await settle(pilot)
        assert len(codings.list_codings(demo_study, case="R0007")) == 1


@pytest.mark.slow
async def test_search_code_all_offers_only_themes_for_the_hits(
    app_for: AppFor, demo_study: Study
) -> None:
    from qualcode.tui.search.screen import SearchScreen
    from qualcode.tui.shared.picker import Picker

    app = app_for(start="search")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"supervision", "enter")
        await settle(pilot)
        assert screen.results is not None
        hits = screen.results.hits
        assert {h.kind for h in hits} == {"transcript", "survey"}
        # interviews and survey answers: no one framework codes both, so each theme is
        # offered for the hits its framework codes
        screen.action_code(True)
        await pilot.pause()
        both = app.screen
        assert isinstance(both, Picker)
        keys = [item.key for item in both.items]
        assert any(k.startswith("S") for k in keys)
        assert any(not k.startswith("S") for k in keys)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        screen.marked = {n for n, h in enumerate(hits[:2000]) if h.kind == "survey"}
        screen.action_code(False)
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        offered = [item.key for item in picker.items]
        assert offered
        assert all(t.startswith("S") for t in offered)
        await pilot.press("escape")
        screen.marked = {n for n, h in enumerate(hits[:2000]) if h.kind == "transcript"}
        screen.action_code(False)
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        assert "1.1" in [item.key for item in picker.items]
        assert not [i.key for i in picker.items if i.key.startswith("S")]


@pytest.mark.slow
def test_review_offers_other_themes_of_the_passages_framework(demo_study: Study) -> None:
    from qualcode.services import framework, frameworks
    from qualcode.services.suggest import suggest
    from qualcode.services.suggest_review import review_list
    from qualcode.tui.review.view import other_theme_items

    kinds = {s.id: s.kind for s in queries.list_sources(demo_study)}
    segs = queries.list_segments(demo_study)
    wanted = [g.id for g in segs if kinds[g.source] == "survey"][:5]
    wanted += [g.id for g in segs if kinds[g.source] == "transcript"][:5]
    suggest(demo_study, top=2, segment_ids=wanted, use_embeddings=False)
    tree = framework.framework_tree(demo_study)
    owned = frameworks.study_frameworks(demo_study)
    listed = review_list(demo_study, None, None, 100)
    assert {bool(i.question) for i in listed.items} == {True, False}
    for item in listed.items:
        offered = [p.key for p in other_theme_items(tree, item, [], owned)]
        assert offered
        assert all(t.startswith("S") == bool(item.question) for t in offered)


async def test_framework_workspace_says_what_a_themes_framework_codes(
    app_for: AppFor,
) -> None:
    from textual.widgets import Static

    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        details = str(app.screen.query_one("#framework-details", Static).render())
        assert "framework interviews: codes interview transcripts" in details


@pytest.mark.slow
async def test_a_theme_moved_to_another_framework_meanwhile_is_refused_in_a_dialog(
    app_for: AppFor, demo_study: Study
) -> None:
    """A stale screen (the framework changed from the command line while the document
    was open) still offers the old theme; the service refuses it and the error dialog
    says why - nothing coded, nothing crashed."""
    from textual.widgets import Static

    from qualcode.services import framework, frameworks
    from qualcode.tui.shared.dialogs import ErrorDialog

    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"int03", "enter", "enter")  # an interview
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadScreen)
        key_1 = screen.current_shortcuts()[0]
        root = ([key_1, *framework.framework_tree(demo_study).ancestors(key_1)])[-1]
        frameworks.assign_themes(demo_study, "survey", [root])  # elsewhere, meanwhile
        assert screen.current_shortcuts()[0] == key_1  # the screen has not reloaded
        await pilot.press("1")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        message = str(dialog.query_one("#error-message", Static).render())
        assert f"theme {key_1!r} is in framework 'survey', which codes survey answers" in message
        assert "(an interview transcript)" in message
        (source,) = queries.list_sources(demo_study, case="int03")
        assert codings.list_codings(demo_study, source=source.id) == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
