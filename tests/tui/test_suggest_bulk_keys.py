"""Accept-all-above in Review (A) and what-to-code-next in Read & code (w), driven as a
user would; assertions are on what is stored and what is opened."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from textual.widgets import Static

from qualcode.services import framework, queries, suggest_decisions
from qualcode.services.study import Study
from qualcode.services.suggest_bulk import next_to_code
from qualcode.services.suggest_reliability import reliability_report
from qualcode.store import models as m
from qualcode.tui.app import QualcodeApp
from qualcode.tui.read.screen import ReadScreen
from qualcode.tui.review.bulk import WORKING, writing
from qualcode.tui.review.reliability import CHECKING, ReliabilityDialog
from qualcode.tui.review.screen import ReviewScreen
from qualcode.tui.shared.dialogs import ConfirmDialog, PromptDialog
from tests.nlp.conftest import _fresh_models, forget_fits, no_network  # noqa: F401  (autouse)

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def _from_suggestions(study: Study) -> int:
    with study.read() as s:
        return int(s.scalar(select(func.count()).where(m.CodingRow.origin == "suggestion")) or 0)


@pytest.mark.slow
async def test_accept_all_above_states_precision_then_one_undo(
    app_for: AppFor, taught: Study
) -> None:
    # Its codings are arbitrary, so its scores are low: accept the top handful.
    scores = sorted(s.score for s in suggest_decisions.pending(taught))
    # Rounded down, so that the fifth best is still at or above what is typed.
    threshold = f"{math.floor(scores[-5] * 100) / 100:.2f}" if len(scores) >= 5 else "0.01"
    above = [s for s in suggest_decisions.pending(taught) if s.score >= float(threshold)]
    assert above, "the fixture should leave suggestions to accept"
    assert len(above) < len(scores), "some suggestions should stay below the threshold"
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("end", *["backspace"] * 5, *threshold, "enter")
        assert WORKING in [n.message for n in app._notifications]
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog), [n.message for n in app._notifications]
        assert f"{len(above)} pending suggestion" in dialog.message
        assert "cross-validat" in dialog.message  # the precision, or why none is stated
        await pilot.press("y")
        assert any(str(n.message).startswith(writing("")[:7]) for n in app._notifications)
        await settle(pilot)
        assert _from_suggestions(taught) == len({(s.segment, s.theme) for s in above})
        coded = [str(n.message) for n in app._notifications if str(n.message).startswith("Coded")]
        assert coded
        assert "from suggestions" not in coded[-1]  # "Coded 5 suggestions on 4 passages"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _from_suggestions(taught) == 0
        await pilot.press("ctrl+z")  # this session's list is empty: where to look instead
        said = [str(n.message) for n in app._notifications]
        assert any("Nothing to undo in this session (`qualcode log`" in m for m in said)


@pytest.mark.slow
async def test_the_question_of_accept_all_above_waits_in_review(
    app_for: AppFor, taught: Study
) -> None:
    """It popped up a minute later over Read & code, where the next "y" (accept one
    suggestion) would have coded them all."""
    from qualcode.services.suggest_bulk import plan_accept
    from qualcode.tui.review.bulk import PLANNING, PlanMade

    plan = plan_accept(taught, 0.01)  # what the check, run in a worker, comes back with
    assert plan.suggestions
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.start_check(PLANNING)  # as A does, before the user goes elsewhere
        await pilot.press("f3")
        await settle(pilot)
        review.post_message(PlanMade(plan))  # the check ends while Read & code is shown
        await settle(pilot)
        assert isinstance(app.screen, ReadScreen)
        said = [n.message for n in app._notifications]
        assert "The check is done: its question waits in Review (F8)" in said
        await pilot.press("y")
        await settle(pilot)
        assert _from_suggestions(taught) == 0
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert f"{len(plan.suggestions)} pending suggestion" in app.screen.message
        await pilot.press("n")
    assert _from_suggestions(taught) == 0


@pytest.mark.slow
async def test_w_opens_the_passage_to_code_next(app_for: AppFor, taught: Study) -> None:
    [best] = next_to_code(taught, limit=1)
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReadScreen)
        assert reader.opened is not None
        assert reader.view.cursor == reader.opened.doc.to_doc(best.source, best.start)


@pytest.mark.slow
async def test_keys_typed_after_w_code_the_passage_it_finds(
    app_for: AppFor, taught: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`w Enter posi Enter` in one burst coded the passage on screen, and keys sent
    half a second after `w` coded the passage it found: one rule now, the found one."""
    from qualcode.tui.read import code_next

    [best] = next_to_code(taught, limit=1)
    theme = next(t for t in framework.list_themes(taught) if t.parent is not None)
    found = threading.Event()  # `w` takes seconds on a real study: it waits for the keys

    def slow(*args: object, **kwargs: object) -> object:
        found.wait(10)
        return next_to_code(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(code_next, "next_to_code", slow)
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReadScreen)
        await pilot.press("w", "enter", *theme.label, "enter")
        await pilot.pause(0.2)
        found.set()
        await settle(pilot)
    with taught.read() as s:
        rows = s.execute(
            select(m.CodingRow.source_id, m.CodingRow.start).where(
                m.CodingRow.theme_id == theme.id, m.CodingRow.origin == "manual"
            )
        ).all()
    segment = next(g for g in queries.list_segments(taught, ids=[best.segment]))
    assert (segment.source, segment.start) in [tuple(r) for r in rows]


