"""Framework files: reading, importing and exporting a framework's YAML.

Importing adds the file's themes (updating those with the same id; nothing is deleted)
and, when a name is given or the file has one, puts them in that named framework
(:mod:`qualcode.services.frameworks` keeps the framework records). Exporting writes every
theme or one framework's, with its name and what it applies to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from qualcode.domain.framework import FrameworkProblem, FrameworkTree
from qualcode.domain.frameworks import DEFAULT_FRAMEWORK, StudyFrameworks
from qualcode.domain.model import ImportReport, Theme
from qualcode.errors import InputError
from qualcode.exchange import formats
from qualcode.exchange.safe_write import refuse_database
from qualcode.ingest.encoding import read_bytes
from qualcode.ingest.safe_yaml import LINE, error_line, load_text_yaml
from qualcode.services import dimensions, framework_dimensions, frameworks
from qualcode.services.study import Study
from qualcode.services.theme_edits import plain_theme, theme_row, write_theme
from qualcode.store import audit, convert
from qualcode.store import models as m
from qualcode.store.queries import frameworks as frameworks_q
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


NOTES = ("definition", "inclusion", "exclusion", "keywords")


def read_framework(
    path: Path, given: dict[str, set[str]] | None = None
) -> tuple[str | None, list[Theme]]:
    """Parse a framework file into themes (parents before children), validated as a tree.
    ``given`` (filled in when passed): each theme's notes the file names."""
    data_bytes = read_bytes(path)  # "file not found", "is a folder", as every importer says
    try:
        raw = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data_bytes[: exc.start].count(b"\n") + 1
        raise InputError(
            f"line {line} is not UTF-8 text: save the framework file as UTF-8", path
        ) from None
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
            if given is not None:
                given[tid] = {key for key in NOTES if key in node}
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


def import_framework(
    study: Study, path: Path, name: str | None = None, applies_to: str | None = None
) -> ImportReport:
    """Add the file's themes and update those with the same id; nothing is deleted, and
    a theme's notes (definition, inclusion, exclusion, keywords) the file leaves out are
    kept.

    ``name`` (else the file's ``name:``, else - when the file says what it applies to -
    the file's stem) is the framework the themes go in, created or updated with
    ``applies_to`` (else the file's ``applies_to:``). Without any of these the themes
    stay where they are, new ones in the default framework.
    """
    given: dict[str, set[str]] = {}
    title, themes = read_framework(path, given)
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
                s.add(theme_row(theme))
                s.flush()
                added += 1
                audit.record(s, study.coder, "add", "theme", theme.id, after=plain_theme(theme))
                continue
            theme = replace(theme, position=row.position)  # re-imports keep the order
            # notes the file leaves out stay as the study has them: a file of ids and
            # labels (to move or relabel themes) wiped their definitions and keywords
            kept = convert.theme(row)
            theme = replace(
                theme,
                **{key: getattr(kept, key) for key in NOTES if key not in given.get(theme.id, ())},
            )
            if convert.theme(row) != theme:
                before = plain_theme(convert.theme(row))
                write_theme(row, theme)
                updated += 1
                audit.record(
                    s, study.coder, "update", "theme", theme.id, before, plain_theme(theme)
                )
        s.flush()
        framework_dimensions.store_declarations(s, study.coder, declared)
        if name is not None:
            _put_in(s, study.coder, name, [t.id for t in themes if t.parent is None], owners)
    return ImportReport(
        themes_added=added, themes_updated=updated, warnings=tuple(empty_keywords(themes))
    )


def empty_keywords(themes: Sequence[Theme]) -> list[str]:
    """A warning for each keyword made only of common words ("I would", "where is"): it
    can never match a passage, and nothing said so."""
    from qualcode.nlp.normalise import analyse

    return [
        f"theme {t.id}: keyword {k!r} is only common words, so it never matches a passage "
        "(name a word of its own)"
        for t in themes
        for k in t.keywords
        if not analyse(k).tokens
    ]


def _put_in(
    s: Session, coder: str, name: str, tops: Sequence[str], before: StudyFrameworks
) -> None:
    """The imported top-level themes (with every sub-theme) go in framework ``name``."""
    tree = themes_q.framework_tree(s)
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
    refuse_database(path, path)  # the more telling refusal, for a study named by mistake
    if path.suffix.lower() not in (".yaml", ".yml"):
        # `framework export notes.txt` wrote YAML over the notes
        raise InputError("a framework file ends in .yaml or .yml", path)
    with study.read() as s:
        tree = themes_q.framework_tree(s)
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
