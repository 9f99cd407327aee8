"""A project's frameworks, read back from the Sets qualcode writes (see
:mod:`qualcode.exchange.refi.conventions`): each framework with what it applies to,
holding the top-level themes the import added. Themes the study had stay where they
are, and a framework the study has keeps what it applies to."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from qualcode.domain.frameworks import DEFAULT_FRAMEWORK, AppliesTo
from qualcode.domain.wording import counted, first_few
from qualcode.errors import InputError
from qualcode.exchange.refi import conventions as cv
from qualcode.exchange.refi import model as r
from qualcode.services.frameworks import save_framework
from qualcode.store import audit
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import themes as themes_q


class Importing(Protocol):
    """What of a project's import this step reads (services/refi_import.ProjectImport)."""

    s: Session
    p: r.Project
    coder: str
    code_map: dict[str, str]  # code GUID -> theme id
    new_themes: set[str]

    def warn(self, message: str) -> None: ...


def import_framework_sets(run: Importing) -> None:
    """Make the frameworks the project's Sets describe. Other tools' Sets (code and
    document groups) are named in a warning."""
    others: list[str] = []
    tree = themes_q.framework_tree(run.s)  # the import's themes are all in by now
    for group in run.p.sets:
        spec = cv.parse_framework_set(group.description)
        if spec is None:
            others.append(group.name)
            continue
        tops = [
            run.code_map[g]
            for g in group.codes
            if run.code_map.get(g) in run.new_themes and tree.themes[run.code_map[g]].parent is None
        ]
        if spec.name == DEFAULT_FRAMEWORK and spec.kind is None:
            continue  # the themes are in the default framework already
        if _framework(run, spec) and tops:
            ids = [x for tid in tops for x in tree.with_descendants(tid)]
            frameworks_q.set_theme_framework(run.s, ids, spec.name)
            before, after = {"framework": DEFAULT_FRAMEWORK}, {"framework": spec.name}
            for tid in tops:
                audit.record(run.s, run.coder, "assign", "theme", tid, before, after)
    if others:
        shown = first_few([repr(x) for x in others], 3)
        run.warn(f"{counted(len(others), 'set')} (code or document groups) not read: {shown}")


def _framework(run: Importing, spec: cv.FrameworkText) -> bool:
    """Create the framework unless the study has one of that name (kept as it is)."""
    if frameworks_q.framework_row(run.s, spec.name) is not None:
        return True
    try:
        applies = AppliesTo(spec.kind, spec.questions)
        save_framework(run.s, run.coder, spec.name, spec.title, applies)
    except InputError as err:  # e.g. a survey question this study does not have
        run.warn(f"framework {spec.name!r} not made ({err}); its themes code every source")
        return False
    return True
