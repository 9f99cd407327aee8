"""The services the workbench added: memos, search, progress and undo inverses, on
each database of the run."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from qualcode.domain.model import Segment
from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services import codings, framework, memos, queries, search
from qualcode.services.progress import case_progress
from qualcode.services.study import Study
from qualcode.store import models as m
from qualcode.tui.shared import changes


def _first_respondent(study: Study, case: str = "int01") -> Segment:
    return queries.list_segments(study, case=case)[0]


def _audit_actions(study: Study, entity: str) -> list[str]:
    with study.read() as s:
        return list(
            s.scalars(
                select(m.ChangeRow.action)
                .where(m.ChangeRow.entity == entity)
                .order_by(m.ChangeRow.id)
            )
        )


def test_memos_are_one_per_coder_and_target(small_study: Study) -> None:
    seg = _first_respondent(small_study)
    memo = memos.set_memo(small_study, "segment", seg.id, "Vacancy figures: check.")
    assert memo is not None
    assert memo.coder == "alice"
    again = memos.set_memo(small_study, "segment", seg.id, "Vacancy figures checked.")
    assert again is not None
    assert again.id == memo.id
    assert memos.get_memo(small_study, "segment", seg.id).text == "Vacancy figures checked."  # type: ignore[union-attr]
    memos.set_memo(small_study, "study", None, "Overall: staffing dominates.")
    memos.set_memo(small_study, "case", "int01", "Large London borough.")
    assert {x.kind for x in memos.list_memos(small_study)} == {"segment", "study", "case"}
    assert memos.set_memo(small_study, "segment", seg.id, "   ") is None
    assert memos.get_memo(small_study, "segment", seg.id) is None
    assert _audit_actions(small_study, "memo") == ["add", "update", "add", "add", "delete"]


def test_memo_targets_must_exist(small_study: Study) -> None:
    with pytest.raises(NotFoundError, match="no case"):
        memos.set_memo(small_study, "case", "nobody", "x")
    with pytest.raises(InputError, match="unknown memo kind"):
        memos.set_memo(small_study, "planet", "x", "x")
    assert memos.list_memos(small_study) == []


def test_search_words_phrase_and_regex(small_study: Study) -> None:
    words = search.search(small_study, "agency")
    assert words
    assert all(h.match.lower() == "agency" for h in words)
    text = queries.source_text(small_study, words[0].source)
    assert text[words[0].start : words[0].end].lower() == "agency"
    assert len(search.search(small_study, "agenc*")) >= len(words)
    phrase = search.search(small_study, "agency staff", "phrase")
    assert phrase
    assert all(h.match.lower().split() == ["agency", "staff"] for h in phrase)
    assert len(phrase) < len(search.search(small_study, "agency staff"))
    # a "quoted phrase" among words is one, as in a web search, not each of its words
    quoted = search.search(small_study, '"agency staff"')
    assert [(h.segment, h.match.lower()) for h in quoted] == [
        (h.segment, h.match.lower()) for h in phrase
    ]
    mixed = search.search(small_study, '"agency staff" thirty')
    assert {h.match.lower() for h in mixed} >= {"agency staff", "thirty"}
    assert "agency" not in {h.match.lower() for h in mixed}
    regex = search.search(small_study, r"\bthirty[- ]\w+", "regex")
    assert regex
    assert all(h.match.lower().startswith("thirty") for h in regex)
    with pytest.raises(InputError, match="regular expression"):
        search.search(small_study, "(unclosed", "regex")
    assert all(h.role == "respondent" for h in words)


def test_search_filters_by_attribute_and_theme(small_study: Study) -> None:
    csd = search.search(small_study, "agency", attributes={"sector": "csd"})
    assert csd
    assert {h.case for h in csd} == {"int01"}
    with pytest.raises(InputError, match="no case attribute"):
        search.search(small_study, "agency", attributes={"colour": "red"})
    assert search.search(small_study, "agency", theme="1") == []
    hit = csd[0]
    codings.code_segment(small_study, hit.segment, "1.3")
    coded = search.search(small_study, "agency", theme="1")  # a parent finds its sub-themes
    assert coded
    assert {h.segment for h in coded} == {hit.segment}


@pytest.mark.slow_postgresql
def test_code_hits_codes_each_segment_once(small_study: Study) -> None:
    hits = search.search(small_study, "agency")
    segments = {h.segment for h in hits}
    new = search.code_hits(small_study, hits, "1.3")
    assert len(new) == len(segments)
    assert {c.origin for c in new} == {"search"}
    assert search.code_hits(small_study, hits, "1.3") == []
    with pytest.raises(NotFoundError):
        search.code_hits(small_study, hits, "nope")


@pytest.mark.slow_postgresql
def test_progress_counts_coded_respondent_segments(small_study: Study) -> None:
    before = case_progress(small_study)
    assert before["int01"].coded == 0
    assert before["int01"].segments > 0
    assert before["int05"].segments == 0
    assert before["int05"].share == 0.0
    segs = queries.list_segments(small_study, case="int01")
    codings.add_coding(small_study, segs[0].source, segs[0].start, segs[0].start + 5, "1.1")
    codings.code_segment(small_study, segs[1].id, "1.2")
    codings.code_segment(small_study, segs[1].id, "1.3")
    after = case_progress(small_study)["int01"]
    assert after.coded == 2
    assert after.share == pytest.approx(2 / len(segs))


@pytest.mark.slow_postgresql
def test_undo_entries_round_trip_codings(small_study: Study) -> None:
    seg = _first_respondent(small_study)
    coding, entry = changes.code_span(small_study, seg.source, seg.start, seg.end, "1.1")
    assert entry is not None
    entry.undo(small_study)
    assert codings.list_codings(small_study) == []
    entry.redo(small_study)
    (back,) = codings.list_codings(small_study)
    assert (back.start, back.end, back.theme) == (coding.start, coding.end, "1.1")
    entry.undo(small_study)  # the entry follows the re-created coding's new id
    assert codings.list_codings(small_study) == []
    _, again = changes.code_span(small_study, seg.source, seg.start, seg.end, "1.1")
    _, dup = changes.code_span(small_study, seg.source, seg.start, seg.end, "1.1")
    assert again is not None
    assert dup is None


@pytest.mark.slow_postgresql
def test_undo_of_merge_restores_theme_children_and_codings(small_study: Study) -> None:
    segs = queries.list_segments(small_study, case="int01")
    codings.code_segment(small_study, segs[0].id, "1.2")
    codings.code_segment(small_study, segs[1].id, "1.2")
    codings.code_segment(small_study, segs[1].id, "1.1")  # a duplicate once merged
    framework.add_theme(small_study, "1.2.1", "Business support", "1.2")
    before = sorted((c.source, c.start, c.end, c.theme) for c in codings.list_codings(small_study))
    moved, entry = changes.merge(small_study, "1.2", "1.1")
    assert moved == 1
    tree = framework.framework_tree(small_study)
    assert "1.2" not in tree.themes
    assert tree.themes["1.2.1"].parent == "1.1"
    assert {c.theme for c in codings.list_codings(small_study)} == {"1.1"}
    entry.undo(small_study)
    tree = framework.framework_tree(small_study)
    assert tree.themes["1.2"].label == "Support and administrative staff"
    assert tree.themes["1.2.1"].parent == "1.2"
    after = sorted((c.source, c.start, c.end, c.theme) for c in codings.list_codings(small_study))
    assert after == before
    entry.redo(small_study)
    assert "1.2" not in framework.framework_tree(small_study).themes


@pytest.mark.slow_postgresql
def test_undo_of_delete_and_edits(small_study: Study) -> None:
    seg = _first_respondent(small_study)
    codings.code_segment(small_study, seg.id, "2.3")
    gone, entry = changes.delete(small_study, "2")
    assert gone == 1
    assert "2.3" not in framework.framework_tree(small_study).themes
    entry.undo(small_study)
    tree = framework.framework_tree(small_study)
    assert tree.themes["2.3"].parent == "2"
    assert tree.themes["2.3"].definition
    assert [c.theme for c in codings.list_codings(small_study)] == ["2.3"]
    edit = _as_action(small_study, framework.update_theme, "2.3", label="Supervision (all kinds)")
    edit.undo(small_study)
    assert framework.framework_tree(small_study).themes["2.3"].label == "Supervision"
    move = _as_action(small_study, framework.move_theme, "2.3", "1")
    assert framework.framework_tree(small_study).themes["2.3"].parent == "1"
    move.undo(small_study)
    assert framework.framework_tree(small_study).themes["2.3"].parent == "2"
    add = _as_action(small_study, framework.add_theme, "9", "New")
    add.undo(small_study)
    assert "9" not in framework.framework_tree(small_study).themes
    add.redo(small_study)
    assert "9" in framework.framework_tree(small_study).themes


def _as_action(study: Study, fn: Any, *args: Any, **kwargs: Any) -> changes.Logged:
    """Run a service call as one user action and return its undo entry."""
    with study.action():
        fn(study, *args, **kwargs)
        entry = changes.logged(study, fn.__name__)
    assert entry is not None
    return entry


@pytest.mark.slow_postgresql
def test_restoring_a_deleted_theme_refuses_a_reused_id(small_study: Study) -> None:
    _, entry = changes.delete(small_study, "7")
    framework.add_theme(small_study, "7", "Something else")
    with pytest.raises(ConflictError, match="in use again"):
        entry.undo(small_study)
