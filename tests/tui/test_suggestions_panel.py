"""Read & code's suggestions panel, driven from the keyboard; assertions on what is
stored: codings and the status of each suggestion."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qualcode.services import codings, queries, suggest_decisions
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.read.screen import ReadScreen
from qualcode.tui.read.suggestions import Suggested

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def _reader(app: QualcodeApp) -> ReadScreen:
    screen = app.screen
    assert isinstance(screen, ReadScreen)
    return screen


def _shown(app: QualcodeApp) -> Suggested:
    """The panel's suggestions, which must be those of the turn at the cursor, now."""
    screen = _reader(app)
    assert screen.suggestions_current
    assert screen.suggested is not None
    return screen.suggested


def _first_turn(study: Study) -> tuple[str, int, int, str]:
    seg = queries.list_segments(study, case="int01")[0]
    return seg.source, seg.start, seg.end, seg.id


async def test_accept_codes_the_turn_and_undo_reopens(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        source, start, end, segment = _first_turn(demo_study)
        shown = _shown(app)
        assert shown.segment == segment
        assert shown.mode == "lexical"  # no cached sentence vectors: the fast mode
        assert 1 <= len(shown.suggestions) <= 3
        best = shown.suggestions[0]
        assert "Suggestions · lexical" in _reader(app).suggestions_text().plain
        assert best.theme in _reader(app).suggestions_text().plain

        await pilot.press("y")
        await settle(pilot)
        (coding,) = codings.list_codings(demo_study)
        assert (coding.source, coding.start, coding.end) == (source, start, end)
        assert (coding.theme, coding.origin, coding.coder) == (best.theme, "suggestion", "alice")
        decided = suggest_decisions.find(demo_study, segment, best.theme)
        assert decided is not None
        assert decided.status == "accepted"
        # the panel has caught up: same turn, without the theme just accepted
        after = _shown(app)
        assert after.version == app.data_version
        assert best.theme not in {s.theme for s in after.suggestions}

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert codings.list_codings(demo_study) == []
        reopened = suggest_decisions.find(demo_study, segment, best.theme)
        assert reopened is not None
        assert reopened.status == "pending"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert [c.theme for c in codings.list_codings(demo_study)] == [best.theme]


@pytest.mark.slow
async def test_reject_is_stored_and_no_longer_suggested(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        segment = _first_turn(demo_study)[3]
        shown = _shown(app).suggestions
        assert shown  # only interview themes now: one suggestion on this turn
        await pilot.press("r")
        await settle(pilot)
        rejected = shown[0].theme
        found = suggest_decisions.find(demo_study, segment, rejected)
        assert found is not None
        assert found.status == "rejected"
        assert codings.list_codings(demo_study) == []
        assert rejected not in {s.theme for s in _shown(app).suggestions}
        await pilot.press("ctrl+z")
        await settle(pilot)
        again = suggest_decisions.find(demo_study, segment, rejected)
        assert again is not None
        assert again.status == "pending"


@pytest.mark.slow
async def test_another_theme_instead_rejects_and_codes_the_other(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        source, start, end, segment = _first_turn(demo_study)
        best = _shown(app).suggestions[0]
        other = "4.1" if best.theme != "4.1" else "4.2"
        await pilot.press("p", *other, "enter")
        await settle(pilot)
        (coding,) = codings.list_codings(demo_study)
        assert (coding.source, coding.start, coding.end, coding.theme) == (
            source,
            start,
            end,
            other,
        )
        found = suggest_decisions.find(demo_study, segment, best.theme)
        assert found is not None
        assert found.status == "rejected"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert codings.list_codings(demo_study) == []


@pytest.mark.slow
async def test_panel_follows_the_cursor_and_turns_off(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _reader(app)
        await pilot.press("n", "n")
        await settle(pilot)
        second = queries.list_segments(demo_study, case="int01")[1].id
        assert _shown(app).segment == second
        await pilot.press("g")  # the interviewer's opening: nothing to suggest
        await settle(pilot)
        assert "respondent turns only" in screen.suggestions_text().plain
        await pilot.press("S", "n")
        await settle(pilot)
        assert not screen.suggesting
        assert "off" in screen.suggestions_text().plain
        await pilot.press("y")  # nothing shown, nothing decided
        await settle(pilot)
        assert codings.list_codings(demo_study) == []
        assert suggest_decisions.pending(demo_study) == []


def test_the_panel_state_drops_stale_results_and_keeps_the_choice_in_range() -> None:
    from datetime import UTC, datetime

    from qualcode.services.suggest import Suggestion
    from qualcode.tui.read.suggestions import Progress, Suggested, SuggestionsState

    def found(segment: str, version: int, *themes: str) -> Suggested:
        now = datetime.now(UTC)
        items = tuple(
            Suggestion(0, segment, t, 0.5, ("word",), "cold-start", None, "pending", now)
            for t in themes
        )
        return Suggested(segment, version, "lexical", items)

    state = SuggestionsState()
    state.move_to("s1")
    assert state.busy(3)
    state.take_progress(Progress("s2", "reading", 1, 2))  # another turn's run: not shown
    assert state.progress is None
    state.take(found("s1", 2, "1.1", "1.2"), 3)  # made before the last change
    assert state.found is None
    assert state.busy(3)
    state.take(found("s1", 3, "1.1", "1.2"), 3)
    assert state.current(3)
    assert not state.busy(3)
    assert state.next_choice()
    assert state.choice == 1
    state.take(found("s1", 3, "1.1"), 3)  # fewer now: the choice stays on one shown
    assert state.choice == 0
    assert "▸ 0.50* 1.1" in state.text(None, 3).plain
    # a slug id longer than the column loses its end, never the score (it lost the score)
    state.take(found("s1", 3, "query-inputs-and-elements-useful-for-the-task"), 3)
    line = state.text(None, 3, width=33).plain.splitlines()[1]
    assert line.startswith("▸ 0.50* query-inputs")
    assert len(line) <= 33
    state.move_to("s2")
    assert not state.current(3)
    assert "working…" in state.text(None, 3).plain
    state.on = False
    assert "off (S turns them on)" in state.text(None, 3).plain
    # after y, the same turn's new list: the marker goes to its best
    again = SuggestionsState()
    again.move_to("s1")
    again.take(found("s1", 3, "1.1", "1.2", "1.3"), 3)
    assert again.next_choice()
    again.take(found("s1", 3, "1.1", "1.2", "1.3"), 3)  # the same list again: kept
    assert again.choice == 1
    again.take(found("s1", 4, "1.2", "1.3", "1.4"), 4)  # after a decision: a new list
    assert again.choice == 0  # not the row the last choice was on


@pytest.mark.parametrize("select", ["t", "s"])
async def test_a_selected_turn_keeps_its_suggestions_and_y_accepts(
    app_for: AppFor, demo_study: Study, select: str
) -> None:
    """walk49d: after `t` (or `s` on a turn's last sentence) the cursor stands just past
    the turn, where the panel found no turn: it read "for respondent turns only" and
    `y` coded nothing, silently."""
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        source, start, end, segment = _first_turn(demo_study)
        screen = _reader(app)
        if select == "s":
            # the turn's last sentence
            screen.view.move_to(end - 1)
            await settle(pilot)
        await pilot.press(select)
        await settle(pilot)
        assert screen.view.selection is not None
        assert screen.view.selection[1] == end
        shown = _shown(app)
        assert shown.segment == segment
        assert "respondent turns only" not in screen.suggestions_text().plain
        best = shown.suggestions[0]
        await pilot.press("y")
        await settle(pilot)
        (coding,) = codings.list_codings(demo_study)
        assert (coding.source, coding.start, coding.end) == (source, start, end)
        assert (coding.theme, coding.origin) == (best.theme, "suggestion")
