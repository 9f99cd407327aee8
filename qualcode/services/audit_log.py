"""Reading the audit trail: who changed what, when, with the values before and after.

The trail is the ``changes`` table, written by every service in the same transaction
as the change itself (:func:`qualcode.store.audit.record`); nothing here writes to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from qualcode.errors import InputError
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study
from qualcode.store.queries import changes as changes_q
from qualcode.store.queries.source_rows import counts as source_rows_counts


@dataclass(frozen=True)
class Change:
    id: int
    at: datetime  # timezone-aware, UTC
    coder: str
    action: str  # add, update, delete, import, move, merge, resolve, restore, ...
    entity: str  # coding, theme, source, survey, cases, summary, memo, ...
    entity_id: str | None
    before: Any
    after: Any
    batch: str | None = None  # the user action this change belongs to
    undoes: str | None = None  # the batch this change reverted (an undo or redo)


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_RELATIVE = re.compile(r"^(\d+)\s*(m|min|h|d|w)$")
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """A point in time from ``2024-05-01``, ``2024-05-01T14:30``, ``today``,
    ``yesterday`` or an age such as ``90m``, ``2h``, ``3d``, ``1w``. Dates and times
    without a zone are local time."""
    now = aware(now) if now is not None else datetime.now(UTC)
    value = text.strip().lower()
    local_today = now.astimezone().date()
    if value in ("today", "yesterday"):
        day = local_today - timedelta(days=1 if value == "yesterday" else 0)
        return _local_midnight(day)
    match = _RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        return now - timedelta(**{_UNITS[unit]: amount})
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return _local_midnight(date.fromisoformat(value))
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"cannot read the time {text!r} (try 2024-05-01, 2024-05-01T14:30, today, "
            "yesterday, 90m, 2h, 3d or 1w)"
        ) from None
    return aware(parsed.astimezone() if parsed.tzinfo is None else parsed)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


@gc_paused()  # 235,000 changes as ORM rows: 9.0 s -> 4.5 s
def list_changes(
    study: Study,
    coder: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[Change]:
    """Changes oldest first; with ``limit``, the newest ``limit`` of them."""
    with study.read() as s:
        rows = changes_q.change_rows(
            s,
            coder=coder,
            since=None if since is None else aware(since),
            until=None if until is None else aware(until),
            entity=entity,
            limit=limit,
        )
    out = [
        Change(
            id=r.id,
            at=aware(r.at),
            coder=r.coder,
            action=r.action,
            entity=r.entity,
            entity_id=r.entity_id,
            before=r.before,
            after=r.after,
            batch=r.batch,
            undoes=r.undoes,
        )
        for r in rows
    ]
    out.reverse()
    return out


def reversals(study: Study) -> dict[str, str]:
    """For each batch that reverted another: "undo", or "redo" when what it reverted
    was itself an undo (an undo of a redo is an undo again)."""
    with study.read() as s:
        pairs = changes_q.reversal_pairs(s)
    kinds: dict[str, str] = {}
    for batch in pairs:
        depth, seen = 0, batch
        while seen in pairs and depth <= len(pairs):
            seen, depth = pairs[seen], depth + 1
        kinds[str(batch)] = "undo" if depth % 2 else "redo"
    return kinds


def change_count(study: Study) -> int:
    with study.read() as s:
        return changes_q.change_count(s)


def as_json(change: Change) -> dict[str, Any]:
    return {
        "id": change.id,
        "at": change.at.isoformat(),
        "coder": change.coder,
        "action": change.action,
        "entity": change.entity,
        "entity_id": change.entity_id,
        "before": _brief(change.before),
        "after": change.after,
        "batch": change.batch,
        "undoes": change.undoes,
    }


def _brief(state: Any) -> Any:
    """A removed source's entry keeps its rows for undo; the log counts them (the text
    of every answer of a removed file would bury the log)."""
    if isinstance(state, dict) and isinstance(state.get("rows"), dict):
        return state | {"rows": source_rows_counts(state["rows"])}
    return state


_SHOWN_KEYS = ("source", "start", "end", "theme", "coder", "label", "parent", "file", "keep")


def describe(change: Change, width: int = 60) -> str:
    """A one-line summary of what changed, for the terminal."""
    detail = change.after if change.after is not None else change.before
    if isinstance(detail, dict):
        keys = [k for k in _SHOWN_KEYS if k in detail] or list(detail)[:4]
        text = " ".join(f"{k}={_short(detail[k])}" for k in keys)
    elif detail is None:
        text = ""
    else:
        text = _short(detail)
    return text if len(text) <= width else text[: width - 1] + "…"


def _short(value: Any) -> str:
    if isinstance(value, list):
        return f"[{len(value)}]"
    if isinstance(value, dict):
        return "{...}"
    return str(value)
