"""The real-corpus benchmark's summary over seeds (benchmarks/suggest_real.py): the
means it prints and the pooled calibration error it sets beside chance."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "suggest_real.py"


def _load() -> Any:
    spec = importlib.util.spec_from_file_location("suggest_real_under_test", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_calibration_points_leave_out_passages_already_coded() -> None:
    bench = _load()
    recs = [
        {"key": "a", "label": "x"},
        {"key": "a", "label": "y"},
        {"key": "b", "label": "y"},
    ]
    train = [{"key": "a", "label": "x"}]
    scored = {"a": [("y", 0.9)], "b": [("y", 0.8), ("x", 0.3)]}
    assert bench.calibration_points(scored, recs, train) == ([0.8, 0.3], [True, False])


def test_summary_prints_means_and_a_pooled_error_beside_chance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = _load()
    runs = [
        {
            "TF-IDF+LR baseline": {"top1": 0.2, "top3": 0.4},
            "qualcode": {"top1": 0.4, "top3": 0.6},
            "ece": 0.05,
        },
        {
            "TF-IDF+LR baseline": {"top1": 0.4, "top3": 0.6},
            "qualcode": {"top1": 0.6, "top3": 0.8},
            "ece": 0.03,
        },
    ]
    rng = np.random.default_rng(1)
    score = rng.random(4000).tolist()
    # Scores half as high as the hit rate: a miscalibration that repeats, far above chance.
    hit = (rng.random(4000) < np.minimum(1.0, 2 * np.array(score))).tolist()
    bench.summary(runs, (score, hit))
    out = capsys.readouterr().out
    assert "mean of 2 seeds" in out
    assert "TF-IDF+LR baseline                   top1 0.300 top3 0.500" in out
    assert "qualcode                             top1 0.500 top3 0.700" in out
    pooled = float(out.split("pooled ")[1].split()[0])
    chance = float(out.split("by chance ")[1].split(",")[0])
    assert "mean of the seeds 0.040" in out
    assert pooled > 0.15 > chance


def test_the_split_by_passage_codes_each_passage_with_all_its_themes_or_none() -> None:
    bench = _load()
    recs = [
        {"key": f"p{i}", "label": label} for i in range(30) for label in ("x", "y")[: 1 + i % 2]
    ]
    train, test = bench.split_by_passage(recs, 0, 1 / 3)
    coded = {r["key"] for r in train}
    assert len(coded) == 10
    assert not coded & {r["key"] for r in test}
    assert len(train) + len(test) == len(recs)
    # every theme of a coded passage is coded
    assert {(r["key"], r["label"]) for r in train} == {
        (r["key"], r["label"]) for r in recs if r["key"] in coded
    }
    assert bench.split_by_passage(recs, 0, 1 / 3) == (train, test)
    assert bench.split_by_passage(recs, 1, 1 / 3) != (train, test)


def test_a_relabelled_interview_keeps_each_coding_on_the_same_words(tmp_path: Path) -> None:
    """``--labelled``: serdif's layout (numbered prompts, MODERATOR lines, indented
    answers) becomes "Interviewer:" / "P1:" turns, and every coding moves with its words."""
    bench = _load()
    folder = tmp_path / "corpus"
    (folder / "transcripts").mkdir(parents=True)
    (folder / "framework.yaml").write_text("title: t\n", encoding="utf-8")
    text = (
        "1 Read the home tab.\n"
        " Home tab, that's where I start yeah?\n"
        " MODERATOR: Yes\n"
        "  1.a Was it enough?\n"
        "   Okay, yeah. It tells me quite well.\n"
        "\n"
        "   It is clear.\n"
    )
    (folder / "transcripts" / "P1_x.txt").write_text(text, encoding="utf-8")
    spans = [
        ("Home tab, that's", "t1"),
        ("It tells me quite well.\n\n   It is clear.", "t2"),
        ("Was it enough?", "t3"),
    ]
    with (folder / "codings.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("source,start,end,theme\n")
        for words, theme in spans:
            start = text.index(words)
            fh.write(f"P1_x.txt,{start},{start + len(words)},{theme}\n")
    out = bench.as_labelled(folder, tmp_path / "out")
    new = (out / "transcripts" / "P1_x.txt").read_text(encoding="utf-8")
    assert new == (
        "Interviewer: Read the home tab.\n\n"
        "P1: Home tab, that's where I start yeah?\n\n"
        "Interviewer: Yes\n\n"
        "Interviewer: Was it enough?\n\n"
        "P1: Okay, yeah. It tells me quite well.\n\n"
        "P1: It is clear.\n"
    )
    with (out / "codings.csv").open(encoding="utf-8", newline="") as fh:
        moved = [new[int(r["start"]) : int(r["end"])] for r in csv.DictReader(fh)]
    assert moved == [
        "Home tab, that's",
        "It tells me quite well.\n\nP1: It is clear.",
        "Was it enough?",
    ]
