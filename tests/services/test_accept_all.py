"""Accepting many suggestions at once (``suggest accept --above``, Review's ``A``): one
transaction, so all or nothing is coded, and one action, so one undo takes it back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qualcode.services import codings
from qualcode.services import suggest_decisions as decisions
from qualcode.services.study import Study
from qualcode.services.suggest import suggest
from qualcode.services.undo_log import last_action, revert
from qualcode.store import audit
from qualcode.store import models as m
from tests.nlp.conftest import _fresh_models, no_network  # noqa: F401  (autouse here too)
from tests.services.conftest import Watch


def _five(study: Study) -> list[decisions.Suggestion]:
    suggest(study, top=1, use_embeddings=False)
    made = decisions.pending(study)[:5]
    assert len(made) == 5
    return made


def _from_suggestions(study: Study) -> int:
    with study.read() as s:
        query = select(func.count()).where(m.CodingRow.origin == "suggestion")
        return int(s.scalar(query) or 0)


def test_every_one_is_coded_and_one_undo_takes_them_all_back(survey_study: Study) -> None:
    made = _five(survey_study)
    with survey_study.action():
        done = decisions.accept_all(survey_study, [s.id for s in made])
    assert [(c.theme, c.origin) for c in done] == [(s.theme, "suggestion") for s in made]
    with survey_study.read() as s:
        for sug, coding in zip(made, done, strict=True):
            row = s.get(m.CodingRow, coding.id)
            assert row is not None
            assert row.suggestion_id == sug.id
            decided = s.get(m.SuggestionRow, sug.id)
            assert decided is not None
            assert (decided.status, decided.decided_by) == ("accepted", survey_study.coder)
    batch = last_action(survey_study, survey_study.coder)
    assert batch is not None
    assert revert(survey_study, batch).changes == 10  # a coding and a decision each
    assert _from_suggestions(survey_study) == 0
    assert {s.id for s in decisions.pending(survey_study)} >= {s.id for s in made}


def test_a_bulk_accept_cut_short_codes_nothing(
    survey_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _five(survey_study)
    record = audit.record
    calls = []

    def fail_on_the_third(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        record(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "record", fail_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        decisions.accept_all(survey_study, [s.id for s in made])
    assert _from_suggestions(survey_study) == 0
    assert {s.id for s in decisions.pending(survey_study)} >= {s.id for s in made}


def test_decided_since_passed_over_and_a_span_already_coded_kept(survey_study: Study) -> None:
    """Another coder may decide some in the meantime, or the researcher code one by
    hand: the rest are coded, and no coding is made twice."""
    made = _five(survey_study)
    decisions.reject(survey_study, made[0].id)
    by_hand = codings.code_segment(survey_study, made[1].segment, made[1].theme)
    done = decisions.accept_all(survey_study, [s.id for s in made])
    assert [c.theme for c in done] == [s.theme for s in made[1:]]
    assert done[0].id == by_hand.id
    assert _from_suggestions(survey_study) == 3
    with survey_study.read() as s:
        rejected = s.get(m.SuggestionRow, made[0].id)
        assert rejected is not None
        assert rejected.status == "rejected"


def test_the_accept_and_its_undo_write_with_the_collector_paused_and_resume_it(
    survey_study: Study, collector_at_commit: list[bool]
) -> None:
    """Tens of thousands of ORM rows and no cycles: full collections took 3 of 7 s of
    a bulk accept of 29,487 suggestions (services/gc_pause.py)."""
    import gc

    made = _five(survey_study)
    collector_at_commit.clear()
    with survey_study.action():
        decisions.accept_all(survey_study, [s.id for s in made])
    assert gc.isenabled()
    batch = last_action(survey_study, survey_study.coder)
    assert batch is not None
    revert(survey_study, batch)
    assert gc.isenabled()
    assert collector_at_commit == [False, False]  # the accept and the undo


def test_listing_and_planning_a_bulk_accept_run_with_the_collector_paused(
    survey_study: Study, collector_during: Watch
) -> None:
    """Reading 30,000 pending suggestions as ORM rows took 4 s with full collections
    and 1.7 s without (services/gc_pause.py)."""
    import gc

    from qualcode.services import suggest_bulk
    from qualcode.store.queries import suggestions as suggestions_q

    _five(survey_study)
    seen = collector_during(suggestions_q, "pending_rows")
    assert decisions.pending(survey_study)
    assert suggest_bulk.plan_accept(survey_study, 0.5, use_embeddings=False) is not None
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_theme_coded_since_is_no_longer_pending_nor_counted(survey_study: Study) -> None:
    """Accepting a suggestion with another theme left that theme's own suggestion on the
    passage pending: bulk accept counted it as a coding to make ("coded 1,179" for
    1,167 codings), and `suggest pending` listed a theme coded there already."""
    from qualcode.services.suggest_bulk import BulkPlan

    suggest(survey_study, top=3, use_embeddings=False)
    by_segment: dict[str, list[decisions.Suggestion]] = {}
    for s in decisions.pending(survey_study):
        by_segment.setdefault(s.segment, []).append(s)
    first, second = next(v for v in by_segment.values() if len(v) >= 2)[:2]
    decisions.accept(survey_study, first.id, theme=second.theme)  # coded with the other
    left = {s.id for s in decisions.pending(survey_study, segment=first.segment)}
    assert first.id not in left  # rejected, as before
    assert second.id not in left  # its theme is coded there now
    plan = BulkPlan(0.0, (first, second, *by_segment[first.segment][2:]), None, 0)
    assert plan.what.endswith("on 1 passage")


def test_a_redone_bulk_accept_keeps_each_codings_suggestion(survey_study: Study) -> None:
    """walk49a: undo then redo brought the codings back without their suggestion, so
    reopening a suggestion no longer found the coding its accept made."""
    made = _five(survey_study)
    with survey_study.action() as action:
        decisions.accept_all(survey_study, [s.id for s in made])
    undone = revert(survey_study, action.batch)
    assert _from_suggestions(survey_study) == 0
    revert(survey_study, undone.batch)
    with survey_study.read() as s:
        rows = s.scalars(select(m.CodingRow).where(m.CodingRow.origin == "suggestion")).all()
        assert sorted(r.suggestion_id for r in rows) == sorted(x.id for x in made)
