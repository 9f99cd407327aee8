"""Inverses of the audit-trail entries about frameworks (see services/inverses.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.frameworks import DEFAULT_FRAMEWORK
from qualcode.errors import ConflictError, OutOfScopeError
from qualcode.services.theme_scope import check_applies
from qualcode.store import audit, states
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import themes as themes_q


def _state(row: m.FrameworkRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "title": row.title,
        "kind": row.kind,
        "questions": list(row.questions or ()),
    }


def unframe(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of adding a framework: it goes, and its themes to the default one."""
    row = frameworks_q.framework_row(s, str(change.entity_id))
    if row is None:
        return
    before = {**_state(row), "position": row.position}  # so that undo puts it back there
    frameworks_q.rename_in_themes(s, row.name, None)
    s.delete(row)
    s.flush()
    audit.record(s, who, "delete", "framework", before["name"], before=before)


def reframe(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of deleting a framework: it comes back in its place (its themes by their
    own entries)."""
    before = states.read(change.before)
    if frameworks_q.framework_row(s, before["name"]) is not None:
        return
    position = before.get("position")
    if not isinstance(position, int) or position in {
        r.position for r in frameworks_q.framework_rows(s)
    }:
        position = frameworks_q.next_position(s)
    row = m.FrameworkRow(
        name=before["name"],
        title=before.get("title"),
        kind=before.get("kind"),
        questions=list(before.get("questions") or ()),
        position=position,
    )
    s.add(row)
    s.flush()
    audit.record(s, who, "add", "framework", row.name, after=_state(row))


def reframe_fields(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of editing a framework's title or what it applies to."""
    before, after = states.read(change.before), states.read(change.after)
    row = frameworks_q.framework_row(s, str(change.entity_id))
    if row is None:
        raise ConflictError(f"framework {change.entity_id!r} was deleted since; undo refused")
    now = _state(row)
    if now == before:
        return
    if now != after:
        raise ConflictError(f"framework {row.name!r} was changed since; undo refused")
    row.title, row.kind = before.get("title"), before.get("kind")
    row.questions = list(before.get("questions") or ())
    audit.record(s, who, "update", "framework", row.name, now, _state(row))


def unrename(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of renaming a framework: the old name comes back with its themes."""
    old, new = states.read(change.before)["name"], states.read(change.after)["name"]
    row = frameworks_q.framework_row(s, new)
    if row is None or frameworks_q.framework_row(s, old) is not None:
        raise ConflictError(f"framework {new!r} was changed since; undo refused")
    back = m.FrameworkRow(
        name=old, title=row.title, kind=row.kind, questions=list(row.questions or ()),
        position=row.position,
    )  # fmt: skip
    s.add(back)
    s.flush()
    frameworks_q.rename_in_themes(s, new, old)
    s.delete(row)
    s.flush()
    audit.record(s, who, "rename", "framework", new, {"name": new}, {"name": old})


def unassign(s: Session, who: str, change: m.ChangeRow) -> None:
    """Inverse of moving a top-level theme (and its sub-themes) to another framework."""
    before = states.read(change.before).get("framework")
    after = states.read(change.after).get("framework")
    tid = str(change.entity_id)
    tree = themes_q.framework_tree(s)
    if tid not in tree.themes:
        return
    stored = None if before in (None, DEFAULT_FRAMEWORK) else before
    if stored is not None and frameworks_q.framework_row(s, stored) is None:
        raise ConflictError(f"framework {stored!r} is gone; undo refused")
    now = frameworks_q.study_frameworks(s, tree).of_theme.get(tid)
    if now == (before or DEFAULT_FRAMEWORK):
        return  # already back
    if now != (after or DEFAULT_FRAMEWORK):
        raise ConflictError(f"theme {tid!r} was moved to framework {now!r} since; undo refused")
    ids = tree.with_descendants(tid)
    frameworks_q.set_theme_framework(s, ids, stored)
    owned = frameworks_q.study_frameworks(s, tree)
    coded: dict[str, set[str]] = {}
    for c in codings_q.codings_of_themes(s, ids):
        coded.setdefault(c.theme_id, set()).add(c.source_id)
    try:  # codings made since, while the theme was in the other framework, must fit
        for theme, sources in sorted(coded.items()):
            check_applies(s, theme, sources, owned)
    except OutOfScopeError as exc:
        raise ConflictError(f"{exc} (coded there since); undo refused") from None
    audit.record(s, who, "assign", "theme", tid, {"framework": after}, {"framework": before})


FRAMEWORK_INVERSES = {
    ("framework", "add"): unframe,
    ("framework", "delete"): reframe,
    ("framework", "update"): reframe_fields,
    ("framework", "rename"): unrename,
    ("theme", "assign"): unassign,
}
