"""Turning any failure into a title and a message for the one error dialog.

Database errors arrive as :class:`~qualcode.errors.DatabaseFailure` (the services turn
them into one: see :func:`qualcode.services.failures.as_user_error`), so the TUI knows
only :mod:`qualcode.errors`.
"""

from __future__ import annotations

import traceback

from qualcode.errors import QualcodeError
from qualcode.services.failures import as_user_error

NOT_SAVED = "Nothing was changed by this step; everything saved before it is safe."


def describe_failure(exc: BaseException) -> tuple[str, str, str | None]:
    """(title, message, details): details holds a traceback for unexpected errors."""
    exc = as_user_error(exc)
    if isinstance(exc, QualcodeError):
        return exc.title, exc.message, None
    if isinstance(exc, OSError):
        return "File error", f"{exc}\n\n{NOT_SAVED}", None
    details = "".join(traceback.format_exception(exc))
    return "Unexpected error", f"{type(exc).__name__}: {exc}", details
