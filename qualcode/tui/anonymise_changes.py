"""Undoable decisions on anonymisation proposals (no Textual here: these run inside
thread workers). Labels never name the original: they show up in notifications."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.domain.anonymise import ACCEPTED, PROPOSED, Proposal
from qualcode.errors import NotFoundError
from qualcode.services import anonymise, review_undo
from qualcode.services.study import Study
from qualcode.tui.changes import Change


@dataclass
class Decide(Change):
    """A proposal's status or placeholder changed from ``before`` to ``after``."""

    before: Proposal
    after: Proposal
    label: str = "review a name"

    def _set(self, study: Study, p: Proposal) -> None:
        anonymise.decide(study, p.id, status=p.status, placeholder=p.placeholder, kind=p.kind)

    def undo(self, study: Study) -> None:
        self._set(study, self.before)

    def redo(self, study: Study) -> None:
        self._set(study, self.after)


@dataclass
class AcceptMany(Change):
    """Proposals accepted at once; undo sends those still accepted back to review."""

    ids: list[int]
    label: str = "accept all names"

    def undo(self, study: Study) -> None:
        review_undo.set_proposal_status(study, self.ids, PROPOSED, only_from=ACCEPTED)

    def redo(self, study: Study) -> None:
        review_undo.set_proposal_status(study, self.ids, ACCEPTED, only_from=PROPOSED)


def decide(
    study: Study, proposal_id: int, status: str | None = None, placeholder: str | None = None
) -> tuple[Proposal, Decide | None]:
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
    return after, Decide(before, after, label=f"{word} a name")


def accept_all(study: Study) -> tuple[int, AcceptMany | None]:
    """Accept every proposal waiting for review, remembering which, for undo."""
    waiting = [p.id for p in anonymise.list_proposals(study, PROPOSED)]
    n = anonymise.accept_all(study)
    return n, AcceptMany(waiting, label=f"accept {n} names") if n else None
