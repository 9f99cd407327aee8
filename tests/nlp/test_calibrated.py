"""Calibrated scores, bulk accept with a stated precision, code-next ordering, context.

The study here is invented (templated answers): it checks the machinery, not quality.
Quality is measured on real corpora by benchmarks/suggest_real.py.
"""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from qualcode.cli import cli
from qualcode.nlp import embeddings
from qualcode.nlp.learned import LearnedThemes, expected_calibration_error, reliability_table
from qualcode.nlp.passages import Passage, PassageFeatures
from qualcode.services import codings, framework, importing, queries
from qualcode.services.study import Study
from qualcode.services.suggest import COLD_START, suggest
from qualcode.services.suggest_bulk import BulkPlan, accept_plan, next_to_code, plan_accept
from qualcode.services.suggest_context import study_context
from qualcode.services.suggest_decisions import pending
from qualcode.services.suggest_passages import suggest_passages
from qualcode.store import models as m

THEMES = """\
title: Invented
themes:
  - id: "A"
    label: Parking
  - id: "B"
    label: Pay
  - id: "C"
    label: Supervision
"""
WORDS = {
    "A": ["car park", "parking space", "permit", "drive round", "spaces"],
    "B": ["salary", "pay rise", "grading", "wages", "inflation"],
    "C": ["supervisor", "supervision", "reflective", "caseload", "cancelled"],
}
FILLER = ["honestly", "every week", "in this team", "as always", "to be fair", "again"]


def answers(seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(90):
        theme = "ABC"[i % 3]
        a, b = rng.sample(WORDS[theme], 2)
        other = rng.choice(WORDS["ABC"[(i + 1) % 3]]) if i % 7 == 0 else rng.choice(FILLER)
        out.append((theme, f"The {a} problem, {rng.choice(FILLER)}, and the {b}; {other}."))
    return out


@pytest.fixture
def coded(study: Study, tmp_path: Path) -> Study:
    """90 invented answers in three themes, the first 60 coded."""
    path = tmp_path / "survey.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "sector", "q"])
        for i, (_, text) in enumerate(answers(), 1):
            w.writerow([f"R{i:02d}", "CSD" if i % 2 else "DASS", text])
    importing.import_survey(study, path, "id", ["q"])
    fw = tmp_path / "fw.yaml"
    fw.write_text(THEMES, encoding="utf-8")
    framework.import_framework(study, fw)
    for i, (theme, _) in enumerate(answers()[:60], 1):
        codings.code_segment(study, f"R{i:02d}/q:1", theme)
    return study


def test_reliability_table_and_ece() -> None:
    table = reliability_table([0.05, 0.15, 0.15, 0.95], [False, True, False, True], bins=10)
    assert [(r.low, r.count) for r in table] == [(0.0, 1), (0.1, 2), (0.9, 1)]
    assert table[1].hit_rate == 0.5
    expected = (1 * 0.05 + 2 * abs(0.15 - 0.5) + 1 * 0.05) / 4
    assert expected_calibration_error(table) == pytest.approx(expected)


def test_learned_scores_are_calibrated_on_held_out_folds() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 6)).astype(np.float32)
    labels = {i: frozenset({int(np.argmax(X[i, :3]))}) for i in range(120)}
    model = LearnedThemes().fit(X, labels, 3)
    assert model.curve_ != (2.5, -0.25)  # fitted from out-of-fold margins, not the default
    p = model.probabilities(X)
    assert p.shape == (120, 3)
    assert np.all((p >= 0) & (p <= 1))
    precision, n = model.precision_above(0.5)
    assert n > 0
    assert precision is not None
    assert 0.5 < precision <= 1.0
    assert model.reliability()
    # A few codings: no cross-validation, and no precision is claimed.
    few = LearnedThemes().fit(X[:10], {i: labels[i] for i in range(10)}, 3)
    assert few.precision_above(0.5) == (None, 0)


