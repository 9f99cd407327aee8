"""Undoable settling of a disagreement between two coders (no Textual here: these run
inside thread workers)."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.services import compare, review_undo
from qualcode.services.compare import Disagreement, Resolution
from qualcode.services.study import Study
from qualcode.tui.changes import Change

WORDS = {"a": "take {a}'s", "b": "take {b}'s", "both": "keep both"}


@dataclass
class Settle(Change):
    """``resolve(segment, theme, keep)``; undo puts both coders' codings back as they
    were, including whether the difference had been kept."""

    resolution: Resolution
    coder_a: str
    coder_b: str
    was_kept: bool
    label: str = "settle disagreement"

    def undo(self, study: Study) -> None:
        coders = (self.coder_a, self.coder_b)
        review_undo.reopen_disagreement(study, self.resolution, coders, self.was_kept)

    def redo(self, study: Study) -> None:
        r = self.resolution
        self.resolution = compare.resolve(
            study, r.segment, r.theme, r.keep, coder_a=self.coder_a, coder_b=self.coder_b
        )


def describe(d: Disagreement, keep: str) -> str:
    """ "take bob's 5.3 on int03:12" - what the status line and the undo label say."""
    return f"{WORDS[keep].format(a=d.coder_a, b=d.coder_b)} {d.theme} on {d.segment}"


def settle(study: Study, d: Disagreement, keep: str) -> tuple[Resolution, Settle]:
    """Settle ``d`` the first time: the service call plus the entry to record."""
    done = compare.resolve(study, d.segment, d.theme, keep, coder_a=d.coder_a, coder_b=d.coder_b)
    return done, Settle(done, d.coder_a, d.coder_b, d.kept_both, label=describe(d, keep))
