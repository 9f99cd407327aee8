"""Review suggestions driven as a user would; assertions are on what is stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qualcode.services import codings, queries, suggest_decisions
from qualcode.services.study import Study
from qualcode.services.suggest import Suggestion
from qualcode.services.suggest_review import cached_vectors, reopen, review_list
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.read.screen import ReadScreen
from qualcode.tui.review.screen import ReviewScreen
from qualcode.tui.shared.picker import Picker
from tests.nlp.conftest import _fresh_models, no_network  # noqa: F401  (autouse here too)

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def _screen(app: QualcodeApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def _made_from(study: Study, sug: Suggestion) -> list[str]:
    """Themes of the codings on the suggestion's passage that came from a suggestion."""
    (seg,) = queries.list_segments(study, ids=[sug.segment])
    return [
        c.theme
        for c in codings.list_codings(study, source=seg.source)
        if (c.start, c.end) == (seg.start, seg.end) and c.origin == "suggestion"
    ]


def _status(study: Study, sug: Suggestion) -> str:
    found = suggest_decisions.find(study, sug.segment, sug.theme)
    assert found is not None
    return found.status


@pytest.mark.slow
async def test_accept_reject_and_pick_another_theme_then_undo(
    app_for: AppFor, suggested: Study
) -> None:
    best = suggest_decisions.pending(suggested)
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        assert [i.suggestion.id for i in screen.shown] == [s.id for s in best[: len(screen.shown)]]
        first, second, third = (i.suggestion for i in screen.shown[:3])

        await pilot.press("a")  # accept the best one: its row goes at once
        now = screen.current()
        assert now is not None
        assert now.suggestion.id == second.id
        await settle(pilot)
        assert _status(suggested, first) == "accepted"
        assert _made_from(suggested, first) == [first.theme]
        assert first.id not in {i.suggestion.id for i in screen.shown}

        await pilot.press("x")  # reject the next
        await settle(pilot)
        assert _status(suggested, second) == "rejected"

        await pilot.press("p")  # code the third's passage with another theme
        assert isinstance(app.screen, Picker)
        other = "7" if third.theme != "7" else "6"
        await pilot.press(*other, "enter")
        await settle(pilot)
        assert _status(suggested, third) == "rejected"
        assert other in _made_from(suggested, third)
        assert third.theme not in _made_from(suggested, third)

        for _ in range(3):
            await pilot.press("ctrl+z")
            await settle(pilot)
        pending = {s.id for s in suggest_decisions.pending(suggested)}
        assert {first.id, second.id, third.id} <= pending
        assert not [c for c in codings.list_codings(suggested) if c.origin == "suggestion"]
        assert [i.suggestion.id for i in screen.shown[:3]] == [first.id, second.id, third.id]

        await pilot.press("ctrl+y")  # redo the accept
        await settle(pilot)
        assert _status(suggested, first) == "accepted"
        assert _made_from(suggested, first) == [first.theme]


@pytest.mark.slow
async def test_filter_by_theme_and_case(app_for: AppFor, suggested: Study) -> None:
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        theme = screen.shown[0].suggestion.theme
        top = theme.split(".")[0]
        await pilot.press("t", *top, "enter")
        await settle(pilot)
        assert screen.theme == top
        assert screen.shown
        assert all(i.suggestion.theme.split(".")[0] == top for i in screen.shown)
        assert screen.data is not None
        assert screen.data.total == len(suggest_decisions.pending(suggested, theme=top))

        await pilot.press("c", *"int02", "enter")
        await settle(pilot)
        assert {i.segment.case for i in screen.shown} <= {"int02"}
        expected = suggest_decisions.pending(suggested, theme=top, case="int02")
        assert [i.suggestion.id for i in screen.shown] == [s.id for s in expected]

        await pilot.press("escape")  # clears both filters
        await settle(pilot)
        assert (screen.theme, screen.case) == (None, None)
        assert screen.data.total == len(suggest_decisions.pending(suggested))


@pytest.mark.slow
async def test_enter_opens_the_passage_in_read_and_code(app_for: AppFor, suggested: Study) -> None:
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        item = _screen(app).current()
        assert item is not None
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "read"
        reader = app.screen
        assert isinstance(reader, ReadScreen)
        assert reader.opened is not None
        assert reader.opened.key == f"src:{item.segment.source}"
        assert reader.view.cursor == reader.opened.doc.to_doc(
            item.segment.source, item.segment.start
        )


@pytest.mark.slow
async def test_refresh_suggests_in_the_background(small_study: Study) -> None:
    """On SQLite and PostgreSQL: r makes and stores suggestions, in lexical mode."""
    assert suggest_decisions.pending(small_study) == []
    app = make_app(small_study, start="review", keymap={})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        assert screen.use_embeddings is False  # no vectors cached: lexical
        assert "refresh (r): lexical (m)" in str(screen.query_one("#review-status").render())
        await pilot.press("r")
        await settle(pilot)
        assert not screen.run_bar.running
        stored = suggest_decisions.pending(small_study)
        assert stored
        assert {s.params["mode"] for s in stored if s.params} == {"lexical"}
        assert [i.suggestion.id for i in screen.shown] == [
            s.id for s in stored[: len(screen.shown)]
        ]
        assert "made: lexical" in str(screen.query_one("#review-status").render())

        await pilot.press("a")
        await settle(pilot)
        accepted = [c for c in codings.list_codings(small_study) if c.origin == "suggestion"]
        assert [c.theme for c in accepted] == [stored[0].theme]


