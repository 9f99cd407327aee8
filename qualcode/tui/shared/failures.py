"""Turning any failure into a title and a message for the one error dialog."""

from __future__ import annotations

import traceback

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from qualcode.errors import QualcodeError

NOT_SAVED = "Nothing was changed; your work so far is saved."


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text or type(exc).__name__


def describe_failure(exc: BaseException) -> tuple[str, str, str | None]:
    """(title, message, details): details holds a traceback for unexpected errors."""
    if isinstance(exc, QualcodeError):
        return exc.title, exc.message, None
    if isinstance(exc, OperationalError):
        reason = _reason(exc)
        if "locked" in reason.lower() or "busy" in reason.lower():
            return (
                "Database busy",
                f"The study is locked by another program or coder ({reason}). "
                f"{NOT_SAVED} Try again in a moment.",
                None,
            )
        return "Database unavailable", f"{reason}\n\n{NOT_SAVED}", None
    if isinstance(exc, SQLAlchemyError):
        return "Database error", f"{_reason(exc)}\n\n{NOT_SAVED}", None
    if isinstance(exc, OSError):
        return "File error", f"{exc}\n\n{NOT_SAVED}", None
    details = "".join(traceback.format_exception(exc))
    return "Unexpected error", f"{type(exc).__name__}: {exc}", details
