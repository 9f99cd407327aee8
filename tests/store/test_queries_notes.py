"""Memos, summaries, syntheses, the audit trail, coders, anonymisation, GUIDs and the
study's size as the named queries return them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qualcode.services.study import Study
from qualcode.store import models as m
from qualcode.store.queries import anonymisation as anonymisation_q
from qualcode.store.queries import changes as changes_q
from qualcode.store.queries import coders as coders_q
from qualcode.store.queries import guids as guids_q
from qualcode.store.queries import memos as memos_q
from qualcode.store.queries import study as study_q
from qualcode.store.queries import summaries as summaries_q


def test_memo_queries(seeded: Study) -> None:
    with seeded.read() as s:
        assert [r.text for r in memos_q.memo_rows(s)] == ["Staffing memo", "Study memo"]
        assert [r.text for r in memos_q.memo_rows(s, kind="theme", target="1")] == ["Staffing memo"]
        assert memos_q.memo_rows(s, coder="carol") == []
        own = memos_q.own_memo(s, "study", None, "bob")
        assert own is not None
        assert own.text == "Study memo"
        assert memos_q.own_memo(s, "study", None, "alice") is None
        assert memos_q.own_memo(s, "theme", "1", "alice") is not None
        assert sorted(memos_q.all_memo_texts(s)) == ["Staffing memo", "Study memo"]
        assert memos_q.memo_guids(s) == [None, None]


def test_summary_queries(seeded: Study) -> None:
    with seeded.write() as s:
        assert [r.text for r in summaries_q.summary_rows(s)] == ["Uses agency"]
        assert summaries_q.summary_rows(s, ["2"]) == []
        history = summaries_q.summary_history_rows(s, "c1", "1.1")
        assert [(h.version, h.status) for h in history] == [(1, "drafted")]
        assert [r.value for r in summaries_q.synthesis_rows(s, "ward")] == ["B"]
        assert summaries_q.synthesis_rows(s, "years") == []
        assert summaries_q.all_summary_texts(s) == ["Uses agency"]
        assert summaries_q.all_synthesis_texts(s) == ["Monthly"]
        assert summaries_q.summary_guids(s) == [None]
        assert summaries_q.synthesis_count(s) == 1
        locked = summaries_q.locked_row(
            s, m.SummaryRow, m.SummaryRow.case_id == "c1", m.SummaryRow.theme_id == "1.1"
        )
        assert locked is not None
        assert locked.status == "drafted"


def test_change_queries(seeded: Study) -> None:
    with seeded.read() as s:
        newest = changes_q.change_rows(s)
        assert [(c.coder, c.entity) for c in newest] == [
            ("bob", "coding"),
            ("alice", "theme"),
            ("alice", "study"),  # init_study logs the new study
        ]
        assert [c.entity for c in changes_q.change_rows(s, coder="alice")] == ["theme", "study"]
        assert [c.entity for c in changes_q.change_rows(s, limit=1)] == ["coding"]
        assert changes_q.change_rows(s, entity="memo") == []
        later = datetime.now(UTC) + timedelta(days=1)
        assert changes_q.change_rows(s, since=later) == []
        assert len(changes_q.change_rows(s, until=later)) == 3
        batch = newest[0].batch
        assert batch is not None
        assert [c.entity for c in changes_q.batch_changes(s, batch)] == ["coding", "theme"]
        assert changes_q.coder_batches(s, "bob") == [(batch, None)]
        assert changes_q.undone_batches(s) == set()
        assert changes_q.reversal_pairs(s) == {}
        assert changes_q.change_count(s) == 3
        assert changes_q.resolutions(s) == []
        assert changes_q.earlier_resolutions(s, "x", newest[0].id) == []


@pytest.mark.slow
def test_coder_queries(seeded: Study) -> None:
    with seeded.read() as s:
        assert sorted(r.name for r in coders_q.coder_rows(s)) == ["alice", "bob"]
        assert coders_q.coder_names(s) == {"alice", "bob"}
        assert sorted(coders_q.work_by_coder(s, "codings")) == [("alice", 2), ("bob", 1)]
        assert sorted(coders_q.work_by_coder(s, "memos")) == [("alice", 1), ("bob", 1)]
        assert sorted(coders_q.work_by_coder(s, "changes")) == [("alice", 2), ("bob", 1)]
        assert sorted(coders_q.last_change_by_coder(s)) == ["alice", "bob"]
        assert coders_q.names_on_work(s) == {"alice", "bob"}


def test_anonymisation_guid_and_size_queries(seeded: Study) -> None:
    with seeded.read() as s:
        assert [r.original for r in anonymisation_q.proposal_rows(s, "accepted")] == ["Alice"]
        assert sorted(r.original for r in anonymisation_q.proposal_rows(s)) == ["Alice", "Bob"]
        assert sorted(anonymisation_q.proposals_by_original(s)) == ["Alice", "Bob"]
        assert sorted(r.id for r in guids_q.rows_without_guid(s, m.CaseRow)) == ["c1", "c2"]
        assert study_q.row_count(s, m.CodingRow) == 3
        assert study_q.row_count(s, m.EmbeddingRow) == 0