@pytest.mark.slow
async def test_R_shows_how_reliable_the_suggestions_are(app_for: AppFor, taught: Study) -> None:
    coded = [t.label for t in framework.list_themes(taught) if t.id in _coded_themes(taught)]
    assert len(coded) >= 2, "the fixture codes several themes"
    checked = reliability_report(taught).checked  # the mode its pending suggestions were made in
    assert checked > 50
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.press("R")
        assert CHECKING in [n.message for n in app._notifications]
        await settle(pilot)
        assert not review.run_bar.running  # its bar is gone once it is done
        dialog = app.screen
        assert isinstance(dialog, ReliabilityDialog), [n.message for n in app._notifications]
        text = str(dialog.query_one("#reliability-text", Static).content)
        assert f"Each of {checked} coded passages was held out" in text
        assert "expected calibration error" in text
        assert all(label[:30] in text for label in coded)
        assert "Learning curve: the same held-out passages" in text  # and whether to code more
        assert "Still rising" in text or "Levelling off" in text or "Too few" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["R", "A"])
async def test_escape_cancels_a_check_and_codes_nothing(
    app_for: AppFor, taught: Study, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """R and A fit and cross-validate, seconds on a big study: their bar says escape
    cancels, and escape stops the real check (held here until escape is pressed, so
    that it is still running) with no report, no dialog and nothing coded."""
    from qualcode.tui.review import bulk, reliability

    def held(real: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            cancel = kwargs["cancel"] if "cancel" in kwargs else args[-1]
            assert callable(cancel)
            for _ in range(500):  # until escape, at most 10 s
                if cancel():
                    break
                threading.Event().wait(0.02)
            return real(*args, **kwargs)

        return run

    forget_fits(taught)  # so that the check has a model to fit
    monkeypatch.setattr(reliability, "reliability_report", held(reliability.reliability_report))
    monkeypatch.setattr(bulk, "plan_accept", held(bulk.plan_accept))
    before = _from_suggestions(taught)
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.press(key)
        if key == "A":
            await settle(pilot)
            await pilot.press("enter")  # the default threshold
        await pilot.pause(0.1)
        bar = review.run_bar
        assert bar.running
        assert bar.cancellable
        assert "escape cancels" in str(bar.query_one(".run-label", Static).content)
        await pilot.press("escape")
        await settle(pilot)
        assert not bar.running
        assert app.screen is review  # no report, no confirmation
        said = [n.message for n in app._notifications]
        assert any(m.startswith(("Check cancelled", "Cancelled; nothing was coded")) for m in said)
        assert not review.checks
    assert _from_suggestions(taught) == before


def _coded_themes(study: Study) -> set[str]:
    with study.read() as s:
        return set(s.scalars(select(m.CodingRow.theme_id).distinct()))


@pytest.mark.slow
async def test_checks_show_on_the_progress_line_and_leave_it_to_a_refresh(
    app_for: AppFor, taught: Study
) -> None:
    """R and A show a pulsing bar while they work; a refresh's own bar wins while it
    runs, and a check still running gets the line back when the refresh ends."""
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        bar = review.run_bar
        review.working("Checking A")
        review.working("Checking B")
        assert bar.running
        assert bar.what == "Checking B"
        review.done_working("Checking B")
        assert bar.running
        assert bar.what == "Checking A"
        review.stop_run = threading.Event()  # a refresh has the line
        bar.start("Refreshing suggestions")
        review.working("Checking C")
        assert bar.what == "Refreshing suggestions"
        review.done_working("Checking A")
        assert bar.what == "Refreshing suggestions"
        review._refresh_ended()
        assert bar.what == "Checking C"
        review.done_working("Checking C")
        assert not bar.running


@pytest.mark.slow
async def test_a_check_says_its_stage_and_how_to_cancel_in_80_columns(
    app_for: AppFor, taught: Study
) -> None:
    """The line's words get most of an 80-column terminal, the bar the rest. Where the
    whole line does not fit, the stage, its count and the key that cancels stay; at
    120 columns the line says what runs as well."""
    for width, said in (
        (80, "learning from your codings 22/92 · escape cancels"),
        (120, "Checking the suggestions: learning from your codings 22/92 · escape cancels"),
    ):
        app = app_for(start="review")
        async with app.run_test(size=(width, 24)) as pilot:
            await settle(pilot)
            review = app.screen
            assert isinstance(review, ReviewScreen)
            review.working("Checking the suggestions")
            review.run_bar.step("learning", 22, 92)
            await pilot.pause()
            label = review.run_bar.query_one(".run-label", Static)
            assert str(label.content) == said
            assert label.region.width >= len(said)
            review.done_working("Checking the suggestions")


@pytest.mark.slow
async def test_two_w_cycles_in_one_burst_code_two_passages(
    app_for: AppFor, taught: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second `w` looked for the next passage before the first coding was stored,
    found the same one, and both themes went on it."""
    import time

    from qualcode.tui.read import coding

    stored = coding.changes.code_span

    def slow_write(*args: object, **kwargs: object) -> object:
        time.sleep(0.5)  # a shared PostgreSQL server, a busy disk
        return stored(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(coding.changes, "code_span", slow_write)
    themes = [t for t in framework.list_themes(taught) if t.parent is not None][:2]
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        keys = []
        for theme in themes:
            keys += ["w", "enter", *theme.label, "enter"]
        await pilot.press(*keys)
        await settle(pilot)
        await pilot.pause(0.5)
        await settle(pilot)
    with taught.read() as s:
        rows = s.execute(
            select(m.CodingRow.source_id, m.CodingRow.start, m.CodingRow.theme_id).where(
                m.CodingRow.origin == "manual", m.CodingRow.theme_id.in_([t.id for t in themes])
            )
        ).all()
    placed = {theme: (source, start) for source, start, theme in rows}
    assert len(placed) == 2
    assert placed[themes[0].id] != placed[themes[1].id]


@pytest.mark.slow
async def test_accept_all_above_keeps_to_the_case_the_list_is_filtered_to(
    app_for: AppFor, taught: Study
) -> None:
    """walk49a: with the list filtered to one case, A offered and coded the whole
    study's suggestions, none of them in the case on screen."""
    from qualcode.services.suggest import suggest

    suggest(taught, top=3, use_embeddings=False)  # pending in every uncoded case
    segments = {g.id: g.case for g in queries.list_segments(taught)}
    cases = {segments[s.segment] for s in suggest_decisions.pending(taught)}
    assert len(cases) >= 2, cases
    case = sorted(cases)[-1]
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c", *case, "enter")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        assert f"in case {case}" in app.screen.title_text
        await pilot.press("end", *["backspace"] * 5, *"0.01", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog), [n.message for n in app._notifications]
        assert f"in case {case}" in dialog.message
        await pilot.press("y")
        await settle(pilot)
        with taught.read() as s:
            rows = s.scalars(select(m.CodingRow).where(m.CodingRow.origin == "suggestion")).all()
            accepted = {r.suggestion_id for r in rows}
        assert accepted
        decided = [
            x for x in suggest_decisions.pending(taught) if x.id in accepted
        ]  # none left pending
        assert not decided
        with taught.read() as s:
            where = {
                segments[r.segment_id]
                for r in s.scalars(
                    select(m.SuggestionRow).where(m.SuggestionRow.id.in_(accepted))
                ).all()
            }
        assert where == {case}
