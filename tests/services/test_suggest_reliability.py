"""`qualcode suggest reliability`: how far to trust the suggestions, from cross-validation
on the researcher's own codings, overall and theme by theme.

The study is invented (templated answers): it checks that the report tells apart a
theme with words of its own from one coded on talk with nothing in common. Whether the
report's figures hold for the rest of a real study is measured by
benchmarks/suggest_real.py ("its own report" against the held-out passages)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.nlp import embeddings
from qualcode.nlp.learned import (
    LearnedThemes,
    chance_calibration_error,
    expected_calibration_error,
    reliability_table,
)
from qualcode.services import codings, framework, importing, suggest_model
from qualcode.services.study import Study
from qualcode.services.suggest import Cancelled, suggest
from qualcode.services.suggest_bulk import accept_plan, plan_accept
from qualcode.services.suggest_decisions import accept, pending, reject, reject_theme
from qualcode.services.suggest_model import clear_cache
from qualcode.services.suggest_reliability import ReliabilityReport, _decided, reliability_report
from qualcode.services.suggest_review import cached_vectors
from tests.nlp.conftest import forget_fits

THEMES = """\
title: Invented
themes:
  - id: "1"
    label: Parking
  - id: "2"
    label: Pay
  - id: "3"
    label: Supervision
  - id: "4"
    label: Rotas
  - id: "5"
    label: Training
  - id: "6"
    label: Morale
  - id: "7"
    label: Other
"""
WORDS = {
    "1": ["car park", "parking space", "permit", "drive round", "spaces"],
    "2": ["salary", "pay rise", "grading", "wages", "inflation"],
    "3": ["supervisor", "supervision", "reflective", "caseload", "cancelled"],
    "4": ["rota", "night shift", "weekend", "overtime", "swap"],
    "5": ["course", "e-learning", "induction", "mandatory", "refresher"],
}
FILLER = ["honestly", "every week", "in this team", "as always", "to be fair", "again"]


def answers() -> list[tuple[str, str]]:
    """Themes 1-5 each in words of their own; Morale coded on answers that read like one
    of the others, chosen at random: nothing in its words says Morale."""
    rng = random.Random(0)
    out = []
    for i in range(120):
        theme = "123456"[i % 6]
        words = WORDS[theme if theme != "6" else rng.choice("12345")]
        a, b = rng.sample(words, 2)
        out.append((theme, f"The {a} problem, {rng.choice(FILLER)}, and the {b}."))
    return out


def _survey(study: Study, tmp_path: Path, coded: int) -> Study:
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
    for i, (theme, _) in enumerate(answers()[:coded], 1):
        codings.code_segment(study, f"R{i:02d}/q:1", theme)
    return study


@pytest.fixture
def coded(study: Study, tmp_path: Path) -> Study:
    """120 answers in six themes, the first 90 coded (SQLite and PostgreSQL)."""
    return _survey(study, tmp_path, 90)


def test_the_report_tells_a_learnable_theme_from_one_that_is_not(coded: Study) -> None:
    report = reliability_report(coded, use_embeddings=False)
    assert report.mode == "lexical"
    assert report.coded == 90
    assert report.checked == 90  # every coded passage was held out once
    assert report.top1 is not None
    assert report.top3 is not None
    assert 0 < report.top1 <= report.top3 <= 1
    assert report.ece is not None
    assert 0 <= report.ece < 1
    # every held-out passage's best three suggestions are in the table once
    assert sum(b.count for b in report.table) == 3 * 90
    by = {t.theme: t for t in report.themes}
    assert list(by) == ["1", "2", "3", "4", "5", "6"]
    assert all(t.coded == 15 and t.checked == 15 for t in by.values())
    assert sum(t.first for t in by.values()) == 90
    for k in "12345":
        assert (by[k].found_share or 0) >= 0.9
        assert (by[k].first_precision or 0) >= 0.6
    # Morale's answers read like the other themes': the report must show that the
    # suggestions cannot find it first
    assert by["6"].first_right * 2 < min(by[k].first_right for k in "12345")
    text = "\n".join(report.lines())
    assert "Each of 90 coded passages was held out" in text
    assert "expected calibration error" in text
    # why its counts above a score differ from those bulk accept cites (walk49a)
    assert "`suggest accept --above` counts the same suggestions on the curve" in text
    assert "6 Morale" in text
    assert not [line for line in report.lines() if line != line.rstrip()]


def test_with_few_themes_coded_the_report_says_found_tells_nothing(
    study: Study, tmp_path: Path
) -> None:
    """With two themes coded both are always among the best three."""
    study = _survey(study, tmp_path, 0)
    for i, (theme, _) in enumerate(answers()[:90], 1):  # 30 passages of themes 1 and 2
        if theme in "12":
            codings.code_segment(study, f"R{i:02d}/q:1", theme)
    report = reliability_report(study, use_embeddings=False)
    assert [t.theme for t in report.themes] == ["1", "2"]
    text = "\n".join(report.lines())
    assert "(with 2 themes coded, each is always among the best 3: read right first)" in text
    assert not any("themes coded, each" in line for line in _six_themes_lines(study))


def _six_themes_lines(study: Study) -> list[str]:
    for i, (theme, _) in enumerate(answers()[:90], 1):
        if theme not in "12":
            codings.code_segment(study, f"R{i:02d}/q:1", theme)
    return reliability_report(study, use_embeddings=False).lines()


def test_before_enough_codings_the_report_says_what_is_needed(study: Study, tmp_path: Path) -> None:
    """At once: without reading the study (in embeddings mode a first read encodes every
    passage, a minute on the sample study) only to say that nothing can be checked."""
    coded = _survey(study, tmp_path, 8)
    clear_cache()
    report = reliability_report(coded, use_embeddings=False)
    assert report.checked == 0
    assert report.table == ()
    assert report.ece is None
    assert report.lines()[1].startswith("Not yet: 8 passages coded.")
    assert not suggest_model._corpora  # nothing was read or featurised


def test_the_table_scores_each_half_with_a_curve_fitted_on_the_other() -> None:
    """A passage's score in the reliability table must not come from a curve fitted on
    its own hit or miss: changing the hits of one half leaves that half's scores as
    they were, and moves the other half's."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(600, 6)).astype(np.float32)
    labels = {i: frozenset({int(np.argmax(X[i, :3] + rng.normal(size=3)))}) for i in range(600)}
    model = LearnedThemes().fit(X, labels, 3)
    held = model.held_out_
    assert held is not None
    before = model.cross_fitted()
    assert before is not None
    even = np.arange(len(held.themes)) % 2 == 0
    flipped = held.coded.copy()
    flipped[even] = ~flipped[even]  # every hit of the even passages a miss, and back
    model.held_out_ = type(held)(held.themes, held.margins, flipped, held.reachable)
    after = model.cross_fitted()
    assert after is not None
    ok = np.isfinite(held.margins)
    half = np.repeat(even[:, None], held.margins.shape[1], axis=1)[ok]
    assert np.array_equal(before[0][half], after[0][half])
    assert not np.allclose(before[0][~half], after[0][~half])


