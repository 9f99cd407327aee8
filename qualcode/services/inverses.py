"""The inverse of each kind of audit-trail entry, applied inside one write session.

Every entry records its entity's state before and after (``None`` when it did not
exist). An inverse puts the entity back to ``before`` - but only while it is still as
``after`` left it: what someone changed since is refused with a ConflictError naming
it, never overwritten. An entity that is already back as it was is left alone, so
undoing twice or after a colleague's own undo does no harm. Each inverse is itself
audited with its own before and after, which is what lets redo invert the undo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from qualcode.errors import ConflictError
from qualcode.services.codings import insert_coding
from qualcode.services.dimension_inverses import INVERSES as DIMENSION_INVERSES
from qualcode.services.inverse_cases import CASE_INVERSES
from qualcode.services.inverse_decisions import (
    redecide,
    rename,
    resuggest,
    resummarise,
    resynthesise,
    unmemo,
    unresolve,
    unsuggest,
)
from qualcode.services.inverse_frameworks import FRAMEWORK_INVERSES
from qualcode.services.inverse_imports import IMPORT_INVERSES
from qualcode.services.inverse_sources import SOURCE_INVERSES
from qualcode.services.speakers import unset_role
from qualcode.services.typology import rebuild, unbuild, unname, unset_attribute
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import suggestions as suggestions_q
from qualcode.store.queries import themes as themes_q

Inverse = Callable[[Session, str, m.ChangeRow], None]
Data = dict[str, Any]


# --- codings ----------------------------------------------------------------------------


def _find_coding(s: Session, state: Data) -> m.CodingRow | None:
    """The coding ``state`` describes: by id while it still matches, else by its span,
    theme and coder (a coding re-created by an undo may have another id)."""
    row = s.get(m.CodingRow, state.get("id")) if state.get("id") is not None else None
    key = ("source", "start", "end", "theme", "coder")
    if row is not None and all(getattr(row, _col(k)) == state.get(k) for k in key):
        return row
    return codings_q.coding_at(
        s, state.get("source"), state.get("start"), state.get("end"), state.get("theme"),
        state.get("coder"),
    )  # fmt: skip


def _col(key: str) -> str:
    return {"source": "source_id", "theme": "theme_id"}.get(key, key)


def uncode(s: Session, who: str, change: m.ChangeRow) -> None:
    after = states.read(change.after)
    row = _find_coding(s, after)
    if row is None:
        same_id = s.get(m.CodingRow, after.get("id")) if after.get("id") is not None else None
        if same_id is not None and (same_id.source_id, same_id.start, same_id.end) == (
            after.get("source"),
            after.get("start"),
            after.get("end"),
        ):
            raise ConflictError(
                f"coding {same_id.id} was changed since (now {same_id.theme_id}); undo refused"
            )
        return  # already gone
    before = states.coding_row(row)
    s.delete(row)
    if not s.info.get("uncode_lazily"):
        # Until flushed, Session.get still finds it, and a later change of the same
        # coding in this batch would; queries flush it first of themselves.
        s.flush()
    audit.record(s, who, "delete", "coding", row.id, before=before)


def recode(s: Session, who: str, change: m.ChangeRow) -> None:
    c = states.read(change.before)
    if s.get(m.ThemeRow, c["theme"]) is None:
        raise ConflictError(f"theme {c['theme']!r} no longer exists; cannot bring its coding back")
    if s.get(m.SourceRow, c["source"]) is None:
        raise ConflictError(f"source {c['source']!r} was removed; cannot bring its coding back")
    insert_coding(
        s,
        who,
        c["source"],
        c["start"],
        c["end"],
        c["theme"],
        c["coder"],
        c.get("origin", "manual"),
        # its suggestion, unless that was replaced since (a refresh keeps decided ones)
        suggestion_id=_still_there(s, c.get("suggestion")),
        quote=bool(c.get("quote")),
        coding_id=c.get("id"),
        # when it was made, not when the undo brought it back (walk47c)
        created=datetime.fromisoformat(c["created"]) if c.get("created") else None,
    )


def _still_there(s: Session, suggestion: int | None) -> int | None:
    """A suggestion's id, if it is still stored."""
    if suggestion is None or s.get(m.SuggestionRow, suggestion) is None:
        return None
    return suggestion


