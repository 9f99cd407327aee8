"""Storing many suggestions at once (``qualcode suggest --all``): what the fast paths
write reads back, through the ORM, exactly as given and as the ORM itself would have
written it, under the ids they return; and replacing pending suggestions, in one
statement or per chunk of segments, keeps the decided ones."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Text, cast, select

from qualcode.services.study import Study
from qualcode.store import models as m
from qualcode.store.queries import suggestions as suggestions_q

from .conftest import first_words, pending_ids, statements, uncode_suggested

SEGMENTS = ["s1#1", "s1#2", "s2#1"]
THEMES = ["1", "1.1", "2"]
WHEN = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


def _utc(when: datetime) -> datetime:
    """Naive UTC: SQLite gives back naive datetimes, PostgreSQL aware ones."""
    return when if when.tzinfo is None else when.astimezone(UTC).replace(tzinfo=None)


def _rows(n: int) -> list[dict[str, Any]]:
    """Rows as the suggestion engine makes them: one params dict per theme and one
    because list per explanation, shared by many rows; a (segment, theme) pair may
    come more than once."""
    params = {
        t: {"C": 0.3, "mode": "lexical", "positives": i, "nested": [1, {"é": None}]}
        for i, t in enumerate(THEMES)
    }
    because = [["staff", "agency staff"], ["Überstunden", 'naïve "quoted"'], []]
    return [
        {
            "segment_id": SEGMENTS[i % 3],
            "theme_id": THEMES[i // 3 % 3],
            "score": round(1 / (i + 3), 4),
            "because": because[i % 3] if i % 4 else [f"own {i}"],
            "method": "cold-start" if i % 2 else "supervised+cold-start",
            "model": None if i % 5 == 0 else "context-svm",
            "params": params[THEMES[i // 3 % 3]],
            "status": "pending",
            "created_at": WHEN,
        }
        for i in range(n)
    ]


def _as_given(row: m.SuggestionRow) -> dict[str, Any]:
    return {
        "segment_id": row.segment_id,
        "theme_id": row.theme_id,
        "score": row.score,
        "because": row.because,
        "method": row.method,
        "model": row.model,
        "params": row.params,
        "status": row.status,
        "created_at": _utc(row.created_at),
    }


def _stored_text(s: Any, ids: list[int]) -> list[tuple[Any, ...]]:
    """The JSON and timestamp columns as stored, not as parsed back."""
    r = m.SuggestionRow
    query = select(cast(r.because, Text), cast(r.params, Text), cast(r.created_at, Text))
    return [tuple(s.execute(query.where(r.id == rid)).one()) for rid in ids]


def test_added_suggestions_read_back_as_given_under_their_ids(seeded: Study) -> None:
    rows = _rows(40)
    with seeded.write() as s:
        seeded_ids = set(s.scalars(select(m.SuggestionRow.id)))
        ids = suggestions_q.add_suggestions(s, rows, chunk=7)
    assert len(ids) == len(set(ids)) == len(rows)
    with seeded.read() as s:
        stored = {r.id: r for r in s.scalars(select(m.SuggestionRow))}
        assert set(stored) == seeded_ids | set(ids)
        for rid, row in zip(ids, rows, strict=True):
            assert _as_given(stored[rid]) == {**row, "created_at": _utc(WHEN)}
        assert stored[ids[0]].decided_by is None
        assert stored[ids[0]].decided_at is None


def test_added_suggestions_are_stored_as_the_orm_stores_them(seeded: Study) -> None:
    rows = _rows(6)
    with seeded.write() as s:
        fast = suggestions_q.add_suggestions(s, rows)
        made = [m.SuggestionRow(**row) for row in rows]
        s.add_all(made)
        s.flush()
        orm = [row.id for row in made]
    with seeded.read() as s:
        assert _stored_text(s, fast) == _stored_text(s, orm)


def test_missing_columns_take_their_defaults(seeded: Study) -> None:
    """Rows without the defaulted columns: the plain insert, defaults filled in."""
    with seeded.write() as s:
        ids = suggestions_q.add_suggestions(
            s,
            [
                {"segment_id": "s2#1", "theme_id": "2", "score": 0.5, "method": "keywords"},
                {"segment_id": "s1#2", "theme_id": "2", "score": 0.25, "method": "keywords"},
            ],
        )
        assert suggestions_q.add_suggestions(s, []) == []
    with seeded.read() as s:
        got = [s.get(m.SuggestionRow, rid) for rid in ids]
        assert [(r.segment_id, r.score, r.because, r.params, r.status) for r in got if r] == [
            ("s2#1", 0.5, [], {}, "pending"),
            ("s1#2", 0.25, [], {}, "pending"),
        ]


def test_ids_after_the_newest_rows_were_deleted(seeded: Study) -> None:
    """SQLite reuses the ids of deleted rows at the end of the table: the ids returned
    are still the rows'."""
    for n in (5, 3, 8):
        with seeded.write() as s:
            ids = suggestions_q.add_suggestions(s, _rows(n))
            s.delete(s.get(m.SuggestionRow, ids[-1]))
        with seeded.read() as s:
            for rid, row in zip(ids[:-1], _rows(n), strict=False):
                got = s.get(m.SuggestionRow, rid)
                assert got is not None
                assert _as_given(got) == {**row, "created_at": _utc(WHEN)}


