"""The thematic framework: YAML import/export and tree edits (add, rename, move, merge, delete)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from qualcode.domain.framework import FrameworkProblem, FrameworkTree
from qualcode.domain.frameworks import DEFAULT_FRAMEWORK, StudyFrameworks
from qualcode.domain.model import ImportReport, Theme
from qualcode.errors import ConflictError, InputError
from qualcode.exchange import formats
from qualcode.ingest.safe_yaml import LINE, error_line, load_text_yaml
from qualcode.services import dimensions, framework_dimensions, frameworks
from qualcode.services.codings import plain_coding
from qualcode.services.study import Study
from qualcode.services.theme_errors import no_theme_in_study
from qualcode.store import audit, convert, states
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import suggestions as suggestions_q
from qualcode.store.queries import summaries as summaries_q
from qualcode.store.queries import themes as themes_q

THEME_KEYS = {
    "id",
    "label",
    "definition",
    "inclusion",
    "exclusion",
    "keywords",
    "children",
    "parent",
    "dimensions",  # read by framework_dimensions
}


def read_framework(path: Path) -> tuple[str | None, list[Theme]]:
    """Parse a framework file into themes (parents before children), validated as a tree."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the framework file ({exc})", path) from exc
    try:
        data = load_text_yaml(raw)
    except yaml.YAMLError as exc:
        raise InputError(
            f"not valid YAML ({getattr(exc, 'problem', exc)})", path, error_line(exc)
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise InputError("a framework file needs a top-level `themes:` list", path)
    title = data.get("title")
    if isinstance(title, dict | list):
        raise InputError(f"`title` must be text, not a {_shape(title)}", path, data.get(LINE))
    themes: list[Theme] = []
    lines: dict[str, int | None] = {}

    def visit(nodes: list[Any], parent: str | None) -> None:
        for position, node in enumerate(nodes):
            if not isinstance(node, dict):
                raise InputError("each theme must be a mapping with `id` and `label`", path)
            line: int | None = node.get(LINE)
            unknown = set(node) - THEME_KEYS - {LINE}
            if unknown:
                raise InputError(f"unknown key(s) {', '.join(sorted(unknown))}", path, line)
            _check_scalars(node, path, line)
            tid, label = node.get("id"), node.get("label")
            if tid is None or str(tid).strip() == "":
                raise InputError("theme without an `id`", path, line)
            tid = str(tid).strip()
            if not label or not str(label).strip():
                raise InputError(f"theme {tid!r} has no `label`", path, line)
            if tid in lines:
                raise InputError(
                    f"duplicate theme id {tid!r} (first at line {lines[tid]})", path, line
                )
            lines[tid] = line
            keywords = node.get("keywords") or []
            if isinstance(keywords, str):
                keywords = [k.strip() for k in keywords.split(",")]
            if not isinstance(keywords, list):
                raise InputError(f"theme {tid!r}: `keywords` must be a list", path, line)
            own_parent = node.get("parent", parent)
            themes.append(
                Theme(
                    id=tid,
                    label=str(label).strip(),
                    parent=None if own_parent is None else str(own_parent),
                    definition=_text(node.get("definition")),
                    inclusion=_text(node.get("inclusion")),
                    exclusion=_text(node.get("exclusion")),
                    keywords=tuple(str(k).strip() for k in keywords if str(k).strip()),
                    position=position,
                )
            )
            children = node.get("children") or []
            if not isinstance(children, list):
                raise InputError(f"theme {tid!r}: `children` must be a list", path, line)
            visit(children, tid)

    visit(data["themes"], None)
    try:
        tree = FrameworkTree.build(themes)
    except FrameworkProblem as exc:
        raise InputError(str(exc), path, lines.get(exc.theme or "")) from exc
    return (str(title) if title else None), tree.ordered()


def _check_scalars(node: dict[str, Any], path: Path, line: int | None) -> None:
    """A theme's fields are text; a mapping or list given as one is a mistake, never
    something to store as its Python spelling."""
    for key in ("id", "label", "definition", "inclusion", "exclusion", "parent"):
        value = node.get(key)
        if isinstance(value, dict | list):
            raise InputError(f"`{key}` must be text, not a {_shape(value)}", path, line)
    keywords = node.get("keywords")
    if isinstance(keywords, dict) or (
        isinstance(keywords, list) and any(isinstance(k, dict | list) for k in keywords)
    ):
        raise InputError("`keywords` must be a list of words", path, line)


def _shape(value: Any) -> str:
    return "mapping" if isinstance(value, dict) else "list"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def list_themes(study: Study) -> list[Theme]:
    return framework_tree(study).ordered()


def framework_tree(study: Study) -> FrameworkTree:
    with study.read() as s:
        return themes_q.framework_tree(s)


def import_framework(
    study: Study, path: Path, name: str | None = None, applies_to: str | None = None
) -> ImportReport:
    """Add the file's themes and update those with the same id; nothing is deleted.

    ``name`` (else the file's ``name:``, else - when the file says what it applies to -
    the file's stem) is the framework the themes go in, created or updated with
    ``applies_to`` (else the file's ``applies_to:``). Without any of these the themes
    stay where they are, new ones in the default framework.
    """
    title, themes = read_framework(path)
    header = frameworks.read_header(path)
    applies = frameworks.parse_applies_to(applies_to, path) if applies_to else header.applies_to
    name = name or header.name or (path.stem if applies is not None else None)
    declared = framework_dimensions.read_declarations(path)
    added = updated = 0
    with study.write() as s:
        if name is not None:
            frameworks.save_framework(s, study.coder, name, title, applies, path)
        owners = frameworks_q.study_frameworks(s)
        existing = themes_q.themes_by_id(s)
        merged = {tid: convert.theme(r) for tid, r in existing.items()}
        merged.update({t.id: t for t in themes})
        try:
            FrameworkTree.build(merged.values())
        except FrameworkProblem as exc:
            raise InputError(f"with the study's themes: {exc}", path) from exc
        # New themes go after the siblings a study already has, so that a second
        # framework's top-level themes follow the first's instead of interleaving.
        next_position: dict[str | None, int] = {}
        for old in existing.values():
            slot = next_position.get(old.parent_id, 0)
            next_position[old.parent_id] = max(slot, old.position + 1)
        for theme in themes:  # parents come first
            row = existing.get(theme.id)
            if row is None:
                theme = replace(theme, position=next_position.get(theme.parent, 0))
                next_position[theme.parent] = theme.position + 1
                s.add(_row(theme))
                s.flush()
                added += 1
                audit.record(s, study.coder, "add", "theme", theme.id, after=_plain(theme))
                continue
            theme = replace(theme, position=row.position)  # re-imports keep the order
            if convert.theme(row) != theme:
                before = _plain(convert.theme(row))
                _apply(row, theme)
                updated += 1
                audit.record(s, study.coder, "update", "theme", theme.id, before, _plain(theme))
        s.flush()
        framework_dimensions.store_declarations(s, study.coder, declared)
        if name is not None:
            _put_in(s, study.coder, name, [t.id for t in themes if t.parent is None], owners)
    return ImportReport(themes_added=added, themes_updated=updated)


def _put_in(
    s: Session, coder: str, name: str, tops: Sequence[str], before: StudyFrameworks
) -> None:
    """The imported top-level themes (with every sub-theme) go in framework ``name``."""
    tree = _tree(s)
    stored = None if name == DEFAULT_FRAMEWORK else name
    for tid in tops:
        frameworks_q.set_theme_framework(s, tree.with_descendants(tid), stored)
        was = before.of_theme.get(tid)
        if was is not None and was != name:  # new themes are undone by their own entries
            audit.record(s, coder, "assign", "theme", tid, {"framework": was},
                         {"framework": name})  # fmt: skip


def export_framework(
    study: Study, path: Path, title: str | None = None, name: str | None = None
) -> int:
    """Write the themes to YAML: every theme, or those of framework ``name`` (with its
    ``name:`` and ``applies_to:`` so that importing the file puts them back)."""
    tree = framework_tree(study)
    declared = dimensions.declarations(study)
    header: dict[str, Any] = {}
    tops = tree.top_level()
    if name is not None:
        chosen = frameworks.get_framework(study, name)
        owned = frameworks.study_frameworks(study)
        tops = [t for t in tops if owned.of_theme.get(t.id) == chosen.name]
        header = {"name": chosen.name, "applies_to": chosen.applies_to.spec}
        title = title or chosen.title
    if title is None:
        with study.read() as s:
            row = s.get(m.StudyRow, 1)
            title = row.title if row else "Framework"

    def node(tid: str) -> dict[str, Any]:
        t = tree.themes[tid]
        out: dict[str, Any] = {"id": t.id, "label": t.label}
        for key in ("definition", "inclusion", "exclusion"):
            if getattr(t, key):
                out[key] = getattr(t, key)
        if t.keywords:
            out["keywords"] = list(t.keywords)
        if declared.get(tid):
            out["dimensions"] = framework_dimensions.export_node(declared[tid])
        kids = tree.children.get(tid, ())
        if kids:
            out["children"] = [node(k) for k in kids]
        return out

    data = {"title": title, **header, "themes": [node(t.id) for t in tops]}
    formats.sole(formats.FRAMEWORK).load_writer()(data, path)
    return sum(len(tree.with_descendants(t.id)) for t in tops)


def _row(theme: Theme) -> m.ThemeRow:
    row = m.ThemeRow(id=theme.id)
    _apply(row, theme)
    return row


def _apply(row: m.ThemeRow, theme: Theme) -> None:
    row.label = theme.label
    row.parent_id = theme.parent
    row.definition = theme.definition
    row.inclusion = theme.inclusion
    row.exclusion = theme.exclusion
    row.keywords = list(theme.keywords)
    row.position = theme.position


def _plain(theme: Theme) -> dict[str, Any]:
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
        row = _row(theme)
        row.framework = None if framework in (None, DEFAULT_FRAMEWORK) else framework
        s.add(row)
        audit.record(s, study.coder, "add", "theme", theme_id, after=_plain(theme))
    return theme


def update_theme(study: Study, theme_id: str, **changes: Any) -> tuple[Theme, Theme]:
    """Change label, definition, inclusion, exclusion or keywords; returns (before, after)."""
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
        after = replace(before, **changes)
        _apply(row, after)
        audit.record(s, study.coder, "update", "theme", theme_id, _plain(before), _plain(after))
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
            _plain(convert.theme(src)),
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
            audit.record(s, study.coder, "delete", "theme", tid, _plain(convert.theme(row)))
            s.delete(row)
            s.flush()
    return n


def _record_summaries_gone(s: Session, coder: str, theme_ids: list[str]) -> None:
    for row in summaries_q.summary_rows(s, theme_ids):
        audit.record(s, coder, "delete", "summary", f"{row.case_id}/{row.theme_id}",
                     states.summary(row), None)  # fmt: skip


def theme_counts(study: Study) -> dict[str, tuple[int, int]]:
    """Per theme: (codings, distinct cases) of the theme itself and its sub-themes."""
    tree = framework_tree(study)
    with study.read() as s:
        rows = codings_q.theme_case_pairs(s)
    own: dict[str, list[str]] = {}
    for theme_id, case_id in rows:
        own.setdefault(theme_id, []).append(case_id)
    out = {}
    for tid in tree.themes:
        cases: list[str] = []
        for sub in tree.with_descendants(tid):
            cases.extend(own.get(sub, ()))
        out[tid] = (len(cases), len(set(cases)))
    return out


def themes_by_id(themes: Iterable[Theme]) -> Mapping[str, Theme]:
    return {t.id: t for t in themes}


__all__: Sequence[str] = [
    "add_theme",
    "delete_theme",
    "export_framework",
    "framework_tree",
    "import_framework",
    "list_themes",
    "merge_themes",
    "move_theme",
    "read_framework",
    "theme_counts",
    "update_theme",
]
