"""Is the precision bulk accept states the precision a researcher gets, on real data?

    python benchmarks/bulk_precision.py [CORPUS ...] [--coded N] [--cases K] [--seeds S]
        [--above 0.9,0.8,0.7,0.6] [--embeddings]

CORPUS is a folder of ../shared/corpora (default: every one there). Each is imported
as its README says. A researcher then codes part of it completely, every theme the
corpus's coders gave each passage they code:

* a survey (nhs-fft): ``--coded`` answers (default 400) drawn at random;
* interviews (serdif): every passage of ``--cases`` participants (default 5) drawn at
  random, as when a few transcripts are coded first.

``qualcode suggest`` then scores the rest, and for each ``--above`` score
``suggest accept --above`` is planned (``services.suggest_bulk.plan_accept``, nothing
written). Printed side by side for what it would code:

* stated: the precision bulk accept states (cross-validated on the researcher's
  codings) with its 95% interval;
* coded only: the cross-validated precision alone, as stated before uncoded passages
  read past counted against it (``services.suggest_bulk.read_past``);
* mean score: the naive estimate, the mean of the chosen suggestions' scores;
* actual: the share of them the corpus's coders coded there (a theme counts as coded
  on a passage when one of their codings of it overlaps the passage).

Interview passages the corpus's coders left uncoded (talk beside the tasks) count
against a suggestion there; ``actual, coded passages`` leaves them out. ``left``: the
suggestions bulk accept leaves pending as they fall on passages the researcher read
past and left uncoded.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import suggest_real  # noqa: E402

from qualcode.services import codings, queries  # noqa: E402
from qualcode.services.study import Study, open_study  # noqa: E402
from qualcode.services.suggest import suggest  # noqa: E402
from qualcode.services.suggest_bulk import plan_accept  # noqa: E402
from qualcode.services.suggest_model import clear_cache, segment_themes  # noqa: E402
from qualcode.store.engine import sqlite_url  # noqa: E402


def gold_themes(folder: Path, tmp: Path) -> tuple[dict[str, set[str]], Path]:
    """Each segment's themes in the corpus's own coding, and the empty study."""
    spans = suggest_real.build_study(folder, tmp / "empty.qualcode")
    loaded, _ = suggest_real.load_baseline().load(folder)
    sheet = tmp / "all.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "start", "end", "theme"])
        w.writerows([*spans[r["key"]], r["theme"]] for r in loaded)
    shutil.copy(tmp / "empty.qualcode", tmp / "gold.qualcode")
    gold = open_study(sqlite_url(tmp / "gold.qualcode"), coder="corpus")
    codings.import_codings(gold, sheet)
    themes = segment_themes(gold)
    gold.close()
    return themes, tmp / "empty.qualcode"


def code_part(
    study: Study, gold: dict[str, set[str]], args: argparse.Namespace, seed: int, tmp: Path
) -> str:
    """Code part of the study completely, as the docstring says; what was coded."""
    segs = queries.list_segments(study)
    rng = random.Random(seed)
    if any(s.kind == "survey" for s in queries.list_sources(study)):
        chosen = rng.sample([g.id for g in segs], min(args.coded, len(segs)))
        what = f"{len(chosen)} answers coded at random"
    else:
        cases = sorted({g.case for g in segs if g.case})
        picked = set(rng.sample(cases, min(args.cases, len(cases))))
        chosen = [g.id for g in segs if g.case in picked]
        what = f"{len(picked)} participants coded ({', '.join(sorted(picked))})"
    sheet = tmp / "coded.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["segment", "theme"])
        w.writerows([sid, t] for sid in chosen for t in sorted(gold.get(sid, ())))
    codings.import_codings(study, sheet)
    n = sum(len(gold.get(sid, ())) for sid in chosen)
    return f"{what}: {n} codings on {sum(1 for s in chosen if gold.get(s))} passages"


def main() -> None:
    os.environ.setdefault("QUALCODE_CACHE_DIR", "off")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="corpus folders (default: all)")
    parser.add_argument("--coded", type=int, default=400, help="survey answers coded")
    parser.add_argument("--cases", type=int, default=5, help="interview participants coded")
    parser.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1")
    parser.add_argument("--above", default="0.9,0.8,0.7,0.6", help="scores, comma-separated")
    parser.add_argument("--embeddings", action="store_true", help="qualcode with embeddings")
    args = parser.parse_args()
    given = [Path(c) if Path(c).is_dir() else suggest_real.CORPORA / c for c in args.corpora]
    folders = given or sorted(
        p for p in suggest_real.CORPORA.iterdir() if (p / "codings.csv").exists()
    )
    if not folders:
        raise SystemExit(f"error: {suggest_real.CORPORA}: no corpora (needs ../shared/corpora)")
    thresholds = [float(a) for a in args.above.split(",")]
    for folder in folders:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            gold, empty = gold_themes(folder, tmp)
            print(f"{folder.name}: {sum(1 for t in gold.values() if t)} coded passages")
            for seed in range(args.seeds):
                path = tmp / "run.qualcode"
                shutil.copy(empty, path)
                study = open_study(sqlite_url(path), coder="bench")
                clear_cache()
                print(f"  seed {seed}: {code_part(study, gold, args, seed, tmp)}")
                suggest(study, top=3, use_embeddings=args.embeddings)
                print(
                    f"    {'above':>6} {'chosen':>7} {'left':>5} {'stated (95% interval)':>29} "
                    f"{'coded only':>10} {'mean score':>10} {'actual':>7} "
                    f"{'actual, coded passages':>23}"
                )
                for above in thresholds:
                    plan = plan_accept(study, above)
                    chosen = plan.suggestions
                    if not chosen:
                        print(f"    {above:6.2f} {0:7d}")
                        continue
                    right = sum(s.theme in gold.get(s.segment, ()) for s in chosen)
                    on_coded = [s for s in chosen if gold.get(s.segment)]
                    right_coded = sum(s.theme in gold[s.segment] for s in on_coded)
                    stated = _stated(plan)
                    mean = sum(s.score for s in chosen) / len(chosen)
                    coded_share = f"{right_coded / len(on_coded):.3f} of {len(on_coded)}"
                    print(
                        f"    {above:6.2f} {len(chosen):7d} {plan.read_past:5d} {stated:>29} "
                        f"{_coded_only(plan):>10} {mean:10.3f} {right / len(chosen):7.3f} "
                        f"{coded_share:>23}"
                    )
                study.close()
                sys.stdout.flush()


def _stated(plan: Any) -> str:
    if plan.expected_precision is None:
        return "none stated"
    low, high = plan.precision_interval or (0.0, 1.0)
    n = f"{plan.validated_on}" + (f"+{plan.uncoded_above}" if plan.uncoded_above else "")
    return f"{plan.expected_precision:.3f} ({low:.2f}-{high:.2f}, n={n})"


def _coded_only(plan: Any) -> str:
    """The cross-validated precision alone: what was stated before uncoded passages
    read past counted."""
    if plan.expected_precision is None or not plan.validated_on:
        return "-"
    total = plan.validated_on + plan.uncoded_above
    return f"{plan.expected_precision * total / plan.validated_on:.3f}"


if __name__ == "__main__":
    main()
