"""Matrix speed: 60 cases x 40 themes with 20,000 codings.

Builds the study through qualcode's own importers (transcripts recycled from the
sample interviews, a 40-theme framework, codings from CSV), then times:

- matrix counts by sector (``services.matrix.counts``) - target < 1 s - beside a
  plain pandas groupby over the same coding rows read with one SQL query;
- the .xlsx export (``services.matrix_export.export_matrix``: reading the study,
  building the sheets, writing) - target < 10 s - beside only writing the same
  cell texts with openpyxl directly;
- one sheet for a screen (``services.matrix.sheet``), which the TUI opens.

Best of ``--repeat`` runs each.

    python benchmarks/matrix_speed.py [--cases 60] [--themes 40] [--codings 20000]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

from qualcode.services import codings, framework, importing, matrix, matrix_export, queries
from qualcode.services.demo import sample_root
from qualcode.services.study import Study, init_study
from qualcode.store.engine import sqlite_url

SECTORS = ("CSD", "DASS", "Joint", "PVI")
TYPES = ("London borough", "county council", "unitary authority", "metropolitan borough")


def build(folder: Path, n_cases: int, n_themes: int, n_codings: int, words: int) -> Study:
    turns: list[str] = []
    for path in sorted((sample_root() / "transcripts").glob("int*.txt")):
        turns.extend(p for p in path.read_text().split("\n\n") if p.strip())
    source = cycle(turns)
    files = []
    for n in range(1, n_cases + 1):
        out, total = [], 0
        for turn in source:
            out.append(turn)
            total += len(turn.split())
            if total >= words:
                break
        path = folder / f"case{n:02d}.txt"
        path.write_text("\n\n".join(out) + "\n", encoding="utf-8")
        files.append(path)
    study = init_study(sqlite_url(folder / "bench.qualcode"), "Matrix benchmark", "bench")
    importing.import_transcripts(study, files)
    with (folder / "cases.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case", "sector", "authority_type", "role"])
        for n in range(1, n_cases + 1):
            writer.writerow([f"case{n:02d}", SECTORS[n % 4], TYPES[n % 3], "Director"])
    importing.import_cases(study, folder / "cases.csv", "case")
    per_top = 4
    tops = max(n_themes // (per_top + 1), 1)
    lines = ["title: Benchmark", "themes:"]
    for t in range(1, tops + 1):
        lines += [f'  - id: "{t}"', f"    label: Theme {t}", "    children:"]
        for c in range(1, per_top + 1):
            lines += [f'      - id: "{t}.{c}"', f"        label: Sub-theme {t}.{c}"]
    (folder / "framework.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    framework.import_framework(study, folder / "framework.yaml")
    leaves = [t.id for t in framework.list_themes(study) if "." in t.id]
    segments = queries.list_segments(study)
    rng = random.Random(7)
    seen: set[tuple[str, str]] = set()
    with (folder / "codings.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["segment", "theme", "coder"])
        while len(seen) < min(n_codings, len(segments) * len(leaves)):
            key = (rng.choice(segments).id, rng.choice(leaves))
            if key not in seen:
                seen.add(key)
                writer.writerow([*key, "bench"])
    codings.import_codings(study, folder / "codings.csv")
    return study


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def pandas_baseline(study: Study) -> None:
    import pandas as pd
    from sqlalchemy import select

    from qualcode.store import models as m

    with study.read() as s:
        rows = s.execute(
            select(m.CodingRow.theme_id, m.SourceRow.case_id, m.CaseAttributeRow.value)
            .join(m.SourceRow, m.SourceRow.id == m.CodingRow.source_id)
            .join(m.CaseAttributeRow, m.CaseAttributeRow.case_id == m.SourceRow.case_id)
            .where(m.CaseAttributeRow.name == "sector")
        ).all()
    frame = pd.DataFrame(rows, columns=["theme", "case", "sector"])
    frame.groupby(["theme", "sector"])["case"].nunique()


def cell_texts(study: Study) -> list[list[list[str]]]:
    """The texts the export writes, sheet by sheet and row by row (built untimed)."""
    from qualcode.exchange.matrix_text import cell_text

    book = matrix_export.build_book(study, by=["sector"])
    return [
        [["case", *(t.id for t in sheet.themes)]]
        + [[row.case, *(cell_text(c) for c in row.cells)] for row in sheet.rows]
        for sheet in book.sheets
    ]


def openpyxl_baseline(sheets: list[list[list[str]]], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for n, rows in enumerate(sheets):
        ws = wb.create_sheet(f"Sheet {n}")
        for row in rows:
            ws.append(row)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--themes", type=int, default=40)
    parser.add_argument("--codings", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=8000, help="words per transcript")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        study = build(folder, args.cases, args.themes, args.codings, args.words)
        built = time.perf_counter() - start
        n_themes = len(framework.list_themes(study))
        n_codings = len(codings.list_codings(study))
        print(
            f"study: {args.cases} cases, {n_themes} themes, {n_codings} codings "
            f"(built in {built:.1f} s)"
        )
        matrix.counts(study, by=["sector"])  # warm up imports (pandas) outside the timing
        counts = best(args.repeat, lambda: matrix.counts(study, by=["sector"]))
        base = best(args.repeat, lambda: pandas_baseline(study))
        print(
            f"matrix counts by sector: {counts:.3f} s  (target < 1 s; "
            f"plain pandas groupby: {base:.3f} s, x{counts / base:.1f})"
        )
        out = folder / "matrix.xlsx"
        xlsx = best(args.repeat, lambda: matrix_export.export_matrix(study, out, ["sector"]))
        sheets = best(args.repeat, lambda: matrix_export.build_book(study, by=["sector"]))
        texts = cell_texts(study)
        raw = best(args.repeat, lambda: openpyxl_baseline(texts, folder / "raw.xlsx"))
        print(
            f"xlsx export:             {xlsx:.3f} s  (target < 10 s; of which reading the "
            f"study and building the sheets {sheets:.3f} s; the same cell texts written with "
            f"openpyxl directly: {raw:.3f} s)"
        )
        top = framework.framework_tree(study).top_level()[0].id
        sheet = best(args.repeat, lambda: matrix.sheet(study, top=top, by=["sector"]))
        print(f"one sheet for a screen:  {sheet:.3f} s  (the TUI workspace opens under 0.5 s)")
        study.close()


if __name__ == "__main__":
    main()
