"""Named frameworks: what each codes, listing, editing and moving themes between them.

The themes themselves (the tree, YAML files) are in :mod:`qualcode.services.framework`;
this module is about the frameworks that hold them. A theme belongs to the framework of
its top-level theme; themes in none belong to the default framework, which applies to
every source.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from qualcode.domain.frameworks import (
    DEFAULT_FRAMEWORK,
    AppliesTo,
    Framework,
    StudyFrameworks,
)
from qualcode.domain.wording import counted
from qualcode.errors import InputError, NotFoundError
from qualcode.ingest.safe_yaml import LINE, load_text_yaml
from qualcode.services.study import Study
from qualcode.services.theme_scope import stranded
from qualcode.store import audit
from qualcode.store import models as m
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import themes as themes_q

NAME = re.compile(r"^[\w][\w .-]{0,99}$")


@dataclass(frozen=True)
class FileHeader:
    """What a framework file says about its framework (top-level ``name``,
    ``applies_to``), beside its ``title`` and ``themes``."""

    name: str | None = None
    applies_to: AppliesTo | None = None


def study_frameworks(study: Study) -> StudyFrameworks:
    with study.read() as s:
        return frameworks_q.study_frameworks(s)


def list_frameworks(study: Study) -> list[Framework]:
    return list(study_frameworks(study).frameworks.values())


def get_framework(study: Study, name: str) -> Framework:
    return known(study_frameworks(study), name)


def known(frameworks: StudyFrameworks, name: str) -> Framework:
    found = frameworks.frameworks.get(name)
    if found is None:
        names = list(frameworks.frameworks)
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise NotFoundError(
            f"no framework {name!r} (frameworks: {', '.join(names) or 'none'}){hint}"
        )
    return found


def parse_applies_to(spec: str, where: Path | None = None) -> AppliesTo:
    try:
        return AppliesTo.parse(spec)
    except ValueError as exc:
        raise InputError(str(exc), where) from None


def read_header(path: Path) -> FileHeader:
    """The file's own ``name:`` and ``applies_to:`` (the themes are read elsewhere)."""
    try:
        data = load_text_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return FileHeader()  # the theme reader reports these properly
    if not isinstance(data, dict):
        return FileHeader()
    line = data.get(LINE)
    name = data.get("name")
    if name is not None and not isinstance(name, str | int | float):
        raise InputError("`name` must be text", path, line)
    spec = data.get("applies_to")
    if isinstance(spec, list):
        spec = ",".join(str(x) for x in spec)
    if spec is not None and not isinstance(spec, str):
        raise InputError("`applies_to` must be text such as `transcript`", path, line)
    return FileHeader(
        None if name is None else str(name).strip() or None,
        None if spec is None else parse_applies_to(spec, path),
    )


def check_name(name: str, where: Path | None = None) -> str:
    name = name.strip()
    if not NAME.match(name):
        raise InputError(
            f"framework name {name!r} must be 1-100 letters, digits, spaces, '.', '-' or '_'",
            where,
        )
    return name


def check_questions(s: Session, applies: AppliesTo, where: Path | None = None) -> None:
    """Named survey questions must be the study's, once it has a survey."""
    if not applies.questions:
        return
    known = sorted(sources_q.survey_questions(s))
    if not known:
        return
    unknown = [q for q in applies.questions if q not in known]
    if unknown:
        raise InputError(
            f"no survey question {unknown[0]!r} (questions: {', '.join(known)})", where
        )


def save_framework(
    s: Session,
    coder: str,
    name: str,
    title: str | None = None,
    applies_to: AppliesTo | None = None,
    where: Path | None = None,
) -> Framework:
    """Create the framework, or update what is given of an existing one (in ``s``)."""
    name = check_name(name, where)
    row = frameworks_q.framework_row(s, name)
    if applies_to is not None:
        check_questions(s, applies_to, where)
    if row is None:
        applies = applies_to or AppliesTo()
        row = m.FrameworkRow(
            name=name,
            title=title,
            kind=applies.kind,
            questions=list(applies.questions),
            position=frameworks_q.next_position(s),
        )
        s.add(row)
        s.flush()
        audit.record(s, coder, "add", "framework", name, after=_state(row))
        return frameworks_q.to_framework(row)
    before = _state(row)
    if title is not None:
        row.title = title
    if applies_to is not None:
        row.kind, row.questions = applies_to.kind, list(applies_to.questions)
    if _state(row) != before:
        audit.record(s, coder, "update", "framework", name, before, _state(row))
    return frameworks_q.to_framework(row)


def _state(row: m.FrameworkRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "title": row.title,
        "kind": row.kind,
        "questions": list(row.questions or ()),
    }