@pytest.mark.slow
async def test_escape_cancels_a_refresh_and_keeps_what_was_stored(
    app_for: AppFor, suggested: Study
) -> None:
    before = [s.id for s in suggest_decisions.pending(suggested)]
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        screen.action_refresh()
        screen.action_cancel()  # at once: checked before anything is stored
        await settle(pilot)
        assert not screen.run_bar.running
        assert screen.stop_run is None
    assert [s.id for s in suggest_decisions.pending(suggested)] == before


def test_reopen_undoes_a_decision_but_keeps_a_coding_made_by_hand(suggested: Study) -> None:
    first, second = suggest_decisions.pending(suggested)[:2]
    (seg,) = queries.list_segments(suggested, ids=[second.segment])
    by_hand = codings.add_coding(suggested, seg.source, seg.start, seg.end, second.theme)
    suggest_decisions.accept(suggested, first.id)
    suggest_decisions.accept(suggested, second.id)  # the coding was there already
    reopen(suggested, first.id)
    reopen(suggested, second.id)
    pending = {s.id for s in suggest_decisions.pending(suggested)}
    assert first.id in pending
    assert second.id not in pending  # its theme is coded there (by hand): not offered
    left = [c.id for c in codings.list_codings(suggested)]
    assert left == [by_hand.id]


def test_review_list_and_vector_cache(suggested: Study) -> None:
    listed = review_list(suggested, limit=5)
    assert listed.total == len(suggest_decisions.pending(suggested))
    # the case's attributes come with each (a survey's question tells "Nothing." apart)
    cases = {c.id: c for c in queries.list_cases(suggested)}
    for item in listed.items:
        assert dict(item.attributes) == {
            k: str(v) for k, v in cases[item.segment.case].attributes.items() if v not in ("", None)
        }
    assert len(listed.items) == 5
    assert listed.mode == "lexical"
    assert [i.suggestion.score for i in listed.items] == sorted(
        (i.suggestion.score for i in listed.items), reverse=True
    )
    assert all(i.segment.id == i.suggestion.segment for i in listed.items)
    cache = cached_vectors(suggested)
    assert cache.cached == 0
    assert cache.segments == len(queries.list_segments(suggested))
    assert not cache.ready


async def test_mode_key_switches_lexical_and_embeddings(app_for: AppFor, suggested: Study) -> None:
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        assert screen.use_embeddings is False  # nothing cached: lexical first
        await pilot.press("m")
        status = str(screen.query_one("#review-status").render())
        if cached_vectors(suggested).installed:
            assert screen.use_embeddings is True
            missing = len(queries.list_segments(suggested))
            assert f"refresh (r): embeddings + {missing:,} new vectors (m)" in status
            said = " ".join(str(n.message) for n in app._notifications)
            assert "The next refresh (r) uses the sentence embeddings model" in said  # 80 cols
            await pilot.press("m")
            assert screen.use_embeddings is False
        else:  # the extra is missing: it says so and stays lexical
            assert screen.use_embeddings is False
            assert "refresh (r): lexical (m)" in status


@pytest.mark.slow
def test_the_context_says_how_many_codings_a_learned_score_rests_on(suggested: Study) -> None:
    """A theme coded once or twice is flagged: on nhs-fft's quotes such themes scored
    0.23 on average among their best three and were right 8.6% of the time."""
    from dataclasses import replace

    from qualcode.services.suggest import COLD_START
    from qualcode.tui.review.view import context_text

    item = review_list(suggested, limit=5).items[0]
    assert item.suggestion.method == COLD_START  # nothing coded yet: keywords only
    assert "learned from" not in context_text(item).plain

    def learned(n: int) -> str:
        made = replace(item.suggestion, method="supervised+cold-start", params={"positives": n})
        return context_text(replace(item, suggestion=made)).plain

    assert "learned from 1 coding of the theme: few to go on, read it first" in learned(1)
    assert "learned from 2 codings of the theme: few to go on" in learned(2)
    assert "learned from 1,040 codings of the theme)" in learned(1040)

    def scored(score: float, ceiling: float) -> str:
        params = {"positives": 11, "validated_max": ceiling}
        made = replace(item.suggestion, method="supervised", score=score, params=params)
        return context_text(replace(item, suggestion=made)).plain

    # nhs-fft after 51 coded answers: 0.84 where no held-out suggestion reached 0.8
    assert "above any score cross-validation gave (its highest 0.71)" in scored(0.84, 0.7123)
    assert "above any score" not in scored(0.6, 0.7123)


async def test_escape_and_a_key_in_one_burst_cancel_a_picker(
    app_for: AppFor, suggested: Study
) -> None:
    """Escape sent with the next key arrives as alt+key: the letter went into the
    picker's filter instead of closing it."""
    from textual import events

    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        await pilot.press("p")
        picker = app.screen
        assert isinstance(picker, Picker)
        await settle(pilot)
        field = picker.focused
        assert field is not None  # its filter field: where the terminal's key goes
        field.post_message(events.Key("alt+x", "x"))  # as the terminal parser reads it
        await settle(pilot)
        assert app.screen is screen  # closed, and nothing coded with a match of "x"
        assert not [c for c in codings.list_codings(suggested) if c.origin != "suggestion"]
