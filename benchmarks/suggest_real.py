"""How good are qualcode's suggestions on real, human-coded data?

    python benchmarks/suggest_real.py [CORPUS ...] [--embeddings] [--fractions 0.1,0.333,0.667]
        [--seeds 1] [--reliability] [--by-passage] [--labelled]

CORPUS is a folder of ../shared/corpora (default: every one there: serdif, nhs-fft). For
each, the corpus is imported into a temporary study the way its README says (framework,
transcripts or survey, cases); then, on exactly the split of ``shared/corpora/baseline.py``
(records grouped by theme, each group shuffled with ``random.Random(seed)``, the first
third coded), the coded third is imported as codings and qualcode suggests themes for
every other coded passage (``services.suggest_passages``: the passage in its context,
themes already coded on it left out, as in the workbench). Beside it, in the same run
and on the same split: baseline.py's TF-IDF + logistic regression, and with
``--embeddings`` a MiniLM + logistic regression baseline.

Prints top-1 / top-3 (the record's theme among the first suggestions), the clean
any-gold figures of baseline.py, and the expected calibration error (ECE) of the top-3
suggestions of each test passage against "the theme is coded there" (10 bins), beside
what chance alone would read on as many suggestions were every score exact. Under
them, what ``qualcode suggest reliability`` told the researcher from the coded passages
alone (cross-validated any-gold top-1 / top-3 and ECE), to compare with the held-out
clean any-gold figures and ECE above it.
``--fractions`` prints a learning curve (10%, a third, two thirds coded).
With ``--seeds`` above 1, each share coded ends with the means over the seeds and the
ECE of every seed's suggestions pooled, beside what chance alone would read on them:
one small split's ECE is mostly chance, the pooled one says what repeats.
``--quotes N`` takes N coded passages of each corpus at random (fixed seed) as
standalone quotes, text only: no question, context, place or attributes - a report's
quotes, or a small study, where a theme has one or two codings.
``--items`` does the same with the columns named as numbered items of one question per
question type (Q1_1, Q1_2, ...), as a survey tool exports the several answers one
question asks for.
``--wide`` spreads a survey corpus (nhs-fft) into one column per distinct question,
named Q1, Q2, ... as survey tools export them, with the question's wording and type left
out: what qualcode makes of a question it knows only by its column.
``--curve`` adds the learning curve of "its own report" (``suggest reliability --curve``):
whether what it says of coding more matches the held-out figures at more ``--fractions``.
``--labelled`` rewrites an interview corpus (serdif) as a transcription service exports
an interview: each turn behind "Interviewer:" or the participant's id ("P1:"), the topic
guide's prompt numbers and the indentation gone, every coding moved with its words. The
turns, the question before a passage and its place are then found from the labels alone,
as on most real interviews.
``--groups`` codes at the corpus's group level instead (serdif's theme_group, nhs-fft's
category), which baseline.py also reports: the codings go on the framework's parent
themes, as a researcher coding with a few broad themes would have it.
``--by-passage`` codes a share of the passages with all their themes instead, as a
researcher codes (each passage read once, every theme it carries coded): the issue's
split codes a share of each theme's records, so a passage with several themes is often
coded with only some, and the other themes count as misses when the model checks its
scores on the coded passages.
``--codings-only`` adds qualcode without the framework's words as training examples
(each theme's label, definition and keywords count as one coded example of it): what
they add, measured on the same split.
Bars (issue 11): top-3 >= baseline + 0.10 and top-1 above it; with embeddings top-3 >=
MiniLM + LR + 0.08; ECE <= 0.05.
"""

from __future__ import annotations

