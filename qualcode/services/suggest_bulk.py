"""Accepting many suggestions at once, with the precision to expect stated first; and
which uncoded passage to code next so the suggestions learn fastest.

The expected precision comes from cross-validation on the researcher's own codings
(:meth:`qualcode.nlp.learned.LearnedThemes.precision_above`): of the suggestions the
model made for coded passages it had not seen, scored at least as high, the share that
named a theme the researcher had coded there. Cross-validation sees only passages the
researcher coded, while much of an interview is left uncoded; so the suggestions as
high on passages they read past and left uncoded count against it too, and those
suggestions stay pending (see :func:`read_past`). Every accept of one bulk run is one
action in the audit log, so ``qualcode undo`` takes them all back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.domain.model import TRANSCRIPT, Coding
from qualcode.domain.proportions import wilson_interval
from qualcode.domain.wording import counted
from qualcode.errors import InputError
from qualcode.nlp import embeddings
from qualcode.nlp.learned import CALIBRATION_TOP
from qualcode.nlp.runs import Cancel, Progress
from qualcode.services import theme_scope
from qualcode.services.frameworks import study_frameworks
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study
from qualcode.services.suggest import (
    PARAMS,
    Suggestion,
    check_case,
    framework_mask,
    offered_themes,
)
from qualcode.services.suggest_decisions import accept_all, pending
from qualcode.services.suggest_model import (
    FittedModel,
    StudyCorpus,
    fitted_model,
    study_corpus,
)
from qualcode.services.suggest_outcomes import outcomes
from qualcode.services.suggest_review import cached_vectors

MAX_NEXT = 1000
FULL_PASSAGE_TERMS = 6  # word 1-2 grams a passage needs to count as fully typical
READ_IN_ORDER = 0.25  # share of a transcript's passages up to its last coding coded
# cross-validated suggestions (scored at least that high) a stated precision needs
MIN_STATED = 10


@dataclass(frozen=True)
class BulkPlan:
    above: float
    suggestions: tuple[Suggestion, ...]  # pending ones scored >= above, best first
    expected_precision: float | None  # None: too few codings to cross-validate yet
    validated_on: int  # cross-validated suggestions at least as high behind the figure
    cross_validated: bool = False  # enough codings for cross-validation
    outside: int = 0  # pending ones left out: their theme's framework does not code them
    read_past: int = 0  # pending ones left out: on passages read past and left uncoded
    # suggestions scored that high on every passage read past and left uncoded, counted
    # as wrong beside the cross-validated ones (in the same units as validated_on)
    uncoded_above: int = 0
    # (how many, how many right) of this mode's suggestions scored that high whose
    # outcome is known: decided one by one, or on a passage then coded by hand
    # (services.suggest_outcomes)
    outcome: tuple[int, int] = (0, 0)
    # pending ones left out: made before their passage was coded by hand (or by `suggest
    # --all`), where the researcher has judged the passage whole
    on_coded: int = 0
    theme: str | None = None  # the plan's scope: a theme's subtree, one case
    case: str | None = None

    @property
    def what(self) -> str:
        """What accepting codes: "3,592 suggestions on 2,871 passages" (a passage may
        take several themes; a survey's researcher counts answers)."""
        n = len(self.suggestions)
        passages = len({x.segment for x in self.suggestions})
        if passages == n:
            return counted(n, "passage", grouped=True)
        on = counted(passages, "passage", grouped=True)
        return f"{counted(n, 'suggestion', grouped=True)} on {on}"

    @property
    def stated_precision(self) -> float | None:
        """The precision to state: None from fewer than MIN_STATED cross-validated
        suggestions (one held-out suggestion right read "expected precision 100%" over
        692 suggestions that were 27% right on nhs-fft)."""
        if self.validated_on + self.uncoded_above < MIN_STATED:
            return None
        return self.expected_precision

    @property
    def precision_interval(self) -> tuple[float, float] | None:
        """The 95% interval of the expected precision: 45 right out of 45 is 92-100%,
        which "100%" alone would hide."""
        if self.expected_precision is None or not self.validated_on:
            return None
        total = self.validated_on + self.uncoded_above
        return wilson_interval(round(self.expected_precision * total), total)

    def describe(self) -> str:
        said = self._precision()
        seen, right = self.outcome
        if seen:
            of = counted(seen, "suggestion", grouped=True)
            said += (
                f"; in what you did next, {right:,} of {of} scored "
                f"that high {'was' if 1 in (right, seen) else 'were'} right"
            )
        return said

    def _precision(self) -> str:
        n = len(self.suggestions)
        what = f"{counted(n, 'pending suggestion', grouped=True)} scored {self.above:.2f} or more"
        what += (f" of theme {self.theme}" if self.theme else "") + (
            f" in case {self.case}" if self.case else ""
        )
        if self.outside:
            what += (
                f" ({counted(self.outside, 'other', grouped=True)} left pending: the "
                "theme's framework does not code that passage)"
            )
        if self.read_past:
            what += (
                f" ({counted(self.read_past, 'other', grouped=True)} left pending: on "
                "passages you read past and left uncoded)"
            )
        if self.on_coded:
            what += (
                f" ({counted(self.on_coded, 'other', grouped=True)} left pending: on "
                "passages already coded)"
            )
        if self.stated_precision is None and self.cross_validated:
            behind = self.validated_on + self.uncoded_above
            few = (
                f"only {counted(behind, 'suggestion')} scored that high, too few to say"
                if behind
                else "no suggestion scored that high"
            )
            return (
                f"{what}; no precision can be stated: in cross-validation on your codings "
                f"{few} (try a lower score)"
            )
        stated = self.stated_precision
        if stated is None:
            return (
                f"{what}; no precision can be stated yet (code at least a few dozen "
                "passages with two or more themes for cross-validation)"
            )
        low, high = self.precision_interval or (0.0, 1.0)
        uncoded = (
            f", plus {self.uncoded_above:,} on passages you left uncoded, counted as wrong"
            if self.uncoded_above
            else ""
        )
        # Thousands of suggestions narrow the interval below a whole percent: decimals
        # then, or "100% (95% interval 99-99%)" would read.
        places = 0
        while places < 2 and _percent(low, places) == _percent(high, places):
            places += 1
        return (
            f"{what}; expected precision {_percent(stated, places)}% "
            f"(95% interval {_percent(low, places)}-{_percent(high, places)}%; "
            "cross-validated on your codings: "
            f"{counted(self.validated_on, 'suggestion', grouped=True)} scored that high{uncoded})"
        )


def _percent(share: float, places: int = 0) -> str:
    """A share in percent that never rounds up to certainty it does not have."""
    shown = round(share * 100, places)
    if shown >= 100 and share < 1:
        shown = 100 - 10**-places
    return f"{shown:.{places}f}"


@gc_paused()  # on 30,000 answers, with the model fitted: 4.0-4.3 s -> 1.7 s
def plan_accept(
    study: Study,
    above: float,
    theme: str | None = None,
    case: str | None = None,
    use_embeddings: bool | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> BulkPlan:
    """What ``accept --above`` would code, and how precise that has been.

    ``use_embeddings``: which model's cross-validation to state; None (the default)
    takes the mode the chosen suggestions were made in, as their scores are that
    model's: a lexical model's precision says little of embeddings-mode scores.
    ``progress`` and ``cancel`` as for ``suggest``."""
    if not 0.0 < above <= 1.0:
        raise InputError("--above takes a probability between 0 and 1, e.g. 0.8")
    high = [s for s in pending(study, theme, case) if s.score >= above]
    stale = theme_scope.outside(study, ((s.segment, s.theme) for s in high))
    in_scope = [s for s in high if (s.segment, s.theme) not in stale]
    if use_embeddings is None:
        use_embeddings = made_with_embeddings(in_scope)
    sc = study_corpus(study, embeddings.resolve(use_embeddings), progress, cancel)
    if case is not None:
        check_case(study, sc, case)
    fm = fitted_model(study, sc, progress, cancel, **PARAMS)
    passed = read_past(sc, fm)
    passed_ids = {sc.corpus.ids[r] for r in passed}
    unread = [s for s in in_scope if s.segment not in passed_ids]
    # A passage coded since its suggestions were made was judged whole: a bulk accept
    # adding a theme to it would overrule that judgement unseen.
    chosen = tuple(s for s in unread if not fm.coded.get(s.segment))
    precision, n, validated, uncoded = None, 0, False, 0
    if fm.themes:
        model = fm.suggester.model_
        precision, n = model.precision_above(above)
        validated = model.oof_ is not None
        if precision is not None and passed:
            # the uncoded passages' suggestions, in the units of the cross-validated
            # ones (a sample of the coded passages once there are many)
            share = model.validated_passages / max(1, sum(1 for ks in fm.labels.values() if ks))
            uncoded = round(_suggested_above(study, sc, fm, passed, above) * min(1.0, share))
            precision = precision * n / (n + uncoded) if n + uncoded else precision
    return BulkPlan(
        above,
        chosen,
        precision,
        n,
        validated,
        len(high) - len(in_scope),
        len(in_scope) - len(unread),
        uncoded,
        outcomes(study, sc.mode).above(above),
        len(unread) - len(chosen),
        theme,
        case,
    )


def read_past(sc: StudyCorpus, fm: FittedModel) -> list[int]:
    """Corpus rows the researcher read past and left uncoded: the uncoded passages of a
    transcript that come before its last coded one. Indexing applies the whole
    framework to a transcript as it is read, so such a passage says "no theme here";
    cross-validation, which sees only coded passages, cannot know how often that is.
    On serdif (5 participants coded, the rest suggested, lexical), the precision stated
    above 0.8 was 85% while 56% of what bulk accept coded was what the researchers had
    coded; counting these passages' suggestions as wrong states 59%
    (benchmarks/bulk_precision.py). A survey answer is a source of its own: none.

    Only a transcript coded densely enough to have been read in order counts: one
    where a few passages were coded as ``suggest next`` picked them was not read
    between them (the serdif researchers coded 71-88% of the turns up to their last
    coding in each transcript)."""
    ids = sc.corpus.ids
    where = {row: (src, start) for (src, start, _), row in sc.spans.items()}
    last: dict[str, int] = {}
    for row, (src, start) in where.items():
        if fm.coded.get(ids[row]) and sc.kinds[row] == TRANSCRIPT:
            last[src] = max(last.get(src, -1), start)
    before = [row for row, (src, start) in where.items() if src in last and start <= last[src]]
    seen = Counter(where[r][0] for r in before)
    coded = Counter(where[r][0] for r in before if fm.coded.get(ids[r]))
    read = {src for src in last if coded[src] >= READ_IN_ORDER * seen[src]}
    return sorted(r for r in before if where[r][0] in read and not fm.coded.get(ids[r]))


def _suggested_above(
    study: Study, sc: StudyCorpus, fm: FittedModel, rows: list[int], above: float
) -> int:
    """How many of these rows' best few suggestions (as many as cross-validation
    counts per passage) score ``above`` or more."""
    import numpy as np

    score, _ = fm.suggester.score_rows(rows)
    score = np.where(offered_themes(study, sc, fm, rows), score, -1.0)
    best = -np.sort(-score, axis=1)[:, :CALIBRATION_TOP]
    return int((best >= above).sum())


def made_with_embeddings(suggestions: Sequence[Suggestion]) -> bool:
    """Whether most of these suggestions were made in embeddings mode (their ``mode``
    parameter), when that mode can still be used here."""
    modes = Counter((s.params or {}).get("mode") for s in suggestions)
    return modes["embeddings"] > modes["lexical"] and embeddings.available()


def accept_plan(study: Study, plan: BulkPlan) -> list[Coding]:
    """Accept every suggestion of the plan in one transaction and as one action (one
    ``undo`` reverts it); those decided by someone else since it was made are passed
    over."""
    with study.action():
        return accept_all(study, [s.id for s in plan.suggestions])


def why_nothing_next(
    study: Study, case: str | None = None, use_embeddings: bool | None = None
) -> str:
    """Why :func:`next_to_code` lists nothing: every passage is coded, or the uncoded
    ones were read past (the model and corpus come from the cache it filled)."""
    if use_embeddings is None:
        use_embeddings = cached_vectors(study).ready
    sc = study_corpus(study, embeddings.resolve(use_embeddings))
    fm = fitted_model(study, sc, **PARAMS)
    ids = sc.corpus.ids
    mine = [r for r in range(len(ids)) if case is None or sc.cases[r] == case]
    uncoded = [r for r in mine if not fm.coded.get(ids[r])]
    where = f" in case {case}" if case else ""
    if not mine:
        return f"nothing to code next{where}: it has no passages to code"
    if not uncoded:
        return f"nothing to code next{where}: every passage is coded"
    one = len(uncoded) == 1
    return (
        f"nothing to code next{where}: its {counted(len(uncoded), 'uncoded passage')} "
        f"{'comes' if one else 'come'} before your last coding in "
        f"{'its' if one else 'their'} transcript, read past and left uncoded "
        "(`qualcode suggest pending` still lists their suggestions)"
    )


@dataclass(frozen=True)
class NextPassage:
    segment: str
    case: str
    source: str
    start: int
    text: str
    why: str  # "unsure between X and Y" or "typical of many uncoded passages"
    priority: float


def next_to_code(
    study: Study, limit: int = 10, case: str | None = None, use_embeddings: bool | None = None
) -> list[NextPassage]:
    """Uncoded passages whose coding would teach the model most, best first.

    Uncertainty sampling weighted by typicality: a passage the model is unsure about
    (its best two themes close, or its best theme near an even chance) and that
    resembles many other uncoded passages, so one coding informs many suggestions,
    and that is unlike the passages coded so far (up to twice the priority). Each
    passage listed lowers the priority of those like it by their similarity to it, so
    a list covers several kinds of doubt rather than many copies of one, and
    near-duplicates of a passage already listed are skipped. With no codings yet it
    lists the most typical passages, which is where familiarisation starts. Passages
    read past and left uncoded (:func:`read_past`) are not listed.

    ``use_embeddings`` None: sentence embeddings when every passage's vector is stored
    already, as Read & code and Review choose, so "unsure between" names the doubt of
    the model whose suggestions they show (and nothing is encoded for minutes).
    """
    import numpy as np

    if limit < 1:
        raise InputError("--limit must be at least 1")
    if use_embeddings is None:
        use_embeddings = cached_vectors(study).ready
    sc = study_corpus(study, embeddings.resolve(use_embeddings))
    if case is not None:
        check_case(study, sc, case)
    fm = fitted_model(study, sc, **PARAMS)
    ids = sc.corpus.ids
    # a passage read past and left uncoded was judged already: it has nothing to teach
    passed = set(read_past(sc, fm))
    rows = [
        r
        for r in range(len(ids))
        if not fm.coded.get(ids[r]) and r not in passed and (case is None or sc.cases[r] == case)
    ]
    if not rows:
        return []
    words = sc.corpus.words[rows]
    centre = np.asarray(words.mean(axis=0)).ravel()
    typical = np.asarray(words @ centre).ravel()
    typical = typical / (typical.max() or 1.0)
    trained = fm.suggester.trained_ if fm.themes else np.zeros(0, dtype=bool)
    if trained.sum() >= 2:
        probs = np.nan_to_num(fm.suggester.model_.probabilities(sc.corpus.X[rows]), nan=0.0)
        # unsure only between themes its framework offers on that passage
        offered = framework_mask(
            study_frameworks(study), fm.themes, [(sc.kinds[r], sc.questions[r]) for r in rows]
        )
        probs = probs * offered
        top2 = -np.sort(-probs[:, trained], axis=1)[:, :2]
        unsure = 1.0 - np.abs(top2[:, 0] - top2[:, 1])
        unsure = np.maximum(unsure, 1.0 - 2.0 * np.abs(top2[:, 0] - 0.5))
        # a passage none of whose trained themes its framework offers has no doubt to
        # settle: ranked by typicality alone, as before anything is coded
        modelled = offered[:, trained].any(axis=1)
        priority = np.where(modelled, unsure * (0.5 + 0.5 * typical), 0.5 * typical)
        # Up to twice the priority for a passage unlike anything coded yet: doubt about
        # a passage close to coded ones is settled by them soon enough, while coding
        # the unexplored parts teaches more (on both real corpora, see suggest_next.py).
        priority = priority * (1.0 + _novelty(words, sc.corpus.words, _coded_rows(fm, ids)))
        order_cols = np.argsort(-probs, axis=1)[:, :2]
    else:
        # A passage of two or three words can sit close to the centre without saying
        # anything to familiarise with ("more staff"): it counts in proportion.
        short = np.minimum(1.0, words.getnnz(axis=1) / FULL_PASSAGE_TERMS)
        priority, order_cols, modelled = typical * short, None, None
    span_of = {row: span for span, row in sc.spans.items()}
    picked: list[NextPassage] = []
    for j, score in _spread(words, priority, min(limit, MAX_NEXT)):
        r = rows[j]
        if order_cols is not None and modelled is not None and modelled[j]:
            a, b = (fm.themes[int(k)] for k in order_cols[j])
            why = f"unsure between {a} and {b}"
        else:
            why = "typical of many uncoded passages"
        source, start, _ = span_of[r]
        text = sc.corpus.texts[r]
        picked.append(NextPassage(ids[r], sc.cases[r], source, start, text, why, score))
    return picked


def _spread(words: Any, priority: Any, n: int) -> list[tuple[int, float]]:
    """Up to ``n`` (row, priority) best first, each pick discounting the rest by their
    greatest similarity to a pick (maximal marginal relevance), and skipping
    near-duplicates of one. Batch-mode active learning: it taught the model more than
    the plain ranking at every round on serdif (six seeds, batches of 40, +0.006 to
    +0.017 top-3) and on nhs-fft (three seeds, batches of 100, about +0.017).

    Only the best ``5 n`` (at least 200) by priority are candidates, which bounds the
    work on a big survey. The priorities returned never rise down the list."""
    import numpy as np

    cand = np.argsort(-priority, kind="stable")[: max(200, 5 * n)]
    vectors = words[cand]
    base = priority[cand].astype(float)
    nearest = np.zeros(len(cand))
    open_ = np.ones(len(cand), dtype=bool)
    out: list[tuple[int, float]] = []
    while len(out) < n:
        open_ &= nearest <= 0.9
        if not open_.any():
            break
        effective = np.where(open_, base * (1.0 - nearest), -np.inf)
        k = int(np.argmax(effective))
        out.append((int(cand[k]), float(effective[k])))
        open_[k] = False
        sims = np.asarray((vectors @ vectors[k].T).todense()).ravel()
        nearest = np.maximum(nearest, np.clip(sims, 0.0, 1.0))
    return out


def _coded_rows(fm: FittedModel, ids: Sequence[str]) -> list[int]:
    return [r for r, sid in enumerate(ids) if fm.coded.get(sid)]


def _novelty(uncoded: Any, words: Any, coded: Sequence[int], most: int = 2000) -> Any:
    """1 - the highest cosine similarity of each uncoded passage's words to a coded
    passage's (the first ``most`` coded, which bounds the work on a big survey)."""
    import numpy as np

    out = np.ones(uncoded.shape[0])
    if not coded:
        return out
    known = words[list(coded)[:most]]
    for start in range(0, uncoded.shape[0], 2000):
        sims = (uncoded[start : start + 2000] @ known.T).max(axis=1)
        out[start : start + 2000] = 1.0 - np.clip(sims.toarray().ravel(), 0.0, 1.0)
    return out
