"""How far coding has got: per case, the share of respondent segments coded (by every
coder, or by one), and how many codings each coder has made."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.services.study import Study
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import coders as coders_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import sources as sources_q


@dataclass(frozen=True)
class CaseProgress:
    case: str
    sources: int
    segments: int  # respondent segments
    coded: int  # respondent segments overlapped by at least one coding

    @property
    def share(self) -> float:
        return self.coded / self.segments if self.segments else 0.0


def case_progress(study: Study, coder: str | None = None) -> dict[str, CaseProgress]:
    """Progress of every case (cases without sources report zero segments); with
    ``coder``, a segment counts as coded only when that coder coded it."""
    with study.read() as s:
        cases = cases_q.case_ids(s)
        source_case = sources_q.source_cases(s)
        segs: dict[str, list[tuple[int, int]]] = {}
        for source_id, start, end in sources_q.respondent_spans(s):
            segs.setdefault(source_id, []).append((start, end))
        spans: dict[str, list[tuple[int, int]]] = {}
        for source_id, start, end in codings_q.coded_spans(s, coder):
            spans.setdefault(source_id, []).append((start, end))
    sources: dict[str, int] = {}
    totals: dict[str, int] = {}
    coded: dict[str, int] = {}
    for source_id, case_id in source_case.items():
        sources[case_id] = sources.get(case_id, 0) + 1
        own = segs.get(source_id, [])
        totals[case_id] = totals.get(case_id, 0) + len(own)
        marks = spans.get(source_id, [])
        n = sum(1 for a, b in own if any(c < b and a < d for c, d in marks))
        coded[case_id] = coded.get(case_id, 0) + n
    return {c: CaseProgress(c, sources.get(c, 0), totals.get(c, 0), coded.get(c, 0)) for c in cases}


def coding_counts(study: Study) -> dict[str, int]:
    """How many codings each coder has made, by name (coders with none are absent)."""
    with study.read() as s:
        rows = coders_q.work_by_coder(s, "codings")
    return {name: int(n) for name, n in sorted(rows)}


__all__ = ["CaseProgress", "case_progress", "coding_counts"]
