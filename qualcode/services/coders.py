"""Who works on a study: every coder named in codings, memos, summaries or the audit
trail, with how much each has done."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qualcode.services.audit_log import aware
from qualcode.services.study import Study
from qualcode.store.queries import coders as coders_q


@dataclass(frozen=True)
class CoderActivity:
    coder: str
    codings: int
    memos: int
    summaries: int
    changes: int  # entries in the audit trail made by this coder
    last: datetime | None  # their latest change


def coder_activity(study: Study) -> list[CoderActivity]:
    """Every coder of the study, by name."""
    counts: dict[str, dict[str, Any]] = {}

    def tally(kind: str, rows: Any) -> None:
        for name, n in rows:
            counts.setdefault(name, {})[kind] = int(n)

    with study.read() as s:
        for kind in ("codings", "memos", "summaries", "changes"):
            tally(kind, coders_q.work_by_coder(s, kind))
        last: dict[str, Any] = coders_q.last_change_by_coder(s)
        for name in coders_q.coder_names(s):
            counts.setdefault(name, {})
    return [
        CoderActivity(
            coder=name,
            codings=c.get("codings", 0),
            memos=c.get("memos", 0),
            summaries=c.get("summaries", 0),
            changes=c.get("changes", 0),
            last=aware(last[name]) if last.get(name) else None,
        )
        for name, c in sorted(counts.items())
    ]


def same_looking(names: Iterable[str]) -> list[tuple[str, ...]]:
    """Coder names that differ only in case or spacing ("bob", "Bob", "bob "): counted
    as different coders, they split one person's work in agreement and exports."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for name in names:
        groups.setdefault(_key(name), []).append(name)
    return [tuple(sorted(g)) for g in groups.values() if len(g) > 1]


def lookalike(study: Study) -> str | None:
    """A coder of the study whose name differs from ``study.coder`` only in case or
    spacing ("bob" beside "Bob"), when ``study.coder`` itself is new to the study:
    names are kept as typed, so the two would count as two coders in agreement."""
    with study.read() as s:
        names = coders_q.known_coders(s)
    if study.coder in names:
        return None
    key = _key(study.coder)
    return next((n for n in sorted(names) if _key(n) == key), None)


def _key(name: str) -> tuple[str, ...]:
    return tuple(name.casefold().split())
