"""Fitting many themes' models at once, one theme to a forked worker process.

liblinear fits a theme on one core, and a first ``suggest`` on a large study spends
most of its time there. Threads would share liblinear's one process-wide random
generator (the order in which each pass visits the training rows): two fits at once
drew from it in whatever order the threads ran, so the same codings gave slightly
different scores from run to run. A forked process has a generator of its own, seeded
by each fit as a serial run seeds it, so the models are the same to the bit.

``QUALCODE_FIT_PROCESSES=1`` fits one theme after another in the process itself.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from qualcode.errors import InputError

MAX_PROCESSES = 4  # on a shared server, leave the other cores to the other users
# Stored entries of the training rows x themes below which starting the processes
# costs more than it saves (about 20 ms; a theme on 2,000 rows of 300 entries takes 30).
MIN_WORK = 4_000_000

_job: Callable[[int], Any] | None = None  # what a forked worker runs for a theme


def processes(env: dict[str, str] | None = None) -> int:
    """How many processes fit themes: ``QUALCODE_FIT_PROCESSES``, else the cores this
    process may use, at most ``MAX_PROCESSES``; 1 where processes cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    setting = (os.environ if env is None else env).get("QUALCODE_FIT_PROCESSES", "").strip()
    if setting:
        if not setting.isdigit() or int(setting) < 1:
            raise InputError(
                f"QUALCODE_FIT_PROCESSES must be a whole number of processes, 1 or more, "
                f"not {setting!r}"
            )
        return int(setting)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCESSES))


def fit_each(
    fit: Callable[[int], Any],
    themes: Sequence[int],
    work: int,
    receive: Callable[[int, Any], None],
    cancel: Callable[[], bool] | None = None,
) -> None:
    """``receive(k, fit(k))`` for each theme k, stopping once ``cancel()`` is true.

    With ``work`` (the stored entries of the rows each fit reads, times the themes) of
    at least ``MIN_WORK`` and more than one process to use, the fits run in forked
    processes and are received as each ends; otherwise one after another, here.
    Only the results travel by pickle: forked processes see ``fit`` and all it reads
    as they are."""
    n = min(processes(), len(themes)) if work >= MIN_WORK else 1
    left = list(themes)
    if n >= 2:
        left = _in_processes(n, fit, left, receive, cancel)
    for k in left:
        if cancel is not None and cancel():
            return
        receive(k, fit(k))


def _in_processes(
    n: int,
    fit: Callable[[int], Any],
    themes: list[int],
    receive: Callable[[int, Any], None],
    cancel: Callable[[], bool] | None,
) -> list[int]:
    """Fit ``themes`` in ``n`` forked processes; the themes left to fit here (all of
    them where no process can be had: a limit on processes, a sandbox; the rest if a
    worker died, say killed for memory)."""
    global _job
    _job = fit  # set before any worker is forked, so that each sees it
    done: set[int] = set()
    try:
        with ProcessPoolExecutor(n, multiprocessing.get_context("fork"), _quiet) as pool:
            futures = [pool.submit(_run, k) for k in themes]
            for future in as_completed(futures):
                k, result = future.result()
                receive(k, result)
                done.add(k)
                if cancel is not None and cancel():
                    pool.shutdown(wait=True, cancel_futures=True)
                    return []
    except (OSError, BrokenProcessPool):
        pass
    finally:
        _job = None
    return [k for k in themes if k not in done]


def _quiet() -> None:
    # Ctrl+C reaches the whole process group: the parent stops the pool, and the
    # workers should not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(k: int) -> tuple[int, Any]:
    assert _job is not None, "a fit worker started outside fit_each"
    return k, _job(k)