def _pending(study: Study) -> set[tuple[str, str]]:
    with study.read() as s:
        return set(pending_ids(s, SEGMENTS))


def test_replacing_pending_suggestions_in_one_delete_or_per_chunk(seeded: Study) -> None:
    uncode_suggested(seeded)
    with seeded.write() as s:
        ids = suggestions_q.add_suggestions(
            s,
            [
                {**_rows(1)[0], "segment_id": seg, "theme_id": theme}
                for seg, theme in [("s1#1", "2"), ("s1#2", "2"), ("s2#1", "2"), ("s2#1", "1.1")]
            ],
        )
        decided = s.get(m.SuggestionRow, ids[-1])
        assert decided is not None
        decided.status = "rejected"
    all_pending = {("s1#1", "2"), ("s1#2", "1.1"), ("s1#2", "2"), ("s2#1", "2")}
    assert _pending(seeded) == all_pending

    # s1#1 has suggestions and is not among the segments: a delete per chunk (on
    # PostgreSQL always one, the segments as one array).
    postgres = seeded.engine.dialect.name == "postgresql"
    with statements(seeded, "DELETE") as seen, seeded.write() as s:
        suggestions_q.delete_pending(s, ["s1#2", "s2#1"], themes=["2"], chunk=1)
    assert len(seen) == (1 if postgres else 2)
    assert _pending(seeded) == {("s1#1", "2"), ("s1#2", "1.1")}

    # Every segment with suggestions: one delete, still only of the themes given.
    with statements(seeded, "DELETE") as seen, seeded.write() as s:
        suggestions_q.delete_pending(s, SEGMENTS, themes=["2"], chunk=1)
    assert len(seen) == 1
    assert _pending(seeded) == {("s1#2", "1.1")}

    with statements(seeded, "DELETE") as seen, seeded.write() as s:
        suggestions_q.delete_pending(s, [*SEGMENTS, "s1#2"], chunk=2)
    assert len(seen) == 1
    assert _pending(seeded) == set()
    with seeded.read() as s:
        kept = s.get(m.SuggestionRow, ids[-1])
        assert kept is not None
        assert (kept.segment_id, kept.theme_id, kept.status) == ("s2#1", "1.1", "rejected")


def test_a_segment_left_out_keeps_its_pending_suggestions(seeded: Study) -> None:
    """Never a delete of the whole table unless every suggested segment was named: on
    PostgreSQL a suggestion another coder's run adds meanwhile would go with it."""
    with seeded.write() as s:
        suggestions_q.add_suggestions(
            s,
            [{**_rows(1)[0], "segment_id": seg, "theme_id": "2"} for seg in SEGMENTS],
        )
    many = [f"x{i}" for i in range(1200)] + ["s1#2", "s2#1"]
    with statements(seeded, "DELETE") as seen, seeded.write() as s:
        suggestions_q.delete_pending(s, many, themes=["2"], chunk=500)
        if seeded.engine.dialect.name == "postgresql":
            assert len(seen) == 1
            assert "ANY" in seen[0].upper()
    assert ("s1#1", "2") in _pending(seeded)
    assert not {("s1#2", "2"), ("s2#1", "2")} & _pending(seeded)


def test_on_postgresql_many_suggestions_go_in_by_copy(seeded: Study) -> None:
    """No INSERT per chunk on a server: the rows are copied in, under ids drawn from
    the table's sequence, which go on from there for the next plain insert."""
    if seeded.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite has its own fast path, tested above")
    with statements(seeded) as seen, seeded.write() as s:
        ids = suggestions_q.add_suggestions(s, _rows(40), chunk=7)
    assert "INSERT" not in first_words(seen)
    assert ids == sorted(ids)
    assert len(set(ids)) == 40
    with seeded.write() as s:
        later = m.SuggestionRow(**_rows(1)[0])
        s.add(later)
        s.flush()
        assert later.id > ids[-1]


def test_many_suggestions_decided_at_once(seeded: Study) -> None:
    """One bulk UPDATE; the objects in the session read the new values and are not
    flushed a second time."""
    with seeded.write() as s:
        ids = suggestions_q.add_suggestions(s, _rows(9))
    with seeded.write() as s:
        rows = suggestions_q.suggestions_in(s, ids[:6])
        with statements(seeded, "UPDATE") as seen:
            suggestions_q.decide_all(s, rows, "accepted", "carol", WHEN)
            s.flush()
        assert len(seen) == 1
        assert {(r.status, r.decided_by) for r in rows} == {("accepted", "carol")}
        assert not s.dirty
        suggestions_q.decide_all(s, [], "accepted", "carol", WHEN)
    with seeded.read() as s:
        stored = {r.id: r for r in suggestions_q.suggestions_in(s, ids)}
        assert {(stored[i].status, stored[i].decided_by) for i in ids[:6]} == {
            ("accepted", "carol")
        }
        assert all(stored[i].decided_at is not None for i in ids[:6])
        assert {(stored[i].status, stored[i].decided_by) for i in ids[6:]} == {("pending", None)}
