"""The thematic framework as a tree: listing themes, counting their codings.

Reading and writing framework files is in :mod:`qualcode.services.framework_files`,
editing themes in :mod:`qualcode.services.theme_edits`, the named frameworks that hold
them in :mod:`qualcode.services.frameworks`. The names below are imported here too so
that scripts and tests written against ``services.framework`` keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from qualcode.domain.framework import FrameworkTree
from qualcode.domain.model import Theme
from qualcode.services.framework_files import export_framework, import_framework, read_framework
from qualcode.services.study import Study
from qualcode.services.theme_edits import (
    add_theme,
    delete_theme,
    merge_themes,
    move_theme,
    update_theme,
)
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import themes as themes_q


def list_themes(study: Study) -> list[Theme]:
    return framework_tree(study).ordered()


def framework_tree(study: Study) -> FrameworkTree:
    with study.read() as s:
        return themes_q.framework_tree(s)


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
