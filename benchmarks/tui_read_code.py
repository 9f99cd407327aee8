"""Read & code on a 60,000-word transcript: open + first draw, keypress redraw, applying
a theme, with 0 and 1,000 codings; beside stock TextArea / Static baselines measured
in the same run, headless at 120x36.

    /work/venv/bin/python benchmarks/tui_read_code.py

Targets: open + first draw < 300 ms; a keypress that moves or applies a theme < 50 ms.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

from textual.app import App, ComposeResult
from textual.widgets import Static, TextArea
from tui_timing import Frames, send_key, settle  # the benchmarks folder is on sys.path

from qualcode.domain.model import Coding
from qualcode.services import coding_batches, framework, importing, queries
from qualcode.services.demo import sample_root
from qualcode.services.study import Study, init_study
from qualcode.store.engine import sqlite_url
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.read.screen import ReadScreen

SIZE = (120, 36)
WORDS = 60_000
REPEATS = 25


def big_transcript(folder: Path) -> Path:
    """About 60,000 words: the sample interviews one after another."""
    parts: list[str] = []
    words = 0
    files = sorted((sample_root() / "transcripts").glob("int*.txt"))
    while words < WORDS:
        for path in files:
            text = path.read_text(encoding="utf-8")
            parts.append(text.strip())
            words += len(text.split())
            if words >= WORDS:
                break
    out = folder / "long.txt"
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return out


def make_study(folder: Path) -> tuple[Study, str, str]:
    study = init_study(sqlite_url(folder / "bench.qualcode"), "Benchmark", "bench")
    path = big_transcript(folder)
    importing.import_transcripts(study, [path])
    framework.import_framework(study, sample_root() / "frameworks" / "interviews.yaml")
    (source,) = queries.list_sources(study)
    return study, source.id, path.read_text(encoding="utf-8")


def add_codings(study: Study, source: str, n: int) -> None:
    segments = queries.list_segments(study, source=source)
    themes = [t.id for t in framework.list_themes(study)]
    rng = random.Random(1)
    now = datetime.now(UTC)
    made = []
    for k in range(n):
        seg = rng.choice(segments)
        a = rng.randrange(seg.start, seg.end - 1)
        b = min(seg.end, a + rng.randrange(20, 400))
        made.append(Coding(k, source, a, b, rng.choice(themes), "bench", now))
    coding_batches.add_codings(study, made)


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:7.1f} ms (max {max(seconds) * 1000:6.1f})"


async def measure_app(study: Study, source: str, key: str) -> dict[str, list[float]]:
    """``key``: the shortcut applied; each run takes another, as they walk the same spans."""
    out: dict[str, list[float]] = {"open": [], "move": [], "turn": [], "draw": [], "apply": []}
    app: QualcodeApp = make_app(study, start="read", keymap={})
    async with app.run_test(size=SIZE) as pilot:
        frames = Frames(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadScreen), screen
        for _ in range(5):
            before = screen.opened
            start = perf_counter()
            screen.open_key(f"src:{source}")
            out["open"].append(await frames.after(start, lambda b=before: screen.opened is not b))
            await settle(pilot)
        view = screen.view
        assert view.doc is not None
        assert len(view.doc.rows) > 5000
        for _ in range(REPEATS):
            at = view.cursor
            start = send_key(app, "down")
            out["move"].append(await frames.after(start, lambda a=at: view.cursor != a))
        for _ in range(REPEATS):
            at = view.cursor
            start = send_key(app, "right_square_bracket", "]")
            out["turn"].append(await frames.after(start, lambda a=at: view.cursor != a))
        height = view.scrollable_content_region.height
        for _ in range(REPEATS):
            start = perf_counter()
            for y in range(height):
                view.render_line(y)
            out["draw"].append(perf_counter() - start)

        def marks() -> int:  # the document is re-made when its codings reload
            return len(view.doc.marks) if view.doc is not None else 0

        for _ in range(REPEATS):
            await pilot.press("down", "shift+right", "shift+right")  # a span not yet coded
            count = marks()
            start = send_key(app, key, key)
            out["apply"].append(await frames.after(start, lambda c=count: marks() > c))
            await settle(pilot)
    return out


class Baseline(App[None]):
    def __init__(self, text: str, kind: str) -> None:
        super().__init__()
        self.text = text
        self.kind = kind

    def compose(self) -> ComposeResult:
        if self.kind == "textarea":
            yield TextArea(self.text, read_only=True, soft_wrap=True, show_line_numbers=True)
        else:
            yield Static(self.text)


async def measure_baseline(text: str, kind: str) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"open": [], "move": []}
    for _ in range(3):
        start = perf_counter()
        app = Baseline(text, kind)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            out["open"].append(perf_counter() - start)
            if kind == "textarea":
                frames = Frames(app)
                area = app.query_one(TextArea)
                for _ in range(REPEATS):
                    at = area.cursor_location
                    start = send_key(app, "down")
                    out["move"].append(
                        await frames.after(
                            start,
                            lambda a=at, w=area: w.cursor_location != a,  # type: ignore[misc]
                        )
                    )
    return out


async def empty_app_start() -> list[float]:
    times = []
    for _ in range(3):
        start = perf_counter()
        async with Baseline("", "static").run_test(size=SIZE) as pilot:
            await pilot.pause()
            times.append(perf_counter() - start)
    return times


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n{title}")
    for name, value in rows:
        print(f"  {name:<44}{value}")


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        study, source, text = make_study(Path(tmp))
        print(f"transcript: {len(text.split()):,} words, {len(text):,} characters")
        results = {}
        results[0] = await measure_app(study, source, "3")
        add_codings(study, source, 1000)
        results[1000] = await measure_app(study, source, "4")
        textarea = await measure_baseline(text, "textarea")
        static = await measure_baseline(text, "static")
        empty = await empty_app_start()
        study.close()
    for n, res in results.items():
        report(
            f"qualcode read & code, {n:,} codings before the run (+{REPEATS} applied)",
            [
                ("open + first draw (worker, layout, draw)", ms(res["open"])),
                ("keypress: line down, redrawn", ms(res["move"])),
                ("keypress: next turn, redrawn", ms(res["turn"])),
                ("draw of the visible rows alone", ms(res["draw"])),
                ("keypress: apply theme, stored and redrawn", ms(res["apply"])),
            ],
        )
    report(
        "baselines, same text, same run",
        [
            ("empty Textual app start + first draw", ms(empty)),
            ("stock TextArea: app start + first draw", ms(textarea["open"])),
            ("stock TextArea: keypress line down", ms(textarea["move"])),
            ("stock Static: app start + first draw", ms(static["open"])),
        ],
    )
    worst_open = max(statistics.median(r["open"]) for r in results.values())
    worst_key = max(
        statistics.median(r[k]) for r in results.values() for k in ("move", "turn", "apply")
    )
    ok = worst_open < 0.300 and worst_key < 0.050
    print(
        f"\ntargets: open < 300 ms ({worst_open * 1000:.0f}), keypress < 50 ms "
        f"({worst_key * 1000:.0f}): {'met' if ok else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
