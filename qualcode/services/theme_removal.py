"""Deleting a theme so that one undo brings back everything that went with it.

``theme_edits.delete_theme`` audits the theme, its sub-themes, codings, summaries and
suggestions; the mapping material hanging on those themes (dimension declarations,
cell and coding values, key issues) goes by ON DELETE CASCADE. This records that
material as removed first, in the same user action, so that undoing the action - which
reverts newest first - puts the themes and codings back and then their values.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualcode.services import dimensions as dims
from qualcode.services import framework, theme_edits
from qualcode.services import key_issues as notes
from qualcode.services.study import Study
from qualcode.store import audit
from qualcode.store.queries import dimensions as dims_q


def delete_theme(study: Study, theme_id: str) -> int:
    """Delete a theme and its sub-themes (see ``theme_edits.delete_theme``) with their
    dimension values, declarations and key issues recorded for undo; returns the
    codings deleted."""
    with study.action():
        ids = framework.framework_tree(study).with_descendants(theme_id)
        with study.write() as s:
            record_mapping_gone(s, study.coder, ids)
        return theme_edits.delete_theme(study, theme_id)


def record_mapping_gone(s: Session, coder: str, theme_ids: list[str]) -> None:
    """Audit, as removed, the mapping material of ``theme_ids`` that a delete cascades."""
    for r in dims_q.cell_rows(s, theme_ids):
        key = f"{r.case_id}/{r.theme_id}/{r.dimension}"
        before = dims.cell_state(r.case_id, r.theme_id, r.dimension, r.value)
        audit.record(s, coder, "unset", dims.CELL, key, before, None)
    for _case, _theme, coding, name, value, _who in dims_q.coding_value_rows(s, theme_ids):
        audit.record(s, coder, "unset", dims.CODING, f"{coding}/{name}",
                     dims.coding_state(int(coding), str(name), str(value)), None)  # fmt: skip
    for tid in theme_ids:
        declared = dims_q.declared_rows(s, tid)
        if declared:
            state = [[r.name, list(r.values)] for r in declared]
            audit.record(s, coder, "declare", dims.DECLARATION, tid,
                         {"declared": state}, {"declared": []})  # fmt: skip
        note = dims_q.key_issue_row(s, tid)
        if note is not None:
            audit.record(s, coder, "update", notes.ENTITY, tid, notes.state(note.text), None)
