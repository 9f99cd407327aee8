"""What the read & code workspace loads, gathered from the services (no Textual here).

A *document key* names what is open: ``src:<source id>`` for a transcript (or one
answer), ``q:<question>`` for all answers to one survey question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qualcode.domain.case_wording import describe_attributes
from qualcode.domain.frameworks import StudyFrameworks, everything
from qualcode.domain.model import SURVEY, TRANSCRIPT, Case, Coding, Theme
from qualcode.domain.wording import counted
from qualcode.services import framework, frameworks, memos, progress, queries, reading
from qualcode.services.study import Study
from qualcode.tui.read.document import Block, Document, Mark, UnitSpec
from qualcode.tui.shared import themes

DETAIL_WIDTH = 30
TITLE_WIDTH = 60
SURVEY_TITLE_ATTRIBUTES = ("sector", "job", "client_group", "role", "authority_type")


@dataclass(frozen=True)
class Entry:
    """One thing that can be opened: a transcript or a survey question."""

    key: str
    label: str
    detail: str
    cases: tuple[str, ...]
    kind: str = TRANSCRIPT  # what is coded in it, for the themes its frameworks offer
    question: str | None = None
    name: str = ""  # a transcript's file name


@dataclass(frozen=True)
class Catalogue:
    entries: tuple[Entry, ...]
    themes: tuple[Theme, ...]
    depth: Mapping[str, int]
    colours: Mapping[str, tuple[str, str]]
    cases: Mapping[str, Case]
    coders: Mapping[str, int] = field(default_factory=dict)  # codings per coder
    frameworks: StudyFrameworks = field(default_factory=everything)
    answer_keys: Mapping[str, str] = field(default_factory=dict)  # answer -> its question

    def themes_for(self, key: str | None) -> tuple[Theme, ...]:
        """The themes whose framework applies to what the document ``key`` holds (every
        theme when nothing is open)."""
        entry = next((e for e in self.entries if e.key == key), None)
        if entry is None:
            return self.themes
        return tuple(
            t for t in self.themes if self.frameworks.applies(t.id, entry.kind, entry.question)
        )


@dataclass(frozen=True)
class Opened:
    key: str
    title: str
    doc: Document
    codings: tuple[Coding, ...]
    memo_segments: frozenset[str]


def load_catalogue(study: Study) -> Catalogue:
    sources = queries.list_sources(study)
    cases = {c.id: c for c in queries.list_cases(study)}
    entries: list[Entry] = []
    questions: dict[str, list[str]] = {}
    answers: dict[str, str] = {}
    for src in sources:
        if src.kind == SURVEY and src.question:
            questions.setdefault(src.question, []).append(src.case)
            answers[src.id] = f"q:{src.question}"
            continue
        attrs = cases.get(src.case)
        # one line in the opener, beside the source's id and name
        detail = describe_case(attrs, source=src.name, width=DETAIL_WIDTH) if attrs else ""
        entries.append(
            Entry(
                f"src:{src.id}",
                f"{src.case} · {src.name}",
                detail,
                (src.case,),
                src.kind,
                src.question,
                src.name,
            )
        )
    for question, answered in questions.items():
        entries.append(
            Entry(
                f"q:{question}",
                f"survey: {question}",
                counted(len(answered), "answer"),
                tuple(answered),
                SURVEY,
                question,
            )
        )
    return Catalogue(
        tuple(entries),
        *load_themes(study),
        cases,
        load_coders(study),
        frameworks.study_frameworks(study),
        answers,
    )


def load_themes(
    study: Study,
) -> tuple[tuple[Theme, ...], dict[str, int], dict[str, tuple[str, str]]]:
    """The themes in framework order, their depths and colours (reloaded after every
    change, so that a theme added in the framework can be applied at once)."""
    tree = framework.framework_tree(study)
    shown = list(themes.walk(tree))
    return tuple(t for t, _ in shown), {t.id: d for t, d in shown}, themes.colours(tree)


def load_coders(study: Study) -> dict[str, int]:
    """Every coder with codings and how many (for the coder filter's chooser)."""
    return progress.coding_counts(study)


def describe_case(
    case: Case, names: Sequence[str] = (), source: str = "", width: int | None = None
) -> str:
    """A case in a few of its attributes (:func:`describe_attributes`)."""
    return describe_attributes(case.attributes, names, source, width, case.id)


def entry_for_case(catalogue: Catalogue, case: str) -> Entry | None:
    for entry in catalogue.entries:
        if case in entry.cases:
            return entry
    return None


def open_document(study: Study, key: str, catalogue: Catalogue, width: int) -> Opened:
    if key.startswith("src:"):
        source_id = key[4:]
        text = queries.source_text(study, source_id)
        segments = queries.list_segments(study, source=source_id, include_interviewer=True)
        entry = next((e for e in catalogue.entries if e.key == key), None)
        case_id = entry.cases[0] if entry else segments[0].case if segments else ""
        blocks = [Block(source_id, case_id, text)]
        title = entry.label if entry else source_id
        case = catalogue.cases.get(case_id)
        said = ""
        if case is not None:
            said = describe_case(case, source=entry.name if entry else "", width=TITLE_WIDTH)
        if said:  # a case with no attributes adds nothing
            title += f" · {said}"
    else:
        question = key[2:]
        sources = [
            s for s in queries.list_sources(study) if s.kind == SURVEY and s.question == question
        ]
        wanted = {s.id for s in sources}
        segments = [
            g for g in queries.list_segments(study, include_interviewer=True) if g.source in wanted
        ]
        texts = {g.source: g.text for g in segments if g.start == 0}
        blocks = []
        for s in sources:
            found = texts.get(s.id)
            if found is not None and len(found) == s.chars:
                text = found
            else:
                text = queries.source_text(study, s.id)
            case = catalogue.cases.get(s.case)
            header = s.case
            if case is not None:  # whole attributes that fit the line, not one cut short
                room = max(8, width - len(header) - 2)
                header += "  " + describe_case(case, SURVEY_TITLE_ATTRIBUTES, width=room)
            blocks.append(Block(s.id, s.case, text, header))
        title = f"survey · {question} · {counted(len(blocks), 'answer')}"
    units = [UnitSpec(g.id, g.source, g.start, g.end, g.role, g.speaker, g.time) for g in segments]
    doc = Document(blocks, units, width)
    codings = load_codings(study, doc)
    memo_targets = {m.target for m in memos.list_memos(study, kind="segment")}
    return Opened(
        key,
        title,
        doc,
        tuple(codings),
        frozenset(u.segment for u in doc.units if u.segment in memo_targets),
    )


def load_codings(study: Study, doc: Document) -> list[Coding]:
    return reading.codings_of(study, {b.source for b in doc.blocks})


def marks_for(doc: Document, codings: Sequence[Coding]) -> list[Mark]:
    out = []
    index = {b.source: i for i, b in enumerate(doc.blocks)}
    for c in codings:
        b = index.get(c.source)
        if b is not None:
            base = doc.bases[b]
            out.append(Mark(c.id, base + c.start, base + c.end, c.theme, c.coder))
    return out


def default_shortcuts(themes: Sequence[Theme], depth: Mapping[str, int]) -> list[str]:
    """The first nine themes without sub-themes, in framework order."""
    parents = {t.parent for t in themes if t.parent is not None}
    return [t.id for t in themes if t.id not in parents][:9]


def shortcuts_for(
    chosen: Sequence[str], offered: Sequence[Theme], depth: Mapping[str, int]
) -> list[str]:
    """Keys 1-9 on a document: the chosen shortcuts its frameworks offer, else the
    first nine of its own themes (survey themes on survey answers, and so on)."""
    allowed = {t.id for t in offered}
    kept = [t if t in allowed else "" for t in chosen]
    return kept if any(kept) else default_shortcuts(offered, depth)
