"""The Matrix workspace's grid driven as a user would: sheets, grouping, drafting a
whole sheet, syntheses, export, keys typed while loading; assertions are on what is
stored (through the services), expected numbers computed from the codings we made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from textual import events
from textual.widgets import Input

from qualcode.domain.matrix import DRAFTED, EMPTY, FINAL, NOT_DISCUSSED, STATUSES, WRITTEN
from qualcode.services import codings, mapping, matrix, queries, summaries
from qualcode.services.study import Study
from qualcode.tui.matrix.data import CASE, GROUP, next_grouping, next_status
from qualcode.tui.shared.dialogs import ConfirmDialog, ErrorDialog, MemoDialog, PromptDialog

from .conftest import settle
from .matrix_helpers import AppFor, coded, matrix_screen, open_cell, open_matrix

__all__ = ["coded"]  # a fixture the tests take by name


@pytest.mark.slow
async def test_grid_groups_by_sector(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        assert screen.page is not None
        assert screen.page.top == "1"
        grid = screen.grid
        assert grid.sheet is not None
        assert [t.id for t in grid.sheet.themes] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
        await pilot.press("g")
        await settle(pilot)
        assert screen.by == ["sector"]
        sectors: dict[str, list[str]] = {}
        for case in queries.list_cases(demo_study):
            if case.id.startswith("int"):
                sectors.setdefault(str(case.attributes["sector"]), []).append(case.id)
        groups = [r.label for r in grid.rows if r.kind == GROUP]
        assert groups == [f"{s} ({len(sectors[s])})" for s in ("CSD", "DASS", "Joint", "PVI")]
        shown = {r.case for r in grid.rows if r.kind == CASE}
        assert shown == {c for cases in sectors.values() for c in cases}
        # the header row counts the group's cases with a passage under the column's theme
        raised = {c for c, _, t in coded if t == "1.3"}
        csd = next(r for r in grid.rows if r.kind == GROUP and r.label.startswith("CSD"))
        n = len(raised & set(sectors["CSD"]))
        assert csd.counts[2] == f"{n}/{len(sectors['CSD'])}"
        # every cell's number is its coded passages
        for row in grid.rows:
            if row.kind == CASE:
                assert row.row is not None
                wanted = sum(1 for c, _, t in coded if c == row.case and t == "1.1")
                assert row.row.cells[0].coverage == wanted
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.page.top == "2"
        assert screen.by == ["sector"]
        await pilot.press("t", *"S3", "enter")
        await settle(pilot)
        assert screen.page.top == "S3"
        await pilot.press("G")  # back to no grouping
        await settle(pilot)
        assert screen.by == []


@pytest.mark.slow
async def test_draft_the_sheet_and_write_a_synthesis(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await pilot.press("D")
        await settle(pilot)
        columns = {"1.1", "1.2", "1.3", "1.4", "1.5"}
        wanted = {(c, t) for c, _, t in coded if t in columns}
        sheet = matrix.sheet(demo_study, top="1")
        drafted = {(cell.case, cell.theme) for row in sheet.rows for cell in row.cells}
        drafted = {k for k in drafted if sheet.cell(*k).status == DRAFTED}
        assert drafted == wanted
        await pilot.press("ctrl+z")  # one undo takes every draft back
        await settle(pilot)
        sheet = matrix.sheet(demo_study, top="1")
        assert {cell.status for row in sheet.rows for cell in row.cells} == {EMPTY}
        await pilot.press("ctrl+y")
        await settle(pilot)
        sheet = matrix.sheet(demo_study, top="1")
        assert sum(cell.status == DRAFTED for row in sheet.rows for cell in row.cells) == len(
            wanted
        )
        await pilot.press("g", "y")
        await settle(pilot)
        # a synthesis row's cells start in the columns of the case rows above them
        grid = screen.grid
        kinds = [r.kind for r in grid.rows]
        lines = {k: grid.render_line(2 + kinds.index(k)).text for k in ("case", "synthesis")}
        starts = [grid.case_width + n * grid.column_width for n in range(3)]
        assert all(lines["case"][x] != " " for x in starts), lines
        assert [lines["synthesis"][x : x + 10] for x in starts] == ["(none yet)"] * 3, lines
        await pilot.press("right_curly_bracket", "up")  # CSD's synthesis row
        assert screen.grid.current is not None
        assert screen.grid.current.kind == "synthesis"
        await pilot.press("enter")
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*"Agency use is near universal.", "ctrl+s")
        await settle(pilot)
        stored = summaries.get_synthesis(demo_study, "1.1", "sector", "CSD")
        assert stored.text == "Agency use is near universal."
        # ctrl+z takes the synthesis back (it used to skip it and undo the drafts)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert summaries.get_synthesis(demo_study, "1.1", "sector", "CSD").text == ""
        sheet = matrix.sheet(demo_study, top="1")
        assert sum(cell.status == DRAFTED for row in sheet.rows for cell in row.cells) == len(
            wanted
        )
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert summaries.get_synthesis(demo_study, "1.1", "sector", "CSD").text == (
            "Agency use is near universal."
        )


@pytest.mark.slow
async def test_export_from_the_matrix(
    app_for: AppFor,
    demo_study: Study,
    coded: list[tuple[str, str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = app_for()
    target = tmp_path / "matrix.xlsx"
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_matrix(pilot)
        await pilot.press("g", "x")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("ctrl+u", *"matrix.xlsx", "enter")  # the default: no folder given
        said = await _export_notice(pilot, app)
    assert f"to {target.resolve()}" in said  # the notice says which folder it went to
    book = load_workbook(target)
    written = target.stat().st_mtime_ns
    async with app_for().run_test(size=(120, 36)) as pilot:  # the same again: asked first
        await open_matrix(pilot)
        await pilot.press("g", "x")
        await settle(pilot)
        await pilot.press("ctrl+u", *"matrix.xlsx", "enter")
        await settle(pilot)
        asked = pilot.app.screen
        assert isinstance(asked, ConfirmDialog)
        assert str(target.resolve()) in asked.message
        await pilot.press("n")  # kept as it was
        await settle(pilot)
        assert target.stat().st_mtime_ns == written
        # a folder that is not there, or a suffix no format has: said at once (not after
        # the book is built) and asked again with what was typed
        for typed, said in (("gone/m.xlsx", "no folder 'gone'"), ("m.pdf", "'.pdf'")):
            await pilot.press("x")
            await settle(pilot)
            await pilot.press("ctrl+u", *typed, "enter")
            await settle(pilot)
            prompt = pilot.app.screen
            assert isinstance(prompt, PromptDialog)
            assert prompt.query_one(Input).value == typed
            notes = " ".join(str(n.message) for n in pilot.app._notifications)
            assert said in notes
            assert "Exported" not in notes
            await pilot.press("escape")
    assert not (tmp_path / "gone").exists()
    assert len(book.sheetnames) >= 17
    # the mapping sheets close it, with the service's numbers
    assert book.sheetnames[-3:] == ["Co-occurrence", "Associations", "Typology"]
    table = mapping.cooccurrence(demo_study)
    rows = list(book["Co-occurrence"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(table.themes) * (len(table.themes) - 1) // 2 > 0
    a, _, b, _, cases, *_ = rows[0]
    assert cases == table.pair(str(a), str(b)).cases


@pytest.mark.slow
async def test_summary_and_conflict_on_each_database(small_study: Study, tmp_path: Path) -> None:
    """The same save and refusal on SQLite and, when configured, PostgreSQL."""
    from qualcode.tui.app import make_app

    seg = next(s for s in queries.list_segments(small_study) if "agency" in s.text.lower())
    codings.code_segment(small_study, seg.id, "1.3")
    app = make_app(small_study, keymap={})
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, seg.case, "1.3")
        await pilot.press("e", *"First.", "ctrl+s")
        await settle(pilot)
        assert summaries.get_summary(small_study, seg.case, "1.3").text == "First."
        await pilot.press("end", *" Second.")
        summaries.set_summary(small_study, seg.case, "1.3", "Other.", expected_version=1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert summaries.get_summary(small_study, seg.case, "1.3").text == "Other."
        await pilot.press("escape")
        assert matrix_screen(app).cell_view.text == "First. Second."


async def test_keys_typed_while_loading_apply_in_order(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]]
) -> None:
    csd = sorted(
        c.id
        for c in queries.list_cases(demo_study)
        if c.id.startswith("int") and c.attributes.get("sector") == "CSD"
    )
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        # then all at once, as a fast typist would: each key arrives while the sheet
        # that g (then ]) asked for is still loading, and must apply to that sheet
        for key, char in (
            ("g", "g"),
            ("right_square_bracket", "]"),
            ("down", None),
            ("enter", "\r"),
        ):
            app.post_message(events.Key(key, char))
        await settle(pilot)
        screen = matrix_screen(app)
        assert screen.page is not None
        assert (screen.page.top, screen.by) == ("2", ["sector"])
        assert screen.in_cell
        assert screen.cell_view.key == (csd[1], "2.1")


def test_status_cycle_never_reaches_final() -> None:
    seen = {(text, status): next_status(text, status) for text in ("", "x") for status in STATUSES}
    assert FINAL not in seen.values()
    assert seen[("", EMPTY)] == NOT_DISCUSSED
    assert seen[("", NOT_DISCUSSED)] == EMPTY
    assert seen[("x", DRAFTED)] == NOT_DISCUSSED
    assert seen[("x", NOT_DISCUSSED)] == DRAFTED
    assert seen[("x", FINAL)] == DRAFTED


def test_a_coded_cell_is_never_cycled_to_not_discussed() -> None:
    seen = {
        (text, status): next_status(text, status, coded=True)
        for text in ("", "x")
        for status in STATUSES
    }
    assert NOT_DISCUSSED not in seen.values()
    assert FINAL not in seen.values()
    assert seen[("", EMPTY)] is None  # nothing to cycle to: write or draft instead
    assert seen[("", NOT_DISCUSSED)] == EMPTY  # marked before it was coded: undone
    assert seen[("x", WRITTEN)] == DRAFTED
    assert seen[("x", DRAFTED)] == WRITTEN


def test_grouping_cycles_through_attributes_and_none() -> None:
    names = ["sector", "role"]
    steps = [next_grouping([], names), next_grouping(["sector"], names)]
    assert steps == [["sector"], ["role"]]
    assert next_grouping(["role"], names) == []
    assert next_grouping([], names, -1) == ["role"]
    assert next_grouping(["gone"], names) == ["sector"]


def test_g_skips_attributes_that_name_the_cases_rather_than_group_them(
    demo_study: Study, tmp_path: Path
) -> None:
    """serdif's `file` (17 groups of one) and nhs-fft's respondent id (about 6,000) were
    the first groupings `g` offered; they are still shown in a cell's title."""
    from qualcode.services import importing
    from qualcode.tui.matrix.data import load_page

    cases = [c for c in queries.list_cases(demo_study) if c.id.startswith("int")]
    sheet = tmp_path / "files.csv"
    # and a score of 12 values over 16 cases: mostly groups of one (serdif's pssuq_overall)
    rows = "".join(f"{c.id},{c.id}.txt,{min(i, 11)}\n" for i, c in enumerate(cases))
    sheet.write_text("id,file,score\n" + rows, encoding="utf-8")
    importing.import_cases(demo_study, sheet, "id")
    page = load_page(demo_study, None, ())
    assert page is not None
    assert "file" in page.groupable  # a cell's title may still say it
    assert "file" not in page.groupings
    assert "score" not in page.groupings
    assert {"sector", "role"} <= set(page.groupings)
    assert next_grouping([], page.groupings)[0] != "file"
    # a grouping from another sheet that no case here has says so in the title
    assert "no case of this sheet has it" not in load_page(demo_study, None, ("sector",)).title
    survey_only = load_page(demo_study, None, ("file",))
    assert survey_only is not None
    assert "no case of this sheet has it" not in survey_only.title  # int cases have it
    sheets = [t.id for t in page.sheets]
    survey_sheet = next(t for t in sheets if t.startswith("S"))
    on_survey = load_page(demo_study, survey_sheet, ("file",))
    assert on_survey is not None
    assert "grouped by file: no case of this sheet has it" in on_survey.title


