"""Settling a disagreement between two coders, undoable from the audit trail: undo
puts both coders' codings back as they were, including whether the difference had
been kept (no Textual here: these run inside thread workers)."""

from __future__ import annotations

from qualcode.services import compare
from qualcode.services.compare import Disagreement, Resolution
from qualcode.services.study import Study
from qualcode.tui.shared.changes import Change, logged, one_action

WORDS = {"a": "take {a}'s", "b": "take {b}'s", "both": "keep both"}


def describe(d: Disagreement, keep: str) -> str:
    """ "take bob's 5.3 on int03:12" - what the status line and the undo label say."""
    return f"{WORDS[keep].format(a=d.coder_a, b=d.coder_b)} {d.theme} on {d.segment}"


@one_action
def settle(study: Study, d: Disagreement, keep: str) -> tuple[Resolution, Change | None]:
    """Settle ``d``: the service call plus the entry to record."""
    # a "kept both" the screen showed is overridden knowingly; one made since is refused
    done = compare.resolve(
        study,
        d.segment,
        d.theme,
        keep,
        coder_a=d.coder_a,
        coder_b=d.coder_b,
        over_kept=d.kept_both,
    )
    return done, logged(study, describe(d, keep))
