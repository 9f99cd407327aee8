"""Many new codings at once (a bulk accept, a codings import): what the fast paths
write reads back through the ORM exactly as an ORM row of the same values would, under
the ids they return, on SQLite and PostgreSQL; on PostgreSQL by COPY, not INSERT."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Text, cast, select

from qualcode.services.study import Study
from qualcode.store import convert
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries.suggestions import add_suggestions

from .conftest import first_words, statements
from .test_queries_suggestion_store import WHEN, _rows


def _values(n: int, coder: str = "carol", suggestion: int | None = None) -> list[dict[str, Any]]:
    spans = [("s1", 0, 5), ("s1", 3, 9), ("s2", 0, 4)]
    themes = ["1", "1.1", "2"]
    return [
        codings_q.coding_values(
            *spans[i % 3], themes[i // 3 % 3], f"{coder}{i // 9}", "suggestion",
            suggestion, created_at=WHEN,
        )
        for i in range(n)
    ]  # fmt: skip


def _columns(row: m.CodingRow) -> tuple[Any, ...]:
    return (row.source_id, row.start, row.end, row.theme_id, row.coder, row.origin,
            row.suggestion_id, row.quote, row.guid)  # fmt: skip


def _stored_text(s: Any, ids: list[int]) -> list[tuple[Any, ...]]:
    """Every column but the id as stored (the timestamp as text, not parsed back)."""
    r = m.CodingRow
    cols = [r.source_id, r.start, r.end, r.theme_id, r.coder, cast(r.created_at, Text),
            r.origin, r.suggestion_id, r.quote, r.guid]  # fmt: skip
    return [tuple(s.execute(select(*cols).where(r.id == rid)).one()) for rid in ids]


def test_added_codings_read_back_as_given_under_their_ids(seeded: Study) -> None:
    with seeded.write() as s:
        [suggestion] = add_suggestions(s, _rows(1))
        rows = _values(18, suggestion=suggestion)
        before = set(s.scalars(select(m.CodingRow.id)))
        ids = codings_q.add_codings(s, rows)
        assert codings_q.add_codings(s, []) == []
    assert len(ids) == len(set(ids)) == 18
    assert not before & set(ids)
    with seeded.read() as s:
        for rid, values in zip(ids, rows, strict=True):
            row = s.get(m.CodingRow, rid)
            assert row is not None
            assert _columns(row) == (*list(values.values())[:5], "suggestion", suggestion,
                                     False, None)  # fmt: skip
            made = convert.coding_of_values(rid, values)
            read = convert.coding(row)
            assert made == read.__class__(**{**read.__dict__, "created": made.created})
            assert read.created.replace(tzinfo=None) == WHEN.replace(tzinfo=None)


def test_added_codings_are_stored_as_the_orm_stores_them(seeded: Study) -> None:
    with seeded.write() as s:
        fast = codings_q.add_codings(s, _values(9, coder="dan"))
        made = [m.CodingRow(**row) for row in _values(9, coder="erin")]
        s.add_all(made)
        s.flush()
        orm = [row.id for row in made]
    with seeded.read() as s:
        got, want = _stored_text(s, fast), _stored_text(s, orm)
        assert [g[:4] + g[5:] for g in got] == [w[:4] + w[5:] for w in want]  # but the coder


def test_a_span_theme_and_coder_coded_twice_is_refused_whole(seeded: Study) -> None:
    """The unique constraint holds on the fast paths too: nothing of the batch stays."""
    with seeded.read() as s:
        count = len(list(s.scalars(select(m.CodingRow.id))))
    rows = _values(4, coder="fay")
    with pytest.raises(Exception, match="(?i)unique|duplicate"), seeded.write() as s:
        codings_q.add_codings(s, [*rows, rows[0]])
    with seeded.read() as s:
        assert len(list(s.scalars(select(m.CodingRow.id)))) == count


def test_on_postgresql_many_codings_go_in_by_copy(seeded: Study) -> None:
    if seeded.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite's executemany is tested above")
    with statements(seeded) as seen, seeded.write() as s:
        ids = codings_q.add_codings(s, _values(27, coder="gus"))
    assert "INSERT" not in first_words(seen)
    assert ids == sorted(ids)
    with seeded.write() as s:
        later = m.CodingRow(**codings_q.coding_values("s2", 1, 3, "2", "gus", "manual"))
        s.add(later)
        s.flush()
        assert later.id > ids[-1]
