"""Writing export files whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qualcode.errors import InputError


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it when the block succeeds.

    A failed export leaves neither a half-written file nor the temporary one; a file
    that cannot be written is reported as bad input naming it.
    """
    if not path.parent.is_dir():
        raise InputError(f"no such folder {str(path.parent)!r}", path)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        yield tmp
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write the file ({exc.strerror or exc})", path) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
