"""Mapping speed: co-occurrence and associations on 60 cases x 40 themes x 20,000 codings.

Builds the study with the matrix benchmark's builder (``benchmarks/matrix_speed.py``:
transcripts recycled from the sample interviews, 8 themes of 4 sub-themes), then codes
whole segments at random - each sub-theme only in a random 20-90% of the cases, so
that themes differ between sectors and the tests have something to test - and times,
best of ``--repeat`` runs each:

- ``services.mapping.cooccurrence`` over all 40 themes (cases and passages within one
  segment, Jaccard) - target < 2 s - beside a pandas crosstab of cases x themes and its
  product (the case-level co-occurrence only) from the same rows read with one query;
- ``services.mapping.associations`` of all 40 themes by sector (counts, Fisher's exact
  test, wording, Benjamini-Hochberg) - target < 2 s - beside a pandas crosstab of
  themes x sector over the same distinct (theme, case) pairs;
- the drill-down to one pair's passages.

    python benchmarks/mapping_speed.py [--cases 60] [--themes 40] [--codings 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matrix_speed import build  # noqa: E402 - the data builder of the matrix benchmark

from qualcode.services import codings, framework, mapping  # noqa: E402
from qualcode.services.study import Study  # noqa: E402


def code(study: Study, folder: Path, n_codings: int) -> None:
    import csv
    import random

    from qualcode.services import queries

    rng = random.Random(11)
    leaves = [t.id for t in framework.list_themes(study) if "." in t.id]
    by_case: dict[str, list[str]] = {}
    for seg in queries.list_segments(study):
        by_case.setdefault(seg.case, []).append(seg.id)
    cases = sorted(by_case)
    where = {
        t: rng.sample(cases, max(1, round(len(cases) * rng.uniform(0.2, 0.9)))) for t in leaves
    }
    seen: set[tuple[str, str]] = set()
    with (folder / "codings.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["segment", "theme", "coder"])
        while len(seen) < n_codings:
            theme = rng.choice(leaves)
            key = (rng.choice(by_case[rng.choice(where[theme])]), theme)
            if key not in seen:
                seen.add(key)
                writer.writerow([*key, "bench"])
    codings.import_codings(study, folder / "codings.csv")


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def rows(study: Study) -> list[tuple[str, str, str]]:
    """(theme, case, sector) of every coding, with one query."""
    from sqlalchemy import select

    from qualcode.store import models as m

    with study.read() as s:
        found = s.execute(
            select(m.CodingRow.theme_id, m.SourceRow.case_id, m.CaseAttributeRow.value)
            .join(m.SourceRow, m.SourceRow.id == m.CodingRow.source_id)
            .join(m.CaseAttributeRow, m.CaseAttributeRow.case_id == m.SourceRow.case_id)
            .where(m.CaseAttributeRow.name == "sector")
        ).all()
    return [(str(t), str(c), str(v)) for t, c, v in found]


def crosstab_cooccurrence(study: Study) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows(study), columns=["theme", "case", "sector"])
    grid = (pd.crosstab(frame["case"], frame["theme"]) > 0).astype(int)
    grid.T.dot(grid)


def crosstab_associations(study: Study) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows(study), columns=["theme", "case", "sector"])
    pairs = frame.drop_duplicates(["theme", "case"])
    pd.crosstab(pairs["theme"], pairs["sector"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--themes", type=int, default=40)
    parser.add_argument("--codings", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=8000, help="words per transcript")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        study = build(Path(tmp), args.cases, args.themes, 0, args.words)
        code(study, Path(tmp), args.codings)
        built = time.perf_counter() - start
        themes = [t.id for t in framework.list_themes(study)]
        n_codings = len(codings.list_codings(study))
        print(
            f"study: {args.cases} cases, {len(themes)} themes, {n_codings} codings "
            f"(built in {built:.1f} s)"
        )
        mapping.cooccurrence(study, themes)  # warm up imports (pandas, scipy) untimed
        crosstab_cooccurrence(study)
        co = best(args.repeat, lambda: mapping.cooccurrence(study, themes, within=1))
        co_base = best(args.repeat, lambda: crosstab_cooccurrence(study))
        print(
            f"co-occurrence, {len(themes)} themes, within 1 segment: {co:.3f} s  (target < 2 s; "
            f"pandas crosstab cases x themes and its product, cases only: {co_base:.3f} s)"
        )
        found: list[object] = []
        assoc = best(
            args.repeat,
            lambda: found.append(mapping.associations(study, "sector", themes, fdr=0.1)),
        )
        assoc_base = best(args.repeat, lambda: crosstab_associations(study))
        last = found[-1]
        assert isinstance(last, list)
        tests = sorted({a.test.split(" (")[0] for a in last})
        print(
            f"associations, {len(last)} themes by sector: {assoc:.3f} s  (target < 2 s; "
            f"pandas crosstab themes x sector: {assoc_base:.3f} s; tests: {', '.join(tests)})"
        )
        leaves = [t for t in themes if "." in t]
        drill = best(
            args.repeat, lambda: mapping.cooccurrence_passages(study, leaves[0], leaves[1], 1)
        )
        print(f"drill-down to one pair's passages: {drill:.3f} s")
        study.close()


if __name__ == "__main__":
    main()
