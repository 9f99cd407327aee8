"""Decisions on anonymisation proposals, undoable from the audit trail (no Textual
here: these run inside thread workers). Labels never name the original: they show
up in notifications."""

from __future__ import annotations

from qualcode.domain.anonymise import Proposal
from qualcode.domain.wording import counted
from qualcode.errors import NotFoundError
from qualcode.services import anonymise
from qualcode.services.study import Study
from qualcode.tui.shared.changes import Change, logged, one_action


@one_action
def decide(
    study: Study, proposal_id: int, status: str | None = None, placeholder: str | None = None
) -> tuple[Proposal, Change | None]:
    """Decide once; the entry is None when nothing changed."""
    stored = {p.id: p for p in anonymise.list_proposals(study)}
    if proposal_id not in stored:
        raise NotFoundError(f"no anonymisation proposal {proposal_id} (run f to find names)")
    before = stored[proposal_id]
    same_place = placeholder is None or placeholder.strip() == before.placeholder
    if status in (None, before.status) and same_place:
        return before, None  # nothing to change, nothing to log
    after = anonymise.decide(study, proposal_id, status=status, placeholder=placeholder)
    word = {"accepted": "accept", "rejected": "reject"}.get(status or "", "rename")
    return after, logged(study, f"{word} a name")


@one_action
def accept_all(study: Study) -> tuple[int, Change | None]:
    """Accept every proposal waiting for review (one undo sends them back)."""
    n = anonymise.accept_all(study)
    return n, logged(study, f"accept {counted(n, 'name')}") if n else None
