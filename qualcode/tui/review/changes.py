"""Decisions on suggestions (accept, perhaps with another theme, and reject), undoable
from the audit trail: undo puts the suggestion back to pending and removes the coding
an accept made; redo decides it again. No Textual here: these run inside the app's
write workers.
"""

from __future__ import annotations

from qualcode.domain.model import Coding
from qualcode.services import suggest_decisions
from qualcode.services.study import Study
from qualcode.tui.shared.changes import Change, logged, one_action


@one_action
def accept(
    study: Study, suggestion_id: int, theme: str | None = None
) -> tuple[Coding, Change | None]:
    coding = suggest_decisions.accept(study, suggestion_id, theme)
    return coding, logged(study, f"accept {coding.theme}")


@one_action
def reject(study: Study, suggestion_id: int) -> Change | None:
    done = suggest_decisions.reject(study, suggestion_id)
    return logged(study, f"reject {done.theme}")
