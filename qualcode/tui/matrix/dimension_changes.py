"""The Matrix workspace's mapping writes: a cell's dimension values and a theme's key
issues, each one undoable action. No Textual here."""

from __future__ import annotations

from qualcode.services import dimensions, key_issues
from qualcode.services.study import Study
from qualcode.tui.shared.changes import Outcome, logged, one_action


@one_action
def set_dimension(study: Study, case: str, theme: str, name: str, value: str | None) -> Outcome:
    """Place the cell on ``name`` (``value`` None: remove its value)."""
    if value is None:
        dimensions.unset_value(study, case, theme, name)
        said = f"{name} removed from {case} on {theme}"
    else:
        done = dimensions.set_value(study, case, theme, name, value)
        said = f"{case} on {theme}: {done.dimension} = {done.value}"
    entry = logged(study, f"{name} {case} {theme}")
    return Outcome(said if entry else "", entry, {"case": case, "theme": theme})


@one_action
def save_key_issues(study: Study, theme: str, text: str, version: int) -> Outcome:
    """Save a theme's key issues over ``version`` (refused if someone saved since)."""
    saved = key_issues.set_key_issues(study, theme, text, expected_version=version)
    entry = logged(study, f"key issues {theme}")
    said = "" if entry is None else ("Key issues saved" if saved else "Key issues removed")
    return Outcome(said, entry, {"theme": theme})
