"""Big model work runs in forked processes, with the results one process gives."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import sparse

from qualcode.errors import InputError
from qualcode.nlp import forked, learned, suggester
from qualcode.nlp.coldstart import ThemeProfile
from qualcode.nlp.learned import LearnedThemes
from qualcode.nlp.runs import Cancelled
from qualcode.nlp.suggester import ThemeSuggester, build_corpus
from tests.nlp.conftest import ANSWERS


def _study() -> tuple[sparse.csr_matrix, dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    rng = np.random.default_rng(3)
    n, themes = 2400, 7
    signal = rng.integers(0, themes, size=n)
    X = sparse.random(n, 3000, density=0.006, format="csr", random_state=2, dtype=np.float64)
    X = sparse.hstack([X, sparse.csr_matrix(np.eye(themes)[signal] * 0.3)], format="csr")
    labels = {r: frozenset({int(signal[r])}) for r in range(0, n, 2)}
    rejected = {r: frozenset({int(signal[r] + 1) % themes}) for r in range(1, 200, 2)}
    return X, labels, rejected


def test_themes_fitted_in_processes_are_the_ones_fitted_in_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    X, labels, rejected = _study()
    monkeypatch.setenv("QUALCODE_PROCESSES", "1")
    alone = LearnedThemes(folds=2).fit(X, labels, 8, rejected)
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    monkeypatch.setattr(learned, "FORK_FITS_FROM", 0)
    forked = LearnedThemes(folds=2).fit(X, labels, 8, rejected)
    assert alone.fitted_.tolist() == forked.fitted_.tolist() == [True] * 7 + [False]
    assert np.array_equal(alone.coef_, forked.coef_)
    assert np.array_equal(alone.intercept_, forked.intercept_)
    assert alone.curve_ == forked.curve_
    assert np.array_equal(alone.oof_[0], forked.oof_[0])


def test_big_fits_run_in_other_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    got: dict[int, int] = {}
    forked.run_each(lambda k: os.getpid(), range(6), got.__setitem__)
    assert sorted(got) == list(range(6))
    assert os.getpid() not in got.values()
    # small work stays here: starting processes would cost more than it saves
    got.clear()
    forked.run_each(lambda k: os.getpid(), range(6), got.__setitem__, big=False)
    assert set(got.values()) == {os.getpid()}


def test_themes_a_dead_worker_left_are_fitted_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    parent = os.getpid()

    def fit(k: int) -> int:
        if k == 3 and os.getpid() != parent:
            os._exit(1)  # as the kernel's out-of-memory killer would end it
        return k * 10

    got: dict[int, int] = {}
    forked.run_each(fit, range(8), got.__setitem__)
    assert got == {k: k * 10 for k in range(8)}


def test_without_processes_to_be_had_the_fits_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    monkeypatch.setattr(forked, "ProcessPoolExecutor", refused)
    got: dict[int, int] = {}
    forked.run_each(lambda k: os.getpid(), range(4), got.__setitem__)
    assert got == dict.fromkeys(range(4), os.getpid())


def test_a_cancel_stops_the_fits_in_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    got: list[int] = []
    forked.run_each(lambda k: k, range(200), lambda k, _: got.append(k), cancel=lambda: bool(got))
    assert len(got) == 1


@pytest.mark.parametrize("setting", ["0", "two", "-1", "1.5"])
def test_a_bad_process_setting_says_what_it_must_be(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv("QUALCODE_PROCESSES", setting)
    with pytest.raises(InputError, match="QUALCODE_PROCESSES must be a whole number"):
        forked.processes()


def test_the_processes_default_to_the_cores_at_most_four(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUALCODE_PROCESSES", raising=False)
    cores = len(os.sched_getaffinity(0))
    assert forked.processes() == max(1, min(cores, forked.MAX_PROCESSES))
    monkeypatch.setenv("QUALCODE_PROCESSES", " 3 ")
    assert forked.processes() == 3
    monkeypatch.setattr(sys, "platform", "darwin")  # forking is not safe there
    assert forked.processes() == 1


def _suggester() -> tuple[ThemeSuggester, list[int]]:
    texts = [f"{a} (reply {i})" for i in range(3) for a in ANSWERS]
    themes = [ThemeProfile("P1", "Pay and grading"), ThemeProfile("W1", "Supervision")]
    corpus = build_corpus([f"s{i}" for i in range(len(texts))], texts)
    examples = [(0, frozenset({0})), (1, frozenset({0})), (4, frozenset({1})), (5, frozenset({1}))]
    return ThemeSuggester().fit(corpus, themes, examples), list(range(len(texts)))


def test_passages_scored_in_processes_get_what_one_process_gives(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fitted, rows = _suggester()
    monkeypatch.setenv("QUALCODE_PROCESSES", "1")
    alone = fitted.suggest(rows, top=2, batch=5)
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    monkeypatch.setattr(suggester, "FORK_SCORING_FROM", 0)
    heard: list[tuple[str, int, int]] = []
    real = ThemeSuggester._suggest_batch
    where = tmp_path / "pids"

    def watched(self: ThemeSuggester, *args: Any) -> Any:
        with where.open("a") as fh:  # a file: what a worker process does is not seen here
            fh.write(f"{os.getpid()}\n")
        return real(self, *args)

    monkeypatch.setattr(ThemeSuggester, "_suggest_batch", watched)
    together = fitted.suggest(rows, top=2, batch=5, progress=lambda *a: heard.append(a))
    assert together == alone
    assert len(alone) == len(rows)
    assert any(alone)
    pids = where.read_text().split()
    assert len(pids) == len(range(0, len(rows), 5))
    assert str(os.getpid()) not in pids
    assert heard[-1] == ("suggesting", len(rows), len(rows))


def test_a_cancel_stops_the_scoring_in_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    fitted, rows = _suggester()
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    monkeypatch.setattr(suggester, "FORK_SCORING_FROM", 0)
    heard: list[object] = []
    with pytest.raises(Cancelled):
        fitted.suggest(
            rows, batch=5, progress=lambda *a: heard.append(a), cancel=lambda: bool(heard)
        )
    assert len(heard) == 1


def test_work_set_aside_runs_in_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    with forked.Aside(os.getpid) as aside:
        assert aside.result() != os.getpid()
    with forked.Aside(os.getpid, big=False) as aside:  # small work: here
        assert aside.result() == os.getpid()
    monkeypatch.setenv("QUALCODE_PROCESSES", "1")
    with forked.Aside(os.getpid) as aside:
        assert aside.result() == os.getpid()


def test_work_set_aside_that_died_or_failed_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed for memory leaves the work to do here; a failure is raised here,
    where its traceback is seen."""
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    parent = os.getpid()

    def dies() -> int:
        if os.getpid() != parent:
            os._exit(9)
        return 7

    with forked.Aside(dies) as aside:
        assert aside.result() == 7
    ran: list[int] = []

    def fails() -> int:
        ran.append(os.getpid())
        raise ValueError("bad input")

    with forked.Aside(fails) as aside, pytest.raises(ValueError, match="bad input"):
        aside.result()
    assert ran == [parent]  # the worker's own try is not seen here


