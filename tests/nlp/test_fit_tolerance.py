"""Big fits stop at a looser tolerance, where each pass over the data costs; the
suggestions they rank must be the ones the tight tolerance ranks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from qualcode.nlp import learned
from qualcode.nlp.learned import LearnedThemes


def _study(n: int, themes: int = 6) -> tuple[sparse.csr_matrix, dict[int, frozenset[int]]]:
    rng = np.random.default_rng(0)
    signal = rng.integers(0, themes, size=n)
    noise = sparse.random(n, 3000, density=0.01, format="csr", random_state=1)
    # each theme has words of its own, used in some of its passages and a few others
    words = (rng.random((n, themes * 20)) < 0.08) & (
        (np.repeat(np.arange(themes), 20)[None, :] == signal[:, None]) | (rng.random((n, 1)) < 0.2)
    )
    X = sparse.hstack([noise, sparse.csr_matrix(words.astype(np.float64))], format="csr")
    return X, {r: frozenset({int(signal[r])}) for r in range(0, n, 2)}


def test_the_loose_tolerance_ranks_as_the_tight_one(monkeypatch: pytest.MonkeyPatch) -> None:
    X, labels = _study(2 * learned.LOOSE_FROM + 400)
    loose = LearnedThemes(folds=2).fit(X, labels, 6)
    monkeypatch.setattr(learned, "LOOSE_FROM", 10**9)
    tight = LearnedThemes(folds=2).fit(X, labels, 6)
    uncoded = [r for r in range(X.shape[0]) if r not in labels]
    a = np.argsort(-loose.probabilities(X[uncoded]), axis=1)[:, :3]
    b = np.argsort(-tight.probabilities(X[uncoded]), axis=1)[:, :3]
    assert not np.array_equal(loose.coef_, tight.coef_)  # the two did stop apart
    assert (a[:, 0] == b[:, 0]).mean() >= 0.97
    assert np.mean([len(set(x) & set(y)) / 3 for x, y in zip(a, b, strict=True)]) >= 0.95
