"""Importing a survey: one row a respondent (a wide table), or one row an answer (a
long table, ``question_column``); each answer a source with one segment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qualcode.domain.documents import RESPONDENT, Table, TableRow
from qualcode.domain.ids import checksum, segment_id, slug, unique
from qualcode.domain.model import SURVEY, ImportReport
from qualcode.domain.wording import counted
from qualcode.errors import InputError
from qualcode.ingest import read_table
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study
from qualcode.services.table_import import (
    Progress,
    already_imported,
    attribute_audit,
    attribute_key,
    case_ids_of,
    check_case_id,
    column_named,
    guess_text_columns,
    no_text_columns,
    personal_columns,
    sentence_columns,
    upsert_cases,
)
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import sources as sources_q

MAX_QUESTION_WORDING = 200  # longer wording (instructions and all) keeps the column name


@gc_paused()
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
    id_col = column_named(table, path, id_column, "--id-column")
    if question_column is not None:
        return _import_long(study, path, table, id_col, question_column, text_columns, progress)
    questions = [column_named(table, path, c, "--text-column") for c in text_columns]
    messages: list[str] = []
    if not questions:
        questions = guess_text_columns(table, {id_col})
        if not questions:
            raise no_text_columns(table, {id_col}, path)
        messages.append("free-text columns: " + ", ".join(questions))
        left = sentence_columns(table, {id_col, *questions})
        if left is not None:
            table = replace(table, notes=(*table.notes, left))
    ids = case_ids_of(table, path, id_col)
    attr_cols = [c for c in table.columns if c != id_col and c not in questions]
    named = question_names(table, questions)
    messages += personal_columns(table, attr_cols, id_col)
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
    q_col = column_named(table, path, question_column, "--question-column")
    texts = [column_named(table, path, c, "--text-column") for c in text_columns]
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
        check_case_id(case_id, path, row.row, id_col)
        if not row.values.get(q_col, "").strip() and row.values.get(text_col, "").strip():
            raise InputError(f"an answer with an empty {q_col!r}", path, row.row, where="row")
        rows_of.setdefault(case_id, []).append(row)
    others = [c for c in table.columns if c not in (id_col, q_col, text_col)]
    varying: list[str] = []
    for c in others:
        # "South" and "south " on one respondent's rows are one value typed twice: the
        # column stays a case attribute (a typo used to take it off every case)
        differs = next((r for r in rows_of.values() if len(_values(r, c, str.casefold)) > 1), None)
        if differs is not None:
            varying.append(c)
            shown = ", ".join(
                f"row {r.row} {v!r}" for r in differs[:3] if (v := r.values.get(c, "").strip())
            )
            messages.append(
                f"column {c!r} differs between one respondent's answers (first: "
                f"{differs[0].values[id_col].strip()!r}, {shown}): kept with each answer "
                "(`sources --json`), not as a case attribute"
            )
            continue
        typed = next((r for r in rows_of.values() if len(_values(r, c, str)) > 1), None)
        if typed is not None:
            spellings = " and ".join(repr(v) for v in sorted(_values(typed, c, str)))
            messages.append(
                f"column {c!r}: {spellings} on the rows of {typed[0].values[id_col].strip()!r} "
                "differ only in capitals, taken as one value (the first one given)"
            )
    attr_cols = [c for c in others if c not in varying]
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
    messages += personal_columns(cases, attr_cols, id_col)
    answers = [
        _Answer(
            row.values[id_col].strip(),
            " ".join(row.values.get(q_col, "").split()),
            " ".join(row.values.get(q_col, "").split()),
            row.values.get(text_col, ""),
            {attribute_key(c): v.strip() for c in varying if (v := row.values.get(c, "")).strip()},
        )
        for row in table.rows
    ]
    asked = len({a.question for a in answers if a.question})
    twice = [
        (case_id, question)
        for case_id, rows in rows_of.items()
        for question, n in Counter(
            " ".join(r.values.get(q_col, "").split())
            for r in rows
            if r.values.get(text_col, "").strip()  # an empty answer is no source
        ).items()
        if n > 1 and question
    ]
    if twice:  # both are kept: say so, a form that asks one question twice looks like this
        case_id, question = twice[0]
        messages.append(
            f"{counted(len({c for c, _ in twice}), 'respondent')} answered a question more "
            f"than once (first: {case_id!r} to {question!r}); each answer is kept, the "
            "second as its own source"
        )
    messages.append(
        f"{counted(len(table.rows), 'row')} read as the answers of "
        f"{counted(len(rows_of), 'respondent')} to {counted(asked, 'question')} ({q_col})"
    )
    ids = list(rows_of)
    return _write_survey(study, path, cases, ids, attr_cols, answers, messages, progress, table)


def _values(rows: Sequence[TableRow], column: str, same: Callable[[str], str]) -> set[str]:
    """The distinct non-empty values of ``column`` on ``rows``, compared by ``same``."""
    return {same(v) for r in rows if (v := r.values.get(column, "").strip())}


def _capitals_only(ids: Sequence[str]) -> list[str]:
    """A line when ids differ only in capitals ("R12" and "r12"): kept as two
    respondents, though `import cases` would take them for one."""
    by_fold: dict[str, list[str]] = {}
    for case_id in dict.fromkeys(ids):
        by_fold.setdefault(case_id.casefold(), []).append(case_id)
    clashes = [names for names in by_fold.values() if len(names) > 1]
    if not clashes:
        return []
    a, b = clashes[0][:2]
    return [
        f"{counted(len(clashes), 'id')} {'has a twin' if len(clashes) == 1 else 'have twins'} "
        f"differing only in capitals (first: {a!r} and {b!r}): kept as different "
        "respondents; check the file if they are one"
    ]


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
    messages = [*messages, *_capitals_only(ids)]
    digest = checksum(path.read_bytes())
    with study.write() as s:
        if already_imported(s, SURVEY, path, digest):
            return ImportReport(sources_unchanged=1, messages=(f"{path.name} already imported",))
        imp = m.ImportRow(name=path.name, kind=SURVEY, checksum=digest, coder=study.coder)
        s.add(imp)
        s.flush()
        changed: list[tuple[str, str, str | None, str]] = []
        new_cases: list[str] = []
        report = upsert_cases(s, table, ids, attr_cols, progress, changed, new_cases)
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
        warnings = _replaced_values(path, table, ids, changed)
        before, after = attribute_audit(report, changed)
        after["answers"] = len(sources)
        after["cases"] = new_cases  # for the undo (services/inverse_imports.py)
        after["checksum"] = digest
        audit.record(s, study.coder, "import", "survey", path.name, before, after)
    return ImportReport(
        cases_added=report.cases_added,
        cases_updated=report.cases_updated,
        sources_added=len(sources),
        segments_added=len(segments),
        messages=tuple(messages),
        warnings=(read or table).notes + report.warnings + warnings,
    )


def _replaced_values(
    path: Path,
    table: Table,
    ids: Sequence[str],
    changed: Sequence[tuple[str, str, str | None, str]],
) -> tuple[str, ...]:
    """A warning when the file's rows replaced values the study's cases had: another
    form's respondents under the same ids (Microsoft Forms numbers its rows 1, 2, 3 in
    every form), whose answers would join the first form's people."""
    replaced = [(cid, name, old, new) for cid, name, old, new in changed if old is not None]
    if not replaced:
        return ()
    row_of = {cid: row.row for cid, row in zip(ids, table.rows, strict=True)}
    cid, name, old, new = replaced[0]
    cases = len({c for c, *_ in replaced})
    counter = (
        " The ids are the rows' numbers (1, 2, 3...), as a form numbers them: another "
        "form's respondents have the same ones."
        if [str(n) for n in range(1, len(ids) + 1)] == list(ids)
        else ""
    )
    were = "was" if len(replaced) == 1 else "were"
    return (
        f"{path.name}: {counted(len(replaced), 'value')} of {counted(cases, 'case')} the "
        f"study had {were} replaced (first: row {row_of.get(cid, '?')}, case {cid!r}, "
        f"{name} {old!r} -> {new!r}), and the answers added to those cases.{counter} If these are "
        "other people, `qualcode undo` takes the import back; give the file's ids apart "
        "(a prefix in the id column) and import it again",
    )


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
