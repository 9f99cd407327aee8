"""A multi-label model trained on the researcher's own codings.

One logistic regression per theme (one-vs-rest) over the TF-IDF features (plus
sentence embeddings when available). For theme k the positives are the segments coded
with k; the negatives are segments coded with other themes (but not with an ancestor
or descendant of k, which says nothing about k) and segments where a suggestion of k
was rejected, which count double. Uncoded segments may simply not have been read yet,
so a sample of them counts only as weak negatives (weight 0.02): enough to tell a theme
from the rest of the study when every coded segment so far has that theme.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Labels = Mapping[int, frozenset[int]]  # training row -> theme indices coded there


class SupervisedSuggester:
    """``fit`` on labelled rows of a feature matrix, ``predict_proba`` for any rows."""

    def __init__(
        self,
        C: float = 4.0,
        rejection_weight: float = 2.0,
        unlabelled_weight: float = 0.02,
        min_rows: int = 2,
    ):
        self.C = C
        self.rejection_weight = rejection_weight
        self.unlabelled_weight = unlabelled_weight
        self.min_rows = min_rows

    def fit(
        self,
        X: Any,
        labels: Labels,
        n_themes: int,
        rejected: Mapping[int, frozenset[int]] | None = None,
        related: Any = None,
        cancel: Callable[[], bool] | None = None,
        unlabelled: Sequence[int] = (),
    ) -> SupervisedSuggester:
        """Train on rows of ``X``; ``related[a, b]`` is true when theme a is an ancestor
        or descendant of theme b (a themes x themes boolean array)."""
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        rejected = rejected or {}
        known = sorted(set(labels) | set(rejected))
        weak = sorted(set(unlabelled) - set(known))
        rows = known + weak
        self.n_themes_ = n_themes
        self.models_: dict[int, tuple[Any, float]] = {}
        self.positives_ = np.zeros(n_themes, dtype=np.int64)
        self.coef_: Any = None
        self.intercept_: Any = None
        self.constant_: Any = None
        if not known:
            return self
        Y = np.zeros((len(rows), n_themes), dtype=np.float32)
        R = np.zeros_like(Y)
        for j, r in enumerate(rows):
            Y[j, list(labels.get(r, ()))] = 1.0
            R[j, list(rejected.get(r, ()))] = 1.0
        coded = Y.sum(axis=1, keepdims=True) > 0
        blocked = (Y @ related.astype(np.float32)) > 0 if related is not None else False
        W = np.where(Y > 0, 1.0, np.where(R > 0, self.rejection_weight, 0.0))
        W = np.where((W == 0) & coded & ~blocked, 1.0, W)
        W[len(known) :] = self.unlabelled_weight
        Xr = X[rows]
        self.positives_ = Y.sum(axis=0).astype(np.int64)
        coef = np.zeros((n_themes, X.shape[1]), dtype=np.float32)
        intercept = np.full(n_themes, -np.inf, dtype=np.float32)
        for k in range(n_themes):
            if cancel is not None and cancel():
                break
            y, w = Y[:, k], W[:, k]
            keep = w > 0
            pos = int(self.positives_[k])
            if pos == 0 or int(keep.sum()) < self.min_rows:
                continue
            if pos == int(keep.sum()):  # no negative of any kind yet
                # Only positives so far: every segment known for this theme had it.
                self.models_[k] = (None, 1.0)
                intercept[k] = np.inf
                continue
            pos_w = float(w[keep & (y == 0)].sum()) / pos
            weights = np.where(y == 1, max(pos_w, 1.0), w)[keep]
            model = LogisticRegression(C=self.C, solver="liblinear", dual=True, max_iter=200)
            model.fit(Xr[keep], y[keep], sample_weight=weights)
            self.models_[k] = (model, 0.0)
            coef[k] = model.coef_[0]
            intercept[k] = model.intercept_[0]
        self.coef_, self.intercept_ = coef, intercept
        return self

    def predict_proba(self, X: Any) -> Any:
        """Probabilities (rows x themes); NaN for themes without a model."""
        import numpy as np

        out = np.full((X.shape[0], self.n_themes_), np.nan, dtype=np.float32)
        if not self.models_:
            return out
        with np.errstate(over="ignore", invalid="ignore"):
            z = np.asarray(X @ self.coef_.T, dtype=np.float32) + self.intercept_
            p = 1.0 / (1.0 + np.exp(-z))
        cols = self.trained()
        out[:, cols] = np.nan_to_num(p[:, cols], nan=1.0)
        return out

    def coefficients(self, k: int) -> Any:
        """The weight of each feature for theme k (None without a linear model)."""
        model, _ = self.models_.get(k, (None, 0.0))
        return None if model is None else self.coef_[k]

    def trained(self) -> Sequence[int]:
        return sorted(self.models_)
