"""What the suggestion engine reads and writes, as the named queries do it: pending
suggestions replaced and found, decisions looked up, cached sentence vectors, and the
context around each passage."""

from __future__ import annotations

from datetime import timedelta

from qualcode.services.study import Study
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import embeddings as embeddings_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import suggestions as suggestions_q

from .conftest import TEXT_A, TEXT_B, pending_ids, uncode_suggested


def _record(segment: str, theme: str, score: float, mode: str, minutes: int) -> dict[str, object]:
    return {
        "segment_id": segment,
        "theme_id": theme,
        "score": score,
        "because": ["staff"],
        "method": "cold-start",
        "model": "context-svm",
        "params": {"mode": mode},
        "status": "pending",
        "created_at": m.utcnow() + timedelta(minutes=minutes),
    }


def test_pending_suggestions_are_replaced_and_read_back(seeded: Study) -> None:
    uncode_suggested(seeded)
    with seeded.write() as s:
        # Only theme 2's pending rows go: the seeded 1.1 suggestion stays.
        suggestions_q.delete_pending(s, ["s1#2", "s2#1"], themes=["2"], chunk=1)
        made = suggestions_q.add_suggestions(
            s,
            [
                _record("s1#2", "2", 0.5, "lexical", 1),
                _record("s2#1", "2", 0.7, "embeddings", 2),
            ],
            chunk=1,
        )
        assert suggestions_q.add_suggestions(s, []) == []  # nothing to do, no statement
    with seeded.read() as s:
        ids = pending_ids(s, ["s1#2", "s2#1"])
        assert sorted(ids) == [("s1#2", "1.1"), ("s1#2", "2"), ("s2#1", "2")]
        assert made == [ids[("s1#2", "2")], ids[("s2#1", "2")]]
        best = suggestions_q.pending_rows(s)
        assert [(r.segment_id, r.theme_id, r.score) for r in best] == [
            ("s1#2", "1.1", 0.9),
            ("s2#1", "2", 0.7),
            ("s1#2", "2", 0.5),
        ]
        assert [r.id for r in best] == [ids[(r.segment_id, r.theme_id)] for r in best]
        assert [r.segment_id for r in suggestions_q.pending_rows(s, themes=["2"])] == [
            "s2#1",
            "s1#2",
        ]
        assert [r.segment_id for r in suggestions_q.pending_rows(s, case="c2")] == ["s2#1"]
        assert [r.theme_id for r in suggestions_q.pending_rows(s, segment="s1#2")] == ["1.1", "2"]
        assert [r.score for r in suggestions_q.pending_rows(s, limit=1)] == [0.9]
        assert suggestions_q.count_pending(s) == 3
        assert suggestions_q.count_pending(s, themes=["2"]) == 2
        assert suggestions_q.count_pending(s, themes=["2"], case="c1") == 1
        assert suggestions_q.count_pending(s, themes=["nope"]) == 0
        assert suggestions_q.newest_pending_params(s) == {"mode": "embeddings"}
        assert suggestions_q.newest_pending_params(s, case="c1") == {"mode": "lexical"}
        assert suggestions_q.newest_pending_params(s, themes=["nope"]) is None
    with seeded.write() as s:
        decided = s.get(m.SuggestionRow, ids[("s1#2", "2")])
        assert decided is not None
        decided.status = "rejected"
    with seeded.write() as s:
        suggestions_q.delete_pending(s, ["s1#2"])  # every theme; decided rows stay
    with seeded.read() as s:
        assert pending_ids(s, ["s1#2", "s2#1"]) == {("s2#1", "2"): ids[("s2#1", "2")]}
        assert suggestions_q.rejected_pairs(s) == [("s1#2", "2")]


