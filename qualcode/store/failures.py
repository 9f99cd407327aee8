"""Turning a database driver's error into a :class:`~qualcode.errors.DatabaseFailure`
with a title and a message a researcher can act on."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from qualcode.errors import DatabaseFailure

NOT_SAVED = "Nothing was changed by this step; everything saved before it is safe."


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text or type(exc).__name__


def database_failure(exc: BaseException) -> DatabaseFailure | None:
    """The failure as a user should see it; None when ``exc`` is not a database error."""
    if not isinstance(exc, SQLAlchemyError):
        return None
    reason = _reason(exc)
    if isinstance(exc, OperationalError):
        if "locked" in reason.lower() or "busy" in reason.lower():
            return DatabaseFailure(
                f"The study is locked by another program or coder ({reason}). "
                f"{NOT_SAVED} Try again in a moment.",
                "Database busy",
            )
        if "readonly" in reason.replace(" ", "").lower():
            return DatabaseFailure(
                f"The study file cannot be written: it is read-only ({reason}). Nothing "
                "can be saved to it: copy it to a file you can write to, or ask for write "
                f"access.\n\n{NOT_SAVED}",
                "Study is read-only",
            )
        return DatabaseFailure(f"{reason}\n\n{NOT_SAVED}", "Database unavailable")
    return DatabaseFailure(f"{reason}\n\n{NOT_SAVED}")