def test_work_set_aside_and_not_waited_for_is_ended(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    seen: list[Any] = []

    def cancelled() -> None:
        with forked.Aside(lambda: time.sleep(60)) as aside:
            seen.append(aside._process)
            raise KeyboardInterrupt  # a cancel, say

    with pytest.raises(KeyboardInterrupt):
        cancelled()
    [process] = seen
    assert process is not None
    assert not process.is_alive()
    assert process.exitcode != 0  # ended, not finished


def test_a_big_corpus_reads_its_tone_and_meaning_aside_with_the_same_features(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [f"{a} (reply {i})" for i in range(20) for a in ANSWERS]
    ids = [f"s{i}" for i in range(len(texts))]
    monkeypatch.setenv("QUALCODE_PROCESSES", "2")
    monkeypatch.setattr(suggester, "SURFACE_ASIDE_FROM", 0)
    started: list[int] = []
    real = forked.Aside.__init__

    def watched(self: forked.Aside[Any], job: Any, big: bool = True) -> None:
        real(self, job, big)
        started.append(self._process is not None)

    monkeypatch.setattr(forked.Aside, "__init__", watched)
    aside = build_corpus(ids, texts)
    assert started == [True]
    monkeypatch.setattr(suggester, "SURFACE_ASIDE_FROM", 10**9)
    here = build_corpus(ids, texts)
    assert started == [True, False]
    assert (aside.X != here.X).nnz == 0
    assert aside.passage_features.blocks() == here.passage_features.blocks()
