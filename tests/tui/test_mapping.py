"""The Mapping workspace driven as a user would: the grid, a drill-down to the passages
and on into Read & code, the associations and the typology."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from qualcode.services import codings, importing, mapping, matrix, queries, typology
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.mapping.chart import GroupBars
from qualcode.tui.mapping.screen import MappingScreen

from .conftest import record_notices, settle

AppFor = Callable[..., QualcodeApp]


def _code(study: Study) -> list[str]:
    """1.1 and 1.3 on the first two turns of int01, int02 and int03; 2.3 on int04."""
    both: list[str] = []
    for case in ("int01", "int02", "int03"):
        for seg in queries.list_segments(study, case=case)[:2]:
            codings.code_segment(study, seg.id, "1.1")
            codings.code_segment(study, seg.id, "1.3")
            both.append(seg.id)
    codings.code_segment(study, queries.list_segments(study, case="int04")[0].id, "2.3")
    return both


@pytest.mark.slow
async def test_grid_drill_down_and_open_in_the_reader(app_for: AppFor, demo_study: Study) -> None:
    both = _code(demo_study)
    app = app_for(start="mapping")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MappingScreen)
        grid = screen.query_one("#mapping-grid", DataTable)
        assert grid.row_count == 3  # 1.1, 1.3, 2.3
        expected = mapping.cooccurrence(demo_study).pair("1.1", "1.3")
        assert str(grid.get_cell_at(Coordinate(0, 2))) == f"{expected.cases}·{expected.passages}"
        grid.cursor_coordinate = Coordinate(0, 2)  # 1.1 with 1.3
        await pilot.press("enter")
        await settle(pilot)
        passages = screen.query_one("#mapping-passages", DataTable)
        assert passages.row_count == len(both) == expected.passages
        assert [str(passages.get_cell_at(Coordinate(r, 0))) for r in range(6)] == both
        await pilot.press("down", "o")
        await settle(pilot)
        assert app.current_mode == "read"
        view = app.screen.query_one("#doc")
        doc = view.doc  # type: ignore[attr-defined]
        source, start, _ = doc.to_source(view.cursor, view.cursor + 1)  # type: ignore[attr-defined]
        second = queries.list_segments(demo_study, ids=[both[1]])[0]
        assert (source, start) == (second.source, second.start)


@pytest.mark.slow  # two loads of the workspace on the sample study
async def test_associations_and_typology_views(app_for: AppFor, demo_study: Study) -> None:
    _code(demo_study)
    app = app_for(start="mapping")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MappingScreen)
        await pilot.press("2")
        rows = screen.query_one("#mapping-associations", DataTable)
        found = mapping.associations(demo_study, "sector")
        assert [str(k.value) for k in rows.rows] == [a.subject for a in found]
        await pilot.press("enter")
        assert found[0].sentence in str(screen.query_one("#mapping-detail-title").render())
        await pilot.press("b")  # another grouping: the sentence of the last one goes
        await settle(pilot)
        assert screen.by != "sector"
        assert found[0].sentence not in str(screen.query_one("#mapping-detail-title").render())
        while screen.by != "sector":
            await pilot.press("b")
            await settle(pilot)
        await pilot.press("3")
        types = screen.query_one("#mapping-types", DataTable)
        assert types.row_count >= 2
        assert "(preview)" in str(types.get_cell_at(Coordinate(0, 1)))
        # only int01-int04 are coded: the interviews coded with nothing are left out
        assert "not coded yet)" in str(screen.query_one("#mapping-status").render())
        assert {c for t in screen.data.typology.types for c in t.members} == {  # type: ignore[union-attr]
            "int01", "int02", "int03", "int04"
        }  # fmt: skip
        await pilot.press("n", *"Positive", "enter")
        await settle(pilot)
        current = typology.current(demo_study)
        assert current is not None
        assert current.types[0].name == "Positive"
        assert str(types.get_cell_at(Coordinate(0, 1))) == "Positive"
        await pilot.press("s", "enter")  # as the attribute "type"
        await settle(pilot)
        groups = {r.group: r.total for r in matrix.counts(demo_study, ["type"], ["1"])}
        assert groups["Positive"] == len(current.types[0].members)
        await pilot.press("ctrl+z")  # undo the save
        await settle(pilot)
        assert {r.group for r in matrix.counts(demo_study, ["type"], ["1"])} == {None}
        await pilot.press("w")  # within one segment: the grid reloads
        await settle(pilot)
        assert screen.within == 1
        assert "within 1 segment" in str(screen.query_one("#mapping-status").render())


async def test_associations_chart_the_highlighted_row_by_group(
    app_for: AppFor, demo_study: Study
) -> None:
    _code(demo_study)
    app = app_for(start="mapping")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MappingScreen)
        chart = screen.query_one(GroupBars)
        assert not chart.display  # the grid's passages below it, not the chart
        await pilot.press("2")
        await settle(pilot)
        assert chart.display
        assert not screen.query_one("#mapping-passages").display
        found = mapping.associations(demo_study, "sector")
        for row in (0, 1):
            a = found[row]
            assert chart.bars == [
                (f"{g.group} {g.counts[0]}/{g.total}", round(100.0 * g.counts[0] / g.total, 1))
                for g in a.groups
            ]
            drawn = str(chart.render())
            assert f"{a.subject} {a.label}"[:20] in drawn
            lines = drawn.splitlines()
            blocks = {}
            for g in a.groups:
                label = f"{g.group} {g.counts[0]}/{g.total}"
                blocks[g.group] = next(line for line in lines if label in line).count("█")
                assert (blocks[g.group] == 0) == (g.counts[0] == 0)  # each bar on its own rows
            by_share = sorted(a.groups, key=lambda g: g.counts[0] / g.total)
            for x, y in zip(by_share, by_share[1:], strict=False):  # longer bar, larger share
                if x.counts[0] / x.total < y.counts[0] / y.total:
                    assert blocks[x.group] < blocks[y.group], (x.group, y.group, drawn)
            assert chart.size.height >= 3 * len(a.groups)  # the panel grew to the bars
            await pilot.press("down")
            await settle(pilot)
        await pilot.press("1")
        assert not chart.display


async def test_before_any_coding_the_workspace_says_where_to_start(
    app_for: AppFor, demo_study: Study
) -> None:
    from textual.widgets import Static

    app = app_for(start="mapping")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#mapping-status", Static).render())
        assert "Nothing is coded yet" in status
        assert "Read & code (F3)" in status
        _code(demo_study)
        app.screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        status = str(app.screen.query_one("#mapping-status", Static).render())
        assert "Nothing is coded yet" not in status


@pytest.mark.slow
async def test_compare_by_skips_an_attribute_that_names_each_case(
    app_for: AppFor, demo_study: Study, tmp_path: Path
) -> None:
    """`b` steps through the attributes that group the cases. A staff number per case
    (a survey's respondent id) is not one: a survey of 6,211 answers opened on its
    respondent id and the workspace said "Loading…" for over four minutes."""
    _code(demo_study)
    sheet = tmp_path / "ids.csv"
    cases = [c.id for c in queries.list_cases(demo_study)]
    sheet.write_text("case,staff_id\n" + "".join(f"{c},S{n}\n" for n, c in enumerate(cases)))
    importing.import_cases(demo_study, sheet, "case")
    app = app_for(start="mapping")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MappingScreen)
        assert screen.data is not None
        shown = set()
        for _ in range(len(screen.data.attributes) + 1):
            shown.add(screen.by)
            await pilot.press("b")
            await settle(pilot)
        assert "sector" in shown
        assert "staff_id" not in shown
        assert set(screen.data.attributes) == set(mapping.comparable_attributes(demo_study))


@pytest.mark.slow
async def test_compare_by_starts_from_the_matrix_grouping_and_skips_groups_of_one(
    app_for: AppFor, demo_study: Study, tmp_path: Path
) -> None:
    """A file name per interview (16 values, each held once) made 16 groups of one, every
    theme p = 1.000; and the workspace opened on it rather than on the Matrix's grouping."""
    from qualcode.services import study_settings

    _code(demo_study)
    sheet = tmp_path / "files.csv"
    interviews = [c.id for c in queries.list_cases(demo_study) if c.id.startswith("int")]
    sheet.write_text("case,file\n" + "".join(f"{c},{c}.txt\n" for c in interviews))
    importing.import_cases(demo_study, sheet, "case")
    assert "file" not in mapping.comparable_attributes(demo_study)
    study_settings.remember_grouping(demo_study, ["authority_type"])
    app = app_for(start="mapping")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MappingScreen)
        assert screen.by == "authority_type"  # as the Matrix was last grouped
        assert screen.data is not None
        assert "file" not in screen.data.attributes


async def test_no_types_says_why(app_for: AppFor, demo_study: Study) -> None:
    """One coded case and k = 3: an empty table, and s said "Show the typology (3)
    first" while it was shown."""
    from textual.widgets import Static

    seg = next(s for s in queries.list_segments(demo_study) if s.case == "int01")
    codings.code_segment(demo_study, seg.id, "1.3")
    app = app_for(start="mapping")
    said = record_notices(app)  # every notice, however soon it times out
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        status = str(app.screen.query_one("#mapping-status", Static).render())
        assert "types: none (k = 3 is more types than there are cases with codings (1))" in (status)
        await pilot.press("s")
        assert any(m.startswith("No types: k = 3 is more types") for m in said)
