"""What the interfaces remember per study, stored in the study (every coder sees the
same): the Matrix workspace's grouping."""

from __future__ import annotations

import json
from collections.abc import Sequence

from qualcode.services.study import Study
from qualcode.store.queries import study as study_q

MATRIX_GROUPING = "matrix.grouping"


def remembered_grouping(study: Study) -> list[str]:
    """The attributes the matrix was last grouped by ([] when never, or unreadable)."""
    with study.read() as s:
        stored = study_q.setting(s, MATRIX_GROUPING)
    try:
        names = json.loads(stored) if stored else []
    except ValueError:
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def remember_grouping(study: Study, by: Sequence[str]) -> None:
    with study.write() as s:
        study_q.set_setting(s, MATRIX_GROUPING, json.dumps(list(by)) if by else None)
