"""The same codings give the same model, run after run: liblinear's random order of
training rows comes from one process-wide generator, so themes fitted in two threads
at once drew from it in whatever order the threads ran."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from qualcode.nlp.learned import LearnedThemes


def test_the_same_codings_fit_the_same_model_every_time() -> None:
    rng = np.random.default_rng(0)
    n, themes = 3000, 8
    X = sparse.random(n, 4000, density=0.004, format="csr", random_state=1, dtype=np.float64)
    signal = rng.integers(0, themes, size=n)
    X = sparse.hstack([X, sparse.csr_matrix(np.eye(themes)[signal] * 0.3)], format="csr")
    labels = {r: frozenset({int(signal[r])}) for r in range(0, n, 2)}
    fits = [LearnedThemes(folds=2).fit(X, labels, themes) for _ in range(3)]
    for other in fits[1:]:
        assert np.array_equal(fits[0].coef_, other.coef_)
        assert np.array_equal(fits[0].intercept_, other.intercept_)
        assert fits[0].curve_ == other.curve_
