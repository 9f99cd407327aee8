"""A study as a REFI-QDA project (see :mod:`qualcode.exchange.refi.conventions`).

GUIDs come from the study's ``guid`` columns; missing ones are generated and saved
at the first export, so the same theme, case, source or coding keeps its GUID in
every later export. Things without a column (selections, links, the source
variables) get GUIDs derived from the study's own GUID, equally stable.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from qualcode import __version__
from qualcode.domain.anonymise import OffsetMap, anonymise_with_offsets
from qualcode.domain.framework import FrameworkTree, natural_key
from qualcode.domain.frameworks import DEFAULT_FRAMEWORK
from qualcode.exchange.refi import conventions as cv
from qualcode.exchange.refi import model as r
from qualcode.services import dimensions, refi_turns
from qualcode.services.study import Study
from qualcode.store import convert
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import coders as coders_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import guids as guids_q
from qualcode.store.queries import memos as memos_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import summaries as summaries_q
from qualcode.store.queries import themes as themes_q

_QUALCODE_NS = "9b0f3c2e-6a41-4c8e-9d3f-5b7a1e2c4d60"
_ATTR_TYPES = {"integer": r.INTEGER, "number": r.FLOAT}
_GUID_MODELS: tuple[type[m.Base], ...] = (
    m.StudyRow, m.CoderRow, m.CaseRow, m.AttributeRow, m.SourceRow, m.ThemeRow,
    m.CodingRow, m.MemoRow, m.SummaryRow,
)  # fmt: skip


@dataclass
class Anonymising:
    """What an anonymised export applies: the accepted names, and job-title rules."""

    mapping: Mapping[str, str]
    title: Callable[[str], str]
    title_attributes: frozenset[str]
    # ids, file names, attribute values: names whatever their case (anonymise.identifiers)
    ident: Callable[[str], str] = str
    withheld: frozenset[str] = frozenset()  # attributes of personal details: left out

    def text(self, value: str) -> str:
        return anonymise_with_offsets(value, self.mapping)[0]


@dataclass
class ExportCounts:
    themes: int = 0
    cases: int = 0
    sources: int = 0
    codings: int = 0
    memos: int = 0
    summaries: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


def ensure_guids(study: Study) -> None:
    """Give every row that lacks one a GUID (kept for every later export)."""
    with study.write() as s:
        for model in _GUID_MODELS:
            for row in guids_q.rows_without_guid(s, model):
                row.guid = str(uuid.uuid4())  # type: ignore[attr-defined]
        have = coders_q.coder_names(s)
        names = {study.coder} | coders_q.names_on_work(s)
        for name in sorted(names - have):
            s.add(m.CoderRow(name=name, guid=str(uuid.uuid4())))


def build_project(study: Study, anon: Anonymising | None = None) -> tuple[r.Project, ExportCounts]:
    ensure_guids(study)
    with study.read() as s:
        return _Builder(s, study, anon).build()


class _Builder:
    def __init__(self, s: Session, study: Study, anon: Anonymising | None) -> None:
        self.s = s
        self.study = study
        self.anon = anon
        self.counts = ExportCounts()
        row = s.get(m.StudyRow, 1)
        self.study_row = row
        self.ns = (row.guid if row and row.guid else None) or str(
            uuid.uuid5(uuid.NAMESPACE_URL, study.url)
        )
        self.users = {c.name: c.guid or "" for c in coders_q.coder_rows(s)}
        self.theme_notes: dict[str, list[str]] = {}
        self.declared = dimensions.declarations_in(s)  # written into the codes' descriptions

    def text(self, value: str | None) -> str | None:
        if value is None or self.anon is None:
            return value
        return self.anon.text(value)

    def ident(self, value: str | None) -> str | None:
        if value is None or self.anon is None:
            return value
        # as identifiers only, as quotes and the matrix do: replaced as text first,
        # "Interview-with-Peter-Jones" read "Interview-with-[Person 2]-[Person 2]" here
        # and "Interview-with-[Person 2]" in the report
        return self.anon.ident(value)

    def codebook(self) -> tuple[r.Code, ...]:
        """The framework as codes; call after the notes are known (or for a .qdc)."""
        themes = themes_q.themes_by_id(self.s)
        tree = FrameworkTree.build(convert.theme(t) for t in themes.values())
        self.counts.themes = len(themes)
        return tuple(self._code(t.id, tree, themes) for t in tree.top_level())

    def build(self) -> tuple[r.Project, ExportCounts]:
        s = self.s
        themes = themes_q.themes_by_id(s)
        memos = memos_q.memo_rows(s)
        summaries = [
            x for x in summaries_q.summary_rows(s) if x.text.strip() or x.status != "empty"
        ]
        summaries.sort(key=lambda x: (natural_key(x.case_id), natural_key(x.theme_id)))
        self.theme_guids = {tid: t.guid or "" for tid, t in themes.items()}
        notes, links, project_notes = self._notes(memos, summaries, themes)
        codes = self.codebook()
        variables, case_vars = self._variables()
        sources, source_values = self._sources(memos)
        notes = (*notes, *self.turn_notes)
        cases = self._cases(case_vars, source_values)
        row = self.study_row
        title = self.text(row.title if row else "") or "qualcode study"
        project = r.Project(
            name=title,
            origin=f"{cv.ORIGIN} {__version__}",
            creator=self.users.get(self.study.coder),
            created=row.created_at if row else None,
            modified=datetime.now(UTC),
            users=tuple(r.User(g, self.ident(n) or n) for n, g in sorted(self.users.items()) if g),
            codes=codes,
            variables=variables,
            cases=cases,
            sources=sources,
            notes=notes,
            links=links,
            sets=self._framework_sets(themes),
            project_notes=project_notes,
        )
        return project, self.counts

    def _framework_sets(self, themes: dict[str, m.ThemeRow]) -> tuple[r.Set, ...]:
        """Each named framework as a Set of its top-level themes' codes and the sources
        it codes: qualcode reads it back, and other tools show a code group."""
        frameworks = frameworks_q.study_frameworks(self.s)
        if list(frameworks.frameworks) == [DEFAULT_FRAMEWORK]:
            return ()  # one framework for everything: nothing to say
        sources = sorted(sources_q.source_rows(self.s), key=lambda x: natural_key(x.id))
        out = []
        for name, framework in frameworks.frameworks.items():
            tops = sorted(
                (t for t in frameworks.themes_of(name) if themes[t].parent_id is None),
                key=lambda t: (themes[t].position, natural_key(t)),
            )
            applies = framework.applies_to
            text = cv.FrameworkText(
                name, self.text(framework.title), applies.kind, applies.questions
            )
            out.append(
                r.Set(
                    guid=r.derived_guid(self.ns, f"framework {name}"),
                    name=cv.framework_set_name(text),
                    description=cv.framework_set_description(text),
                    codes=tuple(self.theme_guids[t] for t in tops if self.theme_guids.get(t)),
                    sources=tuple(
                        x.guid for x in sources if x.guid and applies.covers(x.kind, x.question)
                    ),
                )
            )
        return tuple(out)

    def _code(self, tid: str, tree: FrameworkTree, rows: dict[str, m.ThemeRow]) -> r.Code:
        row = rows[tid]
        fields = cv.ThemeText(
            definition=self.text(row.definition),
            inclusion=self.text(row.inclusion),
            exclusion=self.text(row.exclusion),
            keywords=tuple(self.text(k) or k for k in row.keywords or ()),
            theme_id=tid if cv.needs_id_field(tid) else None,
            dimensions=self._declared(tid),
        )
        return r.Code(
            guid=row.guid or "",
            name=cv.code_name(tid, self.text(row.label) or row.label),
            description=cv.describe(fields),
            color=row.color,
            children=tuple(self._code(k, tree, rows) for k in tree.children.get(tid, ())),
            notes=tuple(self.theme_notes.get(tid, ())),
        )

    def _declared(self, tid: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((d.name, d.values) for d in self.declared.get(tid, ()))

    def _variables(self) -> tuple[tuple[r.Variable, ...], dict[str, r.Variable]]:
        out: dict[str, r.Variable] = {}
        withheld = self.anon.withheld if self.anon is not None else frozenset()
        for a in cases_q.attribute_rows(self.s, ordered=True):
            if a.name not in withheld:
                out[a.name] = r.Variable(a.guid or "", a.name, _ATTR_TYPES.get(a.type, r.TEXT))
        self.source_vars = {
            # the same in every qualcode export, so tools see one variable across studies
            name: r.Variable(r.derived_guid(_QUALCODE_NS, f"source variable {name}"), name, r.TEXT)
            for name in cv.SOURCE_VARIABLES
        }
        return (*out.values(), *self.source_vars.values()), out

    def _value(self, var: r.Variable, raw: str, attribute: str) -> r.Value | None:
        if var.type == r.INTEGER:
            try:
                return r.Value(var.guid, int(raw))
            except ValueError:
                return None
        if var.type == r.FLOAT:
            try:
                return r.Value(var.guid, float(raw))
            except ValueError:
                return None
        if self.anon is not None:
            if attribute in self.anon.title_attributes:
                raw = self.anon.title(raw)
            raw = self.anon.ident(self.anon.text(raw))
        return r.Value(var.guid, raw)

    def _cases(
        self, variables: dict[str, r.Variable], source_guids: dict[str, list[str]]
    ) -> tuple[r.Case, ...]:
        values: dict[str, list[r.Value]] = {}
        for attr in cases_q.case_attribute_rows(self.s):
            var = variables.get(attr.name)
            value = self._value(var, attr.value, attr.name) if var else None
            if value is not None:
                values.setdefault(attr.case_id, []).append(value)
        order = {name: i for i, name in enumerate(variables)}
        guids = {v.guid: order[v.name] for v in variables.values()}
        out = []
        for row in sorted(cases_q.case_rows(self.s), key=lambda c: natural_key(c.id)):
            mine = sorted(values.get(row.id, []), key=lambda v: guids.get(v.variable, 0))
            out.append(
                r.Case(
                    guid=row.guid or "",
                    name=self.ident(row.id),
                    values=tuple(mine),
                    sources=tuple(source_guids.get(row.id, ())),
                )
            )
        self.counts.cases = len(out)
        return tuple(out)

    def _sources(
        self, memos: list[m.MemoRow]
    ) -> tuple[tuple[r.TextSource, ...], dict[str, list[str]]]:
        s = self.s
        codings: dict[str, list[m.CodingRow]] = {}
        for c in codings_q.coding_rows(s, by_id=True):
            codings.setdefault(c.source_id, []).append(c)
        self.coding_guids = {str(c.id): c.guid for cs in codings.values() for c in cs}
        segment_memos: dict[str, list[tuple[m.SegmentRow, m.MemoRow]]] = {}
        for memo in memos:
            if memo.kind == "segment" and memo.target:
                seg = s.get(m.SegmentRow, memo.target)
                if seg is not None:
                    segment_memos.setdefault(seg.source_id, []).append((seg, memo))
        by_case: dict[str, list[str]] = {}
        out = []
        timed = refi_turns.timed_turns(s)
        self.turn_notes: list[r.Note] = []
        rows = sorted(sources_q.source_rows(s), key=lambda x: natural_key(x.id))
        for row in rows:
            text, offsets = row.text, OffsetMap([])
            if self.anon is not None:
                text, offsets = anonymise_with_offsets(row.text, self.anon.mapping)
            selections = self._selections(row, codings.get(row.id, []), offsets)
            for seg, memo in segment_memos.get(row.id, []):
                a, b = offsets.span(seg.start, seg.end)
                selections.append(
                    r.Selection(
                        guid=r.derived_guid(self.ns, f"segment {seg.id}"),
                        start=a, end=b, name=f"segment {self.ident(seg.id)}",
                        creator=self.users.get(memo.coder), created=memo.created_at,
                        notes=(memo.guid or "",),
                    )
                )  # fmt: skip
            name = self.ident(row.id) or row.id
            turns = refi_turns.turn_note(
                self.ns, row.guid or "", name, timed.get(row.id, []), offsets, self.text
            )
            self.turn_notes += [turns] if turns else []
            values = [r.Value(self.source_vars[cv.IMPORTED_FROM].guid, self.ident(row.name) or "")]
            if row.question is not None:
                var = self.source_vars[cv.SURVEY_QUESTION]
                values.append(r.Value(var.guid, self.text(row.question) or ""))
            out.append(
                r.TextSource(
                    guid=row.guid or "",
                    name=name,
                    text=text,
                    created=row.imported_at,
                    modified=row.imported_at,
                    selections=tuple(selections),
                    notes=(*self.source_notes.get(row.id, ()), *([turns.guid] if turns else [])),
                    values=tuple(values),
                )
            )
            by_case.setdefault(row.case_id, []).append(row.guid or "")
        self.counts.sources = len(out)
        return tuple(out), by_case

    def _selections(
        self, source: m.SourceRow, codings: list[m.CodingRow], offsets: OffsetMap
    ) -> list[r.Selection]:
        """One selection per span and coder, holding a Coding per theme."""
        themes = self.theme_guids
        groups: dict[tuple[int, int, str], list[m.CodingRow]] = {}
        for c in codings:
            groups.setdefault((c.start, c.end, c.coder), []).append(c)
        out = []
        for (start, end, coder), group in sorted(groups.items()):
            user = self.users.get(coder)
            a, b = offsets.span(start, end)
            out.append(
                r.Selection(
                    guid=r.derived_guid(self.ns, f"selection {source.guid} {start} {end} {user}"),
                    start=a,
                    end=b,
                    creator=user,
                    created=min(c.created_at for c in group),
                    codings=tuple(
                        r.Coding(
                            guid=c.guid or "",
                            code=themes[c.theme_id],
                            creator=user,
                            created=c.created_at,
                            notes=tuple(self.coding_notes.get(str(c.id), ())),
                        )
                        for c in group
                    ),
                )
            )
            self.counts.codings += len(group)
        return out

    def _notes(
        self,
        memos: list[m.MemoRow],
        summaries: list[m.SummaryRow],
        themes: dict[str, m.ThemeRow],
    ) -> tuple[tuple[r.Note, ...], tuple[r.Link, ...], tuple[str, ...]]:
        cases = {c.id: c.guid or "" for c in cases_q.case_rows(self.s)}
        sources = sources_q.source_ids(self.s)
        codings = {str(i) for i in codings_q.coding_ids(self.s)}
        notes: list[r.Note] = []
        links: list[r.Link] = []
        project_notes: list[str] = []
        self.source_notes: dict[str, list[str]] = {}
        self.coding_notes: dict[str, list[str]] = {}
        for memo in memos:
            guid = memo.guid or ""
            target = memo.target or ""
            if memo.kind == "study" or not target:
                project_notes.append(guid)
            elif memo.kind == "theme" and target in themes:
                self.theme_notes.setdefault(target, []).append(guid)
            elif memo.kind == "source" and target in sources:
                self.source_notes.setdefault(target, []).append(guid)
            elif memo.kind == "coding" and target in codings:
                self.coding_notes.setdefault(target, []).append(guid)
            elif memo.kind == "case" and target in cases:
                links.append(
                    r.Link(
                        r.derived_guid(self.ns, f"link {guid}"),
                        guid,
                        cases[target],
                        cv.CASE_MEMO_LINK,
                    )
                )
            elif memo.kind != "segment" or self.s.get(m.SegmentRow, target) is None:
                project_notes.append(guid)
            notes.append(
                r.Note(
                    guid=guid,
                    name=f"{memo.kind.capitalize()} memo"
                    + (f": {self.ident(target)}" if target else ""),
                    text=self.text(memo.text) or "",
                    creator=self.users.get(memo.coder),
                    created=memo.created_at,
                    modified=memo.updated_at,
                )
            )
        self.counts.memos = len(memos)
        for summary in summaries:
            guid = summary.guid or ""
            theme = themes.get(summary.theme_id)
            notes.append(
                r.Note(
                    guid=guid,
                    name=f"Summary: {self.ident(summary.case_id)} / {summary.theme_id}"
                    + (f" {self.text(theme.label)}" if theme else ""),
                    text=self.text(summary.text) or "",
                    creator=self.users.get(summary.coder),
                    modified=summary.updated_at,
                    description=f"{cv.SUMMARY_PREFIX}{summary.status}",
                )
            )
            self.theme_notes.setdefault(summary.theme_id, []).append(guid)
            links.append(
                r.Link(
                    r.derived_guid(self.ns, f"link {guid}"),
                    guid,
                    cases[summary.case_id],
                    cv.SUMMARY_LINK,
                )
            )
        self.counts.summaries = len(summaries)
        return tuple(notes), tuple(links), tuple(project_notes)
