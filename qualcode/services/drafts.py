"""Draft summaries: extractive proposals for matrix cells, saved only as "drafted".

A draft never replaces a final summary, nor a summary someone is editing: each
proposal remembers the version of the cell it was made from and is skipped when the
cell has moved on (see :func:`qualcode.services.summaries.store_drafts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.analysis.drafting import draft
from qualcode.domain.matrix import DRAFTED, EMPTY, Draft, MatrixSheet
from qualcode.domain.model import Theme
from qualcode.services import matrix, summaries
from qualcode.services.matrix_data import AUTO
from qualcode.services.study import Study


@dataclass(frozen=True)
class DraftReport:
    drafts: tuple[Draft, ...]
    saved: int
    skipped: int


def theme_words(theme: Theme) -> tuple[str, ...]:
    return (theme.label, *theme.keywords)


def propose(
    sheet: MatrixSheet, cases: Sequence[str] | None = None, redraft: bool = False
) -> list[Draft]:
    """Drafts for the sheet's cells that have passages and no summary yet (also the
    ``drafted`` ones when ``redraft``); final and "not discussed" cells are left alone."""
    wanted = set(cases) if cases else None
    open_statuses = {EMPTY, DRAFTED} if redraft else {EMPTY}
    out: list[Draft] = []
    for row in sheet.rows:
        if wanted is not None and row.case not in wanted:
            continue
        for theme, cell in zip(sheet.themes, row.cells, strict=True):
            if not cell.passages or cell.summary.status not in open_statuses:
                continue
            text = draft(cell.passages, theme_words(theme))
            if text and text != cell.summary.text:
                out.append(Draft(cell.case, cell.theme, text, cell.summary.version))
    return out


def draft_cell(study: Study, case: str, theme: str) -> Draft:
    """A proposal for one cell (not saved): the researcher edits it, then saves."""
    from qualcode.services.framework import framework_tree

    cell = matrix.cell(study, case, theme)
    tree = framework_tree(study)
    text = draft(cell.passages, theme_words(tree.themes[theme]))
    return Draft(case, theme, text, cell.summary.version)


def draft_sheet(
    study: Study,
    top: str | None = None,
    themes: Sequence[str] | None = None,
    by: Sequence[str] = (),
    kind: str | None = AUTO,
    cases: Sequence[str] | None = None,
    redraft: bool = False,
    save: bool = True,
) -> DraftReport:
    """Propose drafts for a whole sheet and (unless ``save`` is False) store them."""
    sheet = matrix.sheet(study, top=top, themes=themes, by=by, kind=kind, cases=cases)
    drafts = propose(sheet, cases, redraft)
    if not save:
        return DraftReport(tuple(drafts), 0, 0)
    saved, skipped = summaries.store_drafts(
        study, {(d.case, d.theme): (d.text, d.version) for d in drafts}
    )
    return DraftReport(tuple(drafts), saved, skipped)
