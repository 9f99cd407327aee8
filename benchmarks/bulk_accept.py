"""How fast is a bulk accept (``qualcode suggest accept --above P``) and its undo?

    python benchmarks/bulk_accept.py [--segments 30000] [--above 0.5]
        [--db postgresql+psycopg://.../EMPTY_DATABASE]

Builds the survey study of ``benchmarks/suggest_speed.py`` (N answers recombined from
the sample survey's sentences, a third of each rule-labelled theme coded), runs
``suggest`` on every answer, then times, in the same run:

* qualcode's bulk accept: every pending suggestion scored ``--above`` or more coded in
  one transaction, each coding with its provenance and an audit entry for the coding
  and for the decision (the precision stated first is worked out before the clock
  starts);
* its undo: one ``qualcode undo`` taking all of them back;
* baseline: ``qualcode codings import`` of a CSV of the same (segment, theme) pairs,
  the bulk write the project already had (one transaction; since stop 43 an audit
  entry for each coding too, so that `qualcode undo` takes an import back).

``--db`` builds the study in that (empty) database instead of a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled_sample import SURVEY_RULES, split  # noqa: E402
from suggest_speed import synthetic_survey  # noqa: E402

from qualcode.services import codings, framework, importing, queries  # noqa: E402
from qualcode.services.demo import SURVEY_QUESTIONS, sample_root  # noqa: E402
from qualcode.services.study import Study, init_study  # noqa: E402
from qualcode.services.suggest import suggest  # noqa: E402
from qualcode.services.suggest_bulk import accept_plan, plan_accept  # noqa: E402
from qualcode.services.undo_log import last_action, revert  # noqa: E402
from qualcode.store.engine import sqlite_url  # noqa: E402


def build(folder: Path, segments: int, url: str) -> Study:
    survey = folder / "survey.csv"
    synthetic_survey(survey, segments // len(SURVEY_QUESTIONS))
    study = init_study(url, "bulk", coder="bench")
    importing.import_survey(study, survey, "id", SURVEY_QUESTIONS)
    framework.import_framework(study, sample_root() / "frameworks" / "survey.yaml")
    rules = {t: re.compile(r, re.IGNORECASE) for t, r in SURVEY_RULES.items()}
    segs = queries.list_segments(study)
    labels = {g.id: {t for t, r in rules.items() if r.search(g.text)} for g in segs}
    train, _ = split({k: v for k, v in labels.items() if v})
    _write_pairs(folder / "train.csv", [(s, t) for s, ts in train.items() for t in sorted(ts)])
    codings.import_codings(study, folder / "train.csv")
    return study


def _write_pairs(path: Path, pairs: list[tuple[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["segment", "theme"])
        writer.writerows(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--segments", type=int, default=30_000)
    parser.add_argument("--above", type=float, default=0.5)
    parser.add_argument("--db", help="an empty database to build the study in (PostgreSQL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QUALCODE_CACHE_DIR"] = str(Path(tmp) / "cache")
        url = args.db or sqlite_url(Path(tmp) / "bulk.qualcode")
        started = time.perf_counter()
        study = build(Path(tmp), args.segments, url)
        suggest(study, top=3, all_segments=False, use_embeddings=False)
        plan = plan_accept(study, args.above, use_embeddings=False)
        print(
            f"{args.segments} answers; {len(plan.suggestions):,} pending suggestions scored "
            f"{args.above} or more (built in {time.perf_counter() - started:.0f} s, not counted)"
        )
        started = time.perf_counter()
        done = accept_plan(study, plan)
        accepted = time.perf_counter() - started
        batch = last_action(study, "bench")
        assert batch is not None
        started = time.perf_counter()
        undone = revert(study, batch)
        undo = time.perf_counter() - started
        sheet = Path(tmp) / "accepted.csv"
        _write_pairs(sheet, [(s.segment, s.theme) for s in plan.suggestions])
        started = time.perf_counter()
        report = codings.import_codings(study, sheet)
        base = time.perf_counter() - started
        study.close()
    assert report.codings_added == len(done)
    where = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{'codings import of the same pairs (baseline)':46}{base:7.1f} s")
    print(f"{'qualcode bulk accept':46}{accepted:7.1f} s  {accepted / base:5.2f}x")
    print(f"{'its undo':46}{undo:7.1f} s  {undo / base:5.2f}x  ({undone.changes:,} changes)")
    print(f"({len(done):,} codings, study in {where})")


if __name__ == "__main__":
    main()
