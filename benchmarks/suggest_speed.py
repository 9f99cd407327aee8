"""How fast is ``suggest`` on a large survey, against a bare TF-IDF + LR run?

    python benchmarks/suggest_speed.py [--segments 30000] [--embeddings] [--repeat 3]
        [--db postgresql+psycopg://.../EMPTY_DATABASE]

Builds a survey study of N answers (default 30,000: 7,500 respondents x 4 questions)
by recombining sentences of the sample survey's answers to the same question with a
fixed seed, labels them with the survey rules of ``benchmarks/labelled_sample.py`` and
codes a third of each theme's labelled answers. Then, in the same run:

* qualcode, first run: ``suggest(study, top=3, all_segments=True)`` with nothing
  cached in the process or on disk - reading every segment from the study,
  normalising, featurising, fitting and calibrating, scoring all N segments with the
  words behind each suggestion, and storing the suggestions;
* qualcode, a later run: the same in a fresh process (nothing cached in memory) after
  a first run left the corpus and the model on disk (services/suggest_cache.py), as
  when ``qualcode suggest`` is run again or the TUI is opened again;
* qualcode, after 5 new codings: a later run once five more answers were coded, so
  the themes they touch are refitted;
* baseline: a bare TfidfVectorizer fit on the N texts, one-vs-rest LogisticRegression
  fitted on the coded ones and predict_proba for all N, all in memory.

qualcode splits big fits and scoring over the cores it may use (up to four; see
``qualcode.nlp.forked``); the baseline runs in one process, as ten lines of
scikit-learn do. ``QUALCODE_PROCESSES=1`` times qualcode in one process too.

``--db`` builds the study in that (empty) database instead of a temporary SQLite file,
as a team sharing a PostgreSQL server has it: qualcode then reads and stores over the
network, and the baseline, in memory, does neither.

Bar (issue 11): qualcode takes at most 2x the baseline. The first run is the fair
comparison (the baseline keeps nothing between runs either).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled_sample import SURVEY_RULES, split  # noqa: E402

from qualcode.nlp.forked import processes  # noqa: E402
from qualcode.services import codings, framework, importing, queries  # noqa: E402
from qualcode.services.demo import SURVEY_QUESTIONS, sample_root  # noqa: E402
from qualcode.services.study import init_study  # noqa: E402
from qualcode.services.suggest import suggest  # noqa: E402
from qualcode.services.suggest_model import clear_cache  # noqa: E402
from qualcode.store.engine import sqlite_url  # noqa: E402

SENTENCE = re.compile(r"(?<=[.!?])\s+")


def synthetic_survey(path: Path, respondents: int, seed: int = 30000) -> None:
    """A survey CSV whose answers recombine the sample survey's sentences."""
    rng = random.Random(seed)
    with (sample_root() / "transcripts" / "survey.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    pools = {
        q: [s for r in rows if r[q].strip() for s in SENTENCE.split(r[q].strip())]
        for q in SURVEY_QUESTIONS
    }
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "sector", *SURVEY_QUESTIONS])
        for i in range(respondents):
            answers = [
                " ".join(rng.sample(pools[q], rng.choice((1, 1, 2, 3)))) for q in SURVEY_QUESTIONS
            ]
            writer.writerow([f"B{i:05d}", rng.choice(("CSD", "DASS", "PVI")), *answers])


def baseline(texts: list[str], train: dict[int, set[str]]) -> None:
    """Bare TF-IDF + one-vs-rest logistic regression: fit, then predict all texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    X = TfidfVectorizer().fit_transform(texts)
    rows = sorted(train)
    Y = MultiLabelBinarizer().fit_transform([sorted(train[r]) for r in rows])
    model = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(X[rows], Y)
    model.predict_proba(X)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--segments", type=int, default=30_000)
    parser.add_argument("--embeddings", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side")
    parser.add_argument("--db", help="an empty database to build the study in (PostgreSQL)")
    args = parser.parse_args()
    # Import scikit-learn before timing either side, so neither pays for it.
    import sklearn.feature_extraction.text
    import sklearn.linear_model
    import sklearn.multiclass  # noqa: F401

    rules = {t: re.compile(r, re.IGNORECASE) for t, r in SURVEY_RULES.items()}
    with tempfile.TemporaryDirectory() as tmp:
        survey = Path(tmp) / "survey.csv"
        synthetic_survey(survey, args.segments // len(SURVEY_QUESTIONS))
        url = args.db or sqlite_url(Path(tmp) / "big.qualcode")
        study = init_study(url, "speed", coder="bench")
        started = time.perf_counter()
        importing.import_survey(study, survey, "id", SURVEY_QUESTIONS)
        framework.import_framework(study, sample_root() / "frameworks" / "survey.yaml")
        segs = queries.list_segments(study)
        labels = {g.id: {t for t, r in rules.items() if r.search(g.text)} for g in segs}
        train, _ = split({k: v for k, v in labels.items() if v})
        sheet = Path(tmp) / "train.csv"
        with sheet.open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["segment", "theme"])
            writer.writerows([sid, t] for sid, themes in train.items() for t in sorted(themes))
        codings.import_codings(study, sheet)
        setup = time.perf_counter() - started
        print(
            f"{len(segs)} segments, {len(train)} coded for training "
            f"(import and coding took {setup:.1f} s, not counted)"
        )

        texts = [g.text for g in segs]
        index = {g.id: i for i, g in enumerate(segs)}
        by_row = {index[s]: t for s, t in train.items()}
        uncoded = [g.id for g in segs if g.id not in train]
        some_theme = sorted({t for ts in train.values() for t in ts})[0]
        cache = Path(tmp) / "cache"
        os.environ["QUALCODE_CACHE_DIR"] = str(cache)
        bases: list[float] = []
        times: dict[str, list[float]] = {"first": [], "later": [], "coded": []}
        # Alternate the sides, each from cold, and take medians: on a shared machine one
        # run of either can be several times slower than the next.
        for i in range(args.repeat):
            started = time.perf_counter()
            baseline(texts, by_row)
            bases.append(time.perf_counter() - started)
            shutil.rmtree(cache, ignore_errors=True)
            for kind in ("first", "later", "coded"):
                if kind == "coded":
                    for sid in uncoded[5 * i : 5 * i + 5]:
                        codings.code_segment(study, sid, some_theme)
                clear_cache()
                started = time.perf_counter()
                run = suggest(study, top=3, all_segments=True, use_embeddings=args.embeddings)
                times[kind].append(time.perf_counter() - started)
        stored = sum(len(r.suggestions) for r in run.results)
        study.close()
    base = statistics.median(bases)
    print(f"{'bare TF-IDF + LR fit + predict':40}{base:8.1f} s  (median of {args.repeat})")
    labels = {
        "first": "qualcode suggest, first run",
        "later": "qualcode suggest, a later run",
        "coded": "qualcode suggest, after 5 new codings",
    }
    for kind, label in labels.items():
        mine = statistics.median(times[kind])
        each = ", ".join(f"{t:.1f}" for t in times[kind])
        print(f"{label:40}{mine:8.1f} s  {mine / base:5.2f}x  (each: {each})")
    where = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"({run.mode}; {len(run.results)} segments, {stored} suggestions stored each run, "
        f"in {where})"
    )
    n = processes()
    print(
        f"(qualcode split its fits and scoring over {n} process{'es' if n != 1 else ''}, "
        "the baseline ran in one; QUALCODE_PROCESSES=1 keeps qualcode to one)"
    )
    first = statistics.median(times["first"]) / base
    print(f"first run: {first:.2f}x the baseline (bar <= 2x: {'met' if first <= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
