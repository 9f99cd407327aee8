"""Big model work split over forked worker processes: each theme's fit, each batch of
passages scored, and a study's features worked out beside one another (:class:`Aside`).

liblinear fits a theme on one core, and a first ``suggest`` on a large study spends
most of its time there. Threads would share liblinear's one process-wide random
generator (the order in which each pass visits the training rows): two fits at once
drew from it in whatever order the threads ran, so the same codings gave slightly
different scores from run to run. A forked process has a generator of its own, seeded
by each fit as a serial run seeds it, so the models are the same to the bit. Forked,
a worker sees the model and the corpus as they are: only the results are pickled.

``QUALCODE_PROCESSES=1`` keeps all of it in the process itself.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from qualcode.config import processes_setting
from qualcode.errors import InputError

MAX_PROCESSES = 4  # on a shared server, leave the other cores to the other users

# What a forked worker runs, and on which items (a worker is given an item's index).
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
T = TypeVar("T")


def processes() -> int:
    """How many processes big work may use: ``QUALCODE_PROCESSES``, else the cores this
    process may use, at most ``MAX_PROCESSES``; 1 but on Linux (Windows cannot fork,
    and on macOS a forked process can crash in the system's libraries)."""
    if not sys.platform.startswith("linux"):
        return 1
    setting = processes_setting()
    if setting is not None:
        if not setting.isdigit() or int(setting) < 1:
            raise InputError(
                f"QUALCODE_PROCESSES must be a whole number of processes, 1 or more, "
                f"not {setting!r}"
            )
        return int(setting)
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


def run_each(
    job: Callable[[Any], Any],
    items: Sequence[Any],
    receive: Callable[[Any, Any], None],
    cancel: Callable[[], bool] | None = None,
    big: bool = True,
) -> None:
    """``receive(item, job(item))`` for each item, stopping once ``cancel()`` is true.

    ``big``: the work is worth starting processes for (about 20 ms); then the jobs run
    in forked processes and are received, here, as each ends, in no set order. Else,
    and with one process to use, one after another here. ``job`` must not ask
    ``cancel`` (a forked copy of it never hears the cancel); the caller is asked
    between results."""
    n = min(processes(), len(items))  # a bad setting is said whatever the work
    if not big:
        n = 1
    left = list(items)
    if n >= 2:
        left = _in_processes(n, job, left, receive, cancel)
    for item in left:
        if cancel is not None and cancel():
            return
        receive(item, job(item))


def _in_processes(
    n: int,
    job: Callable[[Any], Any],
    items: list[Any],
    receive: Callable[[Any, Any], None],
    cancel: Callable[[], bool] | None,
) -> list[Any]:
    """Run ``items`` in ``n`` forked processes; the items left to run here (all of them
    where no process can be had: a limit on processes, a sandbox; the rest if a worker
    died, say killed for memory)."""
    global _job
    _job = job, items  # set before any worker is forked, so that each sees it
    done: set[int] = set()
    try:
        with ProcessPoolExecutor(n, multiprocessing.get_context("fork"), _quiet) as pool:
            futures = [pool.submit(_run, i) for i in range(len(items))]
            for future in as_completed(futures):
                i, result = future.result()
                receive(items[i], result)
                done.add(i)
                if cancel is not None and cancel():
                    pool.shutdown(wait=True, cancel_futures=True)
                    return []
    except (OSError, BrokenProcessPool):
        pass
    finally:
        _job = None
    return [item for i, item in enumerate(items) if i not in done]


def _quiet() -> None:
    # Ctrl+C reaches the whole process group: the parent stops the pool, and the
    # workers should not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(i: int) -> tuple[int, Any]:
    assert _job is not None, "a worker started outside run_each"
    job, items = _job
    return i, job(items[i])


class Aside(Generic[T]):
    """``job()`` run in a forked process while this one goes on with other work, and
    :meth:`result` to wait for what it returns (pickled back). With one process to use,
    or none to be had, or a process that died (say killed for memory) or failed, the
    job runs here when its result is asked for: a failure is then raised here, with its
    own traceback. Use it in a ``with`` block, so a process not waited for (a cancel, an
    error) is ended."""

    def __init__(self, job: Callable[[], T], big: bool = True) -> None:
        self._job = job
        self._process: Any = None
        self._pipe: Any = None
        if not big or processes() < 2:
            return
        try:
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_aside, args=(job, send), daemon=True)
            process.start()
        except OSError:
            return
        send.close()  # this end is the worker's: its close tells the reader it died
        self._process, self._pipe = process, receive

    def result(self) -> T:
        if self._pipe is not None:
            try:
                done, value = self._pipe.recv()
            except (EOFError, OSError):
                done = False
            finally:
                self.close()
            if done:
                return value
        return self._job()

    def close(self) -> None:
        """End the process if it still runs."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._pipe.close()
            self._process = self._pipe = None

    def __enter__(self) -> Aside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _aside(job: Callable[[], Any], send: Any) -> None:
    _quiet()
    try:
        value = job()
    except BaseException:  # noqa: BLE001 - run again where it was asked for, and raised there
        send.send((False, None))
    else:
        send.send((True, value))
    send.close()
