"""The Mapping workspace's writes: naming a type and saving the types as an attribute.

Both record the build first when the screen shows a preview (no build recorded yet), in
the same action, so that one undo takes back what one key did.
"""

from __future__ import annotations

from qualcode.services import typology
from qualcode.services.study import Study
from qualcode.tui.shared import changes
from qualcode.tui.shared.changes import Outcome


def _recorded(study: Study, k: int) -> None:
    if typology.current(study) is None:
        typology.build(study, k=k)


def name_type(study: Study, k: int, number: int, name: str) -> Outcome:
    with study.action():
        _recorded(study, k)
        typology.name_type(study, number, name)
        return Outcome(
            f"Type {number} is now {name!r}", changes.logged(study, f"name type {number}")
        )


def save_types(study: Study, k: int, attribute: str) -> Outcome:
    with study.action():
        _recorded(study, k)
        changed = typology.save(study, attribute)
        return Outcome(
            f"Saved the types as the case attribute {attribute!r} ({changed} cases changed)",
            changes.logged(study, f"save types as {attribute}"),
        )
