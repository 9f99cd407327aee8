"""What the interfaces remember per study, stored in the study: the Matrix workspace's
grouping (every coder sees the same), and each coder's coder filter (whose codings
Read & code and Cases show: a blind double-coder's own only, from one session to the
next) and shortcut keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

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


def _filter_key(coder: str) -> str:
    return f"coder_filter.{coder}"


def remember_coder_filter(study: Study, coder: str, shown: str | None) -> None:
    with study.write() as s:
        study_q.set_setting(s, _filter_key(coder), shown)


def _shortcuts_key(coder: str) -> str:
    return f"shortcuts.{coder}"


@dataclass(frozen=True)
class CoderPreferences:
    # the themes on keys 1-9 ("" a key without one), as last laid out: keys laid out
    # afresh each session moved when a theme was deleted ("5" coded another the next day)
    shortcuts: list[str]
    coder_filter: str | None  # whose codings the coder last chose to see (None: all)


def coder_preferences(study: Study, coder: str) -> CoderPreferences:
    """``coder``'s shortcut keys and coder filter, read together in one read (at the app's
    start)."""
    with study.read() as s:
        keys = study_q.setting(s, _shortcuts_key(coder))
        shown = study_q.setting(s, _filter_key(coder))
    return CoderPreferences(_shortcuts(keys), shown or None)


def _shortcuts(stored: str | None) -> list[str]:
    try:
        keys = json.loads(stored) if stored else []
    except ValueError:
        return []
    return [k if isinstance(k, str) else "" for k in keys][:9] if isinstance(keys, list) else []


def remember_shortcuts(study: Study, coder: str, keys: Sequence[str]) -> None:
    with study.write() as s:
        study_q.set_setting(s, _shortcuts_key(coder), json.dumps(list(keys)) if keys else None)
