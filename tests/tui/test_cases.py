"""The Cases workspace: progress from every coder's codings, kept current."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Input

from qualcode.domain.model import Case
from qualcode.services import codings, queries
from qualcode.services.progress import case_progress
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.cases.screen import CasesScreen
from qualcode.tui.shared.case_filter import example_filter

from .conftest import settle

AppFor = Callable[..., QualcodeApp]


def _code(study: Study, case: str, count: int, theme: str = "1.3") -> None:
    for seg in queries.list_segments(study, case=case)[:count]:
        codings.add_coding(study, seg.source, seg.start, seg.end, theme)


def _row(app: QualcodeApp, case: str) -> list[str]:
    screen = app.screen
    assert isinstance(screen, CasesScreen)
    table = screen.query_one("#cases-table", DataTable)
    return [str(v) for v in table.get_row(case)]


async def test_progress_counts_another_coders_codings(app_for: AppFor, demo_study: Study) -> None:
    """The workbench's coder (alice) sees the codings "root" made, as the service does."""
    root = Study(demo_study.engine, "root")
    _code(root, "int01", 20)
    _code(root, "int02", 9)
    expected = case_progress(demo_study)
    assert expected["int01"].coded == 20
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for case in ("int01", "int02", "int03"):
            p = expected[case]
            row = _row(app, case)
            assert row[1].strip() == (f"{p.share:.0%}" if p.segments else "-")
            assert row[2] == f"{p.coded}/{p.segments}"
        assert _row(app, "int01")[2].startswith("20/")
        assert _row(app, "int03")[1].strip() == "0%"


@pytest.mark.slow
async def test_codings_made_elsewhere_show_on_coming_back(
    app_for: AppFor, demo_study: Study
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert _row(app, "int04")[2].startswith("0/")
        await pilot.press("f3")
        await settle(pilot)
        _code(Study(demo_study.engine, "bob"), "int04", 5)  # e.g. `qualcode codings import`
        await pilot.press("f2")
        await settle(pilot)
        assert _row(app, "int04")[2].startswith("5/")


@pytest.mark.slow
async def test_columns_fit_every_value_from_the_first_paint(
    app_for: AppFor, demo_study: Study
) -> None:
    """Widths come from the data, not from the table measuring at an idle moment that a
    busy machine may give only after the first paint."""
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        table = screen.query_one("#cases-table", DataTable)
        widths = [c.width for c in table.ordered_columns]
        for case in queries.list_cases(demo_study)[:40]:
            for width, value in zip(widths, table.get_row(case.id), strict=True):
                assert len(str(value)) <= width
        assert widths[0] == len("int01")


@pytest.mark.slow
async def test_a_burst_filters_before_it_opens(app_for: AppFor, demo_study: Study) -> None:
    """``/int07`` enter enter typed at once opens int07, not the first row."""
    from .test_read_code import burst

    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        burst(app, "slash", *"int07", "enter", "enter")
        await settle(pilot)
        assert app.current_mode == "read"
        reader = app.screen
        assert reader.opened is not None  # type: ignore[attr-defined]
        (source,) = queries.list_sources(demo_study, case="int07")
        assert reader.opened.key == f"src:{source.id}"  # type: ignore[attr-defined]


def test_the_filter_hint_is_made_of_the_studys_own_attributes() -> None:
    """A survey of patients has no sector: the hint shows its own attributes, leaving
    out a value with spaces (it would need quotes) or a long one."""
    nhs = Case(
        "NEAS 111 29 - Q1",
        {"source_respondent_id": "NEAS 111 29", "trust": "NEAS", "fft_score": 1, "x": "y"},
    )
    assert example_filter(["source_respondent_id", "trust", "fft_score", "x"], [nhs]) == (
        "trust=NEAS fft_score=1"
    )
    assert example_filter([], []) == "attribute=value"  # no attributes to show


async def test_the_filter_shows_the_hint_for_the_demo(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        assert screen.data is not None
        first = screen.data.cases[0].attributes
        hint = screen.query_one("#cases-filter", Input).placeholder
        assert hint.startswith("filter: sector=")
        assert f"sector={first['sector']}" in hint


async def test_j_and_k_move_as_elsewhere(app_for: AppFor, demo_study: Study) -> None:
    """`j` then `m` wrote a memo on the first case: j did nothing in Cases."""
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cases-table", DataTable)
        assert table.cursor_row == 0
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
