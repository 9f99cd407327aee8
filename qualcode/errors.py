"""The error hierarchy: every failure a user can cause or meet has a title and a message.

The CLI prints ``error: <message>`` and exits 2 for :class:`InputError`; the TUI shows
``title`` and ``message`` in one error dialog.
"""

from __future__ import annotations

from pathlib import Path


class QualcodeError(Exception):
    """Base of every error qualcode reports to a user."""

    title = "qualcode error"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class InputError(QualcodeError):
    """Bad input from a file or the command line: the CLI exits with status 2.

    ``path`` and ``line`` (or row) are folded into the message so that the one line
    on stderr names where the problem is.
    """

    title = "Bad input"

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        *,
        where: str = "line",
        title: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        prefix = ""
        if self.path is not None:
            prefix = self.path
            if line is not None:
                prefix += f", {where} {line}"
            prefix += ": "
        super().__init__(prefix + message, title)


class OutOfScopeError(InputError):
    """A theme was put on a passage its framework does not code (an interview theme on a
    survey answer, say)."""

    title = "Theme not for this passage"


class StudyError(QualcodeError):
    """The study cannot be opened, created or upgraded."""

    title = "Study"


class NotFoundError(QualcodeError):
    """A case, source, segment, theme or coding that was named does not exist."""

    title = "Not found"


class ConflictError(QualcodeError):
    """A change would overwrite someone else's newer change, or clash with existing data."""

    title = "Conflict"


class OptionalDependencyError(QualcodeError):
    """An optional extra (for example ``qualcode[embeddings]``) is not installed."""

    title = "Missing extra"


class DatabaseFailure(QualcodeError):
    """The database failed a read or a write (busy, unreachable, refused): nothing of
    that transaction was kept. Made from the driver's error by the store side
    (:func:`qualcode.store.failures.database_failure`), so the UI needs no driver."""

    title = "Database error"