def edit_framework(
    study: Study,
    name: str,
    *,
    new_name: str | None = None,
    title: str | None = None,
    applies_to: str | None = None,
) -> Framework:
    """Rename a framework, retitle it or change what it applies to."""
    applies = None if applies_to is None else parse_applies_to(applies_to)
    with study.write() as s:
        known(frameworks_q.study_frameworks(s), name)
        # the default framework is stored once it is edited
        saved = save_framework(s, study.coder, name, title, applies)
        if new_name is None or new_name.strip() == name:
            return saved
        new_name = check_name(new_name)
        if frameworks_q.framework_row(s, new_name) is not None:
            raise InputError(f"a framework called {new_name!r} exists already")
        row = frameworks_q.framework_row(s, name)
        assert row is not None
        moved = save_framework(s, study.coder, new_name, row.title, _applies(row))
        frameworks_q.rename_in_themes(s, name, new_name)
        if name == DEFAULT_FRAMEWORK:
            frameworks_q.rename_in_themes_without(s, new_name)
        new_row = frameworks_q.framework_row(s, new_name)
        assert new_row is not None
        new_row.position = row.position
        audit.record(s, study.coder, "rename", "framework", name, {"name": name},
                     {"name": new_name})  # fmt: skip
        s.delete(row)
        return moved


def outside_warning(study: Study, name: str) -> str | None:
    """A sentence for the researcher when codings of the framework's themes now lie on
    passages it does not code (after changing what it applies to, or moving themes in):
    the counts leave them out, so say how many and where the first is."""
    n, why = stranded(study, name)
    if not n:
        return None
    return (
        f"{counted(n, 'coding')} of framework {name!r} now outside what it codes, left out "
        f"of its counts (first: {why}); recode or remove them, or undo the change"
    )


def _applies(row: m.FrameworkRow) -> AppliesTo:
    return AppliesTo(row.kind, tuple(row.questions or ()))


def assign_themes(study: Study, name: str, theme_ids: Sequence[str]) -> list[str]:
    """Put these themes (each with its sub-themes) in the framework ``name``; a sub-theme
    follows its top-level theme, so only top-level themes may be named."""
    with study.write() as s:
        frameworks = frameworks_q.study_frameworks(s)
        known(frameworks, name)
        tree = themes_q.framework_tree(s)
        moved: list[str] = []
        for tid in theme_ids:
            if tid not in tree.themes:
                raise NotFoundError(f"no theme {tid!r}")
            if tree.themes[tid].parent is not None:
                root = tree.ancestors(tid)[-1]
                raise InputError(
                    f"theme {tid!r} is a sub-theme: it belongs to the framework of {root!r}"
                )
            ids = tree.with_descendants(tid)
            before = frameworks.of_theme.get(tid)
            stored = None if name == DEFAULT_FRAMEWORK else name
            frameworks_q.set_theme_framework(s, ids, stored)
            audit.record(s, study.coder, "assign", "theme", tid, {"framework": before},
                         {"framework": name})  # fmt: skip
            moved += ids
        return moved


def delete_framework(study: Study, name: str) -> int:
    """Remove a framework; its themes (with their codings and summaries) go to the
    default framework. Returns their number. One undo brings the framework back, in
    its place, with its themes."""
    with study.write() as s:
        tree = themes_q.framework_tree(s)
        frameworks = frameworks_q.study_frameworks(s, tree)
        known(frameworks, name)
        row = frameworks_q.framework_row(s, name)
        if row is None:
            raise InputError("the default framework holds the themes in no other one")
        themes = frameworks.themes_of(name)
        # each top-level theme's move is logged before the delete, so that undo (newest
        # first) brings the framework back before its themes go back into it
        for tid in themes:
            if tree.themes[tid].parent is None:
                audit.record(s, study.coder, "assign", "theme", tid, {"framework": name},
                             {"framework": DEFAULT_FRAMEWORK})  # fmt: skip
        frameworks_q.rename_in_themes(s, name, None)
        before = {**_state(row), "position": row.position}
        audit.record(s, study.coder, "delete", "framework", name, before=before)
        s.delete(row)
        return len(themes)


def offered_on(study: Study, source_ids: Collection[str]) -> set[str]:
    """The themes whose framework applies to every one of these sources (what a
    picker offers for coding passages of all of them at once)."""
    with study.read() as s:
        owned = frameworks_q.study_frameworks(s)
        where = set(sources_q.kinds_of_sources(s, source_ids).values())
    return {tid for tid in owned.of_theme if all(owned.applies(tid, kind, q) for kind, q in where)}
