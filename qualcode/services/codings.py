"""Coding passages: add, remove, list, and bulk CSV import/export."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.csv_safety import restore
from qualcode.domain.framework import natural_key
from qualcode.domain.ids import snake_key
from qualcode.domain.model import Coding, ImportReport
from qualcode.domain.wording import did_you_mean
from qualcode.errors import InputError, NotFoundError, OutOfScopeError
from qualcode.exchange import formats
from qualcode.ingest import read_table
from qualcode.services.agreement import check_known
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study
from qualcode.services.theme_errors import no_theme_in_study
from qualcode.services.theme_scope import check_applies, refusal
from qualcode.store import audit, convert, states
from qualcode.store import models as m
from qualcode.store.queries import changes as changes_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import speakers as speakers_q
from qualcode.store.queries import themes as themes_q

ORIGINS = ("manual", "import", "suggestion", "search")


plain_coding = states.coding  # a coding as the audit trail records it


_plain = plain_coding


def check_target(s: Session, source_id: str, start: int, end: int, theme: str) -> None:
    """Refuse a span outside its source, a theme that does not exist, or one whose
    framework does not code this source."""
    _check_span(s, source_id, start, end)
    if s.get(m.ThemeRow, theme) is None:
        raise no_theme_in_study(s, theme)
    check_applies(s, theme, [source_id])


def _check_span(s: Session, source_id: str, start: int, end: int) -> None:
    chars = sources_q.source_chars(s, source_id)
    if chars is None:
        raise NotFoundError(f"no source {source_id!r}")
    if not 0 <= start < end <= chars:
        raise InputError(f"span {start}-{end} is outside source {source_id!r} (0-{chars})")


def insert_coding(
    s: Session,
    who: str,
    source: str,
    start: int,
    end: int,
    theme: str,
    coder: str,
    origin: str = "manual",
    suggestion_id: int | None = None,
    quote: bool = False,
    action: str = "add",
    coding_id: int | None = None,
    created: datetime | None = None,
) -> tuple[Coding, bool]:
    """Add a coding inside an open write session; returns (coding, created). Coding the
    same span with the same theme by the same coder again returns the existing one.
    ``coding_id`` and ``created`` (undo bringing a coding back, as it was) are kept:
    the id when no other coding has it."""
    row = codings_q.coding_at(s, source, start, end, theme, coder)
    if row is not None:
        return convert.coding(row), False
    if coding_id is not None and s.get(m.CodingRow, coding_id) is not None:
        coding_id = None
    row = m.CodingRow(
        id=coding_id,
        source_id=source,
        start=start,
        end=end,
        theme_id=theme,
        coder=coder,
        origin=origin,
        suggestion_id=suggestion_id,
        quote=quote,
    )
    if created is not None:
        row.created_at = created
    s.add(row)
    s.flush()
    coding = convert.coding(row)
    audit.record(s, who, action, "coding", row.id, after=_plain(coding))
    return coding, True


def add_coding(
    study: Study,
    source: str,
    start: int,
    end: int,
    theme: str,
    coder: str | None = None,
    origin: str = "manual",
    suggestion_id: int | None = None,
) -> Coding:
    """Code ``source[start:end]`` with ``theme``; coding the same span again is a no-op."""
    coder = coder or study.coder
    with study.write() as s:
        check_target(s, source, start, end, theme)
        # The log names the coder whose coding this is, as for imported codings.
        coding, _ = insert_coding(s, coder, source, start, end, theme, coder, origin, suggestion_id)
        return coding


def code_segment(study: Study, segment_id: str, theme: str, **kwargs: Any) -> Coding:
    """Code a whole segment."""
    with study.read() as s:
        seg = s.get(m.SegmentRow, segment_id)
        if seg is None:
            raise NotFoundError(f"no segment {segment_id!r}")
        source, start, end = seg.source_id, seg.start, seg.end
    return add_coding(study, source, start, end, theme, **kwargs)


def _no_coding(s: Session, coding_id: int) -> NotFoundError:
    """A coding that is gone, saying who removed it when the log knows (a colleague,
    since the screen showing it was loaded)."""
    last = changes_q.latest_change(s, "coding", str(coding_id))
    if last is None or last.action != "delete" and not last.undoes:
        return NotFoundError(f"no coding {coding_id}")
    when = convert.when(last.at)
    return NotFoundError(
        f"that coding is no longer in the study: {last.coder} removed it at {when} "
        f"(coding {coding_id})"
    )


def remove_coding(study: Study, coding_id: int) -> Coding:
    """Delete a coding; returns it so that the caller can undo."""
    with study.write() as s:
        row = s.get(m.CodingRow, coding_id)
        if row is None:
            raise _no_coding(s, coding_id)
        gone = convert.coding(row)
        s.delete(row)
        audit.record(s, study.coder, "delete", "coding", coding_id, before=_plain(gone))
    return gone


def restore_coding(study: Study, coding: Coding) -> Coding:
    """Re-create a removed coding (undo of :func:`remove_coding`)."""
    return add_coding(
        study, coding.source, coding.start, coding.end, coding.theme, coding.coder, coding.origin
    )


def change_theme(study: Study, coding_id: int, theme: str) -> tuple[Coding, Coding]:
    with study.write() as s:
        row = s.get(m.CodingRow, coding_id)
        if row is None:
            raise _no_coding(s, coding_id)
        if s.get(m.ThemeRow, theme) is None:
            raise no_theme_in_study(s, theme)
        check_applies(s, theme, [row.source_id])
        before = convert.coding(row)
        row.theme_id = theme
        s.flush()
        after = convert.coding(row)
        audit.record(s, study.coder, "update", "coding", coding_id, _plain(before), _plain(after))
    return before, after


@gc_paused()  # 27,000 codings as ORM rows: 0.9 s -> 0.4-0.6 s
def list_codings(
    study: Study,
    source: str | None = None,
    theme: str | None = None,
    coder: str | None = None,
    case: str | None = None,
) -> list[Coding]:
    with study.read() as s:
        rows = codings_q.coding_rows(s, source=source, theme=theme, coder=coder, case=case)
        out = [convert.coding(r) for r in rows]
    return sorted(out, key=lambda c: (natural_key(c.source), c.start, c.end, c.theme))


def coders(study: Study) -> list[str]:
    with study.read() as s:
        return codings_q.coders_of_codings(s)


# --- bulk CSV ---------------------------------------------------------------------

SEGMENT_LAYOUT = ("segment", "theme")
SOURCE_LAYOUT = ("source", "start", "end", "theme")


def _int(value: str, name: str, path: Path, row: int) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise InputError(
            f"{name} {value!r} is not a whole number", path, row, where="row"
        ) from None


@gc_paused()
def import_codings(study: Study, path: Path) -> ImportReport:
    """Import codings from CSV in either layout of the interface (one transaction)."""
    table = read_table(path)
    cols = {c.strip().lower(): c for c in table.columns}
    if all(k in cols for k in SOURCE_LAYOUT):
        layout = "source"
    elif all(k in cols for k in SEGMENT_LAYOUT):
        layout = "segment"
    else:
        raise InputError(
            "a codings CSV needs the columns segment,theme or source,start,end,theme "
            f"(found: {', '.join(table.columns)})",
            path,
            1,
            where="row",
        )
    unread = _unread_columns(table.columns, path)
    added = unchanged = 0
    with study.write() as s:
        themes = {tid: row.label for tid, row in themes_q.themes_by_id(s).items()}
        owners = frameworks_q.study_frameworks(s)
        sources = {r.id: r for r in sources_q.source_rows(s)}
        by_name: dict[str, list[str]] = {}
        for src in sources.values():
            by_name.setdefault(src.name, []).append(src.id)
        # a sheet with both layouts' columns (qualcode's own export names each row's
        # segment too) codes the span; the segment it names must hold it
        segments = (
            {r.id: (r.source_id, r.start, r.end) for r in sources_q.segment_rows(s)}
            if layout == "segment" or "segment" in cols
            else {}
        )
        existing = {
            (r.source_id, r.start, r.end, r.theme_id, r.coder) for r in codings_q.coding_rows(s)
        }
        new: list[dict[str, Any]] = []
        now = m.utcnow()
        by_label: dict[str, list[str]] = {}  # what rows said -> the theme ids it named
        for row in table.rows:
            values = row.values

            def get(key: str, values: Mapping[str, str] = values) -> str:
                return restore(values.get(cols.get(key, ""), "").strip())

            theme = get("theme")
            coder = get("coder") or study.coder
            if layout == "segment":
                seg = segments.get(get("segment"))
                if seg is None:
                    raise InputError(
                        f"unknown segment {get('segment')!r}", path, row.row, where="row"
                    )
                source_id, seg_start, seg_end = seg
                rel_start = _int(get("start"), "start", path, row.row) if get("start") else 0
                rel_end = (
                    _int(get("end"), "end", path, row.row) if get("end") else seg_end - seg_start
                )
                start, end = seg_start + rel_start, seg_start + rel_end
                if end <= start:
                    raise InputError(
                        f"start/end {rel_start}-{rel_end}: the end must come after the start",
                        path,
                        row.row,
                        where="row",
                    )
                if not (seg_start <= start < end <= seg_end):
                    raise InputError(
                        f"start/end {rel_start}-{rel_end} are outside segment {get('segment')!r} "
                        f"(0-{seg_end - seg_start})",
                        path,
                        row.row,
                        where="row",
                    )
            else:
                name = get("source")
                if name in sources:
                    source_id = name
                elif len(by_name.get(name, [])) == 1:
                    source_id = by_name[name][0]
                elif name in by_name:
                    raise InputError(
                        f"source {name!r} names several sources; use a source id",
                        path,
                        row.row,
                        where="row",
                    )
                else:
                    raise InputError(f"unknown source {name!r}", path, row.row, where="row")
                start = _int(get("start"), "start", path, row.row)
                end = _int(get("end"), "end", path, row.row)
                chars = sources[source_id].chars
                if start >= 0 and end <= chars and end <= start:
                    raise InputError(
                        f"start/end {start}-{end}: the end must come after the start",
                        path,
                        row.row,
                        where="row",
                    )
                if not 0 <= start < end <= chars:
                    raise InputError(
                        f"start/end {start}-{end} are outside source {source_id!r} (0-{chars})",
                        path,
                        row.row,
                        where="row",
                    )
                in_segment = get("segment")
                held = segments.get(in_segment) if in_segment else None
                if in_segment and (
                    held is None or held[0] != source_id or not (held[1] < end and start < held[2])
                ):
                    raise InputError(
                        f"segment {in_segment!r} does not hold {source_id} {start}-{end}, which "
                        "this row codes: the row names two places (keep segment, or "
                        "source,start,end)",
                        path,
                        row.row,
                        where="row",
                    )
            source = sources[source_id]
            if theme not in themes:
                # a label, as other tools' spreadsheets name codes: of the themes that
                # apply to this source ("Supervision" is 2.3 in interviews, S1 in surveys)
                said = theme
                fits = {
                    t: label
                    for t, label in themes.items()
                    if refusal(owners, t, source_id, source.kind, source.question) is None
                }
                theme = _theme_by_label(said, fits, themes, path, row.row)
                if theme not in by_label.setdefault(said, []):
                    by_label[said].append(theme)
            why = refusal(owners, theme, source_id, source.kind, source.question)
            if why is not None:
                raise OutOfScopeError(why, path, row.row, where="row")
            key = (source_id, start, end, theme, coder)
            if key in existing:
                unchanged += 1
                continue
            existing.add(key)
            new.append(
                codings_q.coding_values(
                    source_id, start, end, theme, coder, "import", created_at=now
                )
            )
        ids = codings_q.add_codings(s, new)
        added = len(new)
        # each coding's own entry is what `qualcode undo` (and ctrl+z) takes back
        for coding_id, values in zip(ids, new, strict=True):
            made = convert.coding_of_values(coding_id, values)
            audit.record(s, study.coder, "add", "coding", coding_id, after=states.coding(made))
        audit.record(
            s,
            study.coder,
            "import",
            "codings",
            path.name,
            after={"added": added, "unchanged": unchanged, "codings": ids, "each": True},
        )
    # "'Supervision' = 2.3 / S1": each source's framework decided which
    named = [f"{said!r} = {' / '.join(ids)}" for said, ids in by_label.items()]
    messages: tuple[str, ...] = (
        ("themes named by their label: " + ", ".join(named),) if named else ()
    )
    said = f"{path.name}: not read (qualcode takes no such column): {', '.join(unread)}"
    return ImportReport(
        codings_added=added,
        codings_unchanged=unchanged,
        messages=messages,
        warnings=(said,) if unread else (),
    )


READ_COLUMNS = {"source", "start", "end", "theme", "segment", "coder"}
# what `qualcode codings export` writes beside them, for people to read
EXPORTED_COLUMNS = {"case", "created", "text", "time"}
# headers other tools and typists give the coder: with no `coder` column, every coding
# would be the importing user's, and agreement between coders quietly wrong
_CODER_LIKE = re.compile(r"(?:coders?|coded_?by|raters?|annotators?|users?|analysts?)(?:_\w+)?")


def _unread_columns(columns: Sequence[str], path: Path) -> list[str]:
    """The columns an import leaves unread, beyond those of our own export; a column
    that names the coder under another header is refused."""
    keys = {c: c.strip().lower() for c in columns}
    unread = [c for c, k in keys.items() if k not in READ_COLUMNS | EXPORTED_COLUMNS]
    if "coder" not in keys.values():
        like = [c for c in unread if _CODER_LIKE.fullmatch(snake_key(c))]
        if like:
            raise InputError(
                f"the column {like[0]!r} is not read: name it 'coder' to credit each coding "
                "to its coder (without it every coding is yours)",
                path,
                1,
                where="row",
            )
    return unread


def _theme_by_label(
    said: str, themes: Mapping[str, str], every: Mapping[str, str], path: Path, row: int
) -> str:
    """The theme of ``themes`` a spreadsheet from another tool names by its label
    ("Supervision") or by id and label ("2.3 Supervision"); refused when no theme, or
    several, read so (``every``: all the study's themes, for the suggestion)."""
    key = " ".join(said.split()).casefold()
    matches = [tid for tid, label in themes.items() if " ".join(label.split()).casefold() == key]
    first, _, rest = said.partition(" ")
    if not matches and first in themes:
        label = " ".join(themes[first].split()).casefold()
        matches = [first] if " ".join(rest.split()).casefold() == label else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(
            f"theme {said!r} is the label of several themes ({', '.join(sorted(matches))}): "
            "give the theme's id",
            path,
            row,
            where="row",
        )
    raise InputError(f"unknown theme {said!r}{did_you_mean(said, every)}", path, row, where="row")


EXPORT_COLUMNS = (
    "source", "start", "end", "theme", "coder", "case", "segment", "created", "text",
    "time",  # when the coded turn starts in the recording, as the transcript writes it
)  # fmt: skip


def export_codings(
    study: Study, path: Path, coder: str | None = None, anonymised: bool = False
) -> int:
    """Write every coding as ``source,start,end,theme,coder,...`` (re-importable).

    ``anonymised``: identifiers and texts pass through the study's anonymiser and the
    offsets point into the anonymised texts (as in an anonymised .qdpx).
    """
    codings = list_codings(study, coder=coder)
    with study.read() as s:
        if coder is not None and not codings:  # a mistyped name wrote an empty file
            check_known(s, [coder])
        sources = {r.id: (r.case_id, r.text) for r in sources_q.source_rows(s)}
        segs = sources_q.segment_spans(s)
        times = speakers_q.segment_times(s)
    rows: list[list[Any]] = []
    for c in codings:
        case_id, text = sources[c.source]
        seg = next((sid for a, b, sid in segs.get(c.source, ()) if a < c.end and c.start < b), "")
        rows.append(
            [c.source, c.start, c.end, c.theme, c.coder, case_id, seg, c.created.isoformat(),
             text[c.start : c.end]]
        )  # fmt: skip
    turn_times = [times.get(row[6], "") for row in rows]  # by segment: ids get anonymised
    if anonymised:
        from qualcode.services.anonymised_rows import anonymise_coding_rows

        rows = anonymise_coding_rows(study, rows, {k: v[1] for k, v in sources.items()})
    rows = [[*row, time] for row, time in zip(rows, turn_times, strict=True)]
    formats.sole(formats.CODINGS).load_writer()(EXPORT_COLUMNS, rows, path)
    return len(codings)


def segment_themes(study: Study, coder: str | None = None) -> dict[str, set[str]]:
    """For each segment, the themes of codings that overlap it."""
    with study.read() as s:
        segs = sources_q.segment_spans(s)
        out: dict[str, set[str]] = {}
        for c in codings_q.coding_rows(s, coder=coder):
            for a, b, sid in segs.get(c.source_id, ()):
                if a < c.end and c.start < b:
                    out.setdefault(sid, set()).add(c.theme_id)
    return out


__all__: Sequence[str] = [
    "add_coding",
    "change_theme",
    "code_segment",
    "coders",
    "export_codings",
    "import_codings",
    "list_codings",
    "remove_coding",
    "restore_coding",
    "segment_themes",
]