def test_a_learning_curves_progress_counts_the_models_it_fits() -> None:
    """A theme coded on two passages is missing from most quarter and half subsets,
    so no model of it is fitted there: the progress must count only the models fitted,
    and end on its total."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(120, 6)).astype(np.float32)
    labels = {i: frozenset({int(np.argmax(X[i, :3]))}) for i in range(120)}
    labels[0], labels[1] = frozenset({3}), frozenset({3})  # a rare fourth theme
    model = LearnedThemes().fit(X, labels, 4)
    heard: list[tuple[int, int]] = []
    points = model.learning_curve(
        X, labels, progress=lambda done, total: heard.append((done, total))
    )
    assert [p.share for p in points] == [0.25, 0.5, 1.0]
    totals = {total for _, total in heard}
    assert len(totals) == 1
    assert heard[-1] == (len(heard), len(heard))  # one tick a model, and done at the end
    assert len(heard) < 2 * 3 * 4  # the rare theme was skipped somewhere


def test_anchors_train_but_are_never_codings() -> None:
    """The framework's words for each theme (anchor rows) change the learned models, but
    count as no coding, are never held out to calibrate on, and fit no theme alone."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(130, 6)).astype(np.float32)
    labels = {i: frozenset({int(np.argmax(X[i, :2]))}) for i in range(60)}  # themes 0, 1
    anchors = {120: frozenset({0}), 121: frozenset({1}), 122: frozenset({2})}
    X[120:123] = 0.0
    X[120, 0] = X[121, 1] = X[122, 2] = 3.0
    plain = LearnedThemes().fit(X, labels, 3)
    model = LearnedThemes().fit(X, labels, 3, anchors=anchors)
    assert model.fitted_.tolist() == [True, True, False]  # theme 2: its anchor alone
    assert model.positives_.tolist() == plain.positives_.tolist()
    assert int(model.positives_.sum()) == 60
    assert not np.allclose(model.coef_, plain.coef_)
    assert model.oof_ is not None
    assert len(model.oof_[0]) == 60  # one best suggestion per coded row, none per anchor
    # An update keeps them: refitting a theme on the same rows gives the same model.
    again = model.refit(X, labels, [0], anchors=anchors)
    assert np.allclose(again.coef_[0], model.coef_[0])


