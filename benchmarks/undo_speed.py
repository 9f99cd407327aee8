"""Undo and redo from the audit trail, at survey scale.

Builds the team benchmark's study (``team_speed.build``: 10,000 respondents, two coders,
about 80,000 codings), then prints, each beside a baseline measured in the same run:

- one coding added, undone and redone (what ctrl+z does most often) beside adding one
  coding with the service alone;
- merging a theme with thousands of codings (every moved coding audited on its own so
  undo can put it back), its undo and its redo, beside a bare SQL UPDATE moving the
  same codings in one transaction - the least any merge can cost.

    python benchmarks/undo_speed.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import update
from team_speed import build

from qualcode.services import framework
from qualcode.services.codings import add_coding, list_codings, remove_coding
from qualcode.services.queries import list_segments
from qualcode.services.undo_log import revert
from qualcode.store import models as m


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        study = build(Path(tmp), args.rows)
        segs = list_segments(study)[: args.repeat]
        adds, undos, redos, plain = [], [], [], []
        for seg in segs:
            start = time.perf_counter()
            c = add_coding(study, seg.source, seg.start, seg.start + 5, "B3")
            plain.append(time.perf_counter() - start)
            remove_coding(study, c.id)
            with study.action() as action:
                start = time.perf_counter()
                add_coding(study, seg.source, seg.start, seg.start + 5, "B3")
                adds.append(time.perf_counter() - start)
            start = time.perf_counter()
            undone = revert(study, action.batch)
            undos.append(time.perf_counter() - start)
            start = time.perf_counter()
            revert(study, undone.batch)
            redos.append(time.perf_counter() - start)
        med = statistics.median
        print(f"study: {args.rows:,} respondents, {len(list_codings(study)):,} codings")
        print(
            f"one coding (median of {len(segs)}): add {ms(med(adds))}, undo {ms(med(undos))}, "
            f"redo {ms(med(redos))}; baseline add without an action {ms(med(plain))}"
        )

        moved = len(list_codings(study, theme="B1"))
        framework.add_theme(study, "B0", "Empty theme for the baseline")
        with study.write() as s:  # the floor: one UPDATE, rolled back
            start = time.perf_counter()
            s.execute(update(m.CodingRow).where(m.CodingRow.theme_id == "B1").values(theme_id="B0"))
            s.flush()
            bare = time.perf_counter() - start
            s.rollback()
        with study.action() as action:
            start = time.perf_counter()
            framework.merge_themes(study, "B1", "B2")
            merge = time.perf_counter() - start
        start = time.perf_counter()
        undone = revert(study, action.batch)
        undo = time.perf_counter() - start
        start = time.perf_counter()
        revert(study, undone.batch)
        redo = time.perf_counter() - start
        print(
            f"merge of a theme with {moved:,} codings: merge {merge:.2f} s, undo {undo:.2f} s, "
            f"redo {redo:.2f} s; baseline bare UPDATE {bare:.3f} s "
            f"(undo {undo / bare:.0f}x the bare UPDATE)"
        )
        study.close()


if __name__ == "__main__":
    main()
