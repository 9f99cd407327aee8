"""What surrounds each passage of a study, for the suggester.

For a passage of an interview: the question or prompt before it (the nearest
interviewer or other non-respondent turn before it in the same source) and its place
in the source. For a survey answer: the question it answers. For both: the case's
attributes. Coded spans that are not whole segments get the same from their offsets.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from sqlalchemy import select

from qualcode.nlp.passages import Passage
from qualcode.services.study import Study
from qualcode.store import models as m

CONTEXT_CHARS = 600  # a long interviewer turn: its end holds the question


@dataclass
class SourceContext:
    kind: str
    length: int
    case: str
    question: str | None
    # Non-respondent turns in reading order: their starts, and (end, text) for each.
    starts: list[int] = field(default_factory=list)
    turns: list[tuple[int, str]] = field(default_factory=list)

    def before(self, offset: int) -> str:
        """The question or prompt asked before ``offset`` (empty: none)."""
        if self.kind == "survey":
            return self.question or ""
        i = bisect_right(self.starts, offset) - 1
        return self.turns[i][1] if i >= 0 else ""


@dataclass
class StudyContext:
    sources: dict[str, SourceContext]
    attributes: dict[str, tuple[tuple[str, str], ...]]  # case -> (name, value) pairs

    def passage(self, source: str, start: int, end: int, text: str) -> Passage:
        ctx = self.sources.get(source)
        if ctx is None:
            return Passage(text)
        position = None if ctx.kind == "survey" or not ctx.length else start / ctx.length
        return Passage(text, ctx.before(start), position, self.attributes.get(ctx.case, ()))


def study_context(study: Study) -> StudyContext:
    """Read every source's non-respondent turns, questions and case attributes once."""
    with study.read() as s:
        sources = {
            sid: SourceContext(kind, chars, case, question)
            for sid, kind, chars, case, question in s.execute(
                select(
                    m.SourceRow.id,
                    m.SourceRow.kind,
                    m.SourceRow.chars,
                    m.SourceRow.case_id,
                    m.SourceRow.question,
                )
            )
        }
        turns = s.execute(
            select(m.SegmentRow.source_id, m.SegmentRow.start, m.SegmentRow.end)
            .where(m.SegmentRow.role != "respondent")
            .order_by(m.SegmentRow.source_id, m.SegmentRow.start)
        ).all()
        asked = {source for source, _, _ in turns}
        texts = dict(
            s.execute(
                select(m.SourceRow.id, m.SourceRow.text).where(m.SourceRow.kind != "survey")
            ).all()
        )
        texts = {k: v for k, v in texts.items() if k in asked}
        pairs = s.execute(
            select(m.CaseAttributeRow.case_id, m.CaseAttributeRow.name, m.CaseAttributeRow.value)
        ).all()
    for source, start, end in turns:
        ctx = sources.get(source)
        if ctx is not None and source in texts:
            ctx.starts.append(start)
            ctx.turns.append((end, texts[source][start:end][-CONTEXT_CHARS:]))
    attributes: dict[str, list[tuple[str, str]]] = {}
    for case, name, value in pairs:
        attributes.setdefault(case, []).append((name, str(value)))
    return StudyContext(sources, {c: tuple(sorted(v)) for c, v in attributes.items()})
