"""A REFI-QDA project into a study, in one transaction.

What is already in the study (same GUID) is kept; everything else is added, so
importing the same file twice changes nothing. Segments of the imported texts are
made the way a transcript import makes them (speaker turns; one per survey answer).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.documents import INTERVIEWER, RESPONDENT, Turn
from qualcode.domain.ids import checksum, segment_id, slug, snake_key, unique
from qualcode.domain.layouts import parse_turns
from qualcode.domain.model import SURVEY, TRANSCRIPT
from qualcode.domain.segmentation import segment_turns
from qualcode.domain.speaker_roles import propose_interviewers, with_role
from qualcode.domain.turns import strip_span
from qualcode.errors import InputError
from qualcode.exchange.refi import conventions as cv
from qualcode.exchange.refi import model as r
from qualcode.services import refi_notes, refi_turns
from qualcode.services.import_report import study_speakers
from qualcode.services.refi_frameworks import import_framework_sets
from qualcode.services.refi_themes import import_codes
from qualcode.services.study import UNTITLED
from qualcode.services.theme_scope import refusal
from qualcode.store import attributes as attrs
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.models import utcnow
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import coders as coders_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import sources as sources_q

_VAR_TYPES = {r.INTEGER: "integer", r.FLOAT: "number"}


@dataclass
class Counts:
    themes_added: int = 0
    cases_added: int = 0
    sources_added: int = 0
    sources_unchanged: int = 0
    segments_added: int = 0
    codings_added: int = 0
    codings_unchanged: int = 0
    memos_added: int = 0
    summaries_added: int = 0
    warnings: list[str] = field(default_factory=list)


class ProjectImport:
    def __init__(self, s: Session, project: r.Project, path: Path, coder: str) -> None:
        self.s = s
        self.p = project
        self.path = path
        self.coder = coder
        self.ours = cv.is_ours(project.origin)
        self.c = Counts()
        self.users: dict[str, str] = {}
        self.case_of_source: dict[str, str] = {}  # source GUID -> case id
        self.case_guids: dict[str, str] = {}  # case GUID -> case id
        self.source_ids: dict[str, str] = {}  # source GUID -> source id (new or kept)
        self.new_sources: set[str] = set()
        self.coding_ids: dict[str, int] = {}  # coding GUID -> coding id
        self.attr_changed: set[str] = set()
        self.segment_rows: list[dict[str, Any]] = []
        self.notes_joined = 0  # notes added to a memo already there (refi_notes)
        self.speakers: tuple[Counter[str], set[str]] | None = None  # the study's, then ours
        self.proposed: Counter[str] = Counter()  # interviewers proposed, by name
        self.transcripts = 0
        self.unattributed = 0  # codings naming no user: given the fallback coder

    def warn(self, message: str) -> None:
        self.c.warnings.append(message)

    def run(self) -> Counts:
        self._title()
        self._users()
        themes = import_codes(self.s, self.p.codes, self.p.origin, self.coder)
        self.code_map = themes.by_guid
        self.new_themes = themes.new
        self.c.themes_added = themes.added
        for note in themes.notes:
            self.warn(note)
        self.s.flush()
        self.owned = frameworks_q.study_frameworks(self.s)  # new codes: the default one
        self._variables()
        self._cases()
        rows = sources_q.source_rows(self.s)
        self.sources_by_guid = {row.guid.lower(): row for row in rows if row.guid}
        self.sources_by_id = {(row.id, row.checksum): row for row in rows}
        by_name: dict[tuple[str, str], list[m.SourceRow]] = {}
        for row in rows:
            by_name.setdefault((row.name, row.checksum), []).append(row)
        self.sources_by_name = {k: v[0] for k, v in by_name.items() if len(v) == 1}
        self.taken_sources = {row.id for row in rows}
        self.codings_by_source: dict[str, list[m.CodingRow]] = {}
        for coding in codings_q.coding_rows(self.s):
            self.codings_by_source.setdefault(coding.source_id, []).append(coding)
        for source in self.p.sources:
            if source.text is not None:
                self._source(source)
        new = {guid: sid for guid, sid in self.source_ids.items() if sid in self.new_sources}
        refi_turns.apply_turn_times(self.p, new, self.segment_rows)
        sources_q.add_segments(self.s, self.segment_rows)
        attrs.retype(self.s, self.attr_changed)
        refi_notes.import_notes(self)
        for name, count in sorted(self.proposed.items(), key=lambda i: (-i[1], i[0])):
            self.warn(
                f"{name} taken as the interviewer in {count} of {self.transcripts} "
                "transcripts; change with `qualcode speakers set`"
            )
        if self.unattributed:
            whose = self.coder_of()
            why = "the project's creator" if whose != self.coder else "the importing coder"
            self.warn(
                f"{self.unattributed} coding(s) name no user who made them: recorded as "
                f"{whose} ({why}); they count as theirs in `coders` and `agreement`"
            )
        import_framework_sets(self)
        audit.record(
            self.s, self.coder, "import", "qdpx", self.path.name,
            after={k: v for k, v in vars(self.c).items() if k != "warnings"},
        )  # fmt: skip
        return self.c

    def _title(self) -> None:
        """A study created without a title, and empty, takes the project's name: the
        project is what it holds from now on."""
        row = self.s.get(m.StudyRow, 1)
        name = self.p.name.strip()
        if row is None or row.title != UNTITLED or not name or sources_q.source_rows(self.s):
            return
        row.title = name[:500]
        self.warn(f'the study is titled "{row.title}", after the project')

    def coder_of(self, *guids: str | None) -> str:
        for guid in (*guids, self.p.creator):
            if guid and guid in self.users:
                return self.users[guid]
        return self.coder

    def _users(self) -> None:
        rows = coders_q.coder_rows(self.s)
        by_guid = {row.guid.lower(): row.name for row in rows if row.guid}
        names = {row.name: row for row in rows}
        for user in self.p.users:
            name = by_guid.get(user.guid) or user.name.strip() or f"user-{user.guid[:8]}"
            self.users[user.guid] = name
            if name not in names:
                names[name] = m.CoderRow(name=name, guid=user.guid)
                self.s.add(names[name])
            elif not names[name].guid:  # listed when they first wrote, before any exchange
                names[name].guid = user.guid
        self.s.flush()

    def _variables(self) -> None:
        known = {a.name: a for a in cases_q.attribute_rows(self.s)}
        self.variables: dict[str, str] = {}  # variable GUID -> attribute name
        self.source_variables: dict[str, str] = {}  # GUID -> our source variable name
        for var in self.p.variables:
            if self.ours and var.name in cv.SOURCE_VARIABLES:
                self.source_variables[var.guid] = var.name
                continue
            name = var.name if self.ours else (snake_key(var.name) or var.name)
            self.variables[var.guid] = name
            if name not in known:
                row = m.AttributeRow(
                    name=name, type=_VAR_TYPES.get(var.type, "text"), position=len(known),
                    guid=var.guid,
                )  # fmt: skip
                self.s.add(row)
                known[name] = row
        self.s.flush()

    def set_values(self, case_id: str, values: tuple[r.Value, ...], new: bool) -> None:
        current = self.attr_rows.setdefault(case_id, {})
        kept = 0
        for value in values:
            name = self.variables.get(value.variable)
            if name is None:
                continue
            text = str(value.value).strip()
            if not text:
                continue
            have = current.get(name)
            if have is None:
                row = m.CaseAttributeRow(case_id=case_id, name=name, value=text)
                self.s.add(row)
                current[name] = row
                self.attr_changed.add(name)
            elif have.value != text and not new:
                kept += 1
        if kept:
            self.warn(f"case {case_id!r}: {kept} attribute value(s) differ; the study's were kept")

    def _cases(self) -> None:
        self.attr_rows: dict[str, dict[str, m.CaseAttributeRow]] = {}
        for attr in cases_q.case_attribute_rows(self.s):
            self.attr_rows.setdefault(attr.case_id, {})[attr.name] = attr
        rows = cases_q.case_rows(self.s)
        by_guid = {row.guid.lower(): row.id for row in rows if row.guid}
        ids = {row.id for row in rows}
        unnamed = 0
        for case in self.p.cases:
            new = False
            if case.guid in by_guid:
                case_id = by_guid[case.guid]
            elif case.name and case.name in ids:
                case_id = case.name
            else:
                if case.name is None:
                    unnamed += 1
                case_id = unique(case.name or f"case-{unnamed}", ids)
                self.s.add(m.CaseRow(id=case_id, guid=case.guid))
                ids.add(case_id)
                self.c.cases_added += 1
                new = True
            self.s.flush()
            self.case_guids[case.guid] = case_id
            self.set_values(case_id, case.values, new)
            for source in case.sources:
                if source in self.case_of_source and self.case_of_source[source] != case_id:
                    kept = self.case_of_source[source]
                    self.warn(f"a source belongs to several cases; kept in {kept!r}")
                    continue
                self.case_of_source[source] = case_id
        if unnamed:
            self.warn(f"{unnamed} unnamed case(s) were given ids case-1, case-2, ...")
        self.case_ids = ids

    def _source(self, source: r.TextSource) -> None:
        text = source.text or ""
        digest = checksum(text)
        existing = self.sources_by_guid.get(source.guid) or self._same_source(source, digest)
        if existing is not None:
            if existing.checksum != digest:
                raise InputError(
                    f"source {source.name!r} is already in the study as {existing.id!r} with a "
                    "different text; remove it there first (`qualcode sources remove "
                    f"{existing.id}`) or import into another study",
                    self.path,
                )
            self.source_ids[source.guid] = existing.id
            self.c.sources_unchanged += 1
            self._codings(source, existing.id)
            return
        ours = {self.source_variables[v.variable]: str(v.value) for v in source.values
                if v.variable in self.source_variables}  # fmt: skip
        question = ours.get(cv.SURVEY_QUESTION)
        file_name = ours.get(cv.IMPORTED_FROM) or source.name
        base = source.name if self.ours else slug(Path(source.name).stem)
        source_id = unique(base.strip() or "source", self.taken_sources)
        self.taken_sources.add(source_id)
        case_id = self.case_of_source.get(source.guid)
        if case_id is None:
            case_id = unique(slug(Path(source.name).stem), self.case_ids)
            self.s.add(m.CaseRow(id=case_id))
            self.case_ids.add(case_id)
            self.c.cases_added += 1
            self.s.flush()
        extra = tuple(v for v in source.values if v.variable in self.variables)
        if extra:
            self.set_values(case_id, extra, new=False)
        self.s.add(
            m.SourceRow(
                id=source_id, case_id=case_id, name=file_name,
                kind=SURVEY if question is not None else TRANSCRIPT, question=question,
                text=text, checksum=digest, chars=len(text), guid=source.guid,
                imported_at=source.created or utcnow(),
            )
        )  # fmt: skip
        self.s.flush()
        self._segments(source_id, text, survey=question is not None)
        self.source_ids[source.guid] = source_id
        self.new_sources.add(source_id)
        self.c.sources_added += 1
        self._codings(source, source_id)

    def _with_interviewer(self, text: str, turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
        """The turns with the interviewer proposed as `import transcripts` proposes one
        where no label names one: other tools keep no roles, and a transcript's answers
        were all respondent turns here and the questions' turns too."""
        if self.speakers is None:
            self.speakers = study_speakers(self.s)
        presence, interviewers = self.speakers
        (names,) = propose_interviewers([(text, turns)], presence, interviewers)
        for name in names:
            turns = with_role(turns, name, INTERVIEWER)
            self.proposed[name] += 1
        presence.update({t.speaker for t in turns if t.speaker})
        interviewers.update(names)
        self.transcripts += 1
        return turns

    def _same_source(self, source: r.TextSource, digest: str) -> m.SourceRow | None:
        """The same text under another GUID (a colleague imported the same file): by
        qualcode id, or by file name when only one source has that name and text."""
        if self.ours:
            return self.sources_by_id.get((source.name, digest))
        return self.sources_by_name.get((source.name, digest))

    def _segments(self, source_id: str, text: str, survey: bool) -> None:
        spans: list[tuple[int, int, str | None, str, str | None]]
        if survey:
            span = strip_span(text, 0, len(text))
            spans = [(span[0], span[1], None, RESPONDENT, None)] if span else []
        else:
            spans = [
                (x.start, x.end, x.speaker, x.role, x.time)
                for x in segment_turns(text, self._with_interviewer(text, parse_turns(text)))
            ]
        rows: list[dict[str, Any]] = [
            {"id": segment_id(source_id, i), "source_id": source_id, "ordinal": i,
             "start": a, "end": b, "speaker": speaker, "role": role, "time": time}
            for i, (a, b, speaker, role, time) in enumerate(spans, start=1)
        ]  # fmt: skip
        self.segment_rows.extend(rows)
        self.c.segments_added += len(rows)

    def _codings(self, source: r.TextSource, source_id: str) -> None:
        existing = {
            (c.start, c.end, c.theme_id, c.coder): c
            for c in self.codings_by_source.get(source_id, [])
        }
        guids = {c.guid.lower(): c.id for c in existing.values() if c.guid}
        here = self.s.get(m.SourceRow, source_id)
        assert here is not None
        unknown: list[str] = []  # the GUIDs of codes no Code defines
        outside: list[str] = []  # why each coding outside its theme's framework was skipped
        for sel in source.selections:
            for coding in sel.codings:
                theme = self.code_map.get(coding.code)
                if theme is None:
                    unknown.append(coding.code)
                    continue
                coder = self.coder_of(coding.creator, sel.creator)
                key = (sel.start, sel.end, theme, coder)
                if coding.guid not in guids and key not in existing:
                    why = refusal(self.owned, theme, source_id, here.kind, here.question)
                    if why is not None:
                        outside.append(why)
                        continue
                if coding.guid in guids or key in existing:
                    self.c.codings_unchanged += 1
                    row = existing.get(key)
                    self.coding_ids[coding.guid] = guids.get(coding.guid) or (row.id if row else 0)
                    continue
                row = m.CodingRow(
                    source_id=source_id, start=sel.start, end=sel.end, theme_id=theme,
                    coder=coder, origin="import", guid=coding.guid,
                    created_at=coding.created or sel.created or utcnow(),
                )  # fmt: skip
                self.s.add(row)
                self.s.flush()
                existing[key] = row
                self.coding_ids[coding.guid] = row.id
                self.c.codings_added += 1
                if not any(g in self.users for g in (coding.creator, sel.creator) if g):
                    self.unattributed += 1
        if unknown:
            codes = ", ".join(sorted(set(unknown))[:3])
            self.warn(f"source {source.name!r}: {len(unknown)} coding(s) name a code that is "
                      f"not in the codebook ({codes}); skipped")  # fmt: skip
        if outside:
            self.warn(f"source {source.name!r}: {len(outside)} coding(s) skipped because the "
                      f"theme's framework does not code it ({outside[0]})")  # fmt: skip
