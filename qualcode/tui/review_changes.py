"""Undoable decisions on suggestions: accept (perhaps with another theme) and reject.

Undo puts the suggestion back to pending and removes the coding an accept made; redo
decides it again. No Textual here: these run inside the app's write workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.domain.model import Coding
from qualcode.services import suggest_decisions
from qualcode.services.study import Study
from qualcode.services.suggest_review import reopen
from qualcode.tui.changes import Change


@dataclass
class AcceptSuggestion(Change):
    suggestion_id: int
    theme: str | None = None  # another theme than the suggested one
    label: str = "accept suggestion"

    def undo(self, study: Study) -> None:
        reopen(study, self.suggestion_id)

    def redo(self, study: Study) -> None:
        suggest_decisions.accept(study, self.suggestion_id, self.theme)


@dataclass
class RejectSuggestion(Change):
    suggestion_id: int
    label: str = "reject suggestion"

    def undo(self, study: Study) -> None:
        reopen(study, self.suggestion_id)

    def redo(self, study: Study) -> None:
        suggest_decisions.reject(study, self.suggestion_id)


def accept(
    study: Study, suggestion_id: int, theme: str | None = None
) -> tuple[Coding, AcceptSuggestion]:
    coding = suggest_decisions.accept(study, suggestion_id, theme)
    return coding, AcceptSuggestion(suggestion_id, theme, label=f"accept {coding.theme}")


def reject(study: Study, suggestion_id: int) -> RejectSuggestion:
    done = suggest_decisions.reject(study, suggestion_id)
    return RejectSuggestion(suggestion_id, label=f"reject {done.theme}")
