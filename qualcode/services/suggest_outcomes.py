"""What the researcher did with suggestions after they were made: the scores checked as
they were used, on passages no model had seen coded.

Two kinds of outcome count. A suggestion accepted or rejected on its own (in Review,
Read & code, or ``suggest accept``/``reject``; picking another theme rejects it) is
right when accepted. A suggestion still pending on a passage the researcher then coded
by hand was judged with the passage: right if that theme was coded there. Left out:
bulk accepts (they took the score's word for it), themes rejected before they were
ever suggested (no score), suggestions made after their passage was coded (``suggest
--all``), and passages first coded by accepting a suggestion or by import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualcode.services.study import Study
from qualcode.services.suggest_model import segments_overlapping
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import suggestions as suggestions_q

BY_HAND = ("manual", "search")  # coding origins where the researcher read the passage

Scored = list[tuple[float, bool]]  # (score shown, right)


@dataclass(frozen=True)
class Outcomes:
    one_by_one: Scored
    coded_after: Scored

    @property
    def all(self) -> Scored:
        return self.one_by_one + self.coded_after

    def above(self, score: float) -> tuple[int, int]:
        """How many outcomes of suggestions scored ``score`` or more, and how many right."""
        chosen = [ok for s, ok in self.all if s >= score]
        return len(chosen), sum(chosen)


def outcomes(study: Study, mode: str) -> Outcomes:
    """The outcomes of this mode's suggestions ("lexical" or "embeddings")."""
    with study.read() as s:
        decided = suggestions_q.decided_one_by_one(s)
    # a suggestion made before runs recorded their mode is lexical, then the only one
    mine = [(score, ok) for score, ok, params in decided if params.get("mode", "lexical") == mode]
    return Outcomes(mine, _coded_after(study, mode))


def _coded_after(study: Study, mode: str) -> Scored:
    """(score, right) of the suggestions still pending on a passage the researcher
    coded by hand after they were made: the passage was read and judged whole, so a
    theme not coded there was a wrong suggestion. A passage first coded by accepting
    a suggestion or by import says nothing of the others."""
    with study.read() as s:
        rows = codings_q.coding_times(s)
    themes: dict[str, set[str]] = {}
    first: dict[str, tuple[Any, str]] = {}
    for sid, i in segments_overlapping(study, [(a, b, e) for a, b, e, *_ in rows]):
        _, _, _, theme, at, origin = rows[i]
        themes.setdefault(sid, set()).add(theme)
        if sid not in first or at < first[sid][0]:
            first[sid] = (at, origin)
    judged = {sid: at for sid, (at, origin) in first.items() if origin in BY_HAND}
    with study.read() as s:
        pending_rows = suggestions_q.pending_on(s, sorted(judged))
    return [
        (score, theme in themes[sid])
        for sid, theme, score, made, params in pending_rows
        if made < judged[sid] and params.get("mode", "lexical") == mode
    ]
