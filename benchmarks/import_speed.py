"""Import speed: 60 transcripts of ~10,000 words plus a 10,000-row survey (~1.2M words).

Prints the time qualcode takes to import them into a fresh SQLite study beside the time
spaCy's blank English tokenizer takes to read the same text, measured in this run.
Target: import <= 5x the tokenizer.

    python benchmarks/import_speed.py [--transcripts 60] [--words 10000] [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

from qualcode.services import importing
from qualcode.services.demo import sample_root
from qualcode.services.study import init_study
from qualcode.store.engine import sqlite_url


def make_transcripts(folder: Path, count: int, words: int) -> list[str]:
    """Long transcripts built from the sample interviews' turns, recycled."""
    turns: list[str] = []
    for path in sorted((sample_root() / "transcripts").glob("int*.txt")):
        turns.extend(p for p in path.read_text().split("\n\n") if p.strip())
    texts = []
    source = cycle(turns)
    for n in range(count):
        out: list[str] = []
        total = 0
        for turn in source:
            out.append(turn)
            total += len(turn.split())
            if total >= words:
                break
        text = "\n\n".join(out) + "\n"
        (folder / f"long{n:03d}.txt").write_text(text)
        texts.append(text)
    return texts


def make_survey(path: Path, rows: int) -> list[str]:
    with (sample_root() / "transcripts" / "survey.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        base = list(reader)
        fields = list(reader.fieldnames or [])
    answers: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for n, row in enumerate(islice(cycle(base), rows)):
            row = dict(row, respondent_id=f"B{n:06d}")
            writer.writerow(row)
            answers.extend(row[q] for q in fields if q.startswith("q_") and row[q].strip())
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=60)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "transcripts"
        folder.mkdir()
        texts = make_transcripts(folder, args.transcripts, args.words)
        survey = Path(tmp) / "survey.csv"
        texts += make_survey(survey, args.rows)
        words = sum(len(t.split()) for t in texts)

        import spacy

        nlp = spacy.blank("en")
        t0 = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
        tokenize = time.perf_counter() - t0

        study = init_study(sqlite_url(Path(tmp) / "bench.qualcode"), "bench")
        t0 = time.perf_counter()
        report = importing.import_transcripts(study, [folder])
        report2 = importing.import_survey(
            study, survey, "respondent_id", ["q_supervision", "q_help", "q_cease", "q_other"]
        )
        imported = time.perf_counter() - t0
        study.close()

    print(f"text: {words:,} words ({tokens:,} spaCy tokens)")
    print(f"  {report.sources_added} transcripts, {report2.sources_added:,} survey answers,")
    print(f"  {report.segments_added + report2.segments_added:,} segments")
    print(f"spaCy blank('en') tokenizer (baseline): {tokenize:7.2f} s")
    print(f"qualcode import:                        {imported:7.2f} s")
    print(f"ratio import / tokenizer: {imported / tokenize:.2f}x (target <= 5x)")


if __name__ == "__main__":
    main()
