"""Every service that writes a coding refuses a theme whose framework does not code the
passage's source - coding a span or a segment, changing a coding's theme, accepting a
suggestion (one or in bulk), Search's "code all", merging themes, a REFI-QDA import -
with one error naming the theme, its framework and what that framework codes, and
nothing written. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.model import Segment
from qualcode.errors import OutOfScopeError
from qualcode.services import (
    codings,
    exchange,
    framework,
    frameworks,
    importing,
    queries,
    search,
    suggest_bulk,
    theme_edits,
)
from qualcode.services import suggest_decisions as decisions
from qualcode.services.coding_batches import add_coding_once
from qualcode.services.study import Study
from qualcode.store import models as m

TRANSCRIPT = "Interviewer: Hello?\n\nRespondent: We use agency staff a lot, supervision is rare.\n"
SURVEY = "respondent_id,sector,q_help,q_cease\nR1,CSD,More supervision please.,Burnout.\n"


def mixed(study: Study, tmp_path: Path, sample: Path) -> dict[str, Segment]:
    """A transcript and a survey answering two questions; the sample's interview
    framework (transcripts) and survey framework narrowed to q_help. Returns the first
    segment of each source: "int01", "R1/q_help", "R1/q_cease"."""
    (tmp_path / "int01.txt").write_text(TRANSCRIPT)
    importing.import_transcripts(study, [tmp_path / "int01.txt"])
    (tmp_path / "survey.csv").write_text(SURVEY)
    importing.import_survey(study, tmp_path / "survey.csv", "respondent_id", ["q_help", "q_cease"])
    fw = sample / "frameworks"
    framework.import_framework(study, fw / "interviews.yaml", "interviews", "transcript")
    framework.import_framework(study, fw / "survey.yaml", "survey", "survey:q_help")
    first: dict[str, Segment] = {}
    for seg in queries.list_segments(study):
        if seg.role != "interviewer":
            first.setdefault(seg.source, seg)
    return first


def coded(study: Study) -> list[tuple[str, str]]:
    return sorted((c.source, c.theme) for c in codings.list_codings(study))


def pending_suggestion(study: Study, seg: Segment, theme: str, score: float = 0.9) -> int:
    with study.write() as s:
        row = m.SuggestionRow(segment_id=seg.id, theme_id=theme, score=score, because=[],
                              method="test", params={})  # fmt: skip
        s.add(row)
        s.flush()
        return int(row.id)


def test_coding_a_span_with_another_frameworks_theme_is_refused(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    seg = mixed(study, tmp_path, sample)
    interview, answer, other = seg["int01"], seg["R1/q_help"], seg["R1/q_cease"]
    with pytest.raises(OutOfScopeError) as refused:
        codings.add_coding(study, interview.source, interview.start, interview.end, "S1.1")
    assert str(refused.value) == (
        "theme 'S1.1' is in framework 'survey', which codes survey answers to q_help, "
        "not source 'int01' (an interview transcript)"
    )
    with pytest.raises(OutOfScopeError, match="'1.3' is in framework 'interviews', which codes "
                       "interview transcripts, not source 'R1/q_help' "
                       r"\(a survey answer to q_help\)"):  # fmt: skip
        codings.code_segment(study, answer.id, "1.3")
    with pytest.raises(OutOfScopeError, match=r"survey answers to q_help.*answer to q_cease"):
        add_coding_once(study, other.source, other.start, other.end, "S1")  # Read & code's way
    assert coded(study) == []
    codings.code_segment(study, interview.id, "1.3")
    codings.code_segment(study, answer.id, "S1.1")
    assert coded(study) == [("R1/q_help", "S1.1"), ("int01", "1.3")]


def test_changing_a_codings_theme_to_another_frameworks_is_refused(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    seg = mixed(study, tmp_path, sample)
    coding = codings.code_segment(study, seg["int01"].id, "1.3")
    with pytest.raises(OutOfScopeError, match="theme 'S2' is in framework 'survey'"):
        codings.change_theme(study, coding.id, "S2")
    assert coded(study) == [("int01", "1.3")]
    codings.change_theme(study, coding.id, "1.1")
    assert coded(study) == [("int01", "1.1")]


def test_accepting_a_suggestion_outside_its_framework_is_refused(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    seg = mixed(study, tmp_path, sample)
    stale = pending_suggestion(study, seg["int01"], "S1.1")  # made before the frameworks
    with pytest.raises(OutOfScopeError, match="theme 'S1.1' is in framework 'survey'"):
        decisions.accept(study, stale)
    fine = pending_suggestion(study, seg["R1/q_help"], "S1.1")
    with pytest.raises(OutOfScopeError, match="theme '1.1' is in framework 'interviews'"):
        decisions.accept(study, fine, "1.1")  # another theme instead: checked as well
    assert [s.id for s in decisions.pending(study)] == [stale, fine]
    assert coded(study) == []
    decisions.accept(study, fine)
    assert coded(study) == [("R1/q_help", "S1.1")]


def test_bulk_accept_leaves_out_suggestions_outside_their_framework(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    seg = mixed(study, tmp_path, sample)
    stale = pending_suggestion(study, seg["int01"], "S1.1", 0.95)
    fine = pending_suggestion(study, seg["R1/q_help"], "S1.1", 0.9)
    plan = suggest_bulk.plan_accept(study, 0.5)
    assert [s.id for s in plan.suggestions] == [fine]
    assert plan.outside == 1
    assert "1 other left pending: the theme's framework does not code that passage" in (
        plan.describe()
    )
    suggest_bulk.accept_plan(study, plan)
    assert coded(study) == [("R1/q_help", "S1.1")]
    assert [s.id for s in decisions.pending(study)] == [stale]


def test_search_code_all_refuses_hits_outside_the_themes_framework(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    mixed(study, tmp_path, sample)
    hits = search.search(study, "supervision")
    assert {h.source for h in hits} == {"int01", "R1/q_help"}
    with pytest.raises(OutOfScopeError, match="not source 'int01' \\(an interview transcript\\)"):
        search.code_hits(study, hits, "S1.1")
    assert coded(study) == []
    search.code_hits(study, [h for h in hits if h.source == "R1/q_help"], "S1.1")
    assert coded(study) == [("R1/q_help", "S1.1")]


def test_merging_into_another_frameworks_theme_is_refused_when_it_cannot_code_them(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    seg = mixed(study, tmp_path, sample)
    codings.code_segment(study, seg["R1/q_help"].id, "S1.1")
    with pytest.raises(OutOfScopeError, match="theme '1.3' is in framework 'interviews'"):
        theme_edits.merge_themes(study, "S1.1", "1.3")
    assert coded(study) == [("R1/q_help", "S1.1")]
    assert "S1.1" in framework.framework_tree(study).themes
    theme_edits.merge_themes(study, "S1.1", "S1.2")  # same framework: fine
    assert coded(study) == [("R1/q_help", "S1.2")]


def test_a_qdpx_coding_outside_its_themes_framework_is_skipped_with_a_warning(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    seg = mixed(study, tmp_path, sample)
    codings.code_segment(study, seg["int01"].id, "1.3")
    codings.code_segment(study, seg["R1/q_help"].id, "S1.1")
    exchange.export_qdpx(study, tmp_path / "p.qdpx")
    for coding in codings.list_codings(study):
        codings.remove_coding(study, coding.id)
    # the interview framework now codes the survey only: the file's interview coding
    # no longer fits and is left out, the survey coding comes back
    frameworks.edit_framework(study, "interviews", applies_to="survey")
    report = exchange.import_qdpx(study, tmp_path / "p.qdpx")
    assert coded(study) == [("R1/q_help", "S1.1")]
    warned = [w for w in report.warnings if "skipped because" in w]
    assert len(warned) == 1
    assert "1 coding(s) skipped because the theme's framework does not code it" in warned[0]
    assert "theme '1.3' is in framework 'interviews'" in warned[0]
    with study.read() as s:
        assert len(list(s.scalars(select(m.CodingRow)))) == 1


def test_codings_a_framework_change_leaves_outside_are_counted(
    study: Study, tmp_path: Path, sample: Path
) -> None:
    first = mixed(study, tmp_path, sample)
    codings.code_segment(study, first["R1/q_help"].id, "S1.1")
    assert frameworks.outside_warning(study, "survey") is None
    frameworks.edit_framework(study, "survey", applies_to="survey:q_cease")
    warning = frameworks.outside_warning(study, "survey")
    assert warning is not None
    assert warning.startswith("1 coding of framework 'survey' now outside what it codes")
    assert "theme 'S1.1'" in warning
    assert frameworks.outside_warning(study, "interviews") is None
    frameworks.edit_framework(study, "survey", applies_to="survey")  # every question again
    assert frameworks.outside_warning(study, "survey") is None
