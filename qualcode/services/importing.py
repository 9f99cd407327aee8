"""Importing transcripts, survey answers and case attributes; each import is one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.documents import RESPONDENT, ParsedTranscript, Table, TableRow
from qualcode.domain.ids import checksum, segment_id, slug, snake_key, unique
from qualcode.domain.model import SURVEY, TRANSCRIPT, ImportReport
from qualcode.domain.personal_details import is_personal
from qualcode.domain.segmentation import segment_turns
from qualcode.domain.wording import counted
from qualcode.errors import InputError
from qualcode.ingest import find_transcripts, not_read, read_table, read_transcript
from qualcode.services.import_report import (
    file_report,
    study_speakers,
    unmatched_interviewers,
    with_proposals,
)
from qualcode.services.inverse_cases import record_import
from qualcode.services.study import Study
from qualcode.store import attributes as attrs
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import sources as sources_q

Progress = Callable[[int, int], None]

# Free-text columns are told apart from attributes by their answers' length.
FREE_TEXT_MIN_MEAN_CHARS = 40
MAX_QUESTION_WORDING = 200  # longer wording (instructions and all) keeps the column name


def import_transcripts(
    study: Study,
    paths: Sequence[Path],
    case: str | None = None,
    attributes: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    interviewers: Sequence[str] = (),
) -> ImportReport:
    """Import transcript files (or folders of them): one case per file unless ``case``.

    Every file is read before anything is written, so a bad file leaves the study as
    it was. A file already imported with the same text is skipped; a changed version
    is refused. Speakers named in ``interviewers`` take the interviewer role; a
    transcript with no interviewer gets a proposed one (see ``speaker_roles``).
    """
    files = find_transcripts(paths)
    _check_distinct_names(files)
    parsed: list[tuple[Path, ParsedTranscript]] = []
    for n, path in enumerate(files):
        parsed.append((path, read_transcript(path, interviewers)))
        if progress:
            progress(n + 1, 2 * len(files))
    with study.read() as s:
        elsewhere, interviewers_before = study_speakers(s)
    parsed, proposed = with_proposals(parsed, elsewhere, interviewers_before)
    reports: list[dict[str, Any]] = []
    extra = {snake_key(k): v for k, v in (attributes or {}).items()}
    added = unchanged = segments = cases_added = 0
    touched: set[str] = set()
    with study.write() as s:
        source_ids = sources_q.source_ids(s)
        case_ids = set(cases_q.case_ids(s))
        for n, (path, doc) in enumerate(parsed):
            digest = checksum(doc.text)
            existing = sources_q.source_named(s, TRANSCRIPT, doc.name)
            if existing is not None:
                if existing.checksum != digest:
                    raise InputError(
                        f"a different version of {doc.name} is already imported as source "
                        f"{existing.id!r}; to replace it, run `qualcode sources remove "
                        f"{existing.id}` (its codings are deleted) and import it again",
                        path,
                    )
                unchanged += 1
                reports.append(file_report(path, doc, None))
                continue
            case_id = case or doc.case or slug(Path(doc.name).stem)
            if case_id not in case_ids:
                s.add(m.CaseRow(id=case_id))
                s.flush()
                case_ids.add(case_id)
                cases_added += 1
            values = {**dict(doc.attributes), **extra}
            old = {
                r.name: r.value
                for r in cases_q.case_attribute_rows(s, case_id, list(values))
                if r.value != values[r.name]
            }
            attrs.set_attributes(s, case_id, values)
            touched.update(values)
            source_id = unique(slug(Path(doc.name).stem), source_ids)
            source_ids.add(source_id)
            s.add(
                m.SourceRow(
                    id=source_id,
                    case_id=case_id,
                    name=doc.name,
                    kind=TRANSCRIPT,
                    question=None,
                    text=doc.text,
                    checksum=digest,
                    chars=len(doc.text),
                    attributes=dict(doc.source_attributes) or None,
                )
            )
            s.flush()
            reports.append(file_report(path, doc, source_id))
            rows = [
                {
                    "id": segment_id(source_id, i),
                    "source_id": source_id,
                    "ordinal": i,
                    "start": span.start,
                    "end": span.end,
                    "speaker": span.speaker,
                    "role": span.role,
                    "time": span.time,
                }
                for i, span in enumerate(segment_turns(doc.text, doc.turns), start=1)
            ]
            sources_q.add_segments(s, rows)
            segments += len(rows)
            added += 1
            audit.record(
                s,
                study.coder,
                "import",
                "source",
                source_id,
                before={"attributes": old} if old else None,
                after={
                    "file": str(path),
                    "case": case_id,
                    "segments": len(rows),
                    "attributes": values,
                    "layout": doc.layout,
                },
            )
            if progress:
                progress(len(files) + n + 1, 2 * len(files))
        attrs.retype(s, touched)
    return ImportReport(
        cases_added=cases_added,
        sources_added=added,
        sources_unchanged=unchanged,
        segments_added=segments,
        messages=tuple(proposed),
        files=tuple(reports),
        warnings=(
            *(f"{Path(r['file']).name}: {warning}" for r in reports for warning in r["warnings"]),
            *unmatched_interviewers(parsed, interviewers),
            *not_read(paths),
        ),
    )


def _column(table: Table, path: Path, wanted: str, option: str) -> str:
    if wanted in table.columns:
        return wanted
    by_wording = {" ".join(w.split()): c for c, w in table.wording.items()}
    if " ".join(wanted.split()) in by_wording:
        return by_wording[" ".join(wanted.split())]
    by_key = {snake_key(c): c for c in table.columns}
    if snake_key(wanted) in by_key:
        return by_key[snake_key(wanted)]
    raise InputError(
        f"no column {wanted!r} for {option} (columns: {', '.join(table.columns)})", path
    )


def _case_ids(table: Table, path: Path, id_column: str) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for row in table.rows:
        value = row.values.get(id_column, "").strip()
        if not value:
            raise InputError(f"empty {id_column!r}", path, row.row, where="row")
        if value in seen:
            raise InputError(
                f"duplicate {id_column!r} {value!r} (first at row {seen[value]}): a table "
                "of cases has one row a case; for one row an answer, give --id-column a "
                "column unique to each row",
                path,
                row.row,
                where="row",
            )
        seen[value] = row.row
        ids.append(value)
    return ids


def guess_text_columns(table: Table, exclude: set[str]) -> list[str]:
    """Columns whose answers look like free text rather than categories."""
    out = []
    for col in table.columns:
        if col in exclude:
            continue
        answers = [r.values.get(col, "").strip() for r in table.rows]
        answers = [a for a in answers if a]
        if answers and sum(map(len, answers)) / len(answers) >= FREE_TEXT_MIN_MEAN_CHARS:
            out.append(col)
    return out


def _check_distinct_names(files: Sequence[Path]) -> None:
    """Refuse two files of one name (site folders each holding an ``int01.txt``): a
    source is known by its file name, so the second would read as a new version of
    the first."""
    seen: dict[str, Path] = {}
    for path in files:
        first = seen.setdefault(path.name, path)
        if first != path:
            raise InputError(
                f"two files are called {path.name}: {first} and {path}; a source is known by "
                "its file name, so rename one (e.g. siteB-int01.txt) and import again",
                path,
            )


def import_survey(
    study: Study,
    path: Path,
    id_column: str,
    text_columns: Sequence[str] = (),
    progress: Progress | None = None,
    question_column: str | None = None,
) -> ImportReport:
    """One row per respondent (a case); each non-empty answer becomes a source with one
    segment; every other column becomes a case attribute. With ``question_column``,
    one row per answer instead (a long table): the rows of one respondent are one case,
    each row's answer is to the question that column names, and the columns whose
    value is the same on all of a respondent's rows are the case's attributes."""
    table = read_table(path, needed=id_column)
    id_col = _column(table, path, id_column, "--id-column")
    if question_column is not None:
        return _import_long(study, path, table, id_col, question_column, text_columns, progress)
    questions = [_column(table, path, c, "--text-column") for c in text_columns]
    messages: list[str] = []
    if not questions:
        questions = guess_text_columns(table, {id_col})
        if not questions:
            raise InputError("no free-text columns found; name them with --text-column", path)
        messages.append("free-text columns: " + ", ".join(questions))
    ids = _case_ids(table, path, id_col)
    attr_cols = [c for c in table.columns if c != id_col and c not in questions]
    named = question_names(table, questions)
    messages += _personal_columns(table, attr_cols)
    if any(named[q] != q for q in questions):
        messages.append(
            "questions named by their wording: "
            + "; ".join(f"{q} = {named[q]!r}" for q in questions if named[q] != q)
        )
    answers = [
        _Answer(case_id, named[q], q, row.values.get(q, ""))
        for case_id, row in zip(ids, table.rows, strict=True)
        for q in questions
    ]
    return _write_survey(study, path, table, ids, attr_cols, answers, messages, progress)


@dataclass(frozen=True)
class _Answer:
    case: str
    question: str  # as the study names it
    short: str  # what the source id is made of
    text: str
    attributes: Mapping[str, str] | None = None  # the answer's own (a long table's)


def _import_long(
    study: Study,
    path: Path,
    table: Table,
    id_col: str,
    question_column: str,
    text_columns: Sequence[str],
    progress: Progress | None,
) -> ImportReport:
    """A long table: one row an answer, the question in ``question_column``."""
    q_col = _column(table, path, question_column, "--question-column")
    texts = [_column(table, path, c, "--text-column") for c in text_columns]
    messages: list[str] = []
    if not texts:
        texts = guess_text_columns(table, {id_col, q_col})
        if len(texts) == 1:
            messages.append(f"free-text column: {texts[0]}")
    if len(texts) != 1:
        found = f" (free text in: {', '.join(texts)})" if texts else ""
        raise InputError(
            f"with --question-column, name the one column of answers with --text-column{found}",
            path,
        )
    text_col = texts[0]
    rows_of: dict[str, list[TableRow]] = {}
    for row in table.rows:
        case_id = row.values.get(id_col, "").strip()
        if not case_id:
            raise InputError(f"empty {id_col!r}", path, row.row, where="row")
        if not row.values.get(q_col, "").strip() and row.values.get(text_col, "").strip():
            raise InputError(f"an answer with an empty {q_col!r}", path, row.row, where="row")
        rows_of.setdefault(case_id, []).append(row)
    others = [c for c in table.columns if c not in (id_col, q_col, text_col)]
    varying = [
        c
        for c in others
        if any(
            len({r.values.get(c, "").strip() for r in rows} - {""}) > 1 for rows in rows_of.values()
        )
    ]
    attr_cols = [c for c in others if c not in varying]
    if varying:
        messages.append(
            "columns whose value differs between one respondent's answers are kept with "
            f"each answer (`sources --json`), not as case attributes: {', '.join(varying)}"
        )
    cases = Table(
        table.name,
        (id_col, *attr_cols),
        tuple(
            TableRow(
                rows[0].row,
                {
                    id_col: case_id,
                    **{
                        c: next((v for r in rows if (v := r.values.get(c, "").strip())), "")
                        for c in attr_cols
                    },
                },
            )
            for case_id, rows in rows_of.items()
        ),
    )
    messages += _personal_columns(cases, attr_cols)
    answers = [
        _Answer(
            row.values[id_col].strip(),
            " ".join(row.values.get(q_col, "").split()),
            " ".join(row.values.get(q_col, "").split()),
            row.values.get(text_col, ""),
            {snake_key(c) or c: v.strip() for c in varying if (v := row.values.get(c, "")).strip()},
        )
        for row in table.rows
    ]
    asked = len({a.question for a in answers if a.question})
    messages.append(
        f"{counted(len(table.rows), 'row')} read as the answers of "
        f"{counted(len(rows_of), 'respondent')} to {counted(asked, 'question')} ({q_col})"
    )
    ids = list(rows_of)
    return _write_survey(study, path, cases, ids, attr_cols, answers, messages, progress, table)


def _write_survey(
    study: Study,
    path: Path,
    table: Table,
    ids: list[str],
    attr_cols: list[str],
    answers: list[_Answer],
    messages: list[str],
    progress: Progress | None,
    read: Table | None = None,
) -> ImportReport:
    """The cases (one row of ``table`` each) and their answers, in one transaction."""
    digest = checksum(path.read_bytes())
    with study.write() as s:
        if _already_imported(s, SURVEY, path, digest):
            return ImportReport(sources_unchanged=1, messages=(f"{path.name} already imported",))
        imp = m.ImportRow(name=path.name, kind=SURVEY, checksum=digest, coder=study.coder)
        s.add(imp)
        s.flush()
        changed: list[tuple[str, str, str | None, str]] = []
        report = _upsert_cases(s, table, ids, attr_cols, progress, changed)
        sources: list[dict[str, Any]] = []
        segments: list[dict[str, Any]] = []
        source_ids = sources_q.source_ids(s)
        for item in answers:
            answer = item.text.replace("\r\n", "\n").replace("\r", "\n").strip()
            if not answer:
                continue
            sid = unique(f"{item.case}/{slug(item.short)}", source_ids)  # the short name
            source_ids.add(sid)
            sources.append(
                {
                    "id": sid,
                    "case_id": item.case,
                    "name": path.name,
                    "kind": SURVEY,
                    "question": item.question,
                    "text": answer,
                    "checksum": checksum(answer),
                    "chars": len(answer),
                    "import_id": imp.id,
                    "attributes": dict(item.attributes) if item.attributes else None,
                }
            )
            segments.append(
                {
                    "id": segment_id(sid, 1),
                    "source_id": sid,
                    "ordinal": 1,
                    "start": 0,
                    "end": len(answer),
                    "speaker": None,
                    "role": RESPONDENT,
                }
            )
        if sources:
            sources_q.add_sources(s, sources)
            sources_q.add_segments(s, segments)
        before, after = _attribute_audit(report, changed)
        after["answers"] = len(sources)
        audit.record(s, study.coder, "import", "survey", path.name, before, after)
    return ImportReport(
        cases_added=report.cases_added,
        cases_updated=report.cases_updated,
        sources_added=len(sources),
        segments_added=len(segments),
        messages=tuple(messages),
        warnings=(read or table).notes,
    )


def _personal_columns(table: Table, columns: Sequence[str]) -> list[str]:
    """A note naming the columns that hold personal details (see domain.personal_details)."""
    personal = [c for c in columns if is_personal(c, [row.values.get(c, "") for row in table.rows])]
    if not personal:
        return []
    return [
        f"{table.name}: columns of personal details ({', '.join(personal)}) are kept as case "
        "attributes in the study and left out of every --anonymised export"
    ]


def question_names(table: Table, questions: Sequence[str]) -> dict[str, str]:
    """Each text column's question as the study names it: the wording a survey tool's
    export gave it ("What helps you most in your work?" for Qualtrics' "Q2_TEXT"),
    unless that is long or shared by another column; else the column's name."""
    wording = {q: " ".join(table.wording.get(q, "").split()) for q in questions}
    counts = Counter(wording.values())
    return {
        q: w if w and len(w) <= MAX_QUESTION_WORDING and counts[w] == 1 else q
        for q, w in wording.items()
    }


def import_cases(study: Study, path: Path, id_column: str) -> ImportReport:
    """Create or update cases from a table of attributes (empty cells are left unset)."""
    table = read_table(path, needed=id_column)
    id_col = _column(table, path, id_column, "--id-column")
    ids = _case_ids(table, path, id_col)
    attr_cols = [c for c in table.columns if c != id_col]
    changed: list[tuple[str, str, str | None, str]] = []
    with study.write() as s:
        existing = set(cases_q.case_ids(s))
        with_sources = set(sources_q.source_cases(s).values())
        ids, same = _same_but_case(table, ids, existing)
        report = _upsert_cases(s, table, ids, attr_cols, None, changed)
        before, after = _attribute_audit(report, changed)
        audit.record(s, study.coder, "import", "cases", path.name, before, after)
        keys = {c: snake_key(c) or c for c in attr_cols}
        added = {
            cid: {keys[c]: v.strip() for c in attr_cols if (v := row.values.get(c, "")).strip()}
            for row, cid in zip(table.rows, ids, strict=True)
            if cid not in existing
        }
        record_import(s, study.coder, added, changed)  # so that `undo` takes it back
    unmatched = [
        (row.row, cid) for row, cid in zip(table.rows, ids, strict=True) if cid not in existing
    ]
    warnings = table.notes + same
    if unmatched and with_sources:
        warnings += (_new_cases_warning(path, unmatched, len(ids), sorted(with_sources)),)
    messages = tuple(_personal_columns(table, attr_cols))
    return replace(report, warnings=report.warnings + warnings, messages=messages)


def _same_but_case(
    table: Table, ids: list[str], existing: set[str]
) -> tuple[list[str], tuple[str, ...]]:
    """Ids that differ from one of the study's cases only in capitals ("INT02" for
    "int02") taken as that case, and a warning saying so."""
    by_fold: dict[str, list[str]] = {}
    for cid in existing:
        by_fold.setdefault(cid.casefold(), []).append(cid)
    out, taken = [], []
    for row, cid in zip(table.rows, ids, strict=True):
        match = by_fold.get(cid.casefold(), [])
        if cid not in existing and len(match) == 1:
            taken.append(f"row {row.row} {cid!r} as {match[0]!r}")
            cid = match[0]
        out.append(cid)
    if not taken:
        return ids, ()
    more = f" and {len(taken) - 3} more" if len(taken) > 3 else ""
    note = f"{table.name}: ids read as the study's cases, whose capitals differ: "
    return out, (note + ", ".join(taken[:3]) + more,)


def _new_cases_warning(
    path: Path, unmatched: list[tuple[int, str]], rows: int, cases: list[str]
) -> str:
    """What to say when a table of attributes names cases the study has no sources
    for: most often the ids differ from the ones the transcripts gave ("int01" and
    "Interview 01"), and the attributes went to new, empty cases."""
    shown = []
    for row, cid in unmatched[:3]:
        close = _closest_case(cid, cases)
        shown.append(f"row {row} {cid!r}" + (f" (the study has {close!r})" if close else ""))
    more = f" and {len(unmatched) - 3} more" if len(unmatched) > 3 else ""
    return (
        f"{path.name}: {len(unmatched)} of {rows} rows name cases the study had not got, "
        f"now added with no sources: {', '.join(shown)}{more}; if they were meant to be "
        "the study's cases, `qualcode undo` takes this import back; correct their ids in "
        "the file and import it again"
    )


def _closest_case(wanted: str, cases: Sequence[str]) -> str | None:
    """The case whose id holds every word of ``wanted`` ("Kamala Oduya" in
    "Interview-with-Kamala-Oduya"), or else the most alike by spelling."""
    import difflib

    words = set(snake_key(wanted).split("_")) - {""}
    holding = [c for c in cases if words and words <= set(snake_key(c).split("_"))]
    if len(holding) == 1:
        return holding[0]
    by_key = {snake_key(c): c for c in cases}
    close = difflib.get_close_matches(snake_key(wanted), list(by_key), n=1, cutoff=0.7)
    return by_key[close[0]] if close else None


def _attribute_audit(
    report: ImportReport, changed: list[tuple[str, str, str | None, str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after of the attribute values an import changed on existing cases."""
    before: dict[str, dict[str, str | None]] = {}
    after: dict[str, Any] = {"cases_added": report.cases_added, "values": {}}
    for case_id, name, old, new in changed:
        before.setdefault(case_id, {})[name] = old
        after["values"].setdefault(case_id, {})[name] = new
    return {"values": before}, after


def _already_imported(s: Session, kind: str, path: Path, digest: str) -> bool:
    previous = sources_q.import_named(s, kind, path.name)
    if previous is None:
        return False
    if previous.checksum == digest:
        return True
    raise InputError(
        f"a different version of {path.name} was already imported; to replace it, run "
        f"`qualcode sources remove --file {path.name}` (its answers' codings are deleted) "
        "and import it again",
        path,
    )


def _upsert_cases(
    s: Session,
    table: Table,
    ids: Sequence[str],
    columns: Sequence[str],
    progress: Progress | None,
    changed: list[tuple[str, str, str | None, str]] | None = None,
) -> ImportReport:
    """``changed`` collects (case, attribute, before, after) for cases that existed."""
    keys = {c: snake_key(c) or c for c in columns}
    existing = set(cases_q.case_ids(s))
    new = [cid for cid in ids if cid not in existing]
    cases_q.add_cases(s, new)
    known = {r.name: r for r in cases_q.attribute_rows(s)}
    for c in columns:
        if keys[c] not in known:
            attr = m.AttributeRow(name=keys[c], type="text", position=len(known))
            s.add(attr)
            known[keys[c]] = attr
    s.flush()
    current = {
        (r.case_id, r.name): r for r in cases_q.case_attribute_rows(s, names=list(keys.values()))
    }
    inserts: list[dict[str, str]] = []
    updated: set[str] = set()
    for n, (cid, row) in enumerate(zip(ids, table.rows, strict=True)):
        for c in columns:
            value = row.values.get(c, "").strip()
            if not value:
                continue
            have = current.get((cid, keys[c]))
            if have is None:
                inserts.append({"case_id": cid, "name": keys[c], "value": value})
                updated.add(cid)
                if changed is not None and cid in existing:
                    changed.append((cid, keys[c], None, value))
            elif have.value != value:
                if changed is not None:
                    changed.append((cid, keys[c], have.value, value))
                have.value = value
                updated.add(cid)
        if progress and n % 500 == 0:
            progress(n, len(ids))
    cases_q.add_case_attributes(s, inserts)
    attrs.retype(s, keys.values())
    new_set = set(new)
    return ImportReport(
        cases_added=len(new),
        cases_updated=len(updated - new_set),
    )
