"""Importing a table of case attributes: create or update cases, undoable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from qualcode.domain.documents import Table
from qualcode.domain.ids import snake_key
from qualcode.domain.model import ImportReport
from qualcode.errors import InputError
from qualcode.ingest import read_table
from qualcode.services.gc_pause import gc_paused
from qualcode.services.inverse_cases import record_import
from qualcode.services.study import Study
from qualcode.services.table_import import (
    attribute_audit,
    attribute_key,
    case_ids_of,
    column_named,
    personal_columns,
    upsert_cases,
)
from qualcode.store import audit
from qualcode.store.queries import cases as cases_q
from qualcode.store.queries import sources as sources_q


@gc_paused()
def import_cases(study: Study, path: Path, id_column: str) -> ImportReport:
    """Create or update cases from a table of attributes (empty cells are left unset)."""
    table = read_table(path, needed=id_column)
    id_col = column_named(table, path, id_column, "--id-column")
    ids = case_ids_of(table, path, id_col)
    attr_cols = [c for c in table.columns if c != id_col]
    changed: list[tuple[str, str, str | None, str]] = []
    with study.write() as s:
        existing = set(cases_q.case_ids(s))
        with_sources = set(sources_q.source_cases(s).values())
        ids, same = _same_but_case(table, path, ids, existing)
        report = upsert_cases(s, table, ids, attr_cols, None, changed)
        before, after = attribute_audit(report, changed)
        audit.record(s, study.coder, "import", "cases", path.name, before, after)
        added = {
            cid: {
                attribute_key(c): v.strip()
                for c in attr_cols
                if (v := row.values.get(c, "")).strip()
            }
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
    messages = tuple(personal_columns(table, attr_cols, id_col))
    missing = sorted(with_sources - set(ids))
    if missing and with_sources & set(ids):
        # they read "(not recorded)" in every comparison by these attributes
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        messages += (
            f"{path.name} gives no row for {len(missing)} of the study's "
            f"{len(with_sources)} cases with sources: {shown}",
        )
    return replace(report, warnings=report.warnings + warnings, messages=messages)


def _same_but_case(
    table: Table, path: Path, ids: list[str], existing: set[str]
) -> tuple[list[str], tuple[str, ...]]:
    """Ids that differ from one of the study's cases only in capitals ("INT02" for
    "int02") taken as that case, and a warning saying so. Two rows that come to name
    the same case so ("INT02" and "int02") are refused: one would overwrite the other."""
    by_fold: dict[str, list[str]] = {}
    for cid in existing:
        by_fold.setdefault(cid.casefold(), []).append(cid)
    out, taken = [], []
    first: dict[str, tuple[int, str]] = {}
    for row, cid in zip(table.rows, ids, strict=True):
        match = by_fold.get(cid.casefold(), [])
        given = cid
        if cid not in existing and len(match) == 1:
            taken.append(f"row {row.row} {cid!r} as {match[0]!r}")
            cid = match[0]
        if cid in first:
            at, was = first[cid]
            raise InputError(
                f"{given!r} and row {at}'s {was!r} both name the study's case {cid!r}, "
                "whose capitals differ: keep one row for it",
                path,
                row.row,
                where="row",
            )
        first[cid] = (row.row, given)
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

    if wanted.isdigit():  # "007" for "7": a spreadsheet dropped or added the zeros
        same = [c for c in cases if c.isdigit() and int(c) == int(wanted)]
        if len(same) == 1:
            return same[0]
    words = set(snake_key(wanted).split("_")) - {""}
    holding = [c for c in cases if words and words <= set(snake_key(c).split("_"))]
    if len(holding) == 1:
        return holding[0]
    by_key = {snake_key(c): c for c in cases}
    close = difflib.get_close_matches(snake_key(wanted), list(by_key), n=1, cutoff=0.7)
    return by_key[close[0]] if close else None
