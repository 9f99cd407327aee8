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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static, TextArea

from qualcode.domain.model import Coding
from qualcode.services import framework, importing, queries, undoing
from qualcode.services.demo import sample_root
from qualcode.services.study import Study, init_study
from qualcode.store.engine import sqlite_url
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.screens.read import ReadScreen

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
    undoing.add_codings(study, made)


async def settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(500):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        if not app.writing and not any(w.is_running for w in app.workers):
            await pilot.pause()  # type: ignore[attr-defined]
            return


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:7.1f} ms (max {max(seconds) * 1000:6.1f})"


class Frames:
    """Records when the app hands a finished frame to its (headless) driver."""

    def __init__(self, app: App[None]) -> None:
        self.times: list[float] = []
        original = app._display

        def spy(screen: object, renderable: object) -> None:
            original(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                self.times.append(perf_counter())

        app._display = spy  # type: ignore[method-assign]

    async def after(self, start: float, ready: Callable[[], bool] = lambda: True) -> float:
        """Seconds from ``start`` to the first frame drawn once ``ready()`` holds."""
        deadline = start + 10
        while not ready():
            await asyncio.sleep(0.0005)
            if perf_counter() > deadline:
                raise TimeoutError("the key changed nothing")
        seen = perf_counter()
        while not self.times or self.times[-1] < seen:
            await asyncio.sleep(0.0005)
        return self.times[-1] - start


def send_key(app: App[None], key: str, char: str | None = None) -> float:
    start = perf_counter()
    assert app._driver is not None
    app._driver.send_message(events.Key(key, char))
    return start


async def measure_app(study: Study, source: str) -> dict[str, list[float]]:
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
            screen._open(f"src:{source}", screen.view.text_width)
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
        doc = view.doc
        for _ in range(REPEATS):
            await pilot.press("down", "shift+right", "shift+right")  # a span not yet coded
            count = len(doc.marks)
            start = send_key(app, "3", "3")
            out["apply"].append(await frames.after(start, lambda c=count: len(doc.marks) > c))
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
        results[0] = await measure_app(study, source)
        add_codings(study, source, 1000)
        results[1000] = await measure_app(study, source)
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
