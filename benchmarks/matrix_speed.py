"""Matrix speed: 60 cases x 40 themes with 20,000 codings (or a large survey).

Builds the study through qualcode's own importers (transcripts recycled from the
sample interviews, or with ``--respondents N`` a survey of N respondents recycled
from the sample survey; a framework; codings from CSV), then times:

- matrix counts by sector (``services.matrix.counts``) - target < 1 s - beside a
  plain pandas groupby over the same coding rows read with one SQL query;
- the .xlsx export as ``qualcode matrix export FILE --by sector`` runs it in its
  process: opening the study, ``services.matrix_export.export_matrix`` (reading the
  study, building the sheets, writing) and closing it - target < 10 s - beside a bare
  write of the same cell texts with the same library (XlsxWriter, constant memory, no
  formats) in the same run; the bar is the whole export within 2x the bare write.
  Also shown: the building alone (as the export does it, collector paused, no
  comparisons - they are for the .docx report) and the writing alone
  (``exchange.matrix_xlsx.write_xlsx``);
- the same command as a new process (interpreter start-up and imports added), once;
- one sheet for a screen (``services.matrix.sheet``), which the TUI opens.

Best of ``--repeat`` runs each.

    python benchmarks/matrix_speed.py [--cases 60] [--themes 40] [--codings 20000]
    python benchmarks/matrix_speed.py --respondents 10060 --themes 21 --codings 30000
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

from qualcode.domain.matrix import MatrixBook
from qualcode.exchange.matrix_xlsx import write_xlsx
from qualcode.services import codings, framework, importing, matrix, matrix_export, queries
from qualcode.services.demo import SURVEY_QUESTIONS, sample_root
from qualcode.services.gc_pause import gc_paused
from qualcode.services.study import Study, init_study, open_study
from qualcode.store.engine import sqlite_url

SECTORS = ("CSD", "DASS", "Joint", "PVI")
TYPES = ("London borough", "county council", "unitary authority", "metropolitan borough")


def build(folder: Path, n_cases: int, n_themes: int, n_codings: int, words: int) -> Study:
    study = init_study(sqlite_url(folder / "bench.qualcode"), "Matrix benchmark", "bench")
    _transcripts(study, folder, n_cases, words)
    _framework_and_codings(study, folder, n_themes, n_codings, per_top=4)
    return study


def build_survey(folder: Path, n_respondents: int, n_themes: int, n_codings: int) -> Study:
    """A survey of ``n_respondents`` (the sample survey's rows recycled, new ids)."""
    study = init_study(sqlite_url(folder / "bench.qualcode"), "Survey benchmark", "bench")
    with (sample_root() / "transcripts" / "survey.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    path = folder / "survey.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for n, row in zip(range(1, n_respondents + 1), cycle(rows), strict=False):
            writer.writerow({**row, "respondent_id": f"R{n:05d}"})
    importing.import_survey(study, path, "respondent_id", SURVEY_QUESTIONS)
    _framework_and_codings(study, folder, n_themes, n_codings, per_top=6)
    return study


def _transcripts(study: Study, folder: Path, n_cases: int, words: int) -> None:
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
    importing.import_transcripts(study, files)
    with (folder / "cases.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case", "sector", "authority_type", "role"])
        for n in range(1, n_cases + 1):
            writer.writerow([f"case{n:02d}", SECTORS[n % 4], TYPES[n % 3], "Director"])
    importing.import_cases(study, folder / "cases.csv", "case")


def _framework_and_codings(
    study: Study, folder: Path, n_themes: int, n_codings: int, per_top: int
) -> None:
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


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def export_as_the_cli(url: str, out: Path, by: list[str]) -> None:
    """What ``qualcode matrix export`` does in its process: open, export, close."""
    study = open_study(url)
    try:
        matrix_export.export_matrix(study, out, by, comparison_p=0.05)
    finally:
        study.close()


def built_book(study: Study, by: list[str]) -> MatrixBook:
    """The book as the .xlsx export builds it (collector paused, no comparisons)."""
    with gc_paused():
        return matrix_export.build_book(study, by=by, comparison_p=0.0)


def build_as_the_export(study: Study, by: list[str]) -> None:
    """Building alone as the export does it: the book is dropped before the collector
    is back on (returned, its objects would all be walked by the collector's first pass)."""
    with gc_paused():
        book = matrix_export.build_book(study, by=by, comparison_p=0.0)
        del book


def cli_export(study_file: Path, out: Path, by: list[str]) -> None:
    """The command itself, in a new interpreter (PYTHONPATH and all inherited)."""
    command = [sys.executable, "-c", "from qualcode.cli import main; main()", "matrix"]
    command += ["export", str(out), "--study", str(study_file)]
    for name in by:
        command += ["--by", name]
    subprocess.run(command, check=True, capture_output=True)


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


def cell_texts(book: MatrixBook) -> list[list[list[object]]]:
    """Every value the export writes, sheet by sheet and row by row (built untimed)."""
    from qualcode.exchange.matrix_text import (
        cell_text,
        column_title,
        count_text,
        group_count,
        group_heading,
    )

    out: list[list[list[object]]] = []
    for sheet in book.sheets:
        rows: list[list[object]] = [["case", *sheet.by, *(column_title(t) for t in sheet.themes)]]
        for group in sheet.groups:
            if sheet.by:
                rows.append([group_heading(group)])
            for row in group.rows:
                attrs = [str(row.attributes.get(n) or "") for n in sheet.by]
                rows.append([row.case, *attrs, *(cell_text(c) for c in row.cells)])
            counts = [count_text(group_count(sheet, group, t.id)) for t in sheet.themes]
            rows.append(["cases raising it", *([""] * (len(sheet.by) - 1)), *counts])
        out.append(rows)
    names = book.attribute_names
    header: list[list[object]] = [["case", *names]]
    out.append(
        header + [[r.case, *(str(r.attributes.get(n) or "") for n in names)] for r in book.cases]
    )
    counts_header: list[list[object]] = [
        ["sheet", "theme", "label", "group", "cases", "total", "wording"]
    ]
    out.append(
        counts_header
        + [
            [s.title, c.theme, "", c.group or "", c.cases, c.total, c.wording]
            for s in book.sheets
            for c in s.counts
        ]
    )
    return out


def bare_xlsx(sheets: list[list[list[object]]], path: Path) -> None:
    """The same values written with XlsxWriter directly: no formats, widths or panes."""
    from xlsxwriter import Workbook

    wb = Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    for n, rows in enumerate(sheets):
        ws = wb.add_worksheet(f"Sheet {n}")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write_number(r, c, value)
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument(
        "--respondents", type=int, default=0, help="a survey of this many cases instead"
    )
    parser.add_argument("--themes", type=int, default=40)
    parser.add_argument("--codings", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=8000, help="words per transcript")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        by = ["sector"]
        if args.respondents:
            study = build_survey(folder, args.respondents, args.themes, args.codings)
        else:
            study = build(folder, args.cases, args.themes, args.codings, args.words)
        built = time.perf_counter() - start
        n_themes = len(framework.list_themes(study))
        n_codings = len(codings.list_codings(study))
        n_cases = args.respondents or args.cases
        print(
            f"study: {n_cases} cases, {n_themes} themes, {n_codings} codings "
            f"(built in {built:.1f} s)"
        )
        matrix.counts(study, by=by)  # warm up imports (pandas) outside the timing
        counts = best(args.repeat, lambda: matrix.counts(study, by=by))
        base = best(args.repeat, lambda: pandas_baseline(study))
        print(
            f"matrix counts by sector: {counts:.3f} s  (target < 1 s; "
            f"plain pandas groupby: {base:.3f} s, x{counts / base:.1f})"
        )
        out = folder / "matrix.xlsx"
        url = study.url
        xlsx = best(args.repeat, lambda: export_as_the_cli(url, out, by))
        sheets = best(args.repeat, lambda: build_as_the_export(study, by))
        book = built_book(study, by)
        writing = best(args.repeat, lambda: write_xlsx(book, folder / "ours.xlsx"))
        texts = cell_texts(book)
        cells = sum(len(row) for rows in texts for row in rows)
        raw = best(args.repeat, lambda: bare_xlsx(texts, folder / "raw.xlsx"))
        print(
            f"xlsx export (open, read, build, write, close): {xlsx:.3f} s  beside a bare write "
            f"of the same {cells:,} cells with XlsxWriter: {raw:.3f} s  "
            f"(x{xlsx / raw:.2f}; bar: within x2; target < 10 s)"
        )
        print(
            f"  of which reading the study and building the sheets {sheets:.3f} s, "
            f"writing {writing:.3f} s (x{writing / raw:.2f} the bare write)"
        )
        cli = best(1, lambda: cli_export(folder / "bench.qualcode", folder / "cli.xlsx", by))
        print(
            f"qualcode matrix export as a new process: {cli:.3f} s  (start-up and imports "
            f"included; x{cli / raw:.2f} the bare write)"
        )
        top = framework.framework_tree(study).top_level()[0].id
        sheet = best(args.repeat, lambda: matrix.sheet(study, top=top, by=by))
        print(f"one sheet for a screen:  {sheet:.3f} s  (the TUI workspace opens under 0.5 s)")
        study.close()


if __name__ == "__main__":
    main()