def test_a_themes_anchor_rows_weigh_as_one_coding_between_them() -> None:
    """Two anchor rows of a theme (its name with keywords, its name with its definition)
    count as much as one: the same row given twice trains the same model as once."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(130, 6)).astype(np.float32)
    labels = {i: frozenset({int(np.argmax(X[i, :2]))}) for i in range(60)}
    X[120:123] = 0.0
    # words no coded row has, so the anchors alone set their weights (120 and 122 alike)
    X[120, 2] = X[122, 2] = X[121, 3] = 3.0
    once = LearnedThemes().fit(X, labels, 2, anchors={120: frozenset({0}), 121: frozenset({1})})
    twice = LearnedThemes().fit(
        X, labels, 2, anchors={120: frozenset({0}), 122: frozenset({0}), 121: frozenset({1})}
    )
    assert np.allclose(twice.coef_, once.coef_, atol=1e-4)
    double = LearnedThemes(anchor_weight=2.0).fit(
        X, labels, 2, anchors={120: frozenset({0}), 121: frozenset({1})}
    )
    assert np.abs(double.coef_ - once.coef_).max() > 0.03  # the weight does tell


def test_the_framework_gives_a_theme_its_name_twice_over() -> None:
    from qualcode.nlp.coldstart import ThemeProfile

    full = ThemeProfile("1", "Parking", "Spaces to park at work.", keywords=("car park", "permit"))
    assert full.anchor_texts == ["Parking. car park, permit", "Parking. Spaces to park at work."]
    assert ThemeProfile("2", "Pay").anchor_texts == ["Pay"]
    assert ThemeProfile("3", "Pay", "Salary and grading.").anchor_texts == [
        "Pay",
        "Pay. Salary and grading.",
    ]


def test_calibration_leaves_out_passages_whose_themes_the_fold_never_saw() -> None:
    from qualcode.nlp.learned import _reachable

    inf = -np.inf
    margins = np.array([[0.5, inf, -1.0], [0.2, -0.3, inf], [inf, 0.1, 0.4]])
    truth = np.array([[True, False, False], [False, False, True], [False, True, True]])
    # Row 1's only theme (2) had no model in its fold: it could only be a miss.
    assert _reachable(margins, truth).tolist() == [True, False, True]


def test_calibration_adds_isotonic_steps_once_there_are_enough() -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(600, 6)).astype(np.float32)
    noisy = X[:, :4] + rng.normal(scale=0.8, size=(600, 4))
    labels = {i: frozenset({int(np.argmax(noisy[i]))}) for i in range(600)}
    model = LearnedThemes().fit(X, labels, 4)
    assert model.steps_ is not None
    margins = np.linspace(-4, 4, 400)
    p = model._curve(margins)
    # Strictly increasing: calibration never reorders a passage's suggestions.
    assert np.all(np.diff(p) > 0)
    logistic = LearnedThemes()
    logistic.curve_, logistic.steps_ = model.curve_, None
    assert not np.allclose(p, logistic._curve(margins))
    # 40 coded passages give 120 out-of-fold suggestions: the logistic curve alone.
    few = LearnedThemes().fit(X[:40], {i: labels[i] for i in range(40)}, 4)
    assert few.steps_ is None
    assert few.oof_ is not None


def test_each_theme_adds_its_prototype_on_the_sentence_embeddings() -> None:
    """With an embedding block (the last columns), each fitted theme's weights there gain
    the unit direction from the mean coded row to its own rows' mean; the other columns,
    and a model without embeddings, are the SVM's alone."""
    rng = np.random.default_rng(5)
    n, words, dims = 60, 6, 4
    centres = np.eye(dims)[:3] * 2.0
    labels = {i: frozenset({i % 3}) for i in range(n)}
    X = np.hstack(
        [
            rng.normal(size=(n, words)),
            centres[[i % 3 for i in range(n)]] + rng.normal(scale=0.3, size=(n, dims)),
        ]
    ).astype(np.float32)
    plain = LearnedThemes(folds=3).fit(X, labels, 3)
    with_proto = LearnedThemes(prototype_from=words, prototype_weight=0.5).fit(X, labels, 3)
    assert np.allclose(with_proto.coef_[:, :words], plain.coef_[:, :words])
    E = X[:, words:]
    for k in range(3):
        d = E[[i for i in range(n) if i % 3 == k]].mean(axis=0) - E.mean(axis=0)
        added = with_proto.coef_[k, words:] - plain.coef_[k, words:]
        assert np.allclose(added, 0.5 * d / np.linalg.norm(d), atol=1e-5)
    # The theme's own cluster scores higher for it than before, relative to the others.
    gain = with_proto.coef_[:, words:] - plain.coef_[:, words:]
    assert float(centres[0] @ gain[0]) > float(centres[0] @ gain[1])
    # A refit of one theme keeps the prototype on it.
    again = with_proto.refit(X, labels, [1])
    assert np.allclose(again.coef_[1], with_proto.coef_[1], atol=1e-5)


def test_a_curve_fitted_on_a_few_suggestions_never_turns_the_ranking_round() -> None:
    """A dozen out-of-fold suggestions whose few hits happen to sit at low margins (as
    with 25 real quotes coded across 22 themes): fitted alone the curve slopes down and
    would put each passage's least likely themes first; drawn toward the default curve
    it rises, or the default stands."""
    from sklearn.linear_model import LogisticRegression

    from qualcode.nlp.learned import DEFAULT_CURVE, _logistic_curve

    margin = np.linspace(-1.5, 0.5, 12)
    hit = margin < -1.0
    alone = LogisticRegression(C=100.0).fit(margin[:, None], hit)
    assert alone.coef_[0, 0] < 0  # what the calibration used to apply
    curve = _logistic_curve(margin, hit)
    slope = (curve or DEFAULT_CURVE)[0]
    assert slope > 0


def test_a_curve_fitted_on_many_suggestions_follows_them() -> None:
    from qualcode.nlp.learned import _logistic_curve

    rng = np.random.default_rng(4)
    margin = rng.normal(scale=1.5, size=6000)
    hit = rng.random(6000) < 1.0 / (1.0 + np.exp(-(4.0 * margin + 0.5)))
    curve = _logistic_curve(margin, hit)
    assert curve is not None
    assert curve[0] == pytest.approx(4.0, rel=0.1)
    assert curve[1] == pytest.approx(0.5, abs=0.15)


