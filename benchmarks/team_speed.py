"""Team features at survey scale: agreement and backups on a 10,000-respondent study.

Builds a fresh SQLite study (10,000 respondents, two answers each = 20,000 segments, a
10-theme framework), two coders who each code every answer, then prints:

- ``qualcode agreement`` (per theme kappa, agreement, alpha) beside the baseline of
  merely reading both coders' codings out of the study (``list_codings``);
- ``qualcode backup`` in both formats beside a plain file copy of the study.

    python benchmarks/team_speed.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qualcode.services import framework, importing
from qualcode.services.agreement import agreement
from qualcode.services.backup import backup
from qualcode.services.codings import import_codings, list_codings
from qualcode.services.queries import list_segments
from qualcode.services.study import Study, init_study
from qualcode.store.engine import sqlite_url

THEMES = [f"B{n}" for n in range(1, 11)]


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def build(folder: Path, rows: int) -> Study:
    study = init_study(sqlite_url(folder / "bench.qualcode"), "Bench", coder="bench")
    survey = folder / "survey.csv"
    with survey.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "sector", "q1", "q2"])
        for i in range(rows):
            w.writerow(
                [f"R{i:06d}", "CSD", f"Answer one of respondent {i}, " * 4, f"Two {i}. " * 6]
            )
    importing.import_survey(study, survey, "id", ["q1", "q2"])
    fw = folder / "fw.yaml"
    fw.write_text(
        "title: Bench\nthemes:\n"
        + "".join(f'  - id: "{t}"\n    label: Theme {t}\n' for t in THEMES)
    )
    framework.import_framework(study, fw)
    rng = random.Random(1)
    codings = folder / "codings.csv"
    with codings.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["segment", "theme", "coder"])
        for g in list_segments(study):
            mine = rng.sample(THEMES, 2)
            w.writerows((g.id, t, "alice") for t in mine)
            theirs = [t if rng.random() < 0.8 else rng.choice(THEMES) for t in mine]
            w.writerows((g.id, t, "bob") for t in set(theirs))
    import_codings(study, codings)
    return study


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        study = build(folder, args.rows)
        n = len(list_codings(study))
        read = timed(lambda: (list_codings(study, coder="alice"), list_codings(study, coder="bob")))
        agree = timed(lambda: agreement(study, ["alice", "bob"]))
        report = agreement(study, ["alice", "bob"])
        print(
            f"study: {args.rows:,} respondents, {report.segments:,} segments compared, "
            f"{n:,} codings"
        )
        print(
            f"agreement (10 themes): {agree:.2f} s; reading the codings: {read:.2f} s; "
            f"ratio {agree / read:.1f}x"
        )
        size = (folder / "bench.qualcode").stat().st_size
        copy = timed(lambda: shutil.copyfile(folder / "bench.qualcode", folder / "plain.copy"))
        online = timed(lambda: backup(study, folder / "b.qualcode"))
        archive = timed(lambda: backup(study, folder / "b.zip"), repeat=1)
        print(
            f"backup of {size / 1e6:.1f} MB: online sqlite {online:.2f} s, archive {archive:.2f} s "
            f"({(folder / 'b.zip').stat().st_size / 1e6:.1f} MB); plain file copy {copy:.3f} s"
        )
        study.close()


if __name__ == "__main__":
    main()
