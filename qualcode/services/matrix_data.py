"""Loading what the matrix, counts and quotes need, in one read of the study.

Plain rows go in (SQLAlchemy Core selects, no ORM objects per coding, so 20,000
codings load quickly); passages come out with their source, line and segment.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy.orm import Session

from qualcode.domain.framework import FrameworkTree, natural_key
from qualcode.domain.frameworks import AppliesTo, StudyFrameworks, everything
from qualcode.domain.matrix import Passage, Summary, Synthesis
from qualcode.domain.model import SURVEY, TRANSCRIPT, AttrValue
from qualcode.domain.segmentation import line_of, line_starts
from qualcode.domain.wording import counted
from qualcode.errors import InputError, NotFoundError
from qualcode.services.theme_errors import no_theme_in_tree
from qualcode.store import attributes as attrs
from qualcode.store.convert import summary, synthesis
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import summaries as summaries_q
from qualcode.store.queries import themes as themes_q

KINDS = (TRANSCRIPT, SURVEY)
AUTO = "auto"
MAX_GROUPS = 100  # values of an attribute whose groups are compared (see comparable)
_IN_LIMIT = 900  # beyond this many ids, load everything and filter in Python


class Coded(NamedTuple):
    """A coding with its source's case, kind and survey question (a tuple: 20,000 of
    them are made per read)."""

    id: int
    source: str
    case: str
    kind: str
    question: str | None
    theme: str
    start: int
    end: int
    coder: str
    quote: bool


@dataclass
class Snapshot:
    """The study as the matrix sees it, read in one transaction."""

    session: Session
    tree: FrameworkTree
    attributes: dict[str, dict[str, AttrValue]]
    attribute_names: list[str]
    kinds: dict[str, set[str]]  # case -> kinds of its sources
    questions: dict[str, set[str]]  # case -> survey questions it answered
    coded_kinds: dict[str, set[str]]  # theme -> kinds of the sources it is coded on
    case: str | None = None  # the one case whose codings are read, when given
    frameworks: StudyFrameworks = field(default_factory=everything)
    _all: list[Coded] | None = None
    _texts: dict[str, str] = field(default_factory=dict)
    _lines: dict[str, list[int]] = field(default_factory=dict)
    _segments: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    # each loaded source's spans of interviewer's (or other speakers') turns
    _asked: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _every_source: bool = False  # every source's text and segments are loaded
    _order: list[str] | None = None  # case ids in natural order, sorted once
    _bases: dict[AppliesTo, dict[str, dict[str, AttrValue]]] = field(default_factory=dict)
    _natural: dict[str, tuple[tuple[int, int | str], ...]] = field(default_factory=dict)

    def natural(self, name: str) -> tuple[tuple[int, int | str], ...]:
        """``natural_key(name)``, remembered (sheets sort passages by source often)."""
        key = self._natural.get(name)
        if key is None:
            key = self._natural[name] = natural_key(name)
        return key

    @property
    def case_order(self) -> list[str]:
        """Every case id, "R2" before "R10" (sorted once per snapshot)."""
        if self._order is None:
            self._order = sorted(self.attributes, key=natural_key)
        return self._order

    def universe(
        self, kinds: Collection[str] = (), question: str | None = None
    ) -> dict[str, dict[str, AttrValue]]:
        """Cases (id -> attributes) with a source of one of ``kinds`` (of any kind when
        empty). A case holding no source at all (a row of an attributes sheet naming
        nobody interviewed) is in no universe: "17 of 19" counted two such cases, where
        the report said "17 of 17"."""
        attributes = self.attributes
        if not kinds and question is None:
            return {case: attributes[case] for case in self.case_order if self.kinds.get(case)}
        wanted = set(kinds)
        none: set[str] = set()
        out: dict[str, dict[str, AttrValue]] = {}
        for case in self.case_order:
            if wanted and wanted.isdisjoint(self.kinds.get(case, none)):
                continue
            if question is not None and question not in self.questions.get(case, none):
                continue
            out[case] = attributes[case]
        return out

    def base(self, applies: AppliesTo) -> dict[str, dict[str, AttrValue]]:
        """The cases a framework's themes are counted over: those holding a source it
        applies to (every case for a framework that applies to everything). Worked out
        once per framework scope; callers must not change the dict."""
        found = self._bases.get(applies)
        if found is None:
            found = self._bases[applies] = self._base(applies)
        return found

    def _base(self, applies: AppliesTo) -> dict[str, dict[str, AttrValue]]:
        if applies.kind is None:
            return self.universe()
        if not applies.questions:
            return self.universe((applies.kind,))
        wanted = set(applies.questions)
        return {
            case: attrs
            for case, attrs in self.universe((applies.kind,)).items()
            if not wanted.isdisjoint(self.questions.get(case, ()))
        }

    @property
    def codings(self) -> list[Coded]:
        """Every coding (of ``case`` when the snapshot is for one case), read once."""
        if self._all is None:
            self._all = self._read_codings(None)
        return self._all

    def codings_of(self, themes: Collection[str]) -> list[Coded]:
        """The codings of these themes; reads only them unless everything is read."""
        wanted = set(themes)
        if self._all is not None or len(wanted) > _IN_LIMIT:
            return [c for c in self.codings if c.theme in wanted]
        return self._read_codings(wanted)

    def _read_codings(self, themes: set[str] | None) -> list[Coded]:
        rows = codings_q.passages(self.session, themes, self.case)
        return [Coded._make(row) for row in rows]

    def load_sources(self, source_ids: Iterable[str]) -> None:
        """Fetch the text and segments of the sources not loaded yet (past _IN_LIMIT of
        them, every source's at once - and then never again for this snapshot)."""
        if self._every_source:
            return
        wanted = set(source_ids).difference(self._texts)
        if not wanted:
            return
        asked = wanted if len(wanted) <= _IN_LIMIT else None
        texts = sources_q.source_texts(self.session, asked)
        if asked is None:
            self._every_source = True
            wanted = set(texts)
        else:
            wanted &= texts.keys()
        self._texts.update(texts if asked is None else ((sid, texts[sid]) for sid in wanted))
        found: dict[str, list[tuple[int, int, str]]] = {}
        for sid, start, end, seg_id in sources_q.segment_spans_of(self.session, asked):
            rows = found.get(sid)
            if rows is None:
                found[sid] = [(start, end, seg_id)]
            else:
                rows.append((start, end, seg_id))
        for sid, start, end in sources_q.asked_spans_of(self.session, asked):
            if sid in wanted:
                self._asked.setdefault(sid, []).append((start, end))
        segments = self._segments
        for sid in wanted:
            rows = found.get(sid)
            if rows is None:
                segments[sid] = []
            else:
                if len(rows) > 1:
                    rows.sort()
                segments[sid] = rows

    def _line_starts(self, source: str) -> list[int]:
        lines = self._lines.get(source)
        if lines is None:
            lines = self._lines[source] = line_starts(self._texts[source])
        return lines

    def _first_line(self, source: str, start: int, end: int) -> int:
        """The line the passage's first word is on: a span imported from another tool
        often starts on the line break before it, and its reference read a line early."""
        text = self._texts[source]
        first = start
        while first < end and text[first].isspace():
            first += 1
        return line_of(self._line_starts(source), first if first < end else start)

    def passage(self, c: Coded) -> Passage:
        """The coding as a passage; its source must have been loaded (load_sources)."""
        coding, source, case, kind, question, theme, start, end, coder, quote = c
        return Passage(  # positional: made 30,000 times for a large survey's export
            coding,
            case,
            source,
            theme,
            start,
            end,
            self._first_line(source, start, end),  # line
            self._texts[source][start:end],  # text
            quote,
            coder,
            self.segment_of(source, start, end),  # segment
            question if kind == SURVEY else None,
            self._holds_asked(source, start, end),  # asked
            self._asked_within(source, start, end),  # asked_spans
        )

    def _asked_within(self, source: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The interviewer's turns inside the span, as offsets into its text, each from
        the start of its line (its speaker's label, "MODERATOR:", with it)."""
        text = self._texts[source]
        out = []
        for a, b in self._asked.get(source, ()):
            if a < end and start < b:
                a = text.rfind("\n", 0, a) + 1
                out.append((max(a, start) - start, min(b, end) - start))
        return tuple(out)

    def _holds_asked(self, source: str, start: int, end: int) -> float:
        """The share of the span's turn text in an interviewer's (or another speaker's)
        turns (speaker labels and blank lines between turns are in none)."""
        asked = self._asked.get(source)
        if not asked:
            return 0.0
        theirs = _overlap(asked, start, end)
        turns = _overlap([(a, b) for a, b, _ in self._segments.get(source, ())], start, end)
        return theirs / turns if turns else 0.0

    def segment_of(self, source: str, start: int, end: int) -> str | None:
        """The first segment the span overlaps."""
        rows = self._segments.get(source)
        if not rows:
            return None
        for n in range(max(bisect_right(rows, (start, end, "\uffff")) - 1, 0), len(rows)):
            a, b, seg_id = rows[n]
            if a >= end:
                break
            if start < b:
                return seg_id
        return None


def _overlap(spans: list[tuple[int, int]], start: int, end: int) -> int:
    return sum(min(b, end) - max(a, start) for a, b in spans if a < end and start < b)


def load(session: Session, case: str | None = None) -> Snapshot:
    """Read cases, attributes, the framework and every coding (with ``case``: that
    case's codings, read when asked for)."""
    tree = themes_q.framework_tree(session)
    values = attrs.attributes_by_case(session)
    case_ids = cases_q.case_ids(session)
    attributes = {cid: values.get(cid, {}) for cid in case_ids}
    kinds: dict[str, set[str]] = {}
    questions: dict[str, set[str]] = {}
    coded_kinds: dict[str, set[str]] = {}
    every: list[Coded] | None = None
    if case is None:
        # every coding, joined to its source here: SQLite's join on the source id took
        # three times as long as reading both tables (and the coded kinds come free)
        facts = {sid: (cid, kind, q) for sid, cid, kind, q in sources_q.source_facts(session)}
        for cid, kind, question in set(facts.values()):
            kinds.setdefault(cid, set()).add(kind)
            if question is not None:
                questions.setdefault(cid, set()).add(question)
        make = Coded._make
        every = [
            make((n, sid, *facts[sid], theme, start, end, coder, quote))
            for n, sid, theme, start, end, coder, quote in codings_q.coding_spans(session)
        ]
        for c in every:
            found = coded_kinds.get(c.theme)
            if found is None:
                coded_kinds[c.theme] = {c.kind}
            else:
                found.add(c.kind)
    else:
        for cid, kind, question in sources_q.source_kinds_by_case(session):
            kinds.setdefault(cid, set()).add(kind)
            if question is not None:
                questions.setdefault(cid, set()).add(question)
        for theme, kind in codings_q.coded_kinds(session, case):
            coded_kinds.setdefault(theme, set()).add(kind)
    return Snapshot(
        session,
        tree,
        attributes,
        attrs.attribute_names(session),
        kinds,
        questions,
        coded_kinds,
        case,
        frameworks_q.study_frameworks(session, tree),
        _all=every,
    )


def summaries(
    session: Session, cases: Collection[str], themes: Collection[str]
) -> dict[tuple[str, str], Summary]:
    asked = themes if len(themes) <= _IN_LIMIT else None
    out: dict[tuple[str, str], Summary] = {}
    for row in summaries_q.summary_rows(session, asked):
        if row.case_id in cases and row.theme_id in themes:
            out[(row.case_id, row.theme_id)] = summary(row)
    return out


def syntheses(
    session: Session, attribute: str, themes: Collection[str]
) -> dict[tuple[str, str], Synthesis]:
    """(theme, group value) -> synthesis for one grouping."""
    return {
        (row.theme_id, row.value): synthesis(row)
        for row in summaries_q.synthesis_rows(session, attribute)
        if row.theme_id in themes
    }


# --- checking what a caller asked for ----------------------------------------------


def check_by(snap: Snapshot, by: Sequence[str]) -> tuple[str, ...]:
    for name in by:
        if name not in snap.attribute_names:
            known = ", ".join(snap.attribute_names) or "none"
            raise InputError(f"unknown case attribute {name!r} (known: {known})")
    return tuple(by)


def group_sizes(snap: Snapshot, name: str) -> tuple[int, int]:
    """(values of the attribute ``name``, cases holding one)."""
    held = [v for a in snap.attributes.values() if (v := a.get(name)) not in (None, "")]
    return len({str(v) for v in held}), len(held)


def comparable(snap: Snapshot, name: str) -> bool:
    """Whether the groups of ``name`` can be compared: two to MAX_GROUPS values, not
    one for each case. An id
    of its own per case in a large study (a survey's respondent id) names the cases
    rather than grouping them, and its exact tests would take minutes for nothing
    (4,132 respondents of 6,211 answers: 264 s; 82 weeks: 4 s)."""
    groups, held = group_sizes(snap, name)
    # and a value two cases share: a file name per case makes groups of one (p = 1.0)
    return 2 <= groups <= MAX_GROUPS and groups < held


def check_comparable(snap: Snapshot, by: str) -> None:
    if comparable(snap, by):
        return
    groups, held = group_sizes(snap, by)
    others = [n for n in snap.attribute_names if n != by and comparable(snap, n)]
    raise InputError(
        f"cannot compare the groups of {by!r}: {counted(groups, 'value', grouped=True)} "
        f"among {counted(held, 'case', grouped=True)} (to compare, 2 to {MAX_GROUPS}, "
        "and fewer than the cases); "
        f"attributes with groups to compare: {', '.join(others) or 'none'}"
    )


def check_kind(kind: str | None, allow_auto: bool = False) -> str | None:
    allowed = (*KINDS, AUTO) if allow_auto else KINDS
    if kind is not None and kind not in allowed:
        raise InputError(f"unknown kind {kind!r} (use one of: {', '.join(allowed)})")
    return kind


def check_themes(snap: Snapshot, themes: Iterable[str]) -> list[str]:
    out = list(themes)
    for tid in out:
        if tid not in snap.tree.themes:
            raise no_theme_in_tree(snap.tree, tid)
    return out


def check_question(snap: Snapshot, question: str | None) -> str | None:
    if question is None:
        return None
    known = sorted({q for qs in snap.questions.values() for q in qs})
    if question not in known:
        raise NotFoundError(
            f"no survey question {question!r} (questions: {', '.join(known) or 'none'})"
        )
    return question