import argparse
import collections
import csv
import importlib.util
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from qualcode.nlp.learned import (
    chance_calibration_error,
    expected_calibration_error,
    reliability_table,
)
from qualcode.services import codings, framework, importing, queries
from qualcode.services.study import Study, init_study, open_study
from qualcode.services.suggest import PARAMS
from qualcode.services.suggest_model import clear_cache
from qualcode.services.suggest_passages import suggest_passages
from qualcode.store.engine import sqlite_url

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def load_baseline() -> Any:
    path = CORPORA / "baseline.py"
    spec = importlib.util.spec_from_file_location("corpus_baseline", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: {path}: cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_study(folder: Path, path: Path) -> dict[Any, tuple[str, int, int]]:
    """Import the corpus as its README says; return record key -> (source, start, end)."""
    study = init_study(sqlite_url(path), folder.name, coder="bench")
    framework.import_framework(study, folder / "framework.yaml")
    spans: dict[Any, tuple[str, int, int]] = {}
    if (folder / "transcripts").is_dir():
        for f in sorted((folder / "transcripts").glob("*.txt")):
            importing.import_transcripts(study, [f], case=f.stem.split("_")[0])
        if (folder / "cases.csv").exists():
            importing.import_cases(study, folder / "cases.csv", id_column="participant")
        by_name = {s.name: s.id for s in queries.list_sources(study)}
        with (folder / "codings.csv").open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                key = (r["source"], int(r["start"]), int(r["end"]))
                spans[key] = (by_name[r["source"]], key[1], key[2])
    elif (folder / "survey_wide.csv").exists():  # made by as_wide
        with (folder / "survey_wide.csv").open(encoding="utf-8", newline="") as fh:
            columns = [c for c in next(csv.reader(fh)) if re.fullmatch(r"Q\d+", c)]
        importing.import_survey(study, folder / "survey_wide.csv", "id", columns)
        for seg in queries.list_segments(study):
            spans[seg.case] = (seg.source, seg.start, seg.end)
    else:
        importing.import_survey(study, folder / "survey.csv", id_column="id", text_columns=["text"])
        for seg in queries.list_segments(study):
            spans[seg.case] = (seg.source, seg.start, seg.end)
    study.close()
    return spans


def as_quotes(base: Any, folder: Path, n: int, dest: Path) -> Path:
    """A corpus folder of ``n`` of ``folder``'s coded passages, as bare survey answers."""
    loaded, _ = base.load(folder)
    themes: dict[Any, list[str]] = {}
    texts: dict[Any, str] = {}
    for r in loaded:
        if r["text"].strip():
            texts[r["key"]] = r["text"]
            themes.setdefault(r["key"], []).append(r["theme"])
    keys = random.Random(1).sample(sorted(texts, key=str), min(n, len(texts)))
    out = dest / f"{folder.name}-quotes"
    out.mkdir()
    shutil.copy(folder / "framework.yaml", out / "framework.yaml")
    with (out / "survey.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerows([f"Q{i:04d}", texts[k]] for i, k in enumerate(keys))
    with (out / "codings.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["respondent", "theme"])
        for i, k in enumerate(keys):
            w.writerows([f"Q{i:04d}", t] for t in sorted(set(themes[k])))
    return out


def as_wide(folder: Path, dest: Path, items: bool = False) -> Path:
    """``folder``'s survey as a wide export: one column per distinct question, named
    Q1, Q2, ... as survey tools name them, the question's wording nowhere in the file.
    ``items``: named as numbered items of a question instead, one question per
    question type (Q1_1, Q1_2 for two wordings of the same type), as survey tools name
    the items of a question that asks for several answers."""
    with (folder / "survey.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "question" not in rows[0]:
        raise SystemExit(f"error: {folder / 'survey.csv'}: no question column to spread out")
    asked = list(dict.fromkeys(" ".join(r["question"].split()) for r in rows))
    column = {q: f"Q{i + 1}" for i, q in enumerate(asked)}
    if items:
        kind = {" ".join(r["question"].split()): r.get("question_type", "") for r in rows}
        families: dict[str, list[str]] = {}
        for q in asked:
            families.setdefault(kind[q], []).append(q)
        column = {
            q: f"Q{f + 1}_{i + 1}"
            for f, qs in enumerate(families.values())
            for i, q in enumerate(qs)
        }
    out = dest / f"{folder.name}-wide"
    out.mkdir()
    for name in ("framework.yaml", "codings.csv"):
        shutil.copy(folder / name, out / name)
    kept = [c for c in rows[0] if c not in ("question", "question_type", "text")]
    with (out / "survey_wide.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*kept, *column.values()])
        for r in rows:
            where = column[" ".join(r["question"].split())]
            w.writerow(
                [*(r[c] for c in kept), *(r["text"] if c == where else "" for c in column.values())]
            )
    with (out / "survey.csv").open("w", newline="", encoding="utf-8") as fh:  # for baseline.py
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerows([r["id"], r["text"]] for r in rows)
    return out


PROMPT = re.compile(r"\s*\d+(?:\.[a-z0-9]+)*\.?\s+")
MODERATOR = re.compile(r"\s*MODERATOR:\s*")


def as_labelled(folder: Path, dest: Path) -> Path:
    """``folder``'s transcripts as a transcription service exports an interview: each
    line a turn behind a speaker's label, "Interviewer:" for the topic guide's prompts
    (their numbers dropped) and the moderator, the case id ("P1:") for the participant,
    a blank line between turns, no indentation. Each coding's span is moved with its
    words, so the same passages are coded."""
    if not (folder / "transcripts").is_dir():
        raise SystemExit(f"error: {folder}: no transcripts to relabel")
    out = dest / f"{folder.name}-labelled"
    (out / "transcripts").mkdir(parents=True)
    for name in ("framework.yaml", "cases.csv"):
        if (folder / name).exists():
            shutil.copy(folder / name, out / name)
    moved: dict[str, list[int]] = {}
    for f in sorted((folder / "transcripts").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        case = f.stem.split("_")[0]
        new = [0] * (len(text) + 1)  # each old offset's new one
        parts: list[str] = []
        size, at = 0, 0
        for line in text.split("\n"):
            lead = PROMPT.match(line) or MODERATOR.match(line)
            label = "Interviewer: " if lead else f"{case}: "
            body_from = lead.end() if lead else len(line) - len(line.lstrip())
            body = line[body_from:].rstrip()
            if body:
                if parts:
                    parts.append("\n\n")
                    size += 2
                parts.append(label + body)
                first, size = size + len(label), size + len(label) + len(body)
            else:
                first = size
            for i in range(len(line) + 1):  # the line's characters and its newline
                if at + i < len(new):
                    new[at + i] = min(max(first, first + i - body_from), size)
            at += len(line) + 1
        (out / "transcripts" / f.name).write_text("".join(parts) + "\n", encoding="utf-8")
        moved[f.name] = new
    with (folder / "codings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (out / "codings.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            new = moved[r["source"]]
            w.writerow({**r, "start": new[int(r["start"])], "end": new[int(r["end"])]})
    return out


def split(recs: list[dict[str, Any]], seed: int, fraction: float) -> tuple[list, list]:
    """baseline.py's split with another share coded (a third gives exactly its split)."""
    by: dict[str, list] = collections.defaultdict(list)
    for r in recs:
        by[r["label"]].append(r)
    rng = random.Random(seed)
    train, test = [], []
    for _, rs in sorted(by.items()):
        rs = rs[:]
        rng.shuffle(rs)
        k = max(1, round(len(rs) * fraction))
        train += rs[:k]
        test += rs[k:]
    return train, test


def split_by_passage(recs: list[dict[str, Any]], seed: int, fraction: float) -> tuple[list, list]:
    """A share of the passages coded with all their themes, the rest to suggest: how a
    researcher codes (each passage read once, every theme it carries coded). The
    issue's split codes a share of each theme's passages instead, so a passage with
    several themes is often coded with only some of them, and cross-validation then
    counts its other themes as misses."""
    keys = sorted({r["key"] for r in recs}, key=str)
    random.Random(seed).shuffle(keys)
    coded = set(keys[: max(1, round(len(keys) * fraction))])
    return [r for r in recs if r["key"] in coded], [r for r in recs if r["key"] not in coded]


def run_qualcode(
    study: Study,
    spans: dict[Any, tuple[str, int, int]],
    train: list[dict[str, Any]],
    test: list[dict[str, Any]],
    tmp: Path,
    use_embeddings: bool,
) -> tuple[dict[Any, list[tuple[str, float]]], float]:
    sheet = tmp / "train.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "start", "end", "theme"])
        for r in train:
            w.writerow([*spans[r["key"]], r["label"]])
    codings.import_codings(study, sheet)
    keys = list(dict.fromkeys(r["key"] for r in test))
    started = time.perf_counter()
    ranked = suggest_passages(study, [spans[k] for k in keys], top=3, use_embeddings=use_embeddings)
    took = time.perf_counter() - started
    pairs = zip(keys, ranked, strict=True)
    return {k: [(s.theme, s.score) for s in items] for k, items in pairs}, took


def own_report(study: Study, use_embeddings: bool, curve: bool = False) -> str:
    """What ``qualcode suggest reliability`` tells the researcher from the coded passages
    alone, to set beside what the held-out passages show; and the calibration error the
    curve's own data would give (which the report does not use)."""
    from qualcode.services.suggest_model import fitted_model, study_corpus
    from qualcode.services.suggest_reliability import reliability_report

    report = reliability_report(study, use_embeddings, curve=curve)
    if not report.checked:
        return "no cross-validation"
    model = fitted_model(study, study_corpus(study, use_embeddings), **PARAMS).suggester.model_
    own = expected_calibration_error(reliability_table(*model.oof_top_))
    line = (
        f"any-gold {report.top1:.3f}/{report.top3:.3f}  ECE {report.ece:.3f} "
        f"(on the curve's own data {own:.3f}), {report.checked} passages"
    )
    if report.curve:
        points = ", ".join(
            f"{'all' if p.share >= 1 else f'{p.share:.0%}'} ({p.passages}) "
            f"{p.top1:.3f}/{p.top3:.3f}"
            for p in report.curve
        )
        line += f"\n      its own learning curve: {points}"
    return line


def figures(
    ranked: dict[Any, list[str]], test: list[dict[str, Any]], train: list[dict[str, Any]], recs
) -> dict[str, float]:
    gold: dict[Any, set[str]] = collections.defaultdict(set)
    for r in recs:
        gold[r["key"]].add(r["label"])
    train_keys = {r["key"] for r in train}
    clean = [r for r in test if r["key"] not in train_keys]

    def mean(xs: list[bool]) -> float:
        return sum(xs) / len(xs) if xs else float("nan")

    return {
        "top1": mean([ranked[r["key"]][:1] == [r["label"]] for r in test]),
        "top3": mean([r["label"] in ranked[r["key"]][:3] for r in test]),
        "clean_top1": mean([bool(set(ranked[r["key"]][:1]) & gold[r["key"]]) for r in clean]),
        "clean_top3": mean([bool(set(ranked[r["key"]][:3]) & gold[r["key"]]) for r in clean]),
    }


def calibration_points(
    scored: dict[Any, list[tuple[str, float]]], recs, train
) -> tuple[list[float], list[bool]]:
    """The score of each of the top-3 suggestions of each clean test passage, and
    whether its theme is among the passage's gold themes."""
    gold: dict[Any, set[str]] = collections.defaultdict(set)
    for r in recs:
        gold[r["key"]].add(r["label"])
    train_keys = {r["key"] for r in train}
    score, hit = [], []
    for key, items in scored.items():
        if key in train_keys:
            continue  # its other themes were coded already: not a clean test of the score
        for theme, s in items:
            score.append(s)
            hit.append(theme in gold[key])
    return score, hit


def calibration(
    scored: dict[Any, list[tuple[str, float]]], recs, train
) -> tuple[float, list, float]:
    """ECE of the top-3 suggestions of each clean test passage against its gold themes,
    its reliability table, and the ECE the same scores would read by chance alone."""
    return calibration_of(*calibration_points(scored, recs, train))


def calibration_of(score: list[float], hit: list[bool]) -> tuple[float, list, float]:
    """``calibration`` of points already gathered."""
    table = reliability_table(score, hit)
    return expected_calibration_error(table), table, chance_calibration_error(score)


def summary(runs: list[dict[str, Any]], points: tuple[list[float], list[bool]]) -> None:
    """Means over the seeds, and the ECE of every seed's suggestions pooled: on a
    small corpus one split's ECE is mostly chance (161 quotes give about 350 scored
    suggestions, and chance alone reads about 0.04), so the pooled figure beside its own
    chance level says how far the scores are off in a way that repeats."""
    n = len(runs)
    print(f"  mean of {n} seeds:")
    for name in runs[0]:
        if name == "ece":
            continue
        f = {k: sum(r[name][k] for r in runs) / n for k in ("top1", "top3")}
        print(f"    {name:<36} top1 {f['top1']:.3f} top3 {f['top3']:.3f}")
    ece = sum(r["ece"] for r in runs) / n
    pooled = expected_calibration_error(reliability_table(*points))
    print(
        f"    ECE: mean of the seeds {ece:.3f}; every seed's suggestions pooled {pooled:.3f} "
        f"(by chance {chance_calibration_error(points[0]):.3f}, {len(points[0])} suggestions)"
    )


def minilm_baseline(train: list, test: list) -> dict[Any, list[str]]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from qualcode.nlp import embeddings

    X = embeddings.encode([r["text"] for r in train])
    T = embeddings.encode([r["text"] for r in test])
    model = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
    model.fit(X, [r["label"] for r in train])
    order = np.argsort(-model.predict_proba(T), axis=1)[:, :3]
    return {r["key"]: [model.classes_[j] for j in order[i]] for i, r in enumerate(test)}


def tfidf_baseline(train: list, test: list) -> dict[Any, list[str]]:
    """baseline.py's model, on any split."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    v = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), stop_words="english")
    A = v.fit_transform([r["text"] for r in train])
    model = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
    model.fit(A, [r["label"] for r in train])
    order = np.argsort(-model.predict_proba(v.transform([r["text"] for r in test])), axis=1)
    return {r["key"]: [model.classes_[j] for j in order[i, :3]] for i, r in enumerate(test)}


def main() -> None:
    # Every figure from a model fitted from scratch, as on a first run: no corpus or model
    # saved on disk by an earlier run (services/suggest_cache.py) is reused.
    os.environ.setdefault("QUALCODE_CACHE_DIR", "off")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("corpora", nargs="*", help="corpus folders (default: all)")
    parser.add_argument("--embeddings", action="store_true", help="qualcode with embeddings")
    parser.add_argument("--fractions", default="0.3333333", help="shares coded, comma-separated")
    parser.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1")
    parser.add_argument("--reliability", action="store_true", help="print reliability tables")
    parser.add_argument(
        "--quotes", type=int, default=0, help="N passages of each corpus as bare quotes"
    )
    parser.add_argument(
        "--wide",
        action="store_true",
        help="a survey corpus as a wide export with one column per question, named Q1, Q2, ...",
    )
    parser.add_argument(
        "--items",
        action="store_true",
        help="as --wide, the columns named as numbered items of one question per question "
        "type: Q1_1, Q1_2, ...",
    )
    parser.add_argument(
        "--curve",
        action="store_true",
        help="add the learning curve of qualcode's own report (suggest reliability --curve), "
        "to set beside the held-out figures at --fractions",
    )
    parser.add_argument(
        "--labelled",
        action="store_true",
        help="an interview corpus (serdif) relabelled as a transcription service exports it: "
        "Interviewer: and P1: before each turn, the prompts' numbers and the indentation gone",
    )
    parser.add_argument(
        "--groups",
        action="store_true",
        help="code at the level of the corpus's groups (theme_group, category): the "
        "framework's parent themes, as a researcher coding with broad themes",
    )
    parser.add_argument(
        "--by-passage",
        action="store_true",
        help="code a share of the passages with all their themes (as a researcher codes), "
        "not a share of each theme's passages",
    )
    parser.add_argument(
        "--codings-only",
        action="store_true",
        help="also qualcode without the framework's words as training examples",
    )
    args = parser.parse_args()
    # A bare name ("nhs-fft") is a folder of ../shared/corpora.
    given = [Path(c) if Path(c).is_dir() else CORPORA / c for c in args.corpora]
    folders = given or sorted(p for p in CORPORA.iterdir() if (p / "codings.csv").exists())
    if not folders:
        raise SystemExit(f"error: {CORPORA}: no corpora (needs ../shared/corpora)")
    base = load_baseline()
    fractions = [float(f) for f in args.fractions.split(",")]
    quotes_dir = tempfile.TemporaryDirectory()
    if args.quotes:
        folders = [as_quotes(base, f, args.quotes, Path(quotes_dir.name)) for f in folders]
    if args.wide or args.items:
        folders = [as_wide(f, Path(quotes_dir.name), args.items) for f in folders]
    if args.labelled:
        folders = [as_labelled(f, Path(quotes_dir.name)) for f in folders]
    for folder in folders:
        loaded, _ = base.load(folder)
        recs, seen = [], set()
        level = "group" if args.groups else "theme"
        for r in loaded:  # a passage once per label of the level (as baseline.py)
            if r[level] and (r["key"], r[level]) not in seen:
                seen.add((r["key"], r[level]))
                recs.append({"key": r["key"], "text": r["text"], "label": r[level]})
        if not recs:
            raise SystemExit(f"error: {folder / 'codings.csv'}: no {level} column to code with")
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            started = time.perf_counter()
            spans = build_study(folder, tmp / "empty.qualcode")
            print(f"{folder.name}: imported in {time.perf_counter() - started:.1f} s")
            for fraction in fractions:
                runs: list[dict[str, Any]] = []
                points: tuple[list[float], list[bool]] = ([], [])
                for seed in range(args.seeds):
                    cut = split_by_passage if args.by_passage else split
                    train, test = cut(recs, seed, fraction)
                    path = tmp / "run.qualcode"
                    shutil.copy(tmp / "empty.qualcode", path)
                    study = open_study(sqlite_url(path), coder="bench")
                    clear_cache()
                    scored, took = run_qualcode(study, spans, train, test, tmp, args.embeddings)
                    told = own_report(study, args.embeddings, args.curve)
                    study.close()
                    alone = None
                    if args.codings_only:
                        shutil.copy(tmp / "empty.qualcode", path)
                        study = open_study(sqlite_url(path), coder="bench")
                        clear_cache()
                        weight, PARAMS["framework_weight"] = PARAMS["framework_weight"], 0.0
                        try:
                            alone, _ = run_qualcode(study, spans, train, test, tmp, args.embeddings)
                        finally:
                            PARAMS["framework_weight"] = weight
                            study.close()
                    names = {k: [t for t, _ in v] for k, v in scored.items()}
                    ours = figures(names, test, train, recs)
                    started = time.perf_counter()
                    plain = figures(tfidf_baseline(train, test), test, train, recs)
                    base_took = time.perf_counter() - started
                    these = calibration_points(scored, recs, train)
                    ece, table, floor = calibration_of(*these)
                    run: dict[str, Any] = {"TF-IDF+LR baseline": plain}
                    for pool, more in zip(points, these, strict=True):
                        pool.extend(more)
                    print(
                        f"  {fraction:.0%} coded, seed {seed}: "
                        f"{len(train)} train / {len(test)} test"
                    )
                    line = (
                        "    {:<36} top1 {top1:.3f} top3 {top3:.3f} "
                        "(clean any-gold {clean_top1:.3f}/{clean_top3:.3f})"
                    )
                    print(line.format("TF-IDF+LR baseline", **plain) + f"  {base_took:.1f} s")
                    if args.embeddings:
                        mini = figures(minilm_baseline(train, test), test, train, recs)
                        print(line.format("MiniLM+LR baseline", **mini))
                        run["MiniLM+LR baseline"] = mini
                    name = "qualcode" + (" (embeddings)" if args.embeddings else "")
                    print(
                        line.format(name, **ours)
                        + f"  ECE {ece:.3f} (by chance {floor:.3f})  {took:.1f} s"
                    )
                    run[name], run["ece"] = ours, ece
                    runs.append(run)
                    print(f"    {'  its own report (coded passages)':<36} {told}")
                    if alone is not None:
                        only = figures(
                            {k: [t for t, _ in v] for k, v in alone.items()}, test, train, recs
                        )
                        print(
                            line.format(name + ", codings only", **only)
                            + f"  ECE {calibration(alone, recs, train)[0]:.3f}"
                        )
                    print(
                        f"    difference: top1 {ours['top1'] - plain['top1']:+.3f} "
                        f"top3 {ours['top3'] - plain['top3']:+.3f}"
                    )
                    if args.reliability:
                        for b in table:
                            print(
                                f"      [{b.low:.1f}, {b.high:.1f}) n={b.count:5d} "
                                f"score {b.mean_score:.3f} coded {b.hit_rate:.3f}"
                            )
                    sys.stdout.flush()
                if len(runs) > 1:
                    summary(runs, points)


if __name__ == "__main__":
    main()