def test_attributes_that_name_each_case_are_not_features() -> None:
    passages = [
        Passage(f"text {i}", attributes=(("sector", "CSD" if i % 2 else "DASS"), ("id", str(i))))
        for i in range(30)
    ]
    f = PassageFeatures().fit(
        [Passage(p.text, attributes=p.attributes, case=str(i)) for i, p in enumerate(passages)]
    )
    assert set(f.attribute_index_) == {("sector", "CSD"), ("sector", "DASS")}


def test_the_question_before_a_passage_is_its_context(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "int01.txt"
    path.write_text(
        "Interviewer: How is supervision going?\n\n"
        "Respondent: It is monthly and often cancelled.\n\n"
        "Interviewer: And parking?\n\n"
        "Respondent: There are never any spaces.\n",
        encoding="utf-8",
    )
    importing.import_transcripts(study, [path])
    segs = queries.list_segments(study)
    ctx = study_context(study)
    first, second = (ctx.passage(g.source, g.start, g.end, g.text) for g in segs)
    assert "supervision going" in first.context
    assert second.context.strip().endswith("And parking?")
    assert 0 < first.position < second.position < 1  # type: ignore[operator]


def test_a_theme_not_coded_yet_is_weighed_by_what_words_have_foretold(
    coded: Study, tmp_path: Path
) -> None:
    """Once themes are learned, a theme with no codings is scored through a curve fitted
    on how well the framework's words foretold the codings of the others, lowered for
    a theme coded on none of the passages so far: a loose match of its words ranks
    below what was learned, and its scores still follow its words."""
    from qualcode.services.suggest import PARAMS
    from qualcode.services.suggest_model import fitted_model, study_corpus

    fw = tmp_path / "more.yaml"
    fw.write_text(
        THEMES + '  - id: "D"\n    label: Rota\n    keywords: [every week]\n', encoding="utf-8"
    )
    framework.import_framework(coded, fw)
    fm = fitted_model(coded, study_corpus(coded, False), **PARAMS)
    curve = fm.suggester.cold_curve_
    assert curve is not None
    assert curve[0] > 0  # the labels' words (parking, pay, supervision) did foretell
    texts = {s.id: s.text for s in queries.list_segments(coded)}
    with_words = [sid for sid in sorted(texts)[60:] if "every week" in texts[sid]]
    without = [sid for sid in sorted(texts)[60:] if "every week" not in texts[sid]]
    assert with_words
    assert without

    def scores(segment: str) -> dict[str, tuple[float, str]]:
        run = suggest(coded, top=4, all_segments=True, segment_ids=[segment], use_embeddings=False)
        return {s.theme: (s.score, s.method) for r in run.results for s in r.suggestions}

    near = scores(with_words[0])
    assert near["D"][1] == "cold-start"
    assert near["D"][0] < max(score for t, (score, _) in near.items() if t != "D")
    assert near["D"][0] > scores(without[0]).get("D", (0.0, ""))[0]


def test_learned_scores_are_shown_as_probabilities(coded: Study) -> None:
    url = coded.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    as_json = runner.invoke(cli, ["suggest", "--no-embeddings", "--all", "--json", "--db", url])
    assert as_json.exit_code == 0, as_json.stderr
    flags = [s["calibrated"] for d in json.loads(as_json.stdout) for s in d["suggestions"]]
    assert flags
    assert all(flags)  # every theme has codings: every score is calibrated
    text = runner.invoke(cli, ["suggest", "--no-embeddings", "--db", url])
    assert text.exit_code == 0, text.stderr
    assert "* because:" not in text.stdout
    assert "not a probability" not in text.stderr


@pytest.mark.slow_postgresql
def test_bulk_accept_states_precision_and_is_one_undo(coded: Study) -> None:
    suggest(coded, top=1, use_embeddings=False)
    plan = plan_accept(coded, 0.5)
    assert plan.suggestions, "the uncoded answers should get confident suggestions"
    assert all(s.score >= 0.5 for s in plan.suggestions)
    assert plan.expected_precision is not None
    assert plan.validated_on > 0
    assert "expected precision" in plan.describe()
    low, high = plan.precision_interval or (2.0, -1.0)
    assert low <= plan.expected_precision <= high
    assert f"95% interval {round(low * 100)}-" in plan.describe()
    truth = {f"R{i:02d}/q:1": theme for i, (theme, _) in enumerate(answers(), 1)}
    done = accept_plan(coded, plan)
    assert len(done) == len(plan.suggestions)
    with coded.read() as s:
        origins = s.execute(
            select(m.CodingRow.origin, func.count()).group_by(m.CodingRow.origin)
        ).all()
        assert dict(origins)["suggestion"] == len(done)
        batches = s.scalars(
            select(m.ChangeRow.batch).where(
                m.ChangeRow.entity == "coding", m.ChangeRow.action == "add"
            )
        ).all()
    assert len(set(batches[-len(done) :])) == 1  # one action
    right = sum(truth[s.segment] == s.theme for s in plan.suggestions)
    assert right / len(plan.suggestions) >= 0.8
    url = coded.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["undo", "--db", url, "--coder", "alice"])
    assert result.exit_code == 0, result.stderr
    with coded.read() as s:
        left = s.scalar(select(func.count()).where(m.CodingRow.origin == "suggestion"))
    assert left == 0


