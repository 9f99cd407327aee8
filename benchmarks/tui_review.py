"""Review suggestions speed: how soon the list shows an accept, on a large survey.

Builds a survey study of N answers (default 10,000) as ``benchmarks/suggest_speed.py``
does, imports the survey framework and stores cold-start suggestions for every answer
(about 3 per answer). Then, headless at 120x36, median of ``--repeat`` accepts:

- key ``a`` to the row gone from the table (drawn from memory, before anything is
  stored);
- key ``a`` to the list reloaded from the study after the accept was stored - the
  issue's "within a second" - target < 1 s.

Baselines in the same run: the service call the reload makes
(``suggest_review.review_list``, the best 500 with their passages and a count), and
loading every pending suggestion (``suggest_decisions.pending``), which a screen that
kept the whole list in memory would wait for.

    python benchmarks/tui_review.py [--segments 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suggest_speed import synthetic_survey  # noqa: E402 - the survey builder
from textual import events  # noqa: E402
from tui_timing import Frames  # noqa: E402

from qualcode.services import framework, importing, suggest_decisions  # noqa: E402
from qualcode.services.demo import SURVEY_QUESTIONS, sample_root  # noqa: E402
from qualcode.services.study import Study, init_study  # noqa: E402
from qualcode.services.suggest import suggest  # noqa: E402
from qualcode.services.suggest_review import review_list  # noqa: E402
from qualcode.store.engine import sqlite_url  # noqa: E402
from qualcode.tui.app import make_app  # noqa: E402
from qualcode.tui.review.screen import ReviewScreen  # noqa: E402


def timed(call: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def accepts(study: Study, repeat: int) -> tuple[float, float]:
    app = make_app(study, start="review", keymap={})
    hidden: list[float] = []
    reloaded: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        frames = Frames(app)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        while screen.data is None or app.workers:
            await pilot.pause(0.01)
        for _ in range(repeat):
            first = screen.shown[0].suggestion.id
            data = screen.data
            start = time.perf_counter()
            app.post_message(events.Key("a", "a"))
            hidden.append(
                await frames.after(
                    start, lambda first=first: screen.shown[0].suggestion.id != first
                )
            )
            reloaded.append(
                await frames.after(
                    start,
                    lambda data=data: (
                        screen.data is not data and not app.writing and not app.workers
                    ),
                )
            )
            await pilot.pause(0.05)
    return statistics.median(hidden), statistics.median(reloaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        survey = Path(tmp) / "survey.csv"
        synthetic_survey(survey, args.segments // len(SURVEY_QUESTIONS))
        study = init_study(sqlite_url(Path(tmp) / "big.qualcode"), "speed", coder="bench")
        importing.import_survey(study, survey, "id", SURVEY_QUESTIONS)
        framework.import_framework(study, sample_root() / "frameworks" / "survey.yaml")
        run = suggest(study, top=3, use_embeddings=False)
        stored = sum(len(r.suggestions) for r in run.results)
        print(f"{len(run.results)} answers, {stored} pending suggestions")

        service = timed(lambda: review_list(study), args.repeat)
        everything = timed(lambda: suggest_decisions.pending(study), args.repeat)
        hidden, reloaded = asyncio.run(accepts(study, args.repeat))
        study.close()
    print(f"{'baseline: load every pending suggestion':44}{everything * 1000:8.0f} ms")
    print(f"{'service: review_list (best 500 + count)':44}{service * 1000:8.0f} ms")
    print(f"{'a -> row gone from the table':44}{hidden * 1000:8.0f} ms")
    print(f"{'a -> stored and list reloaded':44}{reloaded * 1000:8.0f} ms")
    print(f"target < 1000 ms: {'met' if reloaded < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
