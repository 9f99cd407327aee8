"""REFI-QDA codes into themes, inside an import's transaction (shared by .qdpx and .qdc).

A code already in the study (same GUID) is kept as it is. A code qualcode exported
carries the theme id at the start of its name: a theme with that id is the same
theme. Codes from other tools become themes numbered by their place in the tree
("1", "1.2", ...), unless a theme with the same label under the same parent exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from qualcode.domain.dimensions import Dimension
from qualcode.exchange.refi import conventions as cv
from qualcode.exchange.refi import model as r
from qualcode.services.dimensions import declare_in
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import themes as themes_q


@dataclass
class ThemeImport:
    by_guid: dict[str, str] = field(default_factory=dict)  # code GUID -> theme id
    added: int = 0
    new: set[str] = field(default_factory=set)  # ids of the themes added
    matched: int = 0
    notes: list[str] = field(default_factory=list)  # ids the file's themes could not keep


def import_codes(
    s: Session, codes: tuple[r.Code, ...], origin: str | None, coder: str
) -> ThemeImport:
    ours = cv.is_ours(origin)
    if not ours:
        codes = cv.nest_colon_codes(codes)
    rows = themes_q.themes_by_id(s)
    by_guid = {t.guid.lower(): t.id for t in rows.values() if t.guid}
    by_label = {(t.parent_id, t.label): t.id for t in rows.values()}
    out = ThemeImport()

    def visit(level: tuple[r.Code, ...], parent: str | None) -> None:
        for position, code in enumerate(level):
            tid = _one(code, parent, position)
            visit(code.children, tid)

    moved: dict[str, str] = {}  # the file's theme id -> the study's, where they differ

    def _one(code: r.Code, parent: str | None, position: int) -> str:
        if code.guid in by_guid:
            out.matched += 1
            tid = by_guid[code.guid]
            out.by_guid[code.guid] = tid
            label = (
                cv.split_code_name(code.name, cv.parse_description(code.description))[1]
                if ours
                else code.name
            )
            if tid in rows and label.strip() and _plain(rows[tid].label) != _plain(label):
                # renamed in the other tool since: said, or the change was lost unseen
                out.notes.append(
                    f"code {code.name!r} is theme {tid} {rows[tid].label!r} here: the "
                    "study's label was kept (r in the Framework workspace renames it)"
                )
            return tid
        if ours:
            fields = cv.parse_description(code.description)
            tid, label = cv.split_code_name(code.name, fields)
            given = tid
            head, dot, rest = tid.rpartition(".")
            if dot and head in moved:  # "1.1" under the file's 1, which is this study's 2
                tid = f"{moved[head]}.{rest}"
            if tid in rows and _plain(rows[tid].label) != _plain(label):
                # another study's "2.3 Pets" is not this study's "2.3 Supervision": its
                # codings went under Supervision, and the import said "0 new themes"
                same = by_label.get((parent, label))
                taken = tid
                tid = same or _next_id(rows, parent)
                if same is None and taken not in out.new:  # not one this import added
                    out.notes.append(
                        f"the file's theme {taken} {label!r} is not this study's {taken} "
                        f"({rows[taken].label!r}): added as {tid}"
                    )
            if tid != given:
                moved[given] = tid
        else:
            fields = cv.ThemeText(definition=(code.description or "").strip() or None)
            label = code.name
            tid = by_label.get((parent, label)) or _next_id(rows, parent)
        if tid in rows:
            out.matched += 1
            out.by_guid[code.guid] = tid
            return tid
        row = m.ThemeRow(
            id=tid,
            label=label,
            parent_id=parent if parent in rows else None,
            definition=fields.definition,
            inclusion=fields.inclusion,
            exclusion=fields.exclusion,
            keywords=list(fields.keywords),
            position=position,
            color=code.color,
            guid=code.guid,
        )
        s.add(row)
        s.flush()
        rows[tid] = row
        by_guid[code.guid] = tid
        by_label[(row.parent_id, label)] = tid
        out.by_guid[code.guid] = tid
        out.added += 1
        out.new.add(tid)
        audit.record(
            s, coder, "add", "theme", tid,
            after={"label": label, "parent": row.parent_id, "from": "REFI-QDA"},
        )  # fmt: skip
        if fields.dimensions:  # declared in qualcode's description paragraphs
            declare_in(s, coder, tid, [Dimension(n, v) for n, v in fields.dimensions])
        return tid

    visit(codes, None)
    return out


def _plain(label: str) -> str:
    return " ".join(label.split()).casefold()


def _next_id(rows: dict[str, m.ThemeRow], parent: str | None) -> str:
    n = 1 + sum(1 for t in rows.values() if t.parent_id == parent)
    while True:
        candidate = f"{parent}.{n}" if parent else str(n)
        if candidate not in rows:
            return candidate
        n += 1
