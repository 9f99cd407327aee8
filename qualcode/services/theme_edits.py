"""Theme edits: add, change, move, merge and delete themes, each audited for undo."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.framework import FrameworkTree
from qualcode.domain.frameworks import DEFAULT_FRAMEWORK
from qualcode.domain.model import Theme
from qualcode.errors import ConflictError, InputError
from qualcode.services import frameworks
from qualcode.services.codings import plain_coding
from qualcode.services.study import Study
from qualcode.services.theme_errors import no_theme_in_study
from qualcode.services.theme_scope import check_applies
from qualcode.store import audit, convert, states
from qualcode.store import models as m
from qualcode.store.queries import changes as changes_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import suggestions as suggestions_q
from qualcode.store.queries import summaries as summaries_q
from qualcode.store.queries import themes as themes_q


def theme_row(theme: Theme) -> m.ThemeRow:
    """A new stored row for the theme (importing a framework file makes them too)."""
    row = m.ThemeRow(id=theme.id)
    write_theme(row, theme)
    return row


def write_theme(row: m.ThemeRow, theme: Theme) -> None:
    """Copy the theme's fields onto its stored row."""
    row.label = theme.label
    row.parent_id = theme.parent
    row.definition = theme.definition
    row.inclusion = theme.inclusion
    row.exclusion = theme.exclusion
    row.keywords = list(theme.keywords)
    row.position = theme.position


def plain_theme(theme: Theme) -> dict[str, Any]:
    """The theme as the audit trail records it."""
    data = asdict(theme)
    data["keywords"] = list(theme.keywords)
    return data


def _get(s: Session, theme_id: str) -> m.ThemeRow:
    row = s.get(m.ThemeRow, theme_id)
    if row is None:
        raise no_theme_in_study(s, theme_id)
    return row


def _tree(s: Session) -> FrameworkTree:
    return themes_q.framework_tree(s)


def add_theme(
    study: Study,
    theme_id: str,
    label: str,
    parent: str | None = None,
    framework: str | None = None,
    **fields: Any,
) -> Theme:
    """A new theme; a top-level one goes in ``framework`` (default: the default one), a
    sub-theme in its parent's."""
    theme_id, label = theme_id.strip(), label.strip()
    if not theme_id or not label:
        raise InputError("a theme needs an id and a label")
    with study.write() as s:
        if s.get(m.ThemeRow, theme_id) is not None:
            raise ConflictError(f"theme id {theme_id!r} is already used")
        owners = frameworks_q.study_frameworks(s)
        if parent is not None:
            _get(s, parent)
            framework = owners.of_theme.get(parent)
        elif framework is not None:
            framework = frameworks.known(owners, framework).name
        position = themes_q.child_count(s, parent)
        keywords = tuple(fields.pop("keywords", ()) or ())
        theme = Theme(
            id=theme_id,
            label=label,
            parent=parent,
            position=int(position or 0),
            keywords=keywords,
            **fields,
        )
        row = theme_row(theme)
        row.framework = None if framework in (None, DEFAULT_FRAMEWORK) else framework
        s.add(row)
        audit.record(s, study.coder, "add", "theme", theme_id, after=plain_theme(theme))
    return theme


def update_theme(
    study: Study, theme_id: str, expected: Theme | None = None, **changes: Any
) -> tuple[Theme, Theme]:
    """Change label, definition, inclusion, exclusion or keywords; returns (before, after).
    ``expected``: the theme as the editor showed it; a field changed here that someone
    else changed since is refused, naming them (their other changes are kept)."""
    allowed = {"label", "definition", "inclusion", "exclusion", "keywords"}
    if set(changes) - allowed:
        raise InputError(f"cannot change {', '.join(sorted(set(changes) - allowed))}")
    if "keywords" in changes:
        changes["keywords"] = tuple(changes["keywords"] or ())
    if "label" in changes and not str(changes["label"]).strip():
        raise InputError("a theme needs a label")
    with study.write() as s:
        row = _get(s, theme_id)
        before = convert.theme(row)
        if expected is not None:
            moved = [f for f in changes if getattr(before, f) != getattr(expected, f)]
            if moved:
                last = changes_q.latest_change(s, "theme", theme_id)
                who = f"{last.coder} at {convert.when(last.at)}" if last is not None else "someone"
                raise ConflictError(
                    f"theme {theme_id}'s {' and '.join(moved)} changed since you opened it "
                    f"(last change by {who}): open the notes again to see it; nothing saved"
                )
        after = replace(before, **changes)
        write_theme(row, after)
        audit.record(
            s, study.coder, "update", "theme", theme_id, plain_theme(before), plain_theme(after)
        )
    return before, after


