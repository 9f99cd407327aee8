"""One line for a failure no service turned into a QualcodeError.

A database that went away or is locked (as the TUI words it), disk full, permissions,
input nested too deeply for the readers: the user gets one
``error:`` line saying what happened. Anything else is a bug in qualcode; the line says
so (``QUALCODE_DEBUG=1`` shows the traceback) and never dumps one on a researcher.
"""

from __future__ import annotations

import errno

from qualcode.services.failures import as_user_error

UNEXPECTED = "unexpected failure"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    item: BaseException | None = exc
    while item is not None and item not in seen:
        seen.append(item)
        orig = getattr(item, "orig", None)
        item = orig if isinstance(orig, BaseException) else item.__cause__ or item.__context__
    return seen


def describe(exc: BaseException) -> str:
    for item in _chain(exc):
        failure = as_user_error(item)  # the database went away, is locked, ...
        if failure is not item:
            return str(failure)
        text = str(item)
        if isinstance(item, OSError) and item.errno == errno.ENOSPC or "disk is full" in text:
            return "the disk is full; nothing was saved (free some space and try again)"
        if isinstance(item, OSError) and item.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            where = f"{item.filename}: " if item.filename else ""
            return f"{where}permission denied or read-only ({item.strerror}); nothing was saved"
        if "readonly database" in text or "read-only" in text:
            return f"the study is read-only ({text.splitlines()[0]}); nothing was saved"
        if isinstance(item, RecursionError):
            return "the input is nested too deeply to read; nothing was saved"
        if isinstance(item, MemoryError):
            return "the input is too large to read in memory; nothing was saved"
        if isinstance(item, OSError):
            where = f"{item.filename}: " if item.filename else ""
            return f"{where}{item.strerror or item}; nothing was saved"
    first = str(exc).strip().splitlines()
    detail = f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
    return (
        f"{UNEXPECTED} ({detail}); this is a bug in qualcode - please report it "
        "(QUALCODE_DEBUG=1 shows the traceback)"
    )
