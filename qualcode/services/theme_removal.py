"""Deleting a theme so that one undo brings back everything that went with it.

``theme_edits.delete_theme`` audits the theme, its sub-themes, codings, summaries and
suggestions; the mapping material hanging on those themes (dimension declarations,
cell and coding values, key issues) goes by ON DELETE CASCADE. This records that
material as removed first, in the same user action, so that undoing the action - which
reverts newest first - puts the themes and codings back and then their values.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualcode.domain.matrix import DRAFTED
from qualcode.domain.wording import counted
from qualcode.services import dimensions as dims
from qualcode.services import framework, theme_edits
from qualcode.services import key_issues as notes
from qualcode.services.study import Study
from qualcode.store import audit
from qualcode.store.queries import dimensions as dims_q
from qualcode.store.queries import summaries as summaries_q


def delete_theme(study: Study, theme_id: str) -> int:
    """Delete a theme and its sub-themes (see ``theme_edits.delete_theme``) with their
    dimension values, declarations and key issues recorded for undo; returns the
    codings deleted."""
    with study.action():
        ids = framework.framework_tree(study).with_descendants(theme_id)
        with study.write() as s:
            record_mapping_gone(s, study.coder, ids)
        return theme_edits.delete_theme(study, theme_id)


def written_on(study: Study, theme_id: str) -> list[str]:
    """The written work that goes with a theme and its sub-themes, for the question
    before deleting it ("3 written summaries, 1 key issues note"): the codings were
    counted there already, and a summary is a researcher's words, not a count."""
    ids = framework.framework_tree(study).with_descendants(theme_id)
    with study.read() as s:
        summaries = [r for r in summaries_q.summary_rows(s, ids) if r.text.strip()]
        notes_n = sum(dims_q.key_issue_row(s, tid) is not None for tid in ids)
        values = len(dims_q.cell_rows(s, ids))
    written = sum(r.status != DRAFTED for r in summaries)
    drafted = len(summaries) - written
    parts = [
        counted(written, "written summary", "written summaries"),
        counted(drafted, "drafted summary", "drafted summaries"),
        counted(notes_n, "key issues note"),
        counted(values, "chart value"),
    ]
    return [p for p, n in zip(parts, (written, drafted, notes_n, values), strict=True) if n]


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