@pytest.mark.slow_postgresql
def test_bulk_accept_from_the_command_line(coded: Study) -> None:
    url = coded.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["suggest", "--no-embeddings", "--db", url]).exit_code == 0
    refused = runner.invoke(cli, ["suggest", "accept", "--above", "0.5", "--db", url])
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr
    bad = runner.invoke(cli, ["suggest", "accept", "--above", "1.5", "--yes", "--db", url])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error:")
    ok = runner.invoke(cli, ["suggest", "accept", "--above", "0.5", "--yes", "--json", "--db", url])
    assert ok.exit_code == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["expected_precision"] is not None
    low, high = data["precision_interval"]
    assert 0.0 <= low <= data["expected_precision"] <= high <= 1.0
    assert data["accepted"]
    assert all(a["score"] >= 0.5 for a in data["accepted"])
    assert "expected precision" in ok.stderr


@pytest.mark.slow_postgresql
def test_a_bulk_accept_says_what_it_writes_where_someone_watches(
    coded: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tens of thousands of codings take seconds: a watched terminal reads what is
    being written until it is done, and then the line is cleared."""
    from qualcode.cli.stage_line import StageLine

    url = coded.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["suggest", "--no-embeddings", "--db", url]).exit_code == 0
    monkeypatch.setattr(StageLine, "watching", property(lambda self: True))
    ok = runner.invoke(cli, ["suggest", "accept", "--above", "0.5", "--yes", "--db", url])
    assert ok.exit_code == 0, ok.stderr
    n = ok.stderr.split("coded ")[-1].split(" passage")[0]
    shown = f"accepting suggestions: coding {n} passage"
    assert shown in ok.stderr
    assert ok.stderr.index(shown) < ok.stderr.index(f"coded {n} passage")


@pytest.mark.slow_postgresql
def test_next_lists_uncoded_passages(coded: Study) -> None:
    items = next_to_code(coded, limit=5)
    assert 0 < len(items) <= 5
    coded_ids = {f"R{i:02d}/q:1" for i in range(1, 61)}
    assert not {p.segment for p in items} & coded_ids
    assert all(p.why.startswith("unsure between") for p in items)
    assert [p.priority for p in items] == sorted((p.priority for p in items), reverse=True)


def test_next_before_any_coding_lists_typical_passages(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("id,q\nR1,parking is hard\nR2,parking is hard here\nR3,zebra\n", "utf-8")
    importing.import_survey(study, path, "id", ["q"])
    items = next_to_code(study, limit=3)
    assert items[0].why == "typical of many uncoded passages"
    assert items[-1].segment == "R3/q:1"


@pytest.mark.slow_postgresql
def test_suggestions_for_a_selected_span(coded: Study) -> None:
    seg = queries.list_segments(coded, ids=["R01/q:1"])[0]
    [first] = suggest_passages(coded, [(seg.source, seg.start, seg.end)], top=3)
    assert "A" not in [s.theme for s in first]  # coded there already
    seg61 = queries.list_segments(coded, ids=["R61/q:1"])[0]
    [ranked] = suggest_passages(coded, [(seg61.source, seg61.start, seg61.start + 40)], top=3)
    assert ranked[0].theme == answers()[60][0]
    assert 0.0 <= ranked[0].score <= 1.0


@pytest.mark.slow_postgresql
def test_a_threshold_no_cross_validated_suggestion_reached_says_so(coded: Study) -> None:
    suggest(coded, top=1, use_embeddings=False)
    # each learned suggestion keeps the highest score cross-validation gave (Review
    # flags a score above it as the curve's guess)
    ceilings = {s.params.get("validated_max") for s in pending(coded) if s.method != COLD_START}
    assert len(ceilings) == 1
    (ceiling,) = ceilings
    assert isinstance(ceiling, float)
    assert 0.0 < ceiling < 1.0
    plan = plan_accept(coded, 1.0)
    assert plan.cross_validated
    assert plan.expected_precision is None  # a margin never maps to exactly 1
    assert "no suggestion scored that high" in plan.describe()


def test_a_whole_segment_scores_as_its_featurised_passage(coded: Study) -> None:
    """Whole segments are scored from their corpus rows; featurising the same span
    afresh (as for a selection) must give the same scores."""
    from qualcode.services.suggest import PARAMS
    from qualcode.services.suggest_model import fitted_model, study_corpus

    segs = queries.list_segments(coded, ids=[f"R{i}/q:1" for i in range(61, 91)])
    spans = [(g.source, g.start, g.end) for g in segs]
    via_rows = suggest_passages(coded, spans, top=3)
    sc = study_corpus(coded, False)
    fm = fitted_model(coded, sc, **PARAMS)
    fresh = fm.suggester.score_passages(
        [sc.passage(*span, g.text) for span, g in zip(spans, segs, strict=True)]
    )
    col = {t: i for i, t in enumerate(fm.themes)}
    for ranked, row in zip(via_rows, fresh, strict=True):
        assert ranked, "every uncoded answer gets a suggestion"
        for s in ranked:
            assert s.score == pytest.approx(float(row[col[s.theme]]), abs=1e-4)


def test_next_prefers_passages_unlike_those_coded() -> None:
    """Novelty: 0 for a copy of a coded passage, 1 for one sharing no word with any."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from qualcode.services.suggest_bulk import _novelty

    texts = ["parking permit spaces", "pay rise grading", "parking permit spaces", "zebra"]
    words = TfidfVectorizer().fit_transform(texts)
    novelty = _novelty(words[[2, 3]], words, coded=[0, 1])
    assert novelty[0] == pytest.approx(0.0, abs=1e-6)
    assert novelty[1] == pytest.approx(1.0)
    assert list(_novelty(words[[2, 3]], words, coded=[])) == [1.0, 1.0]


def test_next_lists_several_kinds_of_doubt_not_one() -> None:
    """Each passage listed discounts those like it; a copy of one is never listed."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from qualcode.services.suggest_bulk import _spread

    texts = [
        "parking permit spaces car",
        "parking permit spaces car",  # a copy of the first
        "parking permit spaces bus",
        "pay rise grading",
    ]
    words = TfidfVectorizer().fit_transform(texts)
    assert 0.3 < (words[0] @ words[2].T).toarray()[0, 0] < 0.9
    listed = _spread(words, np.array([1.0, 0.99, 0.95, 0.6]), 3)
    assert [row for row, _ in listed] == [0, 3, 2]
    assert listed[0][1] == 1.0
    assert [p for _, p in listed] == sorted((p for _, p in listed), reverse=True)


def test_next_before_any_coding_does_not_open_on_a_few_words(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "More staff" sits nearest the centre of answers about staff, yet says too little
    to start familiarisation with: it is listed after the answers that say more."""
    from qualcode.services import suggest_bulk

    answers = [
        "More staff.",
        "We need more staff on the ward because the staff we have are exhausted.",
        "Staff leave for agency work, so more staff means paying staff properly.",
        "The rota relies on bank staff and more staff would stop the cancelled shifts.",
    ]
    path = tmp_path / "s.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "q"])
        w.writerows([f"R{i}", a] for i, a in enumerate(answers, 1))
    importing.import_survey(study, path, "id", ["q"])
    items = next_to_code(study, limit=4)
    assert items[-1].segment == "R1/q:1"
    monkeypatch.setattr(suggest_bulk, "FULL_PASSAGE_TERMS", 1)  # the length not counted
    assert next_to_code(study, limit=4)[0].segment == "R1/q:1"


def test_a_precision_from_few_suggestions_states_how_sure_it_is() -> None:
    """Cross-validation that got 45 of 45 right says 100%, but no more than 92-100%."""
    few = BulkPlan(0.9, (), 1.0, 45, True)
    assert few.precision_interval is not None
    assert "expected precision 100% (95% interval 92-100%;" in few.describe()
    many = BulkPlan(0.8, (), 375 / 412, 412, True)
    assert "expected precision 91% (95% interval 88-93%;" in many.describe()
    # A lower bound that rounds to 100% without being certain reads 99%.
    assert "(95% interval 99-100%;" in BulkPlan(0.9, (), 1.0, 1000, True).describe()
    none = BulkPlan(0.9, (), None, 0, True)
    assert none.precision_interval is None
    # one held-out suggestion behind it: no headline share (it read "100%" over 692
    # suggestions of which 27% were right)
    one = BulkPlan(0.5, (), 1.0, 1, True).describe()
    assert "no precision can be stated" in one
    assert "only 1 suggestion scored that high, too few to say" in one
    assert "expected precision" not in one


def test_a_precision_never_reads_outside_its_own_interval() -> None:
    """6,059 right of 6,062 read "100% (95% interval 99-99%)": now as many decimals as
    tell the bounds apart, and never 100 without certainty."""
    said = BulkPlan(0.8, (), 6059 / 6062, 6062, True).describe()
    assert "expected precision 99.95% (95% interval 99.85-99.98%;" in said
    for n in (20, 45, 412, 1000, 6062, 30000):
        for right in {n, n - 1, n - 3, int(n * 0.9), n // 2}:
            text = BulkPlan(0.8, (), right / n, n, True).describe()
            found = re.search(r"precision ([\d.]+)% \(95% interval ([\d.]+)-([\d.]+)%", text)
            assert found is not None, text
            point, low, high = map(float, found.groups())
            assert low <= point <= high, text
            assert low < high, text
            if right < n:
                assert high < 100, text


def test_big_counts_in_a_bulk_plan_read_with_thousands_separators() -> None:
    """29,379 suggestions on a big survey, not 29379."""
    plan = BulkPlan(
        0.8,
        (),
        0.95,
        6062,
        True,
        outside=1200,
        read_past=3400,
        uncoded_above=2500,
        outcome=(1500, 1425),
    )
    said = plan.describe()
    for part in (
        "6,062 suggestions",
        "1,200 others",
        "3,400 others",
        "plus 2,500 on",
        "1,425 of 1,500 suggestions",
    ):
        assert part in said, part


@pytest.mark.slow
@pytest.mark.skipif(not embeddings.available(), reason="qualcode[embeddings] is not installed")
def test_bulk_accept_states_the_precision_of_the_mode_the_suggestions_were_made_in(
    coded: Study,
) -> None:
    """Suggestions made with sentence embeddings carry that model's scores: the precision
    stated before accepting them is its cross-validation, not the lexical model's."""
    from qualcode.services.suggest import PARAMS
    from qualcode.services.suggest_model import fitted_model, study_corpus

    def cross_validated(use: bool, above: float) -> tuple[float | None, int]:
        fm = fitted_model(coded, study_corpus(coded, use), **PARAMS)
        return fm.suggester.model_.precision_above(above)

    above = 0.05  # low enough that second and third suggestions, and misses, count
    assert cross_validated(True, above) != cross_validated(False, above), "modes should differ"
    suggest(coded, top=3, use_embeddings=True)
    plan = plan_accept(coded, above)
    assert plan.suggestions
    assert (plan.expected_precision, plan.validated_on) == cross_validated(True, above)
    asked = plan_accept(coded, above, use_embeddings=False)
    assert (asked.expected_precision, asked.validated_on) == cross_validated(False, above)
    suggest(coded, top=3, use_embeddings=False)
    lexical = plan_accept(coded, above)
    assert (lexical.expected_precision, lexical.validated_on) == cross_validated(False, above)


@pytest.mark.slow
@pytest.mark.skipif(not embeddings.available(), reason="qualcode[embeddings] is not installed")
def test_next_uses_embeddings_once_every_vector_is_stored(coded: Study) -> None:
    """As Read & code and Review do: so "unsure between" is the doubt of the model whose
    suggestions they show, and a first `next` never waits minutes for encoding."""

    def listed(use: bool | None) -> list[tuple[str, str, float]]:
        return [(p.segment, p.why, p.priority) for p in next_to_code(coded, 6, None, use)]

    lexical = listed(False)
    assert listed(None) == lexical  # no vectors stored yet
    suggest(coded, top=3, use_embeddings=True)  # stores every passage's vector
    with_vectors = listed(True)
    assert with_vectors != lexical, "the two models should differ here"
    assert listed(None) == with_vectors


@pytest.mark.slow
@pytest.mark.skipif(not embeddings.available(), reason="qualcode[embeddings] is not installed")
def test_encoding_coded_spans_is_counted(coded: Study) -> None:
    """walk49a: with sentence embeddings, a few hundred coded spans took 45 s to encode
    under "learning from your codings" with no count; it is a counted stage now."""
    from qualcode.services.suggest import PARAMS
    from qualcode.services.suggest_model import fitted_model, study_corpus

    for seg in queries.list_segments(coded)[60:63]:  # parts of answers: spans, not rows
        codings.add_coding(coded, seg.source, seg.start, seg.start + 12, "A")
    heard: list[tuple[str, int, int]] = []
    sc = study_corpus(coded, True)
    fitted_model(coded, sc, lambda *step: heard.append(step), **PARAMS)
    counted = [(done, total) for stage, done, total in heard if stage == "coded passages"]
    assert counted
    assert counted[-1] == (3, 3)


def test_scores_on_a_fixed_curve_are_not_called_calibrated(study: Study, tmp_path: Path) -> None:
    """walk49c: with 14-16 codings the scores followed the fixed first-guess curve yet
    read as probabilities: no `*`, and `"calibrated": true` in --json."""
    path = tmp_path / "survey.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "q"])
        for i, (_, text) in enumerate(answers(), 1):
            w.writerow([f"R{i:02d}", text])
    importing.import_survey(study, path, "id", ["q"])
    fw = tmp_path / "fw.yaml"
    fw.write_text(THEMES, encoding="utf-8")
    framework.import_framework(study, fw)
    for i, (theme, _) in enumerate(answers()[:12], 1):  # fewer than MIN_FOR_CALIBRATION
        codings.code_segment(study, f"R{i:02d}/q:1", theme)
    url = study.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    out = runner.invoke(cli, ["suggest", "--no-embeddings", "--json", "--db", url])
    assert out.exit_code == 0, out.stderr
    said = [s for r in json.loads(out.stdout) for s in r["suggestions"]]
    assert said
    assert not any(s["calibrated"] for s in said)
    text = runner.invoke(cli, ["suggest", "--no-embeddings", "--db", url])
    assert "* learned from fewer than about two dozen coded passages" in text.stderr
    for i, (theme, _) in enumerate(answers()[12:40], 13):  # now enough to cross-validate
        codings.code_segment(study, f"R{i:02d}/q:1", theme)
    again = runner.invoke(cli, ["suggest", "--no-embeddings", "--json", "--db", url])
    said = [s for r in json.loads(again.stdout) for s in r["suggestions"]]
    assert said
    assert all(s["calibrated"] for s in said)
