"""What the table imports share: finding a column, the case ids, writing the cases
and their attributes, and the checks on a file imported before."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.documents import Table
from qualcode.domain.ids import snake_key
from qualcode.domain.model import ImportReport
from qualcode.domain.personal_details import is_personal
from qualcode.errors import InputError
from qualcode.store import attributes as attrs
from qualcode.store import models as m
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import sources as sources_q

Progress = Callable[[int, int], None]

# Free-text columns are told apart from attributes by their answers' length.
FREE_TEXT_MIN_MEAN_CHARS = 40


def column_named(table: Table, path: Path, wanted: str, option: str) -> str:
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


# The id a spreadsheet's summary row has below the respondents: never a case.
_SUMMARY_ROW = re.compile(
    r"(?:grand\s+)?(?:totals?|sum|average|mean|median|count|overall)\s*:?", re.IGNORECASE
)


def check_case_id(value: str, path: Path, row: int, id_column: str) -> None:
    """Refuse an empty id, and a spreadsheet's "Total" row, which would count as a case
    in every n of N."""
    if not value:
        raise InputError(f"empty {id_column!r}", path, row, where="row")
    if _SUMMARY_ROW.fullmatch(value):
        raise InputError(
            f"{id_column!r} is {value!r}: a spreadsheet's summary row, not a case; delete "
            "the row (or give it an id of its own if it is one)",
            path,
            row,
            where="row",
        )


def case_ids_of(table: Table, path: Path, id_column: str) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for row in table.rows:
        value = row.values.get(id_column, "").strip()
        check_case_id(value, path, row.row, id_column)
        if value in seen:
            raise InputError(
                f"duplicate {id_column!r} {value!r} (first at row {seen[value]}): a table "
                "of cases has one row a case; a survey of one row an answer is read with "
                "--question-column, naming the column that says each row's question",
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


def sentence_columns(table: Table, exclude: set[str]) -> str | None:
    """A warning naming the columns not taken as free text whose answers include
    sentences: "Is there anything else you would like to tell us?" answered mostly
    "No" averages under 40 characters, yet its few long answers are what a researcher
    codes. None when there are none."""
    found = []
    for col in table.columns:
        if col in exclude:
            continue
        answers = [a for r in table.rows if (a := r.values.get(col, "").strip())]
        if not answers or is_personal(col, answers):
            continue
        long = [a for a in answers if len(a) >= FREE_TEXT_MIN_MEAN_CHARS and len(a.split()) >= 6]
        if long and len(long) >= 0.1 * len(answers):
            found.append(f"{col!r} ({len(long)} of {len(answers)} answers are sentences)")
    if not found:
        return None
    return (
        f"{table.name}: kept as case attributes, though some of their answers are sentences: "
        + ", ".join(found)
        + "; to code them as answers, name every question with --text-column"
    )


def no_text_columns(table: Table, exclude: set[str], path: Path) -> InputError:
    """The refusal when no column looks like free text, naming the columns with the
    most varied answers (short answers - "Pay", "Workload" - average under 40
    characters and are not guessed)."""
    varied = []
    for col in table.columns:
        answers = [a for r in table.rows if (a := r.values.get(col, "").strip())]
        if col in exclude or not answers or all(a.replace(".", "").isdigit() for a in answers):
            continue
        varied.append((len(set(answers)), col, sum(map(len, answers)) / len(answers)))
    varied.sort(key=lambda v: (-v[0], v[1]))
    hint = ", ".join(
        f"{c} ({n} different, {mean:.0f} characters on average)" for n, c, mean in varied[:4]
    )
    return InputError(
        f"no free-text columns found (answers of {FREE_TEXT_MIN_MEAN_CHARS}+ characters on "
        "average); name them with --text-column"
        + (f"; the most varied columns: {hint}" if hint else ""),
        path,
    )


def personal_columns(
    table: Table, columns: Sequence[str], id_column: str | None = None
) -> list[str]:
    """Notes naming the columns that hold personal details (see domain.personal_details),
    and saying so of the id column, whose values name the cases in every output."""
    out = []
    personal = [c for c in columns if is_personal(c, [row.values.get(c, "") for row in table.rows])]
    if personal:
        out.append(
            f"{table.name}: columns of personal details ({', '.join(personal)}) are kept as "
            "case attributes in the study and left out of every --anonymised export"
        )
    ids = [row.values.get(id_column, "") for row in table.rows] if id_column else []
    if id_column and is_personal(id_column, ids):
        details = is_personal("", ids)  # by the values alone: addresses, numbers
        then = (
            "--anonymised exports show them as [Case 1], [Case 2]..."
            if details
            else "run `qualcode anonymise`, which proposes the names in case ids, before an "
            "--anonymised export"
        )
        out.append(
            f"{table.name}: the ids in {id_column!r} are personal details, and every output "
            f"names the cases by them; {then}"
        )
    return out


def attribute_audit(
    report: ImportReport, changed: list[tuple[str, str, str | None, str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after of the attribute values an import changed on existing cases."""
    before: dict[str, dict[str, str | None]] = {}
    after: dict[str, Any] = {"cases_added": report.cases_added, "values": {}}
    for case_id, name, old, new in changed:
        before.setdefault(case_id, {})[name] = old
        after["values"].setdefault(case_id, {})[name] = new
    return {"values": before}, after


