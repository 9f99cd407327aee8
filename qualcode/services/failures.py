"""What went wrong, in the terms of :mod:`qualcode.errors`: callers above the services
(the TUI) see a :class:`~qualcode.errors.DatabaseFailure`, never the driver's error."""

from __future__ import annotations

from qualcode.store.failures import database_failure


def as_user_error(exc: BaseException) -> BaseException:
    """``exc``, or the :class:`~qualcode.errors.DatabaseFailure` a database error means
    (its ``__cause__`` is the original, for the details)."""
    failure = database_failure(exc)
    if failure is None:
        return exc
    failure.__cause__ = exc
    return failure
