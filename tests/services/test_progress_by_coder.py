"""Coding progress per case counted over one coder's codings, on each database."""

from __future__ import annotations

import pytest

from qualcode.services import codings, queries
from qualcode.services.progress import case_progress, coding_counts
from qualcode.services.study import Study


@pytest.mark.slow_postgresql
def test_case_progress_counts_only_the_chosen_coders_codings(team_study: Study) -> None:
    turns = [g for g in queries.list_segments(team_study, case="int01") if g.role == "respondent"]
    a, b, c = turns[:3]
    codings.code_segment(team_study, a.id, "T1", coder="lead")
    codings.code_segment(team_study, b.id, "T2", coder="lead")
    codings.code_segment(team_study, b.id, "T3", coder="bob")  # both coded b
    # a few characters inside a turn make the turn coded
    codings.add_coding(team_study, c.source, c.start + 2, c.start + 9, "T4", coder="bob")
    (answer,) = queries.list_segments(team_study, case="R00001")[:1]
    codings.code_segment(team_study, answer.id, "T1.1", coder="bob")

    everyone = case_progress(team_study)
    lead = case_progress(team_study, coder="lead")
    bob = case_progress(team_study, coder="bob")
    nobody = case_progress(team_study, coder="carol")

    assert everyone["int01"].coded == 3
    assert lead["int01"].coded == 2
    assert bob["int01"].coded == 2
    assert nobody["int01"].coded == 0
    # the denominators do not depend on the coder
    assert {p["int01"].segments for p in (everyone, lead, bob, nobody)} == {len(turns)}
    assert {p["int01"].sources for p in (everyone, lead, bob, nobody)} == {1}
    assert bob["int01"].share == 2 / len(turns)
    assert (bob["R00001"].coded, lead["R00001"].coded, everyone["R00001"].coded) == (1, 0, 1)
    assert set(bob) == set(everyone) == set(nobody)  # every case, coded or not


@pytest.mark.slow_postgresql
def test_coding_counts_per_coder(team_study: Study) -> None:
    assert coding_counts(team_study) == {}
    turns = [g for g in queries.list_segments(team_study, case="int01") if g.role == "respondent"]
    for turn in turns[:3]:
        codings.code_segment(team_study, turn.id, "T2", coder="bob")
    codings.code_segment(team_study, turns[0].id, "T3")  # the study's coder, "lead"
    assert coding_counts(team_study) == {"bob": 3, "lead": 1}
