"""Whether a theme may code a passage: its framework must apply to the passage's source.

The one check every path that writes a coding goes through (coding a span, accepting a
suggestion, Search's "code all", changing a coding's theme, merging themes, importing
codings from CSV or REFI-QDA), so the refusal reads the same everywhere. The pickers
never offer such a theme; this guards scripts, files and stale screens.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy.orm import Session

from qualcode.domain.frameworks import StudyFrameworks
from qualcode.domain.model import SURVEY
from qualcode.errors import OutOfScopeError
from qualcode.services.study import Study
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import frameworks as frameworks_q
from qualcode.store.queries import sources as sources_q


def refusal(
    owned: StudyFrameworks, theme: str, source_id: str, kind: str, question: str | None
) -> str | None:
    """Why ``theme`` may not code a passage of this source, or None when it may."""
    framework = owned.framework_of(theme)
    if framework.applies_to.covers(kind, question):
        return None
    if kind == SURVEY:
        what = f"a survey answer to {question}" if question else "a survey answer"
    else:
        what = "an interview transcript"
    return (
        f"theme {theme!r} is in framework {framework.name!r}, which codes "
        f"{framework.applies_to.describe()}, not source {source_id!r} ({what})"
    )


def check_applies(
    s: Session, theme: str, source_ids: Collection[str], owned: StudyFrameworks | None = None
) -> None:
    """Refuse coding passages of these sources with ``theme`` unless its framework
    applies to every one of them (raises :class:`OutOfScopeError`)."""
    if owned is None:
        if all(row.kind is None for row in frameworks_q.framework_rows(s)):
            return  # every framework codes everything (no need to resolve the themes)
        owned = frameworks_q.study_frameworks(s)
    if not owned.scoped():
        return
    for source_id, (kind, question) in sorted(sources_q.kinds_of_sources(s, source_ids).items()):
        why = refusal(owned, theme, source_id, kind, question)
        if why is not None:
            raise OutOfScopeError(why)


def outside(study: Study, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (segment, theme) pairs whose theme's framework does not code the segment's
    source (stale suggestions made before the frameworks said what they code)."""
    pairs = list(pairs)
    with study.read() as s:
        owned = frameworks_q.study_frameworks(s)
        if not pairs or not owned.scoped():
            return set()
        source_of = {r.id: r.source_id for r in sources_q.segment_rows(s)}
        kinds = sources_q.kinds_of_sources(s, set(source_of.values()))
    out: set[tuple[str, str]] = set()
    for segment, theme in pairs:
        source = source_of.get(segment)
        if source is not None and refusal(owned, theme, source, *kinds[source]) is not None:
            out.add((segment, theme))
    return out


def stranded(study: Study, framework: str) -> tuple[int, str | None]:
    """How many codings of the framework's themes lie on passages it does not code, and
    why the first of them does. Changing what a framework applies to, or moving themes
    into it, can leave such codings; the counts leave them out, so the researcher is told."""
    with study.read() as s:
        owned = frameworks_q.study_frameworks(s)
        if not owned.scoped():
            return 0, None
        rows = codings_q.codings_of_themes(s, owned.themes_of(framework))
        kinds = sources_q.kinds_of_sources(s, {c.source_id for c in rows})
    n, first = 0, None
    for c in sorted(rows, key=lambda c: (c.source_id, c.start, c.theme_id)):
        why = refusal(owned, c.theme_id, c.source_id, *kinds[c.source_id])
        if why is not None:
            n += 1
            first = first or why
    return n, first


__all__ = ["check_applies", "outside", "refusal", "stranded"]
