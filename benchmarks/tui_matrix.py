"""Matrix workspace speed: 60 cases x 40 themes with 20,000 codings (the study that
benchmarks/matrix_speed.py builds), headless at 120x36.

Times, median of ``--repeat`` fresh app runs each:

- switching to the Matrix workspace (F7 from Cases) until the first frame that shows
  the loaded sheet (the screen is built, the sheet read in a worker, the grid drawn)
  - target < 500 ms;
- next sheet (]) and group by (g), key to redrawn sheet;
- opening a cell (enter), key to the drawn cell view.

Baselines in the same run: switching to the Search workspace (same app, nothing to
load); an empty Textual app's start and first draw; a stock DataTable app filled with
the same cell texts (start to first draw); and the service call alone
(``services.matrix.sheet``), which the workspace waits for.

    python benchmarks/tui_matrix.py [--cases 60] [--themes 40] [--codings 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

sys.path.insert(0, str(Path(__file__).parent))

from matrix_speed import build  # noqa: E402 - the data builder of the matrix benchmark
from tui_timing import Frames, send_key, settle  # noqa: E402

from qualcode.domain.matrix import MatrixSheet  # noqa: E402
from qualcode.services import drafts, framework, matrix  # noqa: E402
from qualcode.services.study import Study  # noqa: E402
from qualcode.tui.app import QualcodeApp, make_app  # noqa: E402
from qualcode.tui.matrix.data import GLYPHS, cell_words  # noqa: E402
from qualcode.tui.matrix.screen import MatrixScreen  # noqa: E402

SIZE = (120, 36)


def shown(app: QualcodeApp, top: str | None = None, by: list[str] | None = None) -> bool:
    screen = app.screen
    if not isinstance(screen, MatrixScreen) or screen.page is None:
        return False
    page = screen.page
    if top is not None and page.top != top:
        return False
    if by is not None and list(page.by) != by:
        return False
    return screen.grid.sheet is page.sheet


async def measure_search_switch(study: Study) -> float:
    """Another workspace of the same app, with nothing to load: Search (F5)."""
    app = make_app(study, start="cases", keymap={})
    async with app.run_test(size=SIZE) as pilot:
        frames = Frames(app)
        await settle(pilot)
        start = send_key(app, "f5")
        return await frames.after(
            start, lambda: app.current_mode == "search" and app.screen.is_mounted
        )


async def measure_app(study: Study) -> dict[str, float]:
    out: dict[str, float] = {}
    app = make_app(study, start="cases", keymap={})
    async with app.run_test(size=SIZE) as pilot:
        frames = Frames(app)
        await settle(pilot)
        start = send_key(app, "f7")
        out["switch"] = await frames.after(start, lambda: shown(app))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        assert screen.page is not None
        following = screen.page.sheets[1].id
        start = send_key(app, "right_square_bracket", "]")
        out["sheet"] = await frames.after(start, lambda: shown(app, top=following))
        await settle(pilot)
        start = send_key(app, "g", "g")
        out["group"] = await frames.after(start, lambda: shown(app, by=["sector"]))
        await settle(pilot)
        start = send_key(app, "enter")
        out["cell"] = await frames.after(start, lambda: screen.in_cell)
        await settle(pilot)
    return out


def cell_texts(sheet: MatrixSheet) -> list[list[str]]:
    return [
        [row.case]
        + [f"{GLYPHS[c.summary.status]}{c.coverage:>3} {cell_words(c)}" for c in row.cells]
        for row in sheet.rows
    ]


class TableBaseline(App[None]):
    def __init__(self, header: list[str], rows: list[list[str]]) -> None:
        super().__init__()
        self.header = header
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*self.header)
        table.add_rows(self.rows)


class EmptyBaseline(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("")


async def start_time(make: Callable[[], App[None]]) -> float:
    start = perf_counter()
    async with make().run_test(size=SIZE) as pilot:
        await pilot.pause()
        return perf_counter() - start


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms (min {min(values) * 1000:6.1f})"


async def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        begun = time.perf_counter()
        study = build(Path(tmp), args.cases, args.themes, args.codings, args.words)
        tops = framework.framework_tree(study).top_level()
        first = tops[0].id
        report = drafts.draft_sheet(study, top=first)  # a sheet with summaries, as in use
        print(
            f"study: {args.cases} cases, {len(framework.list_themes(study))} themes, "
            f"{args.codings} codings, {report.saved} drafted summaries on sheet {first} "
            f"(built in {time.perf_counter() - begun:.1f} s)"
        )
        runs = []
        search = []
        for _ in range(args.repeat):  # interleaved: the machine's load hits both alike
            runs.append(await measure_app(study))
            search.append(await measure_search_switch(study))
        service = []
        for _ in range(args.repeat):
            start = perf_counter()
            sheet = matrix.sheet(study, top=first)
            service.append(perf_counter() - start)
        header = ["case", *(t.id for t in sheet.themes)]
        rows = cell_texts(sheet)
        table = [await start_time(lambda: TableBaseline(header, rows)) for _ in range(args.repeat)]
        empty = [await start_time(EmptyBaseline) for _ in range(args.repeat)]
        study.close()
    print("\nqualcode Matrix workspace (key to the first frame showing the result)")
    for name, key in (
        ("switch to Matrix (F7) until the sheet is drawn", "switch"),
        ("next sheet (])", "sheet"),
        ("group by sector (g)", "group"),
        ("open a cell (enter)", "cell"),
    ):
        print(f"  {name:<50}{median_ms([r[key] for r in runs])}")
    print("\nbaselines, same study, same run")
    print(f"  {'services.matrix.sheet alone (what F7 waits for)':<50}{median_ms(service)}")
    print(f"  {'switch to Search (F5), nothing to load':<50}{median_ms(search)}")
    print(f"  {'empty Textual app: start + first draw':<50}{median_ms(empty)}")
    label = f"DataTable, same {len(rows)}x{len(header)} cell texts: start + draw"
    print(f"  {label:<50}{median_ms(table)}")
    switch = statistics.median(r["switch"] for r in runs)
    print(
        f"\ntarget: Matrix opens < 500 ms ({switch * 1000:.0f} ms): "
        + ("met" if switch < 0.5 else "NOT met")
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--themes", type=int, default=40)
    parser.add_argument("--codings", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=8000, help="words per transcript")
    parser.add_argument("--repeat", type=int, default=5)
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
