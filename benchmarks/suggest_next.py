"""Does coding what ``qualcode suggest next`` proposes teach the suggestions faster than
reading in order? A simulation on real, human-coded corpora.

    python benchmarks/suggest_next.py [CORPUS ...] [--rounds 5] [--batch 40] [--seed 0]
        [--seeds 1]

Each corpus of ../shared/corpora is imported as its README says. A segment's gold themes
are those of the researchers' codings that overlap it. 40% of the labelled segments are
held out for testing; the rest form the pool a simulated researcher codes from. All three
strategies start from the same first 20 pool segments in reading order; then each round
codes ``--batch`` more: "in order" takes the next pool segments in reading order, "random"
pool segments drawn at random (seeded), "next" the pool segments that
``services.suggest_bulk.next_to_code`` ranks highest. After each
round, top-3 accuracy (any gold theme among the three suggestions) on the held-out
segments, from ``services.suggest_passages``.
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suggest_real import CORPORA, build_study  # noqa: E402

from qualcode.services import codings, queries  # noqa: E402
from qualcode.services.study import Study, open_study  # noqa: E402
from qualcode.services.suggest_bulk import next_to_code  # noqa: E402
from qualcode.services.suggest_model import clear_cache  # noqa: E402
from qualcode.services.suggest_passages import suggest_passages  # noqa: E402
from qualcode.store.engine import sqlite_url  # noqa: E402


def gold_segments(study: Study, folder: Path) -> dict[str, set[str]]:
    """Respondent segment id -> themes of the corpus codings overlapping it."""
    segs = queries.list_segments(study)
    by_source: dict[str, list] = collections.defaultdict(list)
    for g in segs:
        by_source[g.source].append(g)
    out: dict[str, set[str]] = collections.defaultdict(set)
    with (folder / "codings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if "source" in rows[0]:
        names = {s.name: s.id for s in queries.list_sources(study)}
        for r in rows:
            a, b = int(r["start"]), int(r["end"])
            for g in by_source[names[r["source"]]]:
                if g.start < b and a < g.end:
                    out[g.id].add(r["theme"])
    else:
        seg_of = {g.case: g.id for g in segs}
        for r in rows:
            out[seg_of[r["respondent"]]].add(r["theme"])
    return dict(out)


def code(study: Study, segs: dict, chosen: list[str], gold: dict, tmp: Path) -> None:
    sheet = tmp / "round.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "start", "end", "theme"])
        for sid in chosen:
            g = segs[sid]
            for theme in sorted(gold[sid]):
                w.writerow([g.source, g.start, g.end, theme])
    codings.import_codings(study, sheet)


def top3(study: Study, segs: dict, test: list[str], gold: dict) -> float:
    ranked = suggest_passages(study, [(segs[s].source, segs[s].start, segs[s].end) for s in test])
    hits = [bool({p.theme for p in r[:3]} & gold[s]) for s, r in zip(test, ranked, strict=True)]
    return sum(hits) / len(hits)


def run(
    study: Study, strategy: str, ctx: dict[str, Any], batch: int, rounds: int, seed: int
) -> list[tuple[int, float]]:
    """Top-3 after the first 20 and after each round of ``strategy``."""
    pool, segs, gold, test, tmp = (ctx[k] for k in ("pool", "segs", "gold", "test", "tmp"))
    rng = random.Random(seed + 1000)
    done = pool[:20]
    code(study, segs, done, gold, tmp)
    curve = [(len(done), top3(study, segs, test, gold))]
    for _ in range(rounds):
        left = [s for s in pool if s not in set(done)]
        if strategy == "in order":
            chosen = left[:batch]
        elif strategy == "random":
            chosen = rng.sample(left, min(batch, len(left)))
        else:
            wanted = set(left)
            ranked = next_to_code(study, limit=len(segs))
            chosen = [p.segment for p in ranked if p.segment in wanted][:batch]
            chosen += [s for s in left if s not in set(chosen)][: batch - len(chosen)]
        code(study, segs, chosen, gold, tmp)
        done += chosen
        curve.append((len(done), top3(study, segs, test, gold)))
    return curve


def main() -> None:
    # Every figure from a model fitted from scratch, as on a first run: no corpus or model
    # saved on disk by an earlier run (services/suggest_cache.py) is reused.
    os.environ.setdefault("QUALCODE_CACHE_DIR", "off")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0, help="the first seed")
    parser.add_argument("--seeds", type=int, default=1, help="how many seeds, from --seed")
    args = parser.parse_args()
    # A bare name ("serdif") is a folder of ../shared/corpora.
    given = [Path(c) if Path(c).is_dir() else CORPORA / c for c in args.corpora]
    folders = given or sorted(p for p in CORPORA.iterdir() if (p / "codings.csv").exists())
    strategies = ("in order", "random", "next")
    for folder in folders:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            build_study(folder, tmp / "empty.qualcode")
            probe = open_study(sqlite_url(tmp / "empty.qualcode"), coder="bench")
            gold = gold_segments(probe, folder)
            order = [g.id for g in queries.list_segments(probe) if g.id in gold]
            segs = {g.id: g for g in queries.list_segments(probe)}
            probe.close()
            gains: list[list[float]] = []
            for seed in range(args.seed, args.seed + args.seeds):
                rng = random.Random(seed)
                test = sorted(rng.sample(order, int(len(order) * 0.4)))
                pool = [s for s in order if s not in set(test)]
                print(
                    f"{folder.name}, seed {seed}: {len(order)} labelled segments, "
                    f"{len(pool)} pool, {len(test)} test"
                )
                ctx = {"pool": pool, "segs": segs, "gold": gold, "test": test, "tmp": tmp}
                curves = {}
                for strategy in strategies:
                    path = tmp / f"{strategy}.qualcode"
                    shutil.copy(tmp / "empty.qualcode", path)
                    study = open_study(sqlite_url(path), coder="bench")
                    clear_cache()
                    curves[strategy] = run(study, strategy, ctx, args.batch, args.rounds, seed)
                    study.close()
                    print(
                        f"  {strategy:<9} " + "  ".join(f"{n}:{a:.3f}" for n, a in curves[strategy])
                    )
                    sys.stdout.flush()
                gain = [
                    b[1] - a[1] for a, b in zip(curves["in order"], curves["next"], strict=True)
                ]
                gains.append(gain)
                print("  next - in order: " + "  ".join(f"{g:+.3f}" for g in gain))
            if len(gains) > 1:
                mean = [sum(col) / len(col) for col in zip(*gains, strict=True)]
                print(
                    f"  mean of {len(gains)} seeds, next - in order: "
                    + "  ".join(f"{g:+.3f}" for g in mean)
                )


if __name__ == "__main__":
    main()