def recode_update(s: Session, who: str, change: m.ChangeRow) -> None:
    before, after = states.read(change.before), states.read(change.after)
    fields = [k for k in ("theme", "quote") if k in before and k in after]
    row = s.get(m.CodingRow, int(change.entity_id or 0))
    if row is None and {"source", "start", "end", "coder"} <= after.keys():
        row = _find_coding(s, after)
    if row is None:
        raise ConflictError(f"coding {change.entity_id} was removed since; cannot undo its change")
    if all(getattr(row, _col(k)) == before[k] for k in fields):
        return  # already as it was
    if any(getattr(row, _col(k)) != after[k] for k in fields):
        raise ConflictError(f"coding {row.id} was changed by someone else since; undo refused")
    old = states.coding_row(row)
    for k in fields:
        setattr(row, _col(k), before[k])
    audit.record(s, who, "update", "coding", row.id, old, states.coding_row(row))


# --- themes -----------------------------------------------------------------------------

THEME_FIELDS = ("label", "parent", "definition", "inclusion", "exclusion", "keywords", "position")


def _theme_value(row: m.ThemeRow, key: str) -> Any:
    return states.theme(row)[key]


def untheme(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of adding a theme: remove it, unless work has been hung on it since."""
    row = s.get(m.ThemeRow, change.entity_id)
    if row is None:
        return
    tid = row.id
    after = states.read(change.after)
    if any(_theme_value(row, k) != after[k] for k in ("label", "parent") if k in after):
        raise ConflictError(f"theme {tid!r} was changed by someone else since; undo refused")
    for what, n in themes_q.work_on_theme(s, tid):
        if n:
            raise ConflictError(f"theme {tid!r} has {n} {what} made since; undo refused")
    before = states.theme(row)
    s.delete(row)
    s.flush()
    audit.record(s, who, "delete", "theme", tid, before=before)


def retheme(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of deleting (or merging away) a theme: it comes back as it was."""
    t = states.read(change.before)
    row = s.get(m.ThemeRow, t["id"])
    if row is not None:
        if all(_theme_value(row, k) == t.get(k) for k in ("label", "parent")):
            return
        raise ConflictError(f"theme id {t['id']!r} is in use again; cannot bring it back")
    if t.get("parent") is not None and s.get(m.ThemeRow, t["parent"]) is None:
        raise ConflictError(f"the parent {t['parent']!r} of theme {t['id']!r} is gone")
    row = m.ThemeRow(
        id=t["id"],
        label=t["label"],
        parent_id=t.get("parent"),
        definition=t.get("definition"),
        inclusion=t.get("inclusion"),
        exclusion=t.get("exclusion"),
        keywords=list(t.get("keywords") or ()),
        position=int(t.get("position") or 0),
        framework=t.get("framework"),
    )
    s.add(row)
    s.flush()
    audit.record(s, who, "add", "theme", row.id, after=states.theme(row))


def retheme_fields(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of editing or moving a theme: the fields it changed go back."""
    before, after = states.read(change.before), states.read(change.after)
    row = s.get(m.ThemeRow, change.entity_id)
    if row is None:
        raise ConflictError(f"theme {change.entity_id!r} was deleted since; undo refused")
    fields = [k for k in THEME_FIELDS if k in before and k in after and before[k] != after[k]]
    if all(_theme_value(row, k) == before[k] for k in fields):
        return
    if any(_theme_value(row, k) != after[k] for k in fields):
        raise ConflictError(f"theme {row.id!r} was changed by someone else since; undo refused")
    parent = before.get("parent") if "parent" in fields else None
    if parent is not None and s.get(m.ThemeRow, parent) is None:
        raise ConflictError(f"the former parent {parent!r} is gone")
    old = states.theme(row)
    for k in fields:
        value = before[k]
        if k == "keywords":
            value = list(value or ())
        setattr(row, "parent_id" if k == "parent" else k, value)
    s.flush()
    action = "move" if "parent" in fields else "update"
    new = states.theme(row)
    audit.record(s, who, action, "theme", row.id, {k: old[k] for k in fields},
                 {k: new[k] for k in fields})  # fmt: skip


def unmove_suggestions(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of a merge re-pointing pending suggestions at the target theme."""
    before, after = states.read(change.before), states.read(change.after)
    ids = list(before.get("ids") or ())
    if ids and s.get(m.ThemeRow, before["theme"]) is not None:
        suggestions_q.retheme_suggestions(s, ids, before["theme"], only_from=after["theme"])
    audit.record(s, who, "retheme", "suggestions", None,
                 {"theme": after["theme"], "ids": ids}, {"theme": before["theme"]})  # fmt: skip


def nothing(s: Session, who: str, change: m.ChangeRow) -> None:
    """A summary entry beside the per-row entries that carry the change itself."""


def unimport_codings(s: Session, who: str, change: m.ChangeRow) -> None:
    """A codings import's summary: its codings carry entries of their own, each undone
    as any added coding is; an import recorded before they did cannot be undone."""
    if not states.read(change.after).get("each"):
        raise ConflictError(
            "this import of codings was made by an older qualcode, which kept no entry "
            "for each coding; undo refused (`qualcode restore` brings back a backup)"
        )


# Logged changes whose inverse is nothing: a batch of only these has nothing to undo.
NOTHING_TO_TAKE_BACK = frozenset({("suggestions", "suggest")})

INVERSES: dict[tuple[str, str], Inverse] = {
    ("coding", "add"): uncode,
    ("coding", "restore"): uncode,
    ("coding", "delete"): recode,
    ("coding", "update"): recode_update,
    ("theme", "add"): untheme,
    ("theme", "restore"): untheme,
    ("theme", "unmerge"): untheme,
    ("theme", "delete"): retheme,
    ("theme", "merge"): retheme,
    ("theme", "update"): retheme_fields,
    ("theme", "move"): retheme_fields,
    ("suggestions", "retheme"): unmove_suggestions,
    ("summary", "add"): resummarise,
    ("summary", "update"): resummarise,
    ("summary", "delete"): resummarise,
    ("synthesis", "add"): resynthesise,
    ("synthesis", "update"): resynthesise,
    ("synthesis", "delete"): resynthesise,
    ("suggestion", "delete"): resuggest,
    ("suggestion", "add"): unsuggest,
    ("suggestion", "decide"): redecide,
    ("suggestion", "reopen"): redecide,
    ("anonymisation", "update"): rename,
    ("anonymisation", "review"): rename,
    ("anonymisation", "accept"): nothing,
    ("suggestions", "suggest"): nothing,  # fresh suggestions stored on the way stay
    ("disagreement", "resolve"): unresolve,
    ("memo", "add"): unmemo,
    ("memo", "update"): unmemo,
    ("memo", "delete"): unmemo,
    ("speaker", "update"): unset_role,
    **DIMENSION_INVERSES,
    **FRAMEWORK_INVERSES,
    ("typology", "build"): unbuild,
    ("typology", "withdraw"): rebuild,
    ("typology", "rebuild"): unbuild,
    ("typology", "name"): unname,
    ("attribute", "set"): unset_attribute,
    **CASE_INVERSES,
    **SOURCE_INVERSES,
    **IMPORT_INVERSES,
    ("cases", "import"): nothing,  # the cases and values carry entries of their own
    ("codings", "import"): unimport_codings,
}

__all__ = ["INVERSES", "Inverse"]