def move_theme(study: Study, theme_id: str, new_parent: str | None) -> Theme:
    with study.write() as s:
        row = _get(s, theme_id)
        tree = _tree(s)
        if new_parent is not None:
            _get(s, new_parent)
        if tree.would_cycle(theme_id, new_parent):
            raise ConflictError(f"cannot move {theme_id!r} under its own sub-theme {new_parent!r}")
        before = row.parent_id
        position = row.position
        if new_parent is None and before is not None:  # keeps the framework it was in
            root = s.get(m.ThemeRow, tree.ancestors(theme_id)[-1])
            row.framework = root.framework if root is not None else None
        row.parent_id = new_parent
        row.position = len(tree.children.get(new_parent, ()))
        audit.record(s, study.coder, "move", "theme", theme_id,
                     {"parent": before, "position": position},
                     {"parent": new_parent, "position": row.position})  # fmt: skip
        return convert.theme(row)


def merge_themes(study: Study, source_id: str, target_id: str) -> int:
    """Merge ``source_id`` into ``target_id``: codings and sub-themes follow; returns the
    number of codings moved (duplicates of a coding the target already has are dropped)."""
    if source_id == target_id:
        raise ConflictError("cannot merge a theme into itself")
    with study.write() as s:
        src, _ = _get(s, source_id), _get(s, target_id)
        tree = _tree(s)
        if target_id in tree.descendants(source_id):
            raise ConflictError(f"cannot merge {source_id!r} into its own sub-theme {target_id!r}")
        # the merged codings (and sub-themes') come under the target's framework
        coded = codings_q.codings_of_themes(s, tree.with_descendants(source_id))
        check_applies(s, target_id, {c.source_id for c in coded})
        moved = 0
        target_keys = {
            (c.source_id, c.start, c.end, c.coder)
            for c in codings_q.coding_rows(s, theme=target_id)
        }
        # every row the merge changes is audited on its own, so that undo can put it back
        for coding in codings_q.coding_rows(s, theme=source_id):
            key = (coding.source_id, coding.start, coding.end, coding.coder)
            old = plain_coding(convert.coding(coding))
            if key in target_keys:
                s.delete(coding)
                audit.record(s, study.coder, "delete", "coding", coding.id, before=old)
            else:
                coding.theme_id = target_id
                target_keys.add(key)
                moved += 1
                new = {**old, "theme": target_id}
                audit.record(s, study.coder, "update", "coding", coding.id, old, new)
        for child in themes_q.children_of(s, source_id):
            child.parent_id = target_id
            audit.record(s, study.coder, "move", "theme", child.id,
                         {"parent": source_id}, {"parent": target_id})  # fmt: skip
        moved_suggestions = suggestions_q.suggestion_ids_of_theme(s, source_id)
        if moved_suggestions:
            suggestions_q.retheme_suggestions(s, moved_suggestions, target_id)
            audit.record(s, study.coder, "retheme", "suggestions", None,
                         {"theme": source_id, "ids": moved_suggestions},
                         {"theme": target_id})  # fmt: skip
        _record_summaries_gone(s, study.coder, [source_id])
        s.flush()
        audit.record(
            s,
            study.coder,
            "merge",
            "theme",
            source_id,
            states.theme(src),  # with its framework, where the undo puts it back
            {"into": target_id, "codings": moved},
        )
        s.delete(src)
    return moved


def delete_theme(study: Study, theme_id: str) -> int:
    """Delete a theme, its sub-themes and their codings; returns the codings deleted."""
    with study.write() as s:
        _get(s, theme_id)
        ids = _tree(s).with_descendants(theme_id)
        n = codings_q.count_codings_of_themes(s, ids)
        # codings and summaries go with their theme (ON DELETE CASCADE); each is
        # audited first so that undo brings them back
        for coding in codings_q.codings_of_themes(s, ids):
            before = plain_coding(convert.coding(coding))
            audit.record(s, study.coder, "delete", "coding", coding.id, before=before)
        _record_summaries_gone(s, study.coder, ids)
        for sug in suggestions_q.suggestions_of_themes(s, ids):
            audit.record(s, study.coder, "delete", "suggestion", sug.id, states.suggestion(sug))
        for tid in reversed(ids):  # children before parents
            row = _get(s, tid)
            audit.record(s, study.coder, "delete", "theme", tid, states.theme(row))
            s.delete(row)
            s.flush()
    return n


def _record_summaries_gone(s: Session, coder: str, theme_ids: list[str]) -> None:
    """The summaries and group syntheses that go with these themes (ON DELETE CASCADE),
    each audited so that undo brings it back."""
    for row in summaries_q.summary_rows(s, theme_ids):
        audit.record(s, coder, "delete", "summary", f"{row.case_id}/{row.theme_id}",
                     states.summary(row), None)  # fmt: skip
    for g in summaries_q.synthesis_rows_of(s, theme_ids):
        audit.record(s, coder, "delete", "synthesis", f"{g.theme_id}/{g.attribute}={g.value}",
                     states.synthesis(g), None)  # fmt: skip
