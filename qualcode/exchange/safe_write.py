"""Writing an export whole or not at all, without trusting the target folder.

``-`` means stdout. A regular target is written to a fresh temporary file beside it (created with
``mkstemp``: a name nobody could have planted, ``O_EXCL``, mode 0600) that replaces
it when the writer succeeds. ``-`` (stdout) and targets that are not regular files
(``/dev/stdout``, a FIFO, a terminal) are written directly: there is nothing to
replace. A symlink is written *through*: the file it points to is replaced and the
link stays a link. Leftover temporary files of exports that were killed are removed
the next time the same file is written.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from qualcode.errors import InputError

STDOUT = "-"
PARTIAL = ".partial"


def resolve_target(path: Path) -> tuple[Path, bool]:
    """The path to write and whether to write it directly (no temporary file)."""
    try:
        mode = path.stat().st_mode  # follows links: /dev/stdout is one
    except FileNotFoundError:
        return (path.resolve() if path.is_symlink() else path), False
    except OSError as exc:
        raise InputError(f"cannot write the file ({exc.strerror or exc})", path) from None
    if stat.S_ISDIR(mode):
        raise InputError("is a folder, not a file", path)
    if not stat.S_ISREG(mode):
        return path, True
    return (path.resolve() if path.is_symlink() else path), False


SQLITE_HEADER = b"SQLite format 3\x00"


def refuse_database(target: Path, named: Path) -> None:
    """An export never replaces a database: a study given as the output file by
    mistake (`codings export wave1.qualcode`) was overwritten with CSV."""
    try:
        with target.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return  # not there yet, or unreadable: the write itself will say
    if head == SQLITE_HEADER:
        raise InputError(
            "is a database (a qualcode study?): an export never writes over one; name another file",
            named,
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftovers(folder: Path, name: str) -> None:
    """Remove temporary files of earlier exports of ``name`` whose process is gone."""
    prefix = f".{name}."
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(PARTIAL)):
            continue
        middle = entry.name[len(prefix) : -len(PARTIAL)]
        pid = middle.split(".", 1)[0]
        stale = middle == "" or (pid.isdigit() and not _alive(int(pid)))
        if stale:
            with suppress(OSError):
                os.unlink(entry.path)


def _message(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full; nothing was written"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "cannot write there (read-only or no permission); nothing was written"
    return f"cannot write the file ({exc.strerror or exc}); nothing was written"


def _release_quietly(exc: BaseException) -> None:
    """Let go of what the failed writer left open (a half-written zip archive whose
    finaliser would fail again and print a traceback on a full disk)."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


@contextmanager
def _to_stdout(path: Path) -> Iterator[Path]:
    """``-``: the writer fills a private temporary file, then its bytes go to stdout."""
    fd, name = tempfile.mkstemp(prefix="qualcode-", suffix=PARTIAL)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        data = tmp.read_bytes()
        if out is None:
            sys.stdout.write(data.decode("utf-8", "replace"))
        else:
            sys.stdout.flush()
            out.write(data)
            out.flush()
    except OSError as exc:
        _release_quietly(exc)
        raise InputError(_message(exc), path) from None
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def replacing(path: Path, private: bool = True) -> Iterator[Path]:
    """A path to write that becomes ``path`` when the block succeeds.

    ``private`` files (anything holding participants' words) stay mode 0600;
    others get the usual permissions (0666 less the umask). A failure leaves
    neither a half-written file nor the temporary one and is reported as bad
    input naming the file.
    """
    if str(path) == STDOUT:
        with _to_stdout(path) as tmp:
            yield tmp
        return
    target, direct = resolve_target(path)
    if not direct:
        refuse_database(target, path)
    if direct:
        try:
            yield target
        except OSError as exc:
            raise InputError(_message(exc), path) from None
        return
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"no such folder {str(folder)!r}", path)
    sweep_leftovers(folder, target.name)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=PARTIAL, dir=folder
        )
        os.close(fd)
    except OSError as exc:
        raise InputError(_message(exc), path) from None
    tmp = Path(name)
    try:
        yield tmp
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        _release_quietly(exc)
        tmp.unlink(missing_ok=True)
        raise InputError(_message(exc), path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
