"""The coder filter of Read & code and Cases: show one coder's codings only.

The filter is kept on the app (``QualcodeApp.coder_filter``; None shows every coder),
so that it survives switching documents, and Read & code and Cases (both on key ``C``)
use the same value; it is remembered in the study for each coder, so a blind
double-coder who chose their own codings sees only those the next day too. Coding while
it shows another coder still codes as the session's own coder, and those new codings
show as well - from the moment the filter was last changed - so that coding never seems
to do nothing. Cases counts only the chosen coder's codings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from qualcode.domain.model import Coding
from qualcode.services.audit_log import aware
from qualcode.tui.shared.picker import PickItem

ALL = "*"  # the chooser's key for "every coder"
TITLE = "Show the codings of"
HINT = "type letters of a name"


def choices(counts: Mapping[str, int], me: str, current: str | None) -> list[PickItem]:
    """The chooser's items: all coders, then every coder with codings by name (with
    the session's own coder and the coder shown now, even without any)."""
    names = sorted({*counts, me, *([current] if current else [])}, key=str.casefold)
    everyone = _codings(sum(counts.values())) + (" · shown now" if current is None else "")
    items = [PickItem(ALL, "All coders", everyone)]
    for name in names:
        notes = [n for n, yes in (("you", name == me), ("shown now", name == current)) if yes]
        items.append(PickItem(name, _codings(counts.get(name, 0)), " · ".join(notes)))
    return items


def _codings(n: int) -> str:
    return f"{n} coding" + ("" if n == 1 else "s")


def chosen(key: str) -> str | None:
    """The filter for a chooser's key (None: every coder)."""
    return None if key == ALL else key


def note(coder: str | None) -> str:
    """What a title line starts with while the filter is on (first: a long title was
    cut before it at 120 columns)."""
    return f"coder: {coder} · " if coder is not None else ""


def visible(
    codings: Iterable[Coding], coder: str | None, me: str, since: datetime | None
) -> list[Coding]:
    """The codings shown: every one, or ``coder``'s plus the ones ``me`` made since
    ``since`` (when the filter last changed)."""
    if coder is None:
        return list(codings)
    return [
        c
        for c in codings
        if c.coder == coder or (c.coder == me and since is not None and aware(c.created) >= since)
    ]