def test_decisions_find_their_suggestions_and_codings(seeded: Study) -> None:
    with seeded.write() as s:
        first = suggestions_q.pending_suggestion(s, "s1#2", "1.1")
        assert first is not None
        first.status = "accepted"
        again = m.SuggestionRow(segment_id="s1#2", theme_id="1.1", score=0.4, method="keywords")
        s.add(again)
        s.flush()
        s.add(m.CodingRow(source_id="s1", start=30, end=len(TEXT_A), theme_id="1.1",
                          coder="carol", origin="suggestion", suggestion_id=first.id))  # fmt: skip
        first_id, again_id = first.id, again.id
    with seeded.read() as s:
        newest = suggestions_q.newest_suggestion(s, "s1#2", "1.1")
        assert newest is not None
        assert newest.id == again_id
        still = suggestions_q.pending_suggestion(s, "s1#2", "1.1")
        assert still is not None
        assert still.id == again_id
        assert suggestions_q.pending_suggestion(s, "s1#2", "2") is None
        assert suggestions_q.newest_suggestion(s, "s2#1", "1.1") is None
        made = codings_q.codings_from_suggestion(s, first_id)
        assert [(c.coder, c.start, c.end) for c in made] == [("carol", 30, len(TEXT_A))]
        assert codings_q.codings_from_suggestion(s, again_id) == []
        assert suggestions_q.rejected_pairs(s) == []


def test_sentence_vectors_are_cached_and_replaced(seeded: Study) -> None:
    def row(segment: str, checksum: str, vector: bytes) -> dict[str, object]:
        return {"segment_id": segment, "model": "mini", "checksum": checksum, "dim": 2,
                "vector": vector}  # fmt: skip

    with seeded.write() as s:
        assert embeddings_q.stored_vectors(s, "mini") == {}
        embeddings_q.replace_vectors(
            s, "mini", [], [row("s1#1", "a", b"\x00\x01"), row("s1#2", "b", b"\x02\x03")], chunk=1
        )
        other = {**row("s2#1", "c", b"\x04"), "model": "other"}
        embeddings_q.replace_vectors(s, "other", [], [other])
    with seeded.read() as s:
        assert embeddings_q.stored_vectors(s, "mini") == {
            "s1#1": ("a", b"\x00\x01"),
            "s1#2": ("b", b"\x02\x03"),
        }
        # The interviewer's turn and the other model's vector do not count.
        assert embeddings_q.count_cached_respondent_vectors(s, "mini") == 1
        assert embeddings_q.count_cached_respondent_vectors(s, "other") == 1
    with seeded.write() as s:
        embeddings_q.replace_vectors(s, "mini", ["s1#2"], [row("s1#2", "new", b"\x09")])
    with seeded.read() as s:
        assert embeddings_q.stored_vectors(s, "mini")["s1#2"] == ("new", b"\x09")
        assert embeddings_q.stored_vectors(s, "other") == {"s2#1": ("c", b"\x04")}


def test_context_of_passages(seeded: Study) -> None:
    with seeded.read() as s:
        assert sorted(sources_q.source_contexts(s)) == [
            ("s1", "transcript", len(TEXT_A), "c1", None),
            ("s2", "survey", len(TEXT_B), "c2", "Q1"),
        ]
        assert sources_q.source_questions(s, ["s1", "s2"]) == {"s2": "Q1"}
        assert sources_q.source_questions(s, ["s1"]) == {}
        assert sources_q.non_respondent_turns(s) == [("s1", 0, 29, "interviewer")]
        assert sources_q.count_segments(s) == 3
        assert sources_q.count_segments(s, role="respondent") == 2
        assert sources_q.count_segments(s, role="other") == 0
        assert sorted(codings_q.coded_span_themes(s)) == [
            ("s1", 30, 50, "1.1"),
            ("s1", 30, 50, "1.1"),
            ("s2", 0, 11, "2"),
        ]
        before = sources_q.segment_fingerprint(s)
        assert before == (3, 29 + len(TEXT_A) + len(TEXT_B), "s2#1")
    with seeded.write() as s:
        sources_q.add_segments(
            s,
            [{"id": "s2#2", "source_id": "s2", "ordinal": 2, "start": 0, "end": 5,
              "speaker": None, "role": "respondent"}],
        )  # fmt: skip
    with seeded.read() as s:
        assert sources_q.segment_fingerprint(s) == (4, before[1] + 5, "s2#2")


def test_an_empty_study_has_an_empty_fingerprint(study: Study) -> None:
    with study.read() as s:
        assert sources_q.segment_fingerprint(s) == (0, 0, None)
        assert sources_q.non_respondent_turns(s) == []
        assert pending_ids(s, []) == {}
