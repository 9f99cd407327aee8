"""Shared by the Matrix workspace tests: a coded sample study and moving about the grid
as a user would (arrow keys, Enter)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from qualcode.services import codings, queries
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.matrix.screen import MatrixScreen

from .conftest import settle

AppFor = Callable[..., QualcodeApp]

# (a pattern in an interview answer, the theme it is coded with)
RULES = (
    (r"\bagency\b", "1.3"),
    (r"vacanc", "1.1"),
    (r"supervision", "2.3"),
    (r"newly qualified|NQSW", "4.3"),
)


def code_by_rules(study: Study, folder: Path) -> list[tuple[str, str, str]]:
    """Code every interview answer matching RULES, and the supervision answers of the
    survey mentioning "monthly"; returns (case, segment, theme)."""
    done: list[tuple[str, str, str]] = []
    for seg in queries.list_segments(study):
        if not seg.case.startswith("int"):
            if "q_supervision" in seg.source and re.search(r"monthly", seg.text, re.I):
                done.append((seg.case, seg.id, "S1.1"))
            continue
        for pattern, theme in RULES:
            if re.search(pattern, seg.text, re.IGNORECASE):
                done.append((seg.case, seg.id, theme))
    table = folder / "codings.csv"
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["segment", "theme"])
        writer.writerows([seg, theme] for _, seg, theme in done)
    codings.import_codings(study, table)
    return done


@pytest.fixture
def coded(demo_study: Study, tmp_path: Path) -> list[tuple[str, str, str]]:
    """The sample study with interview answers coded under themes 1, 2 and 4."""
    return code_by_rules(demo_study, tmp_path)


def matrix_screen(app: QualcodeApp) -> MatrixScreen:
    screen = app.screen
    assert isinstance(screen, MatrixScreen), screen
    return screen


async def open_matrix(pilot: Pilot[None]) -> MatrixScreen:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    return matrix_screen(pilot.app)  # type: ignore[arg-type]


async def go_to(pilot: Pilot[None], screen: MatrixScreen, case: str, theme: str) -> None:
    """Move the grid's cursor with the arrow keys to (case, theme)."""
    grid = screen.grid
    assert grid.sheet is not None
    column = [t.id for t in grid.sheet.themes].index(theme)
    await pilot.press(*(["right"] * (column - grid.column) or ["left"] * (grid.column - column)))
    for _ in range(len(grid.rows)):
        if grid.current is not None and grid.current.case == case:
            break
        await pilot.press("down")
    assert grid.current is not None
    assert grid.current.case == case
    assert grid.theme == theme


async def open_cell(pilot: Pilot[None], screen: MatrixScreen, case: str, theme: str) -> None:
    await go_to(pilot, screen, case, theme)
    await pilot.press("enter")
    await settle(pilot)
    assert screen.in_cell
    assert screen.cell_view.key == (case, theme)
