"""A model of the researcher's own coding, with scores that are probabilities.

One linear SVM per theme (binary relevance: a passage may carry several themes) over
:class:`qualcode.nlp.passages.PassageFeatures`. For theme k the positives are the
passages coded with k; the negatives are passages coded with other themes (not with
an ancestor or descendant of k, which says nothing about k) and passages where a
suggestion of k was rejected (weight 2). While a theme has almost no negatives, a
sample of uncoded passages counts as weak negatives. Anchor rows (the framework's own
words for each theme, one or two rows a theme, weighing as one coding between them)
train every model, as a positive of their theme and a negative of the others, but are
never held out for calibration nor counted as codings, and no theme is fitted on its
anchor alone.

Scores are calibrated on the researcher's codings by cross-validation: each fold's
models score the passages they did not see, and a curve maps a margin to the
probability that the theme is among the passage's coded themes. The curve is the mean
of a logistic fit (Platt scaling, drawn toward a fixed curve while the out-of-fold
suggestions are few) and, once there are enough out-of-fold suggestions,
an isotonic fit: the logistic shape alone cannot follow the hit rate where it bends
(a passage's low-scored third suggestion is right less often than the logistic says),
the isotonic steps alone overfit, and their mean is smooth and strictly increasing, so
the order of suggestions stays the margin's.
The same out-of-fold predictions say how precise suggestions above a score have been
(:meth:`LearnedThemes.precision_above`), which is what bulk accept shows before it writes.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

Labels = Mapping[int, frozenset[int]]  # training row -> theme indices coded there
# Cross-validation's passages in order, their labels, each fold's held-out rows and its
# training labels.
Folds = tuple[Any, dict[int, frozenset[int]], list[set[int]], list[dict[int, frozenset[int]]]]
FOLDS = 3
MIN_FOR_CALIBRATION = 24  # coded passages; below it a fixed curve is used
MAX_FOR_CALIBRATION = 2400  # a sample this big calibrates as well as all, and costs less
CALIBRATION_TOP = 3  # each out-of-fold passage contributes its best three: what is shown
DEFAULT_CURVE = (2.5, -0.25)  # slope, intercept on the SVM margin (p(0) = 0.44)
PROTOTYPE_WEIGHT = 0.5  # a theme's prototype beside its SVM weights on sentence embeddings
CURVE_PRIOR = 100  # pseudo-suggestions that draw a fitted curve toward the default one
# liblinear's stopping tolerance: 1e-2 (the same rankings on the real corpora as 1e-4,
# in two thirds the time), and 0.1 for a fit on LOOSE_FROM rows or more, where each pass
# over the data costs: about 15 passes a theme instead of 30 on 9,000 coded answers, and
# the same figures (0.1 on every fit against 1e-2, a third coded: serdif seeds 0-2 0.610 /
# 0.838, ECE 0.024, against 0.609 / 0.837, 0.023; nhs-fft 0.564 / 0.804, 0.040, against
# 0.564 / 0.804, 0.039; 161 quotes, seeds 0-9, level). A few dozen rows need the tighter
# one: there 0.1 stops after a pass or two, far from the fit.
TOLERANCE = 1e-2
LOOSE_TOLERANCE = 0.1
LOOSE_FROM = 1000
# Stored entries of the training rows x themes from which the fits run in processes of
# their own (nlp.forked): starting them takes about 20 ms, and a theme on 2,000 rows of
# 300 entries takes 30.
FORK_FITS_FROM = 4_000_000
# The shares of the cross-validation's training passages a learning curve refits on (all
# of them is the cross-validation itself).
CURVE_SHARES = (0.25, 0.5)
MIN_FOR_ISOTONIC = 1000  # out-of-fold suggestions (about 333 coded passages); fewer and the
# steps follow noise (serdif at 10% coded, 576 of them: ECE 0.041 against 0.029 without)


@dataclass(frozen=True)
class Reliability:
    """One bin of a reliability table: suggestions scored in [low, high)."""

    low: float
    high: float
    count: int
    mean_score: float
    hit_rate: float


@dataclass(frozen=True)
class HeldOut:
    """What cross-validation saw of each coded passage it held out: the themes its
    models suggested first, their margins, and the themes coded there."""

    themes: Any  # passages x CALIBRATION_TOP theme columns, best first
    margins: Any  # the same shape; -inf where no model could suggest
    coded: Any  # passages x themes: coded there
    reachable: Any  # passages: one of its themes was known to the fold's models

    @property
    def hits(self) -> Any:
        import numpy as np

        return np.take_along_axis(self.coded, self.themes, axis=1)


@dataclass(frozen=True)
class CurvePoint:
    """The held-out passages of cross-validation, suggested themes by models fitted on
    a share of what each fold's models learned from."""

    share: float  # of the passages each fold learned from: 1.0 is the cross-validation
    passages: int  # coded passages each fold's models learned from (the folds' mean)
    top1: float  # share of the held-out passages whose first suggestion was coded there
    top3: float  # ... one of whose best three was


