"""Deciding the suggestion shown in Read & code's panel, as undoable changes.

The panel shows suggestions computed without storing them (a read that the newest
cursor position wins), so deciding one first finds the stored pending suggestion of
that segment and theme, storing fresh suggestions for the segment when there is none.
The decision is always about the theme the user saw: if the model no longer suggests
it, accepting codes it anyway and rejecting records a rejection of it.

No Textual here: these run inside the app's write workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.domain.model import Coding
from qualcode.services import suggest_decisions
from qualcode.services.study import Study
from qualcode.services.suggest import Suggestion, suggest
from qualcode.tui.shared import changes
from qualcode.tui.shared.changes import Change, logged, one_action

Span = tuple[str, int, int]


@dataclass(frozen=True)
class Shown:
    """A suggestion as the panel showed it."""

    segment: str
    theme: str
    span: Span  # the segment's source, start and end
    use_embeddings: bool


def stored(study: Study, shown: Shown) -> Suggestion | None:
    """The pending stored suggestion of the shown segment and theme (stored now if the
    panel's was never stored), or None when the model no longer suggests it."""
    found = suggest_decisions.find(study, shown.segment, shown.theme)
    if found is not None and found.status == "pending":
        return found
    run = suggest(
        study,
        3,
        all_segments=True,
        segment_ids=[shown.segment],
        use_embeddings=shown.use_embeddings,
    )
    for result in run.results:
        for item in result.suggestions:
            if item.theme == shown.theme:
                return item
    return None


@one_action
def accept(study: Study, shown: Shown, other: str | None = None) -> tuple[Coding, Change | None]:
    """Accept the shown suggestion, or with ``other`` reject it and code ``other``."""
    found = stored(study, shown)
    theme = other or shown.theme
    verb = f"{shown.theme} rejected, coded {theme}" if other else f"accept {theme}"
    if found is not None:
        coding = suggest_decisions.accept(study, found.id, other)
        return coding, logged(study, verb)
    # no longer suggested: the user's decision still stands
    coding, _ = changes.code_span(study, *shown.span, theme)
    if other is not None:
        suggest_decisions.reject_theme(study, shown.segment, shown.theme)
    return coding, logged(study, verb)


@one_action
def reject(study: Study, shown: Shown) -> Change | None:
    found = stored(study, shown)
    if found is not None:
        suggest_decisions.reject(study, found.id)
    else:
        suggest_decisions.reject_theme(study, shown.segment, shown.theme)
    return logged(study, f"reject {shown.theme}")
