"""Who works on a study: every coder named in codings, memos, summaries or the audit
trail, with how much each has done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from qualcode.services.audit_log import aware
from qualcode.services.study import Study
from qualcode.store import models as m


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
        for kind, col in (
            ("codings", m.CodingRow.coder),
            ("memos", m.MemoRow.coder),
            ("summaries", m.SummaryRow.coder),
            ("changes", m.ChangeRow.coder),
        ):
            tally(kind, s.execute(select(col, func.count()).group_by(col)).all())
        latest = select(m.ChangeRow.coder, func.max(m.ChangeRow.at)).group_by(m.ChangeRow.coder)
        last: dict[str, Any] = dict(s.execute(latest).all())
        for name in s.scalars(select(m.CoderRow.name)):
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
