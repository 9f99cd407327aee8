"""What a long NLP run reports and how its caller stops it (shared by the suggester and
the embeddings, so neither has to import the other for it)."""

from __future__ import annotations

from collections.abc import Callable

from qualcode.errors import QualcodeError

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Cancel = Callable[[], bool]  # asked between batches: True stops the run


class Cancelled(QualcodeError):
    """A long run was stopped by its caller between batches."""

    title = "Cancelled"
