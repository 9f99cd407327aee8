"""Suggestions offer only themes whose framework applies to the passage: in the sample
study interview themes on interview turns, survey themes ("S...") on survey answers -
before anything is coded (cold start) and once the model has been trained."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qualcode.domain.model import Coding
from qualcode.services import codings, queries, suggest_bulk
from qualcode.services.coding_batches import add_codings
from qualcode.services.study import Study
from qualcode.services.suggest import suggest
from qualcode.services.suggest_passages import suggest_passages


def _segments(study: Study) -> tuple[list[str], list[str]]:
    kinds = {s.id: s.kind for s in queries.list_sources(study)}
    segs = queries.list_segments(study)
    interview = [g.id for g in segs if kinds[g.source] == "transcript"]
    survey = [g.id for g in segs if kinds[g.source] == "survey"]
    return interview, survey


def _check(study: Study, interview: list[str], survey: list[str]) -> None:
    run = suggest(study, top=5, all_segments=True, segment_ids=interview[:40] + survey[:40],
                  use_embeddings=False, store=False)  # fmt: skip
    offered = {r.segment: [s.theme for s in r.suggestions] for r in run.results}
    on_interviews = [t for seg in interview[:40] for t in offered[seg]]
    on_survey = [t for seg in survey[:40] for t in offered[seg]]
    assert on_interviews, "no suggestions on interview turns"
    assert on_survey, "no suggestions on survey answers"
    assert not [t for t in on_interviews if t.startswith("S")]
    assert all(t.startswith("S") for t in on_survey)


def _force(study: Study, segment_ids: list[str], theme: str) -> None:
    """Store these codings as they are, past the framework check."""
    segs = {g.id: g for g in queries.list_segments(study)}
    now = datetime.now(UTC)
    add_codings(study, [Coding(0, segs[s].source, segs[s].start, segs[s].end, theme,
                               study.coder, now) for s in segment_ids])  # fmt: skip


@pytest.mark.slow
def test_cold_start_and_trained_suggestions_follow_the_frameworks(demo_study: Study) -> None:
    interview, survey = _segments(demo_study)
    _check(demo_study, interview, survey)  # nothing coded yet
    # a survey theme forced onto interview turns and an interview theme onto survey
    # answers (as codings made before the frameworks said what they code; the services
    # refuse them now): the trained model learns them, the frameworks still keep them apart
    _force(demo_study, interview[200:230], "S1.1")
    _force(demo_study, survey[200:230], "1.1")
    for seg in interview[100:130]:
        codings.code_segment(demo_study, seg, "2.3")
    for seg in survey[100:130]:
        codings.code_segment(demo_study, seg, "S1.2")
    _check(demo_study, interview, survey)
    segs = {g.id: g for g in queries.list_segments(demo_study)}
    spans = [(segs[s].source, segs[s].start, segs[s].end) for s in (interview[0], survey[0])]
    on_turn, on_answer = suggest_passages(demo_study, spans, top=5)
    assert on_turn
    assert on_answer
    assert not [p.theme for p in on_turn if p.theme.startswith("S")]
    assert all(p.theme.startswith("S") for p in on_answer)
    for item in suggest_bulk.next_to_code(demo_study, limit=30):
        if "unsure between" in item.why:
            pair = item.why.split("unsure between ")[1].split(" and ")
            assert all(t.startswith("S") for t in pair) == (not item.case.startswith("int"))


def test_code_hits_refuses_a_theme_whose_framework_does_not_apply(demo_study: Study) -> None:
    from qualcode.errors import InputError
    from qualcode.services.search import code_hits, search

    hits = [h for h in search(demo_study, "supervision") if h.kind == "survey"][:3]
    assert hits
    with pytest.raises(InputError, match="framework 'interviews'"):
        code_hits(demo_study, hits, "2.3")
    assert codings.list_codings(demo_study) == []
    assert len(code_hits(demo_study, hits, "S1.1")) == len({h.segment for h in hits})
