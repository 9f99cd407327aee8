"""How far to trust the suggestions, checked on the researcher's own codings.

Cross-validation (:class:`qualcode.nlp.learned.LearnedThemes`) holds each coded passage
out in turn and asks models fitted without it which themes it carries. From those
held-out suggestions this report says how often the first and the best three named a
theme the researcher coded there, how often a score of 0.7 was right (a reliability
table and the expected calibration error), and, theme by theme, how often a coded theme
was found and how often it was right when suggested first: which themes the
suggestions can be trusted on, and which need more codings.

The scores in the table come from a calibration curve fitted on the other half of the
held-out passages (:meth:`~qualcode.nlp.learned.LearnedThemes.cross_fitted`), not on
the passages it scores. Only coded passages can be checked: passages read past and left
uncoded also draw suggestions, and bulk accept counts those against its precision.
Last, the scores against what the researcher did next (:mod:`suggest_outcomes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.domain.framework import id_repeats_label
from qualcode.domain.wording import counted
from qualcode.nlp import embeddings
from qualcode.nlp.learned import (
    CALIBRATION_TOP,
    MIN_FOR_CALIBRATION,
    CurvePoint,
    Reliability,
    chance_calibration_error,
    expected_calibration_error,
    reliability_table,
)
from qualcode.nlp.runs import Cancel, Progress
from qualcode.services.study import Study
from qualcode.services.suggest import PARAMS
from qualcode.services.suggest_bulk import made_with_embeddings, read_past
from qualcode.services.suggest_decisions import pending
from qualcode.services.suggest_model import corpus_key, fitted_model, no_passages, study_corpus
from qualcode.services.suggest_outcomes import outcomes
from qualcode.services.suggest_review import cached_vectors
from qualcode.store.queries import codings as codings_q

WEAK = 0.5  # a theme found in fewer of its held-out passages than this is marked
RISING = 0.02  # best-3 share gained from half the codings to all: still rising
MIN_TO_TELL = 300  # coded passages cross-validation holds out, to call a curve level


@dataclass(frozen=True)
class ThemeReliability:
    theme: str
    label: str
    coded: int  # passages coded with it
    checked: int  # of those, held out in cross-validation
    found: int  # of the checked, how many had it among the best three suggestions
    first: int  # held-out passages where it was suggested first
    first_right: int  # ... and coded there

    @property
    def found_share(self) -> float | None:
        return self.found / self.checked if self.checked else None

    @property
    def first_precision(self) -> float | None:
        return self.first_right / self.first if self.first else None


@dataclass(frozen=True)
class ReliabilityReport:
    mode: str  # "lexical" or "embeddings"
    coded: int  # passages coded with at least one theme
    checked: int  # coded passages held out in cross-validation (0: too few codings)
    top1: float | None  # share of checked passages whose first suggestion was coded there
    top3: float | None  # ... one of whose best three was
    table: tuple[Reliability, ...]
    ece: float | None
    themes: tuple[ThemeReliability, ...]  # every theme coded at least once, framework order
    read_past: int  # passages read past and left uncoded: not checked here
    unknown: int = 0  # checked passages whose every theme the fold's models had not seen
    # this mode's suggestions checked against what the researcher did next, by score:
    # accepted or rejected one by one (bulk accepts left out), or still pending on a
    # passage they then coded by hand (right if they coded that theme)
    decided: tuple[Reliability, ...] = ()
    one_by_one: int = 0
    coded_after: int = 0
    # the calibration error that scores exactly as right as they say would show by
    # chance with this many suggestions
    ece_by_chance: float | None = None
    # the same held-out passages suggested themes by models fitted on a quarter, half
    # and all of what cross-validation learned from (asked for: ``curve``)
    curve: tuple[CurvePoint, ...] = ()

    def lines(self) -> list[str]:
        """The report as a researcher reads it."""
        out = [f"How far to trust the suggestions ({self.mode} model), checked on your codings"]
        if not self.checked:
            out.append(
                f"Not yet: {counted(self.coded, 'passage')} coded. Code at least "
                f"{MIN_FOR_CALIBRATION} passages with two or more themes, and each is "
                "held out in turn to see what the suggestions would have said."
            )
            return out + self._decisions()
        out += [
            f"Each of {self.checked:,} coded passages was held out and suggested "
            "themes by models that had not seen it"
            + (f" (a sample of your {self.coded:,})." if self.checked < self.coded else "."),
            f"  first suggestion coded there: {_share(self.top1)} of passages; "
            f"one of the best {CALIBRATION_TOP}: {_share(self.top3)}",
            *(
                [
                    f"  ({counted(self.unknown, 'passage', grouped=True)} carried only themes "
                    "the models holding them out had never seen, coded nowhere else: they count as "
                    "misses, so while themes have few codings these figures run low)"
                ]
                if self.unknown
                else []
            ),
            "",
            f"Scores against how often they were right (best {CALIBRATION_TOP} of each passage):",
            f"  {'score':<9} {'suggestions':>11}  {'mean score':>10} {'right':>6}",
        ]
        for b in self.table:
            out.append(
                f"  {b.low:.1f}-{b.high:.1f}   {b.count:>11,}  {b.mean_score:>10.2f} "
                f"{_share(b.hit_rate):>6}"
            )
        out.append(
            f"  expected calibration error {self.ece:.3f} (0 would be perfect: scores of "
            "0.7 right 70% of the time)"
        )
        if self.ece_by_chance is not None:
            n = sum(b.count for b in self.table)
            out.append(
                f"  by chance alone, with {counted(n, 'suggestion', grouped=True)}, exact "
                f"scores would read about {self.ece_by_chance:.3f}"
            )
        # walk49a: the table's counts above 0.8 and those `accept --above 0.8` cites differ
        out.append(
            "  (each half of these passages is scored here by a curve fitted on the other "
            "half, so no score grades itself; `suggest accept --above` counts the same "
            "suggestions on the curve fitted on all of them, so its counts differ a little)"
        )
        out += [
            "",
            "By theme: found = held-out passages coded with it that had it among the best "
            f"{CALIBRATION_TOP}; right first = how often it was coded where suggested first; "
            f"code more = found in under {WEAK:.0%}",
            f"  {'theme':<36} {'coded':>6}  {'found':<13} right first",
        ]
        if len(self.themes) <= CALIBRATION_TOP:
            out.insert(
                -1,
                f"  (with {len(self.themes)} themes coded, each is always among the best "
                f"{CALIBRATION_TOP}: read right first)",
            )
        for t in self.themes:
            name = _name(t.theme, t.label)
            weak = t.found_share is not None and t.found_share < WEAK
            row = (
                f"  {name:<36} {t.coded:>6}  {_of(t.found_share, t.checked):<13} "
                f"{_of(t.first_precision, t.first):<13}{'  ← code more' if weak else ''}"
            )
            out.append(row.rstrip())
        if any(t.found_share is not None and t.found_share < WEAK for t in self.themes):
            out.append(
                "  To find passages for a theme marked code more: t (filter by theme) in "
                "Review suggestions, or `qualcode suggest pending --theme ID` (the ids: "
                "`qualcode framework show`)."
            )
        out += self._curve_lines()
        out += self._decisions()
        if self.read_past:
            out += [
                "",
                f"Not checked: {counted(self.read_past, 'passage', grouped=True)} you read "
                "past and left uncoded also draw suggestions; bulk accept counts those as wrong.",
            ]
        return out

    def _curve_lines(self) -> list[str]:
        if not self.curve:
            return []
        out = [
            "",
            "Learning curve: the same held-out passages, the models fitted on part of",
            "what each fold learned from:",
            f"  {'learned from':<24} {'first':>6} {'best 3':>7}",
        ]
        for p in self.curve:
            share = "all" if p.share >= 1 else f"{p.share:.0%}"
            out.append(
                f"  {share + ' (' + counted(p.passages, 'passage', grouped=True) + ')':<24} "
                f"{p.top1:>6.0%} {p.top3:>7.0%}"
            )
        out += ["  " + line for line in curve_verdict(self.curve, self.checked)]
        if self.checked < self.coded:
            out.append(
                f"  (cross-validation took a sample of {self.checked:,} of your "
                f"{self.coded:,} coded passages: these models learned from at most "
                f"{self.curve[-1].passages:,}, the suggestions from all of them)"
            )
        return out

    def _decisions(self) -> list[str]:
        if not self.decided:
            return []
        n = sum(b.count for b in self.decided)
        right = sum(b.count * b.hit_rate for b in self.decided) / n
        out = [
            "",
            f"Against what you did next: {counted(n, 'suggestion', grouped=True)}, right "
            f"{right:.0%} of the time ({self.one_by_one:,} you accepted or rejected one by "
            f"one, bulk accepts left out; {self.coded_after:,} made before you coded their passage "
            "by hand, right if you coded that theme):",
            f"  {'score':<9} {'suggestions':>11}  {'mean score':>10} {'right':>6}",
        ]
        for b in self.decided:
            out.append(
                f"  {b.low:.1f}-{b.high:.1f}   {b.count:>11,}  {b.mean_score:>10.2f} "
                f"{_share(b.hit_rate):>6}"
            )
        return out


def curve_verdict(curve: Sequence[CurvePoint], checked: int) -> list[str]:
    """What the last step of a learning curve says about coding more, in lines. One
    held-out passage in a hundred moves a share by a point, so a rise under two points
    from half the codings to all of them is read as levelling off only with 300
    passages or more held out (else: too few to tell)."""
    if len(curve) < 2:
        return []
    half, whole = curve[-2], curve[-1]
    rise = whole.top3 - half.top3
    step = f"from {half.share:.0%} of the codings to all of them."
    if rise >= RISING:
        return [
            f"Still rising: best 3 up {rise * 100:.0f} points {step}",
            "Coding more passages should still improve the suggestions.",
        ]
    if checked < MIN_TO_TELL:
        return ["Too few passages held out to tell whether more codings would still help."]
    return [
        f"Levelling off: best 3 moved {rise * 100:+.0f} points {step}",
        "More codings of the same kind add little now; themes marked code more may still gain.",
    ]


def _name(theme: str, label: str, width: int = 36) -> str:
    # a numbering ("1.2") says where the theme sits; a slug id only repeats its label,
    # and a long id leaves the label no room
    name = label if id_repeats_label(theme, label) or len(theme) > 8 else f"{theme} {label}"
    return name if len(name) <= width else name[: width - 1] + "…"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _of(value: float | None, n: int) -> str:
    return "-" if value is None else f"{value:.0%} of {n}"


def reliability_report(
    study: Study,
    use_embeddings: bool | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    curve: bool = False,
) -> ReliabilityReport:
    """The report on the lexical or the embeddings model; ``None`` (the default) takes
    the mode the pending suggestions were made in, as bulk accept does, or with none
    pending embeddings only if the study's sentence vectors are already cached (as
    Review's refresh does): encoding a big study first takes minutes. ``progress`` and
    ``cancel`` as for ``suggest`` (a cancel raises :class:`~qualcode.nlp.runs.Cancelled`).
    ``curve``: add a learning curve (:meth:`~qualcode.nlp.learned.LearnedThemes.learning_curve`:
    two more rounds of the folds' fits, on a quarter and half of their passages)."""
    import numpy as np

    if use_embeddings is None:
        made = pending(study, limit=200)  # enough to tell the mode
        use_embeddings = made_with_embeddings(made) if made else cached_vectors(study).ready
    use = embeddings.resolve(use_embeddings)
    spans, n_themes = _coded_spans(study)
    if not corpus_key(study, use)[1]:
        raise no_passages()
    if spans < MIN_FOR_CALIBRATION or n_themes < 2:
        # Too few codings to hold out: say so now, without reading and embedding (on a
        # first embeddings-mode run, minutes) or fitting the study.
        mode = "embeddings" if use else "lexical"
        return ReliabilityReport(
            mode, spans, 0, None, None, (), None, (), 0, 0, *_decided(study, mode)
        )
    sc = study_corpus(study, use, progress, cancel)
    # the codings as they are now, not the last full fit's with a few themes refitted
    fm = fitted_model(study, sc, progress, cancel, full=True, **PARAMS)
    coded = sum(1 for ks in fm.labels.values() if ks)
    passed = len(read_past(sc, fm)) if fm.themes else 0
    model = fm.suggester.model_ if fm.themes else None
    held = model.held_out_ if model is not None and model.oof_ is not None else None
    if model is not None:
        coded = model.coded_passages_  # coded spans: the unit cross-validation holds out
    decided, one_by_one, coded_after = _decided(study, sc.mode)
    if held is None or model is None:
        return ReliabilityReport(
            sc.mode,
            coded,
            0,
            None,
            None,
            (),
            None,
            (),
            passed,
            0,
            decided,
            one_by_one,
            coded_after,
        )
    hits = held.hits & np.isfinite(held.margins)
    suggested = np.isfinite(held.margins[:, 0])
    scored = model.cross_fitted()
    table = reliability_table(*scored) if scored is not None else []
    found = (held.themes[:, :, None] == np.arange(held.coded.shape[1])) & hits[:, :, None]
    found_k = found.any(axis=1).sum(axis=0)
    first = np.bincount(held.themes[suggested, 0], minlength=held.coded.shape[1])
    first_right = np.bincount(held.themes[suggested & hits[:, 0], 0], minlength=held.coded.shape[1])
    column = {t: k for k, t in enumerate(fm.themes)}
    themes = tuple(
        ThemeReliability(
            t.id,
            t.label,
            int(model.positives_[k]),
            int(held.coded[:, k].sum()),
            int(found_k[k]),
            int(first[k]),
            int(first_right[k]),
        )
        for t in fm.tree.ordered()
        if (k := column.get(t.id)) is not None and model.positives_[k] > 0
    )
    return ReliabilityReport(
        sc.mode,
        coded,
        len(held.themes),
        _mean(hits[:, 0]),
        _mean(hits.any(axis=1)),
        tuple(table),
        expected_calibration_error(table) if table else None,
        themes,
        passed,
        int((~held.reachable).sum()),
        decided,
        one_by_one,
        coded_after,
        chance_calibration_error(scored[0]) if scored is not None and table else None,
        tuple(fm.suggester.learning_curve(fm.examples, fm.rejected_rows, cancel, progress))
        if curve
        else (),
    )


def _coded_spans(study: Study) -> tuple[int, int]:
    """How many distinct spans are coded, with how many distinct themes (all coders)."""
    with study.read() as s:
        rows = codings_q.coded_span_themes(s)
    return len({r[:3] for r in rows}), len({r[3] for r in rows})


def _decided(study: Study, mode: str) -> tuple[tuple[Reliability, ...], int, int]:
    """This mode's suggestions checked against what the researcher did next: the
    reliability table, and how many were decided one by one and how many were pending
    on a passage then coded by hand."""
    done = outcomes(study, mode)
    if not done.all:
        return (), 0, 0
    score, ok = zip(*done.all, strict=True)
    return tuple(reliability_table(score, ok)), len(done.one_by_one), len(done.coded_after)


def _mean(values: Any) -> float | None:
    return float(values.mean()) if len(values) else None
