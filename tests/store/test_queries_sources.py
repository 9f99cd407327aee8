"""Sources, segments, imports, cases and attributes as the named queries return them."""

from __future__ import annotations

import pytest

from qualcode.services.study import Study
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import sources as sources_q

from .conftest import TEXT_A, TEXT_B


def test_source_and_segment_queries(seeded: Study) -> None:
    with seeded.read() as s:
        assert sorted(r.id for r in sources_q.source_rows(s)) == ["s1", "s2"]
        assert [r.id for r in sources_q.source_rows(s, "c2")] == ["s2"]
        assert [r.id for r in sources_q.sources_in(s, ["s1"])] == ["s1"]
        assert sources_q.source_ids(s) == {"s1", "s2"}
        assert sources_q.source_ids_named(s, "survey.csv") == ["s2"]
        assert sources_q.source_chars(s, "s1") == len(TEXT_A)
        assert sources_q.source_chars(s, "nope") is None
        assert sources_q.source_text(s, "s2") == TEXT_B
        assert sources_q.source_texts(s) == {"s1": TEXT_A, "s2": TEXT_B}
        assert sources_q.source_texts(s, ids=["s2"]) == {"s2": TEXT_B}
        assert sources_q.source_texts(s, case="c1") == {"s1": TEXT_A}
        assert sorted(sources_q.all_source_texts(s)) == sorted([TEXT_A, TEXT_B])
        assert sources_q.source_cases(s) == {"s1": "c1", "s2": "c2"}
        assert sorted(sources_q.source_kinds_by_case(s)) == [
            ("c1", "transcript", None),
            ("c2", "survey", "Q1"),
        ]
        found = sources_q.source_named(s, "transcript", "c1.txt")
        assert found is not None
        assert found.id == "s1"
        assert sources_q.source_named(s, "survey", "c1.txt") is None
        spans = sources_q.segment_spans(s)
        assert sorted(spans["s1"]) == [(0, 29, "s1#1"), (30, len(TEXT_A), "s1#2")]
        assert sorted(sources_q.segment_spans_of(s, ["s2"])) == [("s2", 0, len(TEXT_B), "s2#1")]
        reading = sources_q.segments_in_reading_order(s)
        assert [(g.id, c) for g, c in reading] == [("s1#2", "c1"), ("s2#1", "c2")]
        everyone = sources_q.segments_in_reading_order(s, case="c1", respondents_only=False)
        assert [g.id for g, _ in everyone] == ["s1#1", "s1#2"]
        assert [g.id for g, _ in sources_q.segments_in_reading_order(s, ids=["s2#1"])] == ["s2#1"]
        assert sources_q.speakers(s) == ["Alice", "Interviewer"]
        assert sources_q.segment_id_at(s, "s1", 0, 29) == "s1#1"
        assert sources_q.segment_id_at(s, "s1", 0, 28) is None
        assert sorted(sources_q.respondent_spans(s)) == [
            ("s1", 30, len(TEXT_A)),
            ("s2", 0, len(TEXT_B)),
        ]
        assert sorted(r.id for r in sources_q.segment_bounds(s)) == ["s1#1", "s1#2", "s2#1"]
        imported = sources_q.import_named(s, "survey", "survey.csv")
        assert imported is not None
        assert imported.coder == "alice"


@pytest.mark.slow_postgresql
def test_bulk_inserts_and_forgetting_imports(seeded: Study) -> None:
    with seeded.write() as s:
        cases_q.add_cases(s, ["c3"])
        cases_q.add_cases(s, [])  # nothing to do, no statement
        sources_q.add_sources(
            s,
            [{"id": "s3", "case_id": "c3", "name": "c3.txt", "kind": "transcript",
              "question": None, "text": "Hello", "checksum": "c", "chars": 5}],
        )  # fmt: skip
        sources_q.add_segments(
            s,
            [{"id": "s3#1", "source_id": "s3", "ordinal": 1, "start": 0, "end": 5,
              "speaker": None, "role": "respondent"}],
        )  # fmt: skip
        cases_q.add_case_attributes(s, [{"case_id": "c3", "name": "ward", "value": "C"}])
        sources_q.forget_imports_named(s, "survey.csv")
    with seeded.read() as s:
        assert "c3" in cases_q.case_ids(s)
        assert sources_q.source_text(s, "s3") == "Hello"
        assert sources_q.segment_id_at(s, "s3", 0, 5) == "s3#1"
        assert [r.value for r in cases_q.case_attribute_rows(s, "c3")] == ["C"]
        assert sources_q.import_named(s, "survey", "survey.csv") is None
        assert s.get(m.SourceRow, "s2") is not None  # its answers stay


def test_case_queries(seeded: Study) -> None:
    with seeded.read() as s:
        assert sorted(r.id for r in cases_q.case_rows(s)) == ["c1", "c2"]
        assert sorted(cases_q.case_ids(s)) == ["c1", "c2"]
        assert [a.name for a in cases_q.attribute_rows(s, ordered=True)] == ["ward", "years"]
        assert cases_q.attribute_name_set(s) == {"ward", "years"}
        values = {(r.case_id, r.name): r.value for r in cases_q.case_attribute_rows(s)}
        assert values == {("c1", "ward"): "A", ("c1", "years"): "3", ("c2", "ward"): "B"}
        wards = cases_q.case_attribute_rows(s, names=["ward"])
        assert sorted(r.value for r in wards) == ["A", "B"]