def already_imported(s: Session, kind: str, path: Path, digest: str) -> bool:
    previous = sources_q.import_named(s, kind, path.name)
    if previous is None:
        # the same bytes under another name ("survey (1).csv", a copy): every answer twice
        twin = sources_q.import_with_checksum(s, kind, digest)
        if twin is not None:
            raise InputError(
                f"the same file was already imported as {twin.name}: importing it again "
                "would add every answer twice",
                path,
            )
        return False
    if previous.checksum == digest:
        return True
    raise InputError(
        f"a different version of {path.name} was already imported; to replace it, run "
        f"`qualcode sources remove --file {path.name}` (its answers' codings are deleted) "
        "and import it again",
        path,
    )


def attribute_key(column: str) -> str:
    """The attribute a column's values are stored under: "Authority type" ->
    "authority_type" (the column's own name when it has no letters or digits)."""
    return snake_key(column) or column


def upsert_cases(
    s: Session,
    table: Table,
    ids: Sequence[str],
    columns: Sequence[str],
    progress: Progress | None,
    changed: list[tuple[str, str, str | None, str]] | None = None,
    added: list[str] | None = None,
) -> ImportReport:
    """``changed`` collects (case, attribute, before, after) for cases that existed,
    ``added`` the ids of the cases made (what an undo of the import removes)."""
    keys = {c: attribute_key(c) for c in columns}
    first: dict[str, str] = {}
    for column, key in keys.items():
        if key in first:
            raise InputError(
                f"the columns {first[key]!r} and {column!r} would both be the attribute "
                f"{key!r} (names are compared without capitals and punctuation): rename one",
                table.name,
            )
        first[key] = column
    existing = set(cases_q.case_ids(s))
    new = [cid for cid in ids if cid not in existing]
    cases_q.add_cases(s, new)
    if added is not None:
        added.extend(new)
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
        warnings=tuple(capital_variants(table, columns)),
    )


def capital_variants(table: Table, columns: Sequence[str]) -> list[str]:
    """A line for each column holding values that differ only in capitals or spaces
    ("Children's" and "children's"): the matrix would count them as two groups."""
    out = []
    for column in columns:
        spellings: dict[str, dict[str, int]] = {}
        for row in table.rows:
            value = " ".join(row.values.get(column, "").split())
            if value:
                spellings.setdefault(value.casefold(), {}).setdefault(value, row.row)
        twins = [forms for forms in spellings.values() if len(forms) > 1]
        if twins:
            shown = "; ".join(
                " and ".join(f"{v!r} (row {n})" for v, n in forms.items()) for forms in twins[:3]
            )
            more = f"; and {len(twins) - 3} more" if len(twins) > 3 else ""
            out.append(
                f"{table.name}: column {column!r} has values that differ only in capitals, "
                f"kept apart as groups: {shown}{more} (make them the same to group them)"
            )
    return out
