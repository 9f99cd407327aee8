"""After one accept, how fast are the open case's suggestions refreshed?

    python benchmarks/suggest_refresh.py [--interviews 60] [--repeats 5] [--embeddings]
        [--db postgresql+psycopg://.../EMPTY_DATABASE]

Builds a study of N interviews (the sample study's 16 interviews imported again under
new case ids until there are N), labels it with ``benchmarks/labelled_sample.py`` and
codes a third of each theme's labelled answers. Suggestions for one open case are
computed once (the warm state Read & code is in). Then, ``--repeats`` times: accept
one of the case's pending suggestions (a real coding, written to the study) and time
``suggest`` for every segment of that case, as the Read & code panel asks for them.

Beside it, in the same run: a bare TF-IDF + one-vs-rest logistic regression fitted on
the same coded segments and predicting the same case (what "retrain from scratch on
each accept" costs with the plainest model).

``--db`` builds the study in that (empty) database instead of a temporary SQLite file,
as a team sharing a PostgreSQL server has it.

Target (issue 11): refreshed suggestions for the open case in under 1 s on a
60-interview study.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled_sample import label, split  # noqa: E402

from qualcode.services import (  # noqa: E402
    codings,
    framework,
    importing,
    queries,
    suggest_decisions,  # noqa: E402
)
from qualcode.services.demo import sample_root  # noqa: E402
from qualcode.services.study import Study, init_study  # noqa: E402
from qualcode.services.suggest import suggest  # noqa: E402
from qualcode.store.engine import sqlite_url  # noqa: E402


def build(folder: Path, interviews: int, db: str | None = None) -> Study:
    url = db or sqlite_url(folder / "refresh.qualcode")
    study = init_study(url, "refresh", coder="bench")
    framework.import_framework(study, sample_root() / "frameworks" / "interviews.yaml")
    files = sorted((sample_root() / "transcripts").glob("int*.txt"))
    copies = folder / "interviews"
    copies.mkdir()
    made = []
    for i in range(interviews):
        src = files[i % len(files)]
        dst = copies / f"{src.stem}_r{i // len(files)}.txt"
        # a closing line of its own: the same text twice is refused as a copy
        text = src.read_text(encoding="utf-8").rstrip("\n")
        dst.write_text(f"{text}\n\nInterviewer: Thank you ({i}).\n", encoding="utf-8")
        made.append(dst)
    for path in made:
        importing.import_transcripts(study, [path], case=path.stem)
    segs = queries.list_segments(study, include_interviewer=True)
    kinds = {s.id: s.kind for s in queries.list_sources(study)}
    train, _ = split(label(segs, kinds))
    sheet = folder / "train.csv"
    with sheet.open("w", encoding="utf-8") as fh:
        fh.write("segment,theme\n")
        for sid, themes in sorted(train.items()):
            for t in sorted(themes):
                fh.write(f"{sid},{t}\n")
    codings.import_codings(study, sheet)
    return study


def baseline(study: Study, case_ids: list[str]) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    segs = [g for g in queries.list_segments(study) if g.role == "respondent"]
    themes: dict[str, set[str]] = {}
    for c in codings.list_codings(study):
        for g in segs:
            if g.source == c.source and g.start < c.end and c.start < g.end:
                themes.setdefault(g.id, set()).add(c.theme)
    started = time.perf_counter()
    X = TfidfVectorizer().fit_transform([g.text for g in segs])
    rows = [i for i, g in enumerate(segs) if g.id in themes]
    Y = MultiLabelBinarizer().fit_transform([sorted(themes[segs[i].id]) for i in rows])
    model = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(X[rows], Y)
    want = [i for i, g in enumerate(segs) if g.id in set(case_ids)]
    model.predict_proba(X[want])
    return time.perf_counter() - started


def main() -> None:
    # The on-disk cache stays on (beside the study, as for a user): saving the refitted
    # model after each accept is part of what a refresh costs.
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--interviews", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--embeddings", action="store_true", help="with sentence embeddings")
    parser.add_argument("--db", help="an empty database to build the study in (PostgreSQL)")
    args = parser.parse_args()
    import sklearn.linear_model  # noqa: F401  (neither side pays for the import)

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        study = build(Path(tmp), args.interviews, args.db)
        segs = queries.list_segments(study)
        print(
            f"{args.interviews} interviews, {len(segs)} segments, "
            f"{len(codings.list_codings(study))} codings "
            f"(built in {time.perf_counter() - started:.1f} s, not counted)"
        )
        case = segs[0].case
        mine = [g.id for g in segs if g.case == case and g.role == "respondent"]
        started = time.perf_counter()
        emb = args.embeddings
        suggest(study, top=3, all_segments=True, segment_ids=mine, use_embeddings=emb)
        print(
            f"first suggestions for case {case} ({len(mine)} segments, cold): "
            f"{time.perf_counter() - started:.2f} s"
        )
        refresh: list[float] = []
        for _ in range(args.repeats):
            pending = suggest_decisions.pending(study, case=case)
            if not pending:
                break
            suggest_decisions.accept(study, pending[0].id)
            started = time.perf_counter()
            suggest(study, top=3, all_segments=True, segment_ids=mine, use_embeddings=emb)
            refresh.append(time.perf_counter() - started)
        base = [baseline(study, mine) for _ in range(3)]
        study.close()
    if not refresh:
        raise SystemExit("error: no pending suggestion to accept")
    med, worst = statistics.median(refresh), max(refresh)
    print(f"{'bare TF-IDF + LR refit + predict':40}{statistics.median(base):7.2f} s")
    name = "qualcode refresh after one accept"
    print(f"{name:40}{med:7.2f} s (max {worst:.2f}, n={len(refresh)})")
    print(
        f"target < 1 s: {'met' if worst < 1 else 'NOT met'}; "
        f"ratio to the bare refit {med / statistics.median(base):.2f}x"
    )


if __name__ == "__main__":
    main()