def test_reliability_from_the_command_line(coded: Study, tmp_path: Path) -> None:
    url = coded.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    result = runner.invoke(cli, ["suggest", "reliability", "--db", url, "--no-embeddings"])
    assert result.exit_code == 0, result.output
    assert "How far to trust the suggestions (lexical model)" in result.output
    assert "2 Pay" in result.output
    result = runner.invoke(
        cli, ["suggest", "reliability", "--db", url, "--no-embeddings", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["checked"] == 90
    assert data["mode"] == "lexical"
    assert sum(b["count"] for b in data["table"]) == 3 * 90
    assert [t["theme"] for t in data["themes"]] == list("123456")
    assert {"found", "checked", "first", "first_right", "coded"} <= set(data["themes"][0])
    assert data["decided"] == []  # nothing decided yet
    assert data["unknown"] == 0
    # what chance alone would read with 270 suggestions, beside the error itself
    assert 0 < data["ece_by_chance"] < 0.1
    said = "by chance alone, with 270 suggestions, exact scores would read about "
    said += f"{data['ece_by_chance']:.3f}"
    assert said in result_text(runner, url)


def result_text(runner: CliRunner, url: str) -> str:
    result = runner.invoke(cli, ["suggest", "reliability", "--db", url, "--no-embeddings"])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_the_calibration_error_of_chance_shrinks_with_more_suggestions() -> None:
    """Suggestions right exactly as often as their scores say still show an error in a
    reliability table, from chance: about 0.05 on 300 suggestions, under 0.01 on 30,000.
    The figure is seeded (the same scores, the same figure) and near a direct simulation."""
    rng = np.random.default_rng(7)
    small, large = rng.random(300), rng.random(30_000)
    few, many = chance_calibration_error(small), chance_calibration_error(large)
    assert 0.02 < few < 0.08
    assert many < 0.01
    assert chance_calibration_error(small) == few
    simulated = [
        expected_calibration_error(reliability_table(small, rng.random(300) < small))
        for _ in range(300)
    ]
    assert abs(float(np.mean(simulated)) - few) < 0.005
    assert chance_calibration_error([]) == 0.0


def test_a_theme_coded_once_is_counted_as_a_miss_and_said_to_be(coded: Study) -> None:
    """Held out, the only passage of a theme leaves models that never saw the theme: the
    report counts it as a miss (the suggestions could not have found it) and says why."""
    before = reliability_report(coded, use_embeddings=False)
    assert before.unknown == 0
    codings.code_segment(coded, "R91/q:1", "7")
    after = reliability_report(coded, use_embeddings=False)
    assert after.checked == 91
    assert after.unknown == 1
    assert [t.found for t in after.themes if t.theme == "7"] == [0]
    assert any("1 passage carried only themes" in line for line in after.lines())


def test_decisions_made_one_by_one_are_set_against_their_scores(coded: Study) -> None:
    """What the researcher accepted or rejected one at a time, by the score shown: the
    scores checked as they were used. Bulk accepts took the score's word for it and a
    theme rejected before it was suggested had no score: neither counts."""
    suggest(coded, use_embeddings=False)
    made = pending(coded)
    assert len(made) > 12
    one, two, three, *rest = made
    accept(coded, one.id)
    accept(coded, two.id)
    reject(coded, three.id)
    # bulk accept states it beside cross-validation's figure, before writing anything
    lowest = min(one.score, two.score, three.score)
    stated = plan_accept(coded, lowest)
    assert stated.outcome == (3, 2)
    assert "in what you did next, 2 of 3 suggestions scored that high were right" in (
        stated.describe()
    )
    from dataclasses import replace

    for outcome, said in (
        ((1, 0), "0 of 1 suggestion scored that high was right"),
        ((2, 1), "1 of 2 suggestions scored that high was right"),
        ((2, 0), "0 of 2 suggestions scored that high were right"),
    ):
        assert said in replace(stated, outcome=outcome).describe()
    plan = plan_accept(coded, max(0.01, min(s.score for s in rest[:5])))
    assert len(plan.suggestions) >= 3
    accept_plan(coded, plan)
    unsuggested = next(
        t for t in "123456" if not any(s.theme == t for s in made if s.segment == one.segment)
    )
    reject_theme(coded, one.segment, unsuggested)
    report = reliability_report(coded, use_embeddings=False)
    assert (report.one_by_one, report.coded_after) == (3, 0)
    assert sum(b.count for b in report.decided) == 3
    assert sum(b.count * b.hit_rate for b in report.decided) == pytest.approx(2)
    scores = sorted([one.score, two.score, three.score])
    assert sum(b.mean_score * b.count for b in report.decided) == pytest.approx(sum(scores))
    text = "\n".join(report.lines())
    assert "Against what you did next: 3 suggestions, right 67% of the time (3 you" in text
    # an embeddings report does not count the lexical model's scores
    assert _decided(coded, "embeddings") == ((), 0, 0)


def test_suggestions_made_before_a_passage_was_coded_by_hand_are_checked(coded: Study) -> None:
    """A passage the researcher then coded by hand was judged whole: its pending
    suggestions are right where that theme was coded, wrong elsewhere. Suggestions made
    after the coding (suggest --all) knew the answer, and do not count."""
    suggest(coded, use_embeddings=False, all_segments=True)  # the coded passages too
    assert _decided(coded, "lexical") == ((), 0, 0)  # all made after their codings
    made = pending(coded)
    segment = "R100/q:1"  # uncoded: an answer worded as Supervision (i % 6 == 3)
    mine = {s.theme: s.score for s in made if s.segment == segment}
    assert len(mine) == 3
    codings.code_segment(coded, segment, "3")
    table, one_by_one, after = _decided(coded, "lexical")
    assert (one_by_one, after) == (0, 3)
    assert sum(b.count * b.hit_rate for b in table) == pytest.approx(1 if "3" in mine else 0)
    assert sum(b.mean_score * b.count for b in table) == pytest.approx(sum(mine.values()))


def test_the_report_says_how_far_the_fits_are_and_can_be_cancelled(coded: Study) -> None:
    """Six themes, a final fit and three folds: 24 models, each reported as it is fitted;
    a cancel stops the check with nothing to show."""
    heard: list[tuple[str, int, int]] = []
    reliability_report(coded, use_embeddings=False, progress=lambda *step: heard.append(step))
    learning = [(done, total) for stage, done, total in heard if stage == "learning"]
    assert learning[-1] == (24, 24)
    fitted = [done for done, _ in learning if done]
    assert fitted == sorted(fitted)
    assert len(fitted) >= 20  # a fold may lack a theme
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3  # once the corpus is read, mid-fit

    forget_fits(coded)  # a report on a model already fitted has nothing to cancel
    with pytest.raises(Cancelled):
        reliability_report(coded, use_embeddings=False, cancel=cancel)
    assert len(asked) > 3
    forget_fits(coded)
    with pytest.raises(Cancelled):
        plan_accept(coded, 0.5, use_embeddings=False, cancel=lambda: True)


def test_a_cancelled_check_keeps_the_models_it_fitted(coded: Study) -> None:
    """Cancelled in its folds, the check keeps the final fit (six themes, the first six
    of 24 models): asked again, only the 18 of the three folds run. Cancelled in the
    final fit after three themes, it keeps those three: asked again, 3 + 18 run. Either
    way the report is the one a fit from scratch gives."""

    def learning(heard: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
        return [(done, total) for stage, done, total in heard if stage == "learning"]

    def cancelled_after(models: int) -> None:
        heard: list[tuple[str, int, int]] = []
        with pytest.raises(Cancelled):
            reliability_report(
                coded,
                use_embeddings=False,
                progress=lambda *step: heard.append(step),
                cancel=lambda: any(done > models for done, _ in learning(heard)),
            )

    def again() -> tuple[ReliabilityReport, tuple[int, int]]:
        heard: list[tuple[str, int, int]] = []
        report = reliability_report(
            coded, use_embeddings=False, progress=lambda *s: heard.append(s)
        )
        return report, learning(heard)[-1]

    forget_fits(coded)
    scratch, fits = again()
    assert fits == (24, 24)
    forget_fits(coded)
    cancelled_after(8)  # in the first fold
    report, fits = again()
    assert fits == (18, 18)
    assert report == scratch
    forget_fits(coded)
    cancelled_after(2)  # in the final fit, which stops before its fourth theme
    report, fits = again()
    assert fits == (21, 21)
    assert report == scratch
    forget_fits(coded)
    cancelled_after(0)  # after one theme of the final fit,
    cancelled_after(1)  # then after two more of the five left
    report, fits = again()
    assert fits == (21, 21)
    assert report == scratch


@pytest.mark.skipif(not embeddings.available(), reason="qualcode[embeddings] is not installed")
def test_with_nothing_pending_the_report_does_not_encode_the_study_first(coded: Study) -> None:
    """With the extra installed, no suggestion pending and no sentence vector cached, the
    report is of the lexical model, as Review's refresh would run: an embeddings report
    would first encode every passage (minutes on a big study)."""
    assert not pending(coded)
    assert not cached_vectors(coded).ready
    assert reliability_report(coded).mode == "lexical"


def test_big_counts_in_the_report_and_the_mode_line_read_with_thousands_separators() -> None:
    from qualcode.nlp.learned import Reliability
    from qualcode.services.suggest import SuggestRun, mode_line

    report = ReliabilityReport(
        "lexical",
        9079,
        2400,
        0.6,
        0.8,
        (Reliability(0.5, 0.6, 2400, 0.55, 0.5),),
        0.05,
        (),
        read_past=1234,
        unknown=1500,
        decided=(Reliability(0.5, 0.6, 3000, 0.55, 0.5),),
        one_by_one=2000,
        coded_after=1000,
    )
    text = "\n".join(report.lines())
    for part in (
        "Each of 2,400 coded passages",
        "(a sample of your 9,079)",
        "(1,500 passages",
        "Not checked: 1,234 passages",
        "Against what you did next: 3,000 suggestions",
    ):
        assert part in text, part
    run = SuggestRun("lexical", "", (), 23, 9079, 1200)
    assert "learned from 9,079 coded segments (23 themes); 1,200 rejections honoured" in (
        mode_line(run)
    )


def test_the_mode_line_does_not_ask_to_install_what_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--no-embeddings`` with the extra installed: lexical, and no install hint."""
    from qualcode.nlp import embeddings
    from qualcode.services.suggest import SuggestRun, mode_line

    run = SuggestRun("lexical", "", (), 2, 30, 0)
    monkeypatch.setattr(embeddings, "available", lambda: True)
    assert "sentence vectors installed, not used this run" in mode_line(run)
    assert "install" not in mode_line(run).replace("installed", "")
    monkeypatch.setattr(embeddings, "available", lambda: False)
    assert "install qualcode[embeddings]" in mode_line(run)


def test_the_learning_curve_refits_on_part_of_each_fold_and_ends_on_the_cross_validation(
    coded: Study,
) -> None:
    """The same 90 held-out passages at every point; each fold learned from 60, so the
    points learned from 15, 30 and 60; the last point is the report's own figures."""
    heard: list[tuple[str, int, int]] = []
    report = reliability_report(
        coded, use_embeddings=False, progress=lambda *step: heard.append(step), curve=True
    )
    assert [(p.share, p.passages) for p in report.curve] == [(0.25, 15), (0.5, 30), (1.0, 60)]
    assert (report.curve[-1].top1, report.curve[-1].top3) == (report.top1, report.top3)
    # fewer codings, worse suggestions: a quarter of the codings misses more
    assert report.curve[0].top3 < report.curve[-1].top3
    assert any(stage == "curve" for stage, _, _ in heard)
    again = reliability_report(coded, use_embeddings=False, curve=True)
    assert again.curve == report.curve  # seeded: the same subsets each time
    text = "\n".join(report.lines())
    assert "Learning curve: the same held-out passages" in text
    assert "25% (15 passages)" in text
    assert reliability_report(coded, use_embeddings=False).curve == ()


def test_the_learning_curve_from_the_command_line(coded: Study) -> None:
    url = coded.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    args = ["suggest", "reliability", "--db", url, "--no-embeddings", "--curve", "--json"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["share"] for p in data["learning_curve"]] == [0.25, 0.5, 1.0]
    assert data["learning_curve"][-1]["top3"] == data["top3"]
    assert {"passages", "top1", "top3"} <= set(data["learning_curve"][0])
    plain = runner.invoke(cli, args[:-1])
    assert "learned from" in plain.output
    no_curve = runner.invoke(cli, args[:-2] + ["--json"])
    assert json.loads(no_curve.stdout)["learning_curve"] == []


def test_what_the_last_step_of_a_learning_curve_says() -> None:
    from qualcode.nlp.learned import CurvePoint
    from qualcode.services.suggest_reliability import curve_verdict

    def curve(half: float, whole: float) -> list[CurvePoint]:
        return [CurvePoint(0.5, 100, 0.4, half), CurvePoint(1.0, 200, 0.5, whole)]

    assert curve_verdict(curve(0.70, 0.76), 300)[0].startswith("Still rising: best 3 up 6 points")
    assert curve_verdict(curve(0.70, 0.71), 300)[0].startswith("Levelling off: best 3 moved +1")
    assert curve_verdict(curve(0.70, 0.69), 300)[0].startswith("Levelling off: best 3 moved -1")
    assert curve_verdict(curve(0.70, 0.71), 90)[0].startswith("Too few passages held out")
    assert curve_verdict(curve(0.70, 0.76), 90)[0].startswith("Still rising")
    assert curve_verdict(curve(0.70, 0.76)[1:], 300) == []
    base = {"mode": "lexical", "top1": 0.5, "top3": 0.7, "table": (), "ece": 0.02, "themes": ()}
    sampled = ReliabilityReport(
        coded=4500, checked=2400, read_past=0, **base, curve=tuple(curve(0.7, 0.76))
    )
    said = " ".join(" ".join(sampled.lines()).split())
    assert "a sample of 2,400 of your 4,500 coded passages" in said
    assert "learned from at most 200, the suggestions from all of them" in said
    whole = ReliabilityReport(coded=300, checked=300, read_past=0, **base, curve=sampled.curve)
    assert "a sample of" not in " ".join(whole.lines())
