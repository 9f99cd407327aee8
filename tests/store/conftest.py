"""A small study written straight through the ORM, so the query layer is tested on its
own (on a real SQLite file and, when configured, a real PostgreSQL database)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import delete, event
from sqlalchemy.orm import Session

from qualcode.services.study import Study
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import suggestions as suggestions_q

TEXT_A = "Interviewer: How is staffing?\nAlice: We rely on agency staff most weeks."
TEXT_B = "Supervision happens monthly."


@pytest.fixture
def seeded(study: Study) -> Study:
    """Two cases (ward A and ward B), a transcript and a survey answer, themes 1, 1.1 and
    2, codings by alice and bob, memos, summaries, a synthesis, a suggestion, a name to
    anonymise and a few audit entries."""
    with study.write() as s:
        s.add_all([m.CaseRow(id="c1"), m.CaseRow(id="c2")])
        s.add_all(
            [
                m.AttributeRow(name="ward", type="text", position=0),
                m.AttributeRow(name="years", type="integer", position=1),
            ]
        )
        s.flush()
        s.add_all(
            [
                m.CaseAttributeRow(case_id="c1", name="ward", value="A"),
                m.CaseAttributeRow(case_id="c1", name="years", value="3"),
                m.CaseAttributeRow(case_id="c2", name="ward", value="B"),
            ]
        )
        s.add(m.ImportRow(name="survey.csv", kind="survey", checksum="x", coder="alice"))
        s.add_all(
            [
                m.SourceRow(id="s1", case_id="c1", name="c1.txt", kind="transcript",
                            question=None, text=TEXT_A, checksum="a", chars=len(TEXT_A)),
                m.SourceRow(id="s2", case_id="c2", name="survey.csv", kind="survey",
                            question="Q1", text=TEXT_B, checksum="b", chars=len(TEXT_B)),
            ]
        )  # fmt: skip
        s.flush()
        s.add_all(
            [
                m.SegmentRow(id="s1#1", source_id="s1", ordinal=1, start=0, end=29,
                             speaker="Interviewer", role="interviewer"),
                m.SegmentRow(id="s1#2", source_id="s1", ordinal=2, start=30, end=len(TEXT_A),
                             speaker="Alice", role="respondent"),
                m.SegmentRow(id="s2#1", source_id="s2", ordinal=1, start=0, end=len(TEXT_B),
                             speaker=None, role="respondent"),
            ]
        )  # fmt: skip
        s.add_all(
            [
                m.ThemeRow(id="1", label="Staffing", parent_id=None, position=0),
                m.ThemeRow(id="2", label="Supervision", parent_id=None, position=1),
            ]
        )
        s.flush()
        s.add(m.ThemeRow(id="1.1", label="Agency staff", parent_id="1", position=0))
        s.flush()
        s.add_all(
            [
                m.CodingRow(source_id="s1", start=30, end=50, theme_id="1.1", coder="alice"),
                m.CodingRow(source_id="s1", start=30, end=50, theme_id="1.1", coder="bob"),
                m.CodingRow(source_id="s2", start=0, end=11, theme_id="2", coder="alice",
                            quote=True),
            ]
        )  # fmt: skip
        s.add_all(
            [
                m.MemoRow(kind="theme", target="1", coder="alice", text="Staffing memo"),
                m.MemoRow(kind="study", target=None, coder="bob", text="Study memo"),
            ]
        )
        s.add(m.SummaryRow(case_id="c1", theme_id="1.1", text="Uses agency", status="drafted",
                           coder="alice"))  # fmt: skip
        s.add(m.SummaryHistoryRow(case_id="c1", theme_id="1.1", text="Uses agency",
                                  status="drafted", coder="alice", version=1))  # fmt: skip
        s.add(m.SynthesisRow(theme_id="2", attribute="ward", value="B", text="Monthly",
                             coder="alice"))  # fmt: skip
        s.add(m.SuggestionRow(segment_id="s1#2", theme_id="1.1", score=0.9, method="keywords"))
        s.add(m.AnonymisationRow(original="Alice", placeholder="[P1]", kind="person",
                                 status="accepted"))  # fmt: skip
        s.add(m.AnonymisationRow(original="Bob", placeholder="[P2]", kind="person"))
        audit.record(s, "alice", "add", "theme", "1", after={"id": "1"})
        audit.record(s, "bob", "add", "coding", 2, after={"id": 2})
    return study


def uncode_suggested(study: Study) -> None:
    """Remove the seeded codings of themes these tests suggest on the same segments
    (1.1 on s1, 2 on s2): a suggestion of a theme coded on its passage is not pending
    (it is no longer to be decided), and these tests read the pending ones."""
    with study.write() as s:
        for source, theme in (("s1", "1.1"), ("s2", "2")):
            s.execute(
                delete(m.CodingRow).where(
                    m.CodingRow.source_id == source, m.CodingRow.theme_id == theme
                )
            )


def pending_ids(s: Session, segments: Collection[str]) -> dict[tuple[str, str], int]:
    """(segment, theme) -> id of the pending suggestions of these segments."""
    wanted = set(segments)
    return {
        (r.segment_id, r.theme_id): r.id
        for r in suggestions_q.pending_rows(s)
        if r.segment_id in wanted
    }


@contextmanager
def statements(study: Study, kind: str | None = None) -> Iterator[list[str]]:
    """The SQL statements sent while in the block (only those starting with ``kind``,
    say "DELETE", when given)."""
    seen: list[str] = []

    def spy(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if kind is None or statement.lstrip().upper().startswith(kind):
            seen.append(statement)

    event.listen(study.engine, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(study.engine, "before_cursor_execute", spy)


def first_words(seen: list[str]) -> list[str]:
    return [statement.lstrip().split()[0].upper() for statement in seen]