class LearnedThemes:
    """``fit`` on labelled rows of a feature matrix; ``probabilities`` for any rows."""

    def __init__(
        self,
        C: float = 0.3,
        rejection_weight: float = 2.0,
        unlabelled_weight: float = 0.02,
        folds: int = FOLDS,
        anchor_weight: float = 1.0,
        prototype_from: int | None = None,
        prototype_weight: float = PROTOTYPE_WEIGHT,
    ) -> None:
        """``prototype_from``: the first column of a sentence-embedding block that runs
        to the last column, where each theme's prototype is added (None: no prototypes)."""
        self.C = C
        self.rejection_weight = rejection_weight
        self.unlabelled_weight = unlabelled_weight
        self.folds = folds
        self.anchor_weight = anchor_weight
        self.prototype_from = prototype_from
        self.prototype_weight = prototype_weight

    def fit(
        self,
        X: Any,
        labels: Labels,
        n_themes: int,
        rejected: Mapping[int, frozenset[int]] | None = None,
        related: Any = None,
        unlabelled: Sequence[int] = (),
        cancel: Callable[[], bool] | None = None,
        anchors: Labels | None = None,
        progress: Callable[[int, int], None] | None = None,
        final: tuple[Any, Any, Any] | None = None,
    ) -> LearnedThemes:
        """Rows of ``X`` named in ``labels``/``rejected``/``unlabelled`` are used;
        ``related[a, b]``: theme a is an ancestor or descendant of theme b.
        ``anchors``: rows that always train (the framework's own words for each theme)
        but are neither codings to count nor passages to calibrate on.
        ``progress(done, total)``: called as each theme's model is fitted, in the final
        fit and in each cross-validation fold.
        ``final``: (coef_, intercept_, fitted_) of a fit on the same rows that was
        cancelled: the themes it had fitted are taken as they are, the others are
        fitted, then the folds run."""
        import numpy as np

        self.n_themes_ = n_themes
        self.anchors_ = dict(anchors or {})
        self.positives_ = np.zeros(n_themes, dtype=np.int64)
        for themes in labels.values():
            for k in themes:
                self.positives_[k] += 1
        coded = sorted(r for r, ks in labels.items() if ks)
        real = [int(k) for k in np.flatnonzero(self.positives_ > 0)]
        calibrate = len(coded) >= MIN_FOR_CALIBRATION and len(real) >= 2
        # A fit cut short keeps the themes it reached; only the others are fitted.
        kept = None if final is None else tuple(a.copy() for a in final)
        todo = real if kept is None else [k for k in real if not kept[2][k]]
        tick = _ticker(progress, len(todo) + len(real) * (self.folds if calibrate else 0))
        folds = self._folds(labels, coded) if calibrate else None
        fold_models: list[tuple[Any, Any, Any]] | None = None
        if kept is None:
            # The folds' models are fitted with the final ones, in one set of processes
            # that stays busy to the end (nlp.forked): the final fit's big jobs go first.
            trains = [labels, *(folds[3] if folds is not None else [])]
            models = self._fit_models(
                X, trains, rejected or {}, related, unlabelled, cancel, tick=tick
            )
            (coef, intercept, fitted), fold_models = models[0], models[1:] or None
        else:
            coef, intercept, fitted = kept
            if todo:
                [(c, i, f)] = self._fit_models(
                    X, [labels], rejected or {}, related, unlabelled, cancel, only=todo, tick=tick
                )
                coef[todo], intercept[todo], fitted[todo] = c[todo], i[todo], f[todo]
        self.coef_, self.intercept_, self.fitted_ = coef, intercept, fitted
        self.curve_ = DEFAULT_CURVE
        self.steps_: tuple[Any, Any] | None = None  # isotonic (margins, probabilities)
        self.oof_: tuple[Any, Any] | None = None
        self.held_out_: HeldOut | None = None
        self.coded_passages_ = len(coded)
        if folds is not None and not (cancel is not None and cancel()):
            self._calibrate(
                X, folds, rejected or {}, related, unlabelled, cancel, tick, fold_models
            )
        return self

    def refit(
        self,
        X: Any,
        labels: Labels,
        themes: Collection[int],
        rejected: Mapping[int, frozenset[int]] | None = None,
        related: Any = None,
        unlabelled: Sequence[int] = (),
        cancel: Callable[[], bool] | None = None,
        anchors: Labels | None = None,
    ) -> LearnedThemes:
        """A copy with the models of ``themes`` fitted again on these rows; the other
        themes' models, the calibration curve and its out-of-fold figures are kept."""
        import numpy as np

        out = copy.copy(self)
        out.anchors_ = dict(anchors or {})
        only = sorted(set(themes))
        [(coef, intercept, fitted)] = out._fit_models(
            X, [labels], rejected or {}, related, unlabelled, cancel, only=only
        )
        out.coef_, out.intercept_, out.fitted_ = (
            self.coef_.copy(),
            self.intercept_.copy(),
            self.fitted_.copy(),
        )
        out.coef_[only], out.intercept_[only], out.fitted_[only] = (
            coef[only],
            intercept[only],
            fitted[only],
        )
        out.positives_ = np.zeros(self.n_themes_, dtype=np.int64)
        for ks in labels.values():
            for k in ks:
                out.positives_[k] += 1
        out.coded_passages_ = sum(1 for ks in labels.values() if ks)
        return out

    def _fit_models(
        self,
        X: Any,
        trainings: Sequence[Labels],
        rejected: Mapping[int, frozenset[int]],
        related: Any,
        unlabelled: Sequence[int],
        cancel: Callable[[], bool] | None,
        only: Collection[int] | None = None,
        tick: Callable[[], None] | None = None,
    ) -> list[tuple[Any, Any, Any]]:
        """(coef, intercept, fitted) for each training: one model a theme (of ``only``,
        else all) on its labels, with this model's weights, anchors and prototypes; the
        final fit, the folds' or a refit's."""
        return _fit_together(
            X,
            trainings,
            self.n_themes_,
            rejected,
            related,
            unlabelled,
            self._weights(),
            cancel,
            only,
            self.anchors_,
            self._prototype(),
            tick,
        )

    def _prototype(self) -> tuple[int, float] | None:
        if self.prototype_from is None or self.prototype_weight <= 0:
            return None
        return self.prototype_from, self.prototype_weight

    def _weights(self) -> tuple[float, float, float, float]:
        return self.C, self.rejection_weight, self.unlabelled_weight, self.anchor_weight

    def _calibrate(
        self,
        X: Any,
        folds: Folds,
        rejected: Mapping[int, frozenset[int]],
        related: Any,
        unlabelled: Sequence[int],
        cancel: Callable[[], bool] | None,
        tick: Callable[[], None] | None = None,
        models: Sequence[tuple[Any, Any, Any]] | None = None,
    ) -> None:
        """``models``: the folds' models, if already fitted."""
        import numpy as np

        order, labels, helds, trains = folds
        if models is None:
            models = self._fit_models(X, trains, rejected, related, unlabelled, cancel, tick=tick)
        margins, truth = self._held_margins(X, order, labels, helds, models)
        top = np.argsort(-margins, axis=1)[:, :CALIBRATION_TOP]
        d = np.take_along_axis(margins, top, axis=1).ravel()
        h = np.take_along_axis(truth, top, axis=1).ravel()
        ok = np.isfinite(d)
        reachable = _reachable(margins, truth)
        fit_on = ok & np.repeat(reachable, top.shape[1])
        self.curve_, self.steps_ = _fit_curve(d[fit_on], h[fit_on])
        self.held_out_ = HeldOut(top, d.reshape(top.shape), truth, reachable)
        best = np.take_along_axis(margins, top[:, :1], axis=1).ravel()
        self.oof_ = (self._curve(best), np.take_along_axis(truth, top[:, :1], axis=1).ravel())
        self.oof_top_ = (self._curve(d[ok]), h[ok])

    def _folds(self, labels: Labels, coded: Sequence[int]) -> Folds:
        """Cross-validation's passages in their (seeded) random order, at most
        MAX_FOR_CALIBRATION; their labels; each fold's held-out rows and training labels."""
        import numpy as np

        rng = np.random.default_rng(0)
        order = np.array(coded)[rng.permutation(len(coded))][:MAX_FOR_CALIBRATION]
        sample = {int(r): labels[int(r)] for r in order}
        helds = [{int(r) for r in order[f :: self.folds]} for f in range(self.folds)]
        trains = [{r: ks for r, ks in sample.items() if r not in held} for held in helds]
        return order, sample, helds, trains

    def _held_margins(
        self,
        X: Any,
        order: Any,
        labels: Labels,
        helds: Sequence[set[int]],
        models: Sequence[tuple[Any, Any, Any]],
    ) -> tuple[Any, Any]:
        """Each held-out passage's margins from its fold's models, and its coded themes."""
        import numpy as np

        margins = np.full((len(order), self.n_themes_), -np.inf, dtype=np.float32)
        place = {int(r): i for i, r in enumerate(order)}
        for held, (coef, intercept, fitted) in zip(helds, models, strict=True):
            rows = sorted(held)
            m = _margins(X[rows], coef, intercept, fitted)
            for j, r in enumerate(rows):
                margins[place[r]] = m[j]
        truth = np.zeros_like(margins, dtype=bool)
        for i, r in enumerate(order):
            truth[i, list(labels[int(r)])] = True
        return margins, truth

    def learning_curve(
        self,
        X: Any,
        labels: Labels,
        rejected: Mapping[int, frozenset[int]] | None = None,
        related: Any = None,
        unlabelled: Sequence[int] = (),
        shares: Sequence[float] = CURVE_SHARES,
        cancel: Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[CurvePoint]:
        """How the suggestions grew with the codings: cross-validation's held-out
        passages (the same ones, so the points compare) suggested themes by models fitted
        on each share of what its folds learned from, then by the folds' own models (the
        last point). Each fold keeps a fixed random subset of its training passages, the
        smaller share inside the larger; rejections and the themes' own words train at
        every point. ``X``, ``labels`` and the rest as given to :meth:`fit`, which must
        have cross-validated (else: no points)."""
        import numpy as np

        held_out = self.held_out_
        if held_out is None:
            return []
        coded = sorted(r for r, ks in labels.items() if ks)
        order, sample, helds, trains = self._folds(labels, coded)
        if len(order) != len(held_out.themes):
            raise ValueError("learning_curve needs the rows and labels the model was fitted on")
        kept = [
            [int(r) for r in np.random.default_rng(f + 1).permutation(sorted(t))]
            for f, t in enumerate(trains)
        ]
        fold_sizes = [len(t) for t in trains]
        each_share = [
            (
                share,
                [
                    {r: trains[f][r] for r in rows[: max(1, round(share * len(rows)))]}
                    for f, rows in enumerate(kept)
                ],
            )
            for share in sorted(shares)
        ]
        # A model a theme coded in the subset (a theme a small share misses is not fitted).
        to_fit = sum(len(set().union(*s.values())) for _, subsets in each_share for s in subsets)
        tick = _ticker(progress, to_fit)
        points = []
        for share, subsets in each_share:
            models = self._fit_models(
                X, subsets, rejected or {}, related, unlabelled, cancel, tick=tick
            )
            if cancel is not None and cancel():
                return []  # half-fitted models say nothing
            margins, truth = self._held_margins(X, order, sample, helds, models)
            top = np.argsort(-margins, axis=1)[:, :CALIBRATION_TOP]
            hits = np.take_along_axis(truth, top, axis=1) & np.isfinite(
                np.take_along_axis(margins, top, axis=1)
            )
            size = float(np.mean([len(x) for x in subsets]))
            points.append(
                CurvePoint(
                    share, round(size), float(hits[:, 0].mean()), float(hits.any(axis=1).mean())
                )
            )
        hits = held_out.hits & np.isfinite(held_out.margins)
        points.append(
            CurvePoint(
                1.0,
                round(float(np.mean(fold_sizes))),
                float(hits[:, 0].mean()),
                float(hits.any(axis=1).mean()),
            )
        )
        return points

    def _curve(self, margin: Any) -> Any:
        return _apply_curve(self.curve_, self.steps_, margin)

    def probabilities(self, X: Any) -> Any:
        """P(theme coded here) per row and theme; NaN for themes without a model."""
        return self.probabilities_of(self.margins(X))

    def margins(self, X: Any) -> Any:
        """Each theme's SVM margin per row (-inf for themes without a model)."""
        return _margins(X, self.coef_, self.intercept_, self.fitted_)

    def probabilities_of(self, margins: Any) -> Any:
        """``probabilities`` from the rows' ``margins``."""
        import numpy as np

        p = self._curve(margins)
        p[:, ~self.fitted_] = np.nan
        return p

    def coefficients(self, k: int) -> Any:
        return self.coef_[k] if self.fitted_[k] else None

    def trained(self) -> list[int]:
        import numpy as np

        return [int(k) for k in np.flatnonzero(self.fitted_)]

    @property
    def validated_passages(self) -> int:
        """How many coded passages the out-of-fold figures come from (a sample of at
        most ``MAX_FOR_CALIBRATION``; 0 before any cross-validation)."""
        return 0 if self.oof_ is None else len(self.oof_[0])

    def precision_above(self, threshold: float) -> tuple[float | None, int]:
        """Out-of-fold precision of suggestions scored >= threshold (each passage's best
        few), and how many there were (None: no cross-validation yet, or none that high)."""
        if self.oof_ is None:
            return None, 0
        score, hit = self.oof_top_
        chosen = score >= threshold
        n = int(chosen.sum())
        return (float(hit[chosen].mean()) if n else None), n

    def reliability(self, bins: int = 10) -> list[Reliability]:
        """Out-of-fold reliability table of the top suggestions of each coded passage,
        each scored by a curve fitted on the other passages (:meth:`cross_fitted`)."""
        scored = self.cross_fitted()
        return [] if scored is None else reliability_table(*scored, bins=bins)

    def cross_fitted(self) -> tuple[Any, Any] | None:
        """Scores and hits of the held-out passages' best suggestions, each half of the
        passages scored by a curve fitted on the other half (None: no cross-validation).
        The curve is fitted on these very suggestions, so scoring them with it would
        show it the answers: its isotonic steps follow their noise, and a reliability
        table or calibration error from that flatters it."""
        import numpy as np

        held = self.held_out_
        if held is None:
            return None
        hits = held.hits
        scores = np.full(held.margins.shape, np.nan)
        half = np.arange(len(held.themes)) % 2 == 0  # the passages are in random order
        for part in (half, ~half):
            m, h = held.margins[~part], hits[~part]
            fit_on = np.isfinite(m) & held.reachable[~part][:, None]
            curve, steps = _fit_curve(m[fit_on], h[fit_on])
            with np.errstate(invalid="ignore"):
                scores[part] = _apply_curve(curve, steps, held.margins[part])
        ok = np.isfinite(held.margins)
        return scores[ok], hits[ok]


def _ticker(progress: Callable[[int, int], None] | None, total: int) -> Callable[[], None] | None:
    """A callback for each model fitted that reports (done, total) to ``progress``."""
    if progress is None:
        return None
    done = [0]

    def tick() -> None:
        done[0] = min(done[0] + 1, total)
        progress(done[0], total)

    return tick


def reliability_table(score: Any, hit: Any, bins: int = 10) -> list[Reliability]:
    import numpy as np

    score, hit = np.asarray(score, dtype=float), np.asarray(hit, dtype=float)
    out = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        chosen = (score >= low) & ((score < high) if b < bins - 1 else (score <= high))
        n = int(chosen.sum())
        if n:
            out.append(
                Reliability(low, high, n, float(score[chosen].mean()), float(hit[chosen].mean()))
            )
    return out


def expected_calibration_error(table: Sequence[Reliability]) -> float:
    total = sum(r.count for r in table)
    if not total:
        return 0.0
    return sum(r.count * abs(r.mean_score - r.hit_rate) for r in table) / total


def chance_calibration_error(score: Any, bins: int = 10, draws: int = 200) -> float:
    """The expected calibration error that suggestions right exactly as often as their
    scores say would still show, on average, by chance: with a few hundred suggestions
    a bin's hit rate strays from its mean score by several hundredths (0.039 and 0.049
    on 161 real quotes a third coded), so an error that small says nothing. Seeded, so
    the same scores give the same figure."""
    import numpy as np

    score = np.asarray(score, dtype=float)
    if not len(score):
        return 0.0
    hits = np.random.default_rng(0).random((draws, len(score))) < score
    total = np.zeros(draws)
    for b in range(bins):  # the bins of reliability_table
        low, high = b / bins, (b + 1) / bins
        chosen = (score >= low) & ((score < high) if b < bins - 1 else (score <= high))
        if chosen.any():
            gap = np.abs(score[chosen].mean() - hits[:, chosen].mean(axis=1))
            total += chosen.sum() * gap
    return float(total.mean() / len(score))


def _reachable(margins: Any, truth: Any) -> Any:
    """Out-of-fold passages one of whose themes the fold's models knew: the curve is
    fitted on these. A passage whose every theme was held out with it (a theme coded
    once or twice) can only be a miss there, as no passage of a coded theme is once all
    codings train the model; counted, they pull every score down (161 real passages a
    third coded, five seeds, ECE: nhs-fft 0.079 against 0.110, serdif 0.055 against
    0.076). The precision stated for bulk accept still counts them, and stays on the
    cautious side."""
    import numpy as np

    return (truth & np.isfinite(margins)).any(axis=1)


def _logistic_curve(margin: Any, hit: Any) -> tuple[float, float] | None:
    """Platt scaling (slope, intercept) of hit on margin, drawn toward ``DEFAULT_CURVE``
    by ``CURVE_PRIOR`` pseudo-suggestions at the same margins, hit as often as that curve
    says; None if the slope is still not positive, and the default curve stands. With a
    few dozen coded passages the out-of-fold suggestions are too few to fit on alone: on
    161 real quotes 10% coded, serdif's fits ran on 12 suggestions with 1-5 hits and 4 of
    7 sloped down, which put every passage's least likely themes first (top-1 0.146
    against the TF-IDF baseline's 0.177; 0.232 once drawn toward the default). With
    thousands of suggestions the pseudo ones weigh nothing."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    margin = np.asarray(margin, dtype=np.float64)
    hit = np.asarray(hit, dtype=bool)
    a, b = DEFAULT_CURVE
    prior = 1.0 / (1.0 + np.exp(-(a * margin + b)))
    each = CURVE_PRIOR / len(margin)
    n = len(margin)
    x = np.concatenate([margin, margin, margin])[:, None]
    y = np.concatenate([hit, np.ones(n, dtype=bool), np.zeros(n, dtype=bool)])
    w = np.concatenate([np.ones(n), each * prior, each * (1.0 - prior)])
    fit = LogisticRegression(C=100.0).fit(x, y, sample_weight=w)
    slope = float(fit.coef_[0, 0])
    return (slope, float(fit.intercept_[0])) if slope > 0 else None


def _fit_curve(margin: Any, hit: Any) -> tuple[tuple[float, float], tuple[Any, Any] | None]:
    """The calibration curve of these suggestions: logistic, with isotonic steps once
    there are ``MIN_FOR_ISOTONIC`` of them; the default curve until hits and misses both
    occur."""
    if len(set(hit.tolist())) < 2:
        return DEFAULT_CURVE, None
    curve = _logistic_curve(margin, hit) or DEFAULT_CURVE
    return curve, (_isotonic(margin, hit) if len(margin) >= MIN_FOR_ISOTONIC else None)


def _apply_curve(curve: tuple[float, float], steps: tuple[Any, Any] | None, margin: Any) -> Any:
    import numpy as np

    a, b = curve
    with np.errstate(over="ignore"):
        p = 1.0 / (1.0 + np.exp(-(a * margin + b)))
    if steps is None:
        return p
    xs, ys = steps
    return (0.5 * (p + np.interp(margin, xs, ys))).astype(p.dtype, copy=False)


def _isotonic(margin: Any, hit: Any) -> tuple[Any, Any]:
    """The isotonic fit of hit on margin, as the points to interpolate between."""
    from sklearn.isotonic import IsotonicRegression

    fit = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(margin, hit)
    return fit.X_thresholds_.astype("float64"), fit.y_thresholds_.astype("float64")


def _margins(X: Any, coef: Any, intercept: Any, fitted: Any) -> Any:
    import numpy as np

    z = np.asarray(X @ coef.T, dtype=np.float32) + intercept
    z[:, ~fitted] = -np.inf
    return z


def _fit_together(
    X: Any,
    trainings: Sequence[Labels],
    n_themes: int,
    rejected: Mapping[int, frozenset[int]],
    related: Any,
    unlabelled: Sequence[int],
    weights: tuple[float, float, float, float],
    cancel: Callable[[], bool] | None,
    only: Collection[int] | None = None,
    anchors: Labels | None = None,
    prototype: tuple[int, float] | None = None,
    tick: Callable[[], None] | None = None,
) -> list[tuple[Any, Any, Any]]:
    """(coef, intercept, fitted) of one model a theme on the labels of each of
    ``trainings`` (one, or cross-validation's folds), fitted at once: every theme of
    every training is one job, so that where the fits run in processes (nlp.forked:
    the models are the same as one after another) they share one set of processes and
    keep each busy. The caller sees a cancel and throws the half-fitted models away."""
    from qualcode.nlp import forked

    fits = [
        _prepare(X, t, n_themes, rejected, related, unlabelled, weights, only, anchors, tick)
        for t in trainings
    ]
    jobs = [(f, k) for f, fit in enumerate(fits) for k in fit.todo]
    forked.run_each(
        lambda job: fits[job[0]].fit_one(job[1]),
        jobs,
        lambda job, model: fits[job[0]].receive(job[1], model),
        cancel,
        big=sum(fit.entries * len(fit.todo) for fit in fits) >= FORK_FITS_FROM,
    )
    out = []
    for fit, labels in zip(fits, trainings, strict=True):
        if prototype is not None and fit.todo:
            labelled = {**labels, **(anchors or {})} if anchors else labels
            _add_prototypes(fit.coef, fit.fitted, X, labelled, fit.rows, fit.todo, *prototype)
        out.append((fit.coef, fit.intercept, fit.fitted))
    return out


class _Prepared(NamedTuple):
    """One training's arrays and its jobs, ready to fit theme by theme."""

    coef: Any
    intercept: Any
    fitted: Any
    rows: list[int]  # the training rows of X
    todo: list[int]  # the themes to fit
    entries: int  # stored entries of the training rows
    fit_one: Callable[[int], tuple[Any, float] | None]
    receive: Callable[[int, tuple[Any, float] | None], None]


def _prepare(
    X: Any,
    labels: Labels,
    n_themes: int,
    rejected: Mapping[int, frozenset[int]],
    related: Any,
    unlabelled: Sequence[int],
    weights: tuple[float, float, float, float],
    only: Collection[int] | None,
    anchors: Labels | None,
    tick: Callable[[], None] | None,
) -> _Prepared:
    import numpy as np
    from sklearn.svm import LinearSVC

    C, rejection_weight, unlabelled_weight, anchor_weight = weights
    coded = sorted(r for r, ks in labels.items() if ks)
    # A theme is fitted once the researcher has coded it: its anchor alone is not enough.
    real = np.zeros(n_themes, dtype=bool)
    for r in coded:
        real[list(labels[r])] = True
    anchors = anchors or {}
    if anchors and coded:
        labels = {**labels, **anchors}
    rows = sorted(set(coded) | set(rejected) | (set(anchors) if coded else set()))
    weak = sorted(set(unlabelled) - set(rows))
    coef = np.zeros((n_themes, X.shape[1]), dtype=np.float32)
    intercept = np.zeros(n_themes, dtype=np.float32)
    fitted = np.zeros(n_themes, dtype=bool)
    if not coded:
        return _Prepared(coef, intercept, fitted, rows, [], 0, lambda k: None, lambda k, m: None)
    Y = np.zeros((len(rows), n_themes), dtype=bool)
    R = np.zeros_like(Y)
    for j, r in enumerate(rows):
        Y[j, list(labels.get(r, ()))] = True
        R[j, list(rejected.get(r, ()))] = True
    has_codes = Y.any(axis=1)
    base_weight = np.ones(len(rows), dtype=np.float64)
    if anchors:
        # a theme's anchor rows weigh as one coding between them
        per_theme = Counter(k for ks in anchors.values() for k in ks)
        for j, r in enumerate(rows):
            if r in anchors:
                base_weight[j] = anchor_weight / max(per_theme[k] for k in anchors[r])
    # A passage coded with an ancestor or descendant of k says nothing against k.
    blocked = (
        (Y.astype(np.float32) @ related.astype(np.float32)) > 0
        if related is not None
        else np.zeros_like(Y)
    )
    # liblinear trains on float64 CSR with sorted indices: convert once here, not once
    # per theme inside scikit-learn (that copy and sort cost as much as the fit itself).
    Xr = _liblinear_ready(X[rows])
    Xw = _liblinear_ready(X[weak]) if weak else None

    def fit_one(k: int) -> tuple[Any, float] | None:
        """Theme k's weights and intercept (None: a positive everywhere, so far)."""
        y = Y[:, k]
        negative = (~y) & ((has_codes & ~blocked[:, k]) | R[:, k])
        keep = y | negative
        w = np.where(R[:, k] & ~y, rejection_weight, base_weight)[keep]
        # every row is kept for most themes: no copy of the whole matrix then
        Xk, yk = (Xr, y) if keep.all() else (Xr[keep], y[keep])
        if int(negative.sum()) < 5 and Xw is not None:
            from scipy import sparse

            Xk = _liblinear_ready(sparse.vstack([Xk, Xw], format="csr"))
            yk = np.concatenate([yk, np.zeros(Xw.shape[0], dtype=bool)])
            w = np.concatenate([w, np.full(Xw.shape[0], unlabelled_weight)])
        if yk.all():
            return None
        if hasattr(Xk, "has_sorted_indices"):
            Xk.has_sorted_indices = True  # a row selection keeps each row's order
        tol = LOOSE_TOLERANCE if Xk.shape[0] >= LOOSE_FROM else TOLERANCE
        model = LinearSVC(C=C, class_weight="balanced", max_iter=2000, tol=tol, random_state=0)
        model.fit(Xk, yk, sample_weight=w)
        # float32, as kept: half the bytes to send back from a forked worker
        return model.coef_[0].astype(np.float32), float(model.intercept_[0])

    def receive(k: int, model: tuple[Any, float] | None) -> None:
        if model is None:
            fitted[k], intercept[k] = True, 1.0  # only positives so far
        else:
            coef[k], intercept[k], fitted[k] = model[0], model[1], True
        if tick is not None:
            tick()

    todo = [k for k in (range(n_themes) if only is None else only) if real[k]]
    entries = Xr.nnz if hasattr(Xr, "nnz") else Xr.size
    return _Prepared(coef, intercept, fitted, rows, todo, entries, fit_one, receive)


def _add_prototypes(
    coef: Any,
    fitted: Any,
    X: Any,
    labels: Labels,
    rows: Sequence[int],
    themes: Sequence[int],
    first: int,
    weight: float,
) -> None:
    """Add to each theme's weights on the sentence embeddings (columns ``first`` on) the
    unit direction from the mean of the coded rows to the mean of its own: a
    nearest-centroid prototype, as few-shot classifiers over sentence embeddings use,
    beside the SVM that needs more examples to find that direction. On 161 real quotes
    (seeds 0-9, a third coded) top-1 +0.015 on nhs-fft and +0.014 on serdif, top-3
    +0.014 on serdif; on the whole corpora top-3 +0.004 and +0.005."""
    import numpy as np

    coded = [r for r in rows if labels.get(r)]
    if not coded:
        return
    E = np.asarray(X[coded][:, first:].todense() if hasattr(X, "todense") else X[coded][:, first:])
    Y = np.zeros((len(coded), coef.shape[0]))
    for j, r in enumerate(coded):
        Y[j, list(labels[r])] = 1.0
    mean = E.mean(axis=0)
    for k in themes:
        if not fitted[k] or not Y[:, k].any():
            continue
        d = E[Y[:, k] > 0].mean(axis=0) - mean
        norm = float(np.linalg.norm(d))
        if norm > 0:
            coef[k, first:] += (weight * d / norm).astype(coef.dtype)


def _liblinear_ready(X: Any) -> Any:
    import numpy as np
    from scipy import sparse

    if not sparse.issparse(X):
        return np.ascontiguousarray(X, dtype=np.float64)
    out = X.astype(np.float64).tocsr()
    out.sort_indices()
    return out