@pytest.mark.slow
async def test_a_report_whose_quotes_go_unattributed_says_so(
    app_for: AppFor,
    demo_study: Study,
    coded: list[tuple[str, str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Settings whose attribution names an attribute no case has (the defaults, on a
    study that is not about social care) leave the report's quotes bare: the report is
    written all the same (it was refused) and the export's notice says how many."""
    monkeypatch.setenv("QUALCODE_ATTRIBUTION", "[{grade}]")
    monkeypatch.setenv("QUALCODE_SURVEY_ATTRIBUTION", "[{grade}]")
    app = app_for()
    target = tmp_path / "report.docx"
    async with app.run_test(size=(120, 36)) as pilot:
        await open_matrix(pilot)
        await pilot.press("g", "x")
        await settle(pilot)
        await pilot.press("ctrl+u", *str(target), "enter")
        said = await _export_notice(pilot, app)
    assert target.exists(), said
    assert "quotes attributed (set `attribution` in the settings)" in said  # none of N


async def _export_notice(pilot: Any, app: Any) -> str:
    """The notices shown once the export (written in a worker) says it is done."""
    said = ""
    for _ in range(100):
        await pilot.pause(0.1)
        said = " ".join(str(n.message) for n in app._notifications)
        if "Exported" in said:
            break
    return said


@pytest.mark.slow
async def test_a_slug_column_shows_its_label_once(sqlite_study: Study, tmp_path: Path) -> None:
    """serdif's ids spell their labels ("query-inputs-and-elements-useful"): the header's
    two lines showed the id and cut the label; they show the label."""
    from qualcode.services import framework, importing
    from qualcode.tui.app import make_app

    (tmp_path / "int01.txt").write_text(
        "Interviewer: How do you search?\n\nRespondent: With the filter.\n", encoding="utf-8"
    )
    importing.import_transcripts(sqlite_study, [tmp_path / "int01.txt"])
    (tmp_path / "f.yaml").write_text(
        "themes:\n  - id: querying\n    label: Querying\n    children:\n"
        "      - id: query-inputs-and-elements-useful\n"
        "        label: Query inputs and elements useful\n"
        "      - id: '1.2'\n        label: Support staff\n",
        encoding="utf-8",
    )
    framework.import_framework(sqlite_study, tmp_path / "f.yaml")
    app = make_app(sqlite_study, keymap={})
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        grid = screen.grid
        header = " ".join(grid.render_line(y).text for y in (0, 1))
    assert "Query inputs and" in header
    assert "query-inputs" not in header
    assert "1.2 Support" in header  # a numbering still leads


def test_a_group_of_a_number_says_what_it_is_a_value_of(demo_study: Study, tmp_path: Path) -> None:
    """Grouped by a score, a group row read "1 (2631)" at 80 columns, with the
    attribute's name cut from the title."""
    from qualcode.services import importing
    from qualcode.tui.matrix.data import grid_rows

    sheet = tmp_path / "scores.csv"
    cases = [c.id for c in queries.list_cases(demo_study) if c.id.startswith("int")]
    sheet.write_text("case,score\n" + "".join(f"{c},{n % 2 + 1}\n" for n, c in enumerate(cases)))
    importing.import_cases(demo_study, sheet, "case")
    by_score = [r.label for r in grid_rows(matrix.sheet(demo_study, top="1", by=["score"]))]
    assert "score 1 (8)" in by_score
    by_sector = [r.label for r in grid_rows(matrix.sheet(demo_study, top="1", by=["sector"]))]
    assert "CSD (6)" in by_sector  # words say what they are


async def test_the_matrix_exports_anonymised_with_capital_x(
    app_for: AppFor,
    demo_study: Study,
    coded: list[tuple[str, str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The workbench's export was never anonymised, and said nothing of it."""
    from qualcode.services import anonymise

    names = tmp_path / "names.txt"
    names.write_text("Mabel Pritchard\n", "utf-8")
    anonymise.find_names(demo_study, names, use_spacy=False)
    summaries.set_summary(demo_study, "int01", "1.3", "Mabel Pritchard covers the rota.")
    monkeypatch.chdir(tmp_path)
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_matrix(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+u", *"plain.md", "enter")
        said = await _export_notice(pilot, app)
        assert "with real names (X exports it anonymised)" in said
        await pilot.press("X")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        assert app.screen.title_text == "Export the matrix, anonymised, to"
        # not the real-names export's default name: one would quietly replace the other
        assert app.screen.query_one(Input).value == "matrix-anonymised.xlsx"
        await pilot.press("ctrl+u", *"anon.md", "enter")
        for _ in range(100):  # the first export's notice is still up: wait for this one's
            said = " ".join(str(n.message) for n in app._notifications)
            if "(anonymised)" in said:
                break
            await pilot.pause(0.1)
        assert "(anonymised)" in said
    assert "Mabel Pritchard covers the rota." in (tmp_path / "plain.md").read_text()
    anon = (tmp_path / "anon.md").read_text()
    assert "Mabel" not in anon
    assert "Pritchard" not in anon
    assert "[Person 1] covers the rota." in anon


@pytest.mark.slow
async def test_an_export_with_typed_unsaved_summaries_asks_first(
    app_for: AppFor, demo_study: Study, coded: list[tuple[str, str, str]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """`x` wrote the file without the summary typed on screen and said nothing, while
    ctrl+q warned of the same text."""
    monkeypatch.chdir(tmp_path)
    case = next(c for c, _, t in coded if t == "1.3")
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await open_cell(pilot, screen, case, "1.3")
        await pilot.press("e", *"Typed, not saved.", "escape", "escape")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+u", *"m.md", "enter")
        await settle(pilot)
        asked = app.screen
        assert isinstance(asked, ConfirmDialog)
        assert f"the summary of {case} on 1.3" in asked.message
        await pilot.press("n")
        await settle(pilot)
        assert not (tmp_path / "m.md").exists()
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+u", *"m.md", "enter")
        await settle(pilot)
        await pilot.press("y")
        said = await _export_notice(pilot, app)
        assert "Exported" in said
    assert (tmp_path / "m.md").exists()


def test_a_narrow_title_says_the_grouping_first(demo_study: Study) -> None:
    """At 80 columns the title was cut before "grouped by sector"."""
    from qualcode.tui.matrix.data import load_page

    page = load_page(demo_study, None, ("sector",))
    assert page is not None
    assert page.title_for(200) == page.title
    narrow = page.title_for(80)
    assert narrow.startswith(f"1/{len(page.sheets)} · grouped by sector · ")
