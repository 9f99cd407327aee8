"""Suggestions: cold start, learning from codings, rejections, accepting, provenance."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from qualcode.errors import NotFoundError
from qualcode.services import codings
from qualcode.services.study import Study
from qualcode.services.suggest import (
    Cancelled,
    Suggestion,
    suggest,
    suggest_for_segments,
    suggestion,
)
from qualcode.services.suggest_decisions import accept, pending, reject, reject_theme
from qualcode.store import models as m
from tests.nlp.conftest import _fresh_models, no_network, segment_of  # noqa: F401  (autouse here too)

PARKING = [7, 8, 9, 10, 11, 12, 13, 14]  # answers about car parking: no theme's keywords


def themes_for(run_results: object, segment: str) -> list[str]:
    for r in run_results:  # type: ignore[attr-defined]
        if r.segment == segment:
            return [s.theme for s in r.suggestions]
    raise AssertionError(f"{segment} was not suggested for")


def score_of(study: Study, segment: str, theme: str) -> tuple[int, float]:
    """(rank, score) of ``theme`` among all themes for ``segment`` (rank 99: absent)."""
    run = suggest(study, top=10, all_segments=True, segment_ids=[segment], use_embeddings=False)
    items = run.results[0].suggestions
    for rank, s in enumerate(items):
        if s.theme == theme:
            return rank, s.score
    return 99, 0.0


@pytest.mark.slow_postgresql
def test_cold_start_with_no_codings(survey_study: Study) -> None:
    run = suggest(survey_study, top=3, use_embeddings=False)
    assert run.mode == "lexical"
    assert run.learned_themes == 0
    assert run.coded_segments == 0
    assert len(run.results) == 18  # every respondent segment is uncoded
    pay = themes_for(run.results, segment_of(2))  # "A pay rise would help ..."
    assert pay[0] == "P1"
    toil = themes_for(run.results, segment_of(3))
    assert toil[0] == "P2"
    top = next(r for r in run.results if r.segment == segment_of(2)).suggestions[0]
    assert 0.0 <= top.score <= 1.0
    assert any("pay" in b.lower() for b in top.because)
    for r in run.results:
        scores = [s.score for s in r.suggestions]
        assert scores == sorted(scores, reverse=True)
        assert len(scores) <= 3


@pytest.mark.slow
def test_suggestions_are_stored_with_provenance(survey_study: Study) -> None:
    run = suggest(survey_study, top=2, use_embeddings=False)
    with survey_study.read() as s:
        rows = s.scalars(select(m.SuggestionRow)).all()
    assert len(rows) == sum(len(r.suggestions) for r in run.results) > 0
    row = rows[0]
    assert row.status == "pending"
    assert row.method == "cold-start"
    assert row.model == "context-svm"
    assert row.created_at is not None
    assert row.params["top"] == 2
    assert row.params["mode"] == "lexical"
    # Running again replaces pending suggestions instead of piling them up.
    suggest(survey_study, top=2, use_embeddings=False)
    with survey_study.read() as s:
        assert len(s.scalars(select(m.SuggestionRow)).all()) == len(rows)


def _stored(study: Study) -> dict[int, Suggestion]:
    """Every stored suggestion, read back through the ORM, times as naive UTC."""
    with study.read() as s:
        rows = [suggestion(row) for row in s.scalars(select(m.SuggestionRow))]
    return {r.id: replace(r, created=_naive_utc(r.created)) for r in rows}


def _naive_utc(when: datetime) -> datetime:
    return when if when.tzinfo is None else when.astimezone(UTC).replace(tzinfo=None)


def test_what_is_returned_is_what_was_stored(survey_study: Study) -> None:
    """Ids, scores, reasons and parameters, row for row; running again replaces the
    pending suggestions and keeps the decided ones as they were."""
    for n in PARKING[:4]:
        codings.code_segment(survey_study, segment_of(n), "W2")
    first = suggest(survey_study, top=3, all_segments=True, use_embeddings=False)
    made = {
        s.id: replace(s, created=_naive_utc(s.created))
        for r in first.results
        for s in r.suggestions
    }
    assert len(made) > len(first.results)
    assert _stored(survey_study) == made
    positives = {(s.theme, s.params["positives"]) for s in made.values() if s.params}
    assert ("W2", 4) in positives  # each theme's own count of coded segments
    assert all(n == 0 for theme, n in positives if theme != "W2")

    target = next(r for r in first.results if len(r.suggestions) >= 2)
    rejected = reject(survey_study, target.suggestions[0].id)
    coding = accept(survey_study, target.suggestions[1].id)
    decided = {s.id: s for s in _stored(survey_study).values() if s.status != "pending"}
    assert sorted(decided) == sorted([rejected.id, target.suggestions[1].id])

    again = suggest(survey_study, top=3, all_segments=True, use_embeddings=False)
    remade = {
        s.id: replace(s, created=_naive_utc(s.created))
        for r in again.results
        for s in r.suggestions
    }
    assert remade
    # No pending one of the first run is left (SQLite may give their ids again).
    assert _stored(survey_study) == remade | decided
    mine = next(r for r in again.results if r.segment == target.segment)
    assert {s.theme for s in mine.suggestions}.isdisjoint({rejected.theme, coding.theme})


def test_coding_a_theme_raises_its_rank_for_similar_segments(survey_study: Study) -> None:
    target = segment_of(17)  # "Finding a parking space takes me half an hour every day."
    rank_before, score_before = score_of(survey_study, target, "W2")
    for n in PARKING:
        codings.code_segment(survey_study, segment_of(n), "W2")
    rank_after, score_after = score_of(survey_study, target, "W2")
    assert score_after > score_before + 0.2
    assert rank_after == 0
    assert rank_before > 0
    run = suggest(survey_study, top=1, use_embeddings=False)
    assert run.learned_themes >= 1
    assert run.coded_segments == len(PARKING)
    assert themes_for(run.results, segment_of(18)) == ["W2"]  # "Parking is a daily battle ..."
    top = next(r for r in run.results if r.segment == segment_of(18)).suggestions[0]
    assert top.method == "supervised+cold-start"
    assert any("parking" in b.lower() for b in top.because)


@pytest.mark.slow_postgresql
def test_only_uncoded_segments_unless_all(survey_study: Study) -> None:
    codings.code_segment(survey_study, segment_of(1), "P1")
    uncoded = suggest(survey_study, use_embeddings=False)
    assert segment_of(1) not in {r.segment for r in uncoded.results}
    everything = suggest(survey_study, all_segments=True, use_embeddings=False)
    assert segment_of(1) in {r.segment for r in everything.results}
    # A theme already coded on a segment is not suggested for it again.
    assert "P1" not in themes_for(everything.results, segment_of(1))


@pytest.mark.slow_postgresql
def test_a_rejection_is_honoured(survey_study: Study) -> None:
    target = segment_of(2)
    run = suggest(survey_study, top=3, use_embeddings=False)
    first = next(r for r in run.results if r.segment == target).suggestions[0]
    assert first.theme == "P1"
    rejected = reject(survey_study, first.id)
    assert rejected.status == "rejected"
    again = suggest(survey_study, top=3, all_segments=True, use_embeddings=False)
    assert "P1" not in themes_for(again.results, target)
    assert again.rejections == 1
    with survey_study.read() as s:
        row = s.get(m.SuggestionRow, first.id)
        assert row is not None
        assert row.status == "rejected"
        assert row.decided_by == "alice"


def test_rejected_pairs_are_negative_evidence(survey_study: Study) -> None:
    for n in PARKING[:4]:
        codings.code_segment(survey_study, segment_of(n), "W2")
    for n in (1, 2, 16):  # pay answers coded as pay
        codings.code_segment(survey_study, segment_of(n), "P1")
    _, before = score_of(survey_study, segment_of(13), "W2")
    for n in (11, 12, 14, 17, 18):
        reject_theme(survey_study, segment_of(n), "W2")
    _, after = score_of(survey_study, segment_of(13), "W2")
    assert after < before


def test_accepting_codes_the_segment_and_records_where_it_came_from(survey_study: Study) -> None:
    run = suggest(survey_study, top=1, use_embeddings=False)
    sug = next(r for r in run.results if r.segment == segment_of(5)).suggestions[0]
    assert sug.theme == "W1"
    coding = accept(survey_study, sug.id)
    assert coding.theme == "W1"
    assert coding.origin == "suggestion"
    with survey_study.read() as s:
        row = s.get(m.CodingRow, coding.id)
        assert row is not None
        assert row.suggestion_id == sug.id
        decided = s.get(m.SuggestionRow, sug.id)
        assert decided is not None
        assert decided.status == "accepted"
    assert segment_of(5) not in {
        r.segment for r in suggest(survey_study, use_embeddings=False).results
    }


def test_picking_another_theme_codes_it_and_rejects_the_suggestion(survey_study: Study) -> None:
    run = suggest(survey_study, top=1, use_embeddings=False)
    sug = next(r for r in run.results if r.segment == segment_of(15)).suggestions[0]
    coding = accept(survey_study, sug.id, theme="P1")
    assert coding.theme == "P1"
    with survey_study.read() as s:
        decided = s.get(m.SuggestionRow, sug.id)
        assert decided is not None
        assert decided.status == "rejected"


def test_pending_is_best_first_and_filtered(survey_study: Study) -> None:
    suggest(survey_study, top=3, use_embeddings=False)
    items = pending(survey_study)
    assert [s.score for s in items] == sorted((s.score for s in items), reverse=True)
    pay = pending(survey_study, theme="P")
    assert pay
    assert all(s.theme in ("P1", "P2") for s in pay)
    one = pending(survey_study, case="S02")
    assert one
    assert {s.segment for s in one} == {segment_of(2)}


def test_theme_and_case_options(survey_study: Study) -> None:
    run = suggest(survey_study, theme="P2", use_embeddings=False)
    assert run.results
    assert all(s.theme == "P2" for r in run.results for s in r.suggestions)
    only = suggest(survey_study, case="S03", use_embeddings=False)
    assert [r.segment for r in only.results] == [segment_of(3)]
    with pytest.raises(NotFoundError):
        suggest(survey_study, case="nobody", use_embeddings=False)


def test_a_mistyped_theme_is_told_before_any_work(survey_study: Study) -> None:
    """On serdif with embeddings, `--theme nosuchtheme` embedded 2,270 segments (54 s)
    before saying there is no such theme."""
    from qualcode.services.suggest_model import clear_cache

    clear_cache()
    stages: list[str] = []
    with pytest.raises(NotFoundError, match="nope"):
        suggest(
            survey_study,
            theme="nope",
            use_embeddings=False,
            progress=lambda stage, done, total: stages.append(stage),
        )
    assert stages == []


def test_progress_and_cancel_between_batches(survey_study: Study) -> None:
    seen: list[str] = []
    suggest(
        survey_study, use_embeddings=False, progress=lambda stage, done, total: seen.append(stage)
    )
    assert "suggesting" in seen
    before = pending(survey_study)
    with pytest.raises(Cancelled):
        suggest(survey_study, use_embeddings=False, cancel=lambda: True)
    assert [s.id for s in pending(survey_study)] == [s.id for s in before]


@pytest.mark.slow_postgresql
def test_suggest_for_segments_after_an_accept(survey_study: Study) -> None:
    first = suggest_for_segments(survey_study, [segment_of(6)], top=2)
    assert first[0].segment == segment_of(6)
    assert first[0].suggestions[0].theme == "W1"
    accept(survey_study, first[0].suggestions[0].id)
    again = suggest_for_segments(survey_study, [segment_of(6)], top=2)
    assert "W1" not in [s.theme for s in again[0].suggestions]


@pytest.mark.slow_postgresql
def test_the_framework_teaches_a_learned_theme_and_never_overrides_it(
    survey_study: Study,
) -> None:
    """A coded theme's keywords are one more example for its learned model (its score
    moves with them, and stays a learned probability); a theme not coded yet is scored
    by its keywords alone, as a cold start, and is not made 'learned' by them."""
    from qualcode.services import framework

    for n in PARKING[:4]:
        codings.code_segment(survey_study, segment_of(n), "W2")
    for n in (1, 2, 16):
        codings.code_segment(survey_study, segment_of(n), "P1")
    target = segment_of(5)  # "Supervision is monthly but rarely reflective."
    _, w2_before = score_of(survey_study, target, "W2")
    _, w1_before = score_of(survey_study, target, "W1")
    framework.update_theme(survey_study, "W2", keywords=["supervision", "reflective", "monthly"])
    framework.update_theme(survey_study, "W1", keywords=["nothing", "matches"])
    _, w2_after = score_of(survey_study, target, "W2")
    _, w1_after = score_of(survey_study, target, "W1")
    assert w2_after > w2_before  # its words name the passage: the anchor pulls it up
    assert w1_after < w1_before  # not coded yet: its keywords are all it has
    run = suggest(survey_study, top=10, segment_ids=[target], use_embeddings=False)
    learned = {s.theme: s.method for r in run.results for s in r.suggestions}
    assert learned["W2"] == "supervised+cold-start"
    assert learned.get("W1", "cold-start") == "cold-start"
