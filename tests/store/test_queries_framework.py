"""Themes, codings and suggestions as the named queries return them."""

from __future__ import annotations

from qualcode.services.study import Study
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import suggestions as suggestions_q
from qualcode.store.queries import themes as themes_q


def test_theme_queries(seeded: Study) -> None:
    with seeded.read() as s:
        tree = themes_q.framework_tree(s)
        assert [t.id for t in tree.ordered()] == ["1", "1.1", "2"]
        assert themes_q.theme_ids(s) == {"1", "1.1", "2"}
        assert sorted(themes_q.themes_by_id(s)) == ["1", "1.1", "2"]
        assert themes_q.child_count(s, None) == 2
        assert themes_q.child_count(s, "1") == 1
        assert [r.id for r in themes_q.children_of(s, "1")] == ["1.1"]
        assert [r.id for r in themes_q.themes_in(s, ["2", "nope"])] == ["2"]
        assert dict(themes_q.work_on_theme(s, "1")) == {
            "codings": 0,
            "sub-themes": 1,
            "summaries": 0,
        }
        assert dict(themes_q.work_on_theme(s, "1.1")) == {
            "codings": 2,
            "sub-themes": 0,
            "summaries": 1,
        }


def test_coding_queries(seeded: Study) -> None:
    with seeded.read() as s:
        found = codings_q.coding_at(s, "s1", 30, 50, "1.1", "bob")
        assert found is not None
        assert found.coder == "bob"
        assert codings_q.coding_at(s, "s1", 30, 51, "1.1", "bob") is None
        assert len(codings_q.coding_rows(s)) == 3
        assert [c.coder for c in codings_q.coding_rows(s, theme="1.1", by_id=True)] == [
            "alice",
            "bob",
        ]
        assert [c.source_id for c in codings_q.coding_rows(s, case="c2")] == ["s2"]
        assert [c.theme_id for c in codings_q.coding_rows(s, coder="bob")] == ["1.1"]
        assert codings_q.count_codings_of_themes(s, ["1.1", "2"]) == 3
        assert codings_q.count_codings_of_sources(s, ["s2"]) == 1
        assert codings_q.count_quotes(s) == 1
        assert codings_q.coders_of_codings(s) == ["alice", "bob"]
        assert sorted(codings_q.theme_case_pairs(s)) == [("1.1", "c1"), ("1.1", "c1"), ("2", "c2")]
        assert sorted(codings_q.coded_spans(s, "alice")) == [("s1", 30, 50), ("s2", 0, 11)]
        assert sorted(codings_q.coded_kinds(s)) == [("1.1", "transcript"), ("2", "survey")]
        assert codings_q.coded_kinds(s, "c2") == [("2", "survey")]
        ids = codings_q.coding_ids(s)
        assert len(codings_q.codings_in(s, ids, chunk=2)) == 3
        assert codings_q.codings_in(s, []) == []
        alice = codings_q.coder_codings_of_themes(s, "alice", ["1.1", "2", "nope"])
        assert sorted((c.source_id, c.theme_id) for c in alice) == [("s1", "1.1"), ("s2", "2")]
        assert codings_q.coder_codings_of_themes(s, "bob", ["2"]) == []
        over = codings_q.codings_overlapping(s, "s1", 45, 60, ["1.1"], ["bob"])
        assert [c.coder for c in over] == ["bob"]
        assert codings_q.codings_overlapping(s, "s1", 50, 60, ["1.1"], ["bob"]) == []
        assert sorted(tuple(r) for r in codings_q.coder_codings(s, ["bob"])) == [
            ("s1", 30, 50, "1.1", "bob")
        ]
        rows = codings_q.coding_tuples(s, "s2")
        assert [(r[1], r[2], r[3], r[4], bool(r[8])) for r in rows] == [("s2", 0, 11, "2", True)]
        passages = codings_q.passages(s, {"2"})
        assert [(p[1], p[2], p[3], p[4]) for p in passages] == [("s2", "c2", "survey", "Q1")]
        assert len(codings_q.passages(s, None, "c1")) == 2


def test_suggestion_queries(seeded: Study) -> None:
    with seeded.write() as s:
        ids = suggestions_q.suggestion_ids_of_theme(s, "1.1")
        assert len(ids) == 1
        suggestions_q.retheme_suggestions(s, ids, "2", only_from="1")  # not on 1: unchanged
        assert suggestions_q.suggestion_ids_of_theme(s, "1.1") == ids
        suggestions_q.retheme_suggestions(s, ids, "2")
    with seeded.read() as s:
        assert [r.id for r in suggestions_q.suggestions_of_themes(s, ["2"])] == ids
        assert suggestions_q.suggestion_ids_of_theme(s, "1.1") == []
