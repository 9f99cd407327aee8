"""The Compare workspace driven as a user would: walking two coders' disagreements and
settling them; assertions are on the codings stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Static

from qualcode.services import codings, compare, framework, queries
from qualcode.services.agreement import agreement
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.compare.screen import CompareScreen
from qualcode.tui.compare.view import kappa_text, share_text
from qualcode.tui.shared.commands import WorkbenchCommands
from qualcode.tui.shared.picker import Picker

from .conftest import settle

AppFor = Callable[..., QualcodeApp]
Stored = set[tuple[str, int, int, str, str]]


def double_code(study: Study, case: str = "int01") -> list[str]:
    """alice and bob code six answers of ``case``; they disagree on four (segment, theme)
    pairs: s1 1.2 (alice only), s1 1.3 (bob only), s3 2.1 (alice only), s4 2.1 (bob only)."""
    segs = [s.id for s in queries.list_segments(study, case=case)[:6]]
    for n, theme in ((0, "1.1"), (1, "1.2"), (2, "1.3"), (3, "2.1")):
        codings.code_segment(study, segs[n], theme, coder="alice")
    for n, theme in ((0, "1.1"), (1, "1.3"), (2, "1.3"), (4, "2.1")):
        codings.code_segment(study, segs[n], theme, coder="bob")
    return segs


def stored(study: Study) -> Stored:
    return {(c.source, c.start, c.end, c.theme, c.coder) for c in codings.list_codings(study)}


def themes_of(study: Study, coder: str, segment: str) -> set[str]:
    return codings.segment_themes(study, coder=coder).get(segment, set())


def walk(app: QualcodeApp) -> CompareScreen:
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    return screen


def where(app: QualcodeApp) -> tuple[str, str] | None:
    return walk(app).current


@pytest.mark.slow
async def test_take_either_side_keep_both_and_undo(small_study: Study) -> None:
    segs = double_code(small_study)
    before = stored(small_study)
    app = make_app(small_study, start="compare", keymap={})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = walk(app)
        assert screen.pair == ("alice", "bob")  # the two coders with most codings
        assert [(d.segment, d.theme) for d in screen.shown] == [
            (segs[1], "1.2"),
            (segs[1], "1.3"),
            (segs[3], "2.1"),
            (segs[4], "2.1"),
        ]
        await pilot.press("a")  # s1 1.2: alice's coding is copied to bob
        await settle(pilot)
        assert themes_of(small_study, "bob", segs[1]) == {"1.2", "1.3"}
        assert where(app) == (segs[1], "1.3")
        await pilot.press("ctrl+z")  # the difference comes back, and the walk shows it
        await settle(pilot)
        assert where(app) == (segs[1], "1.2")
        await pilot.press("ctrl+y")  # taken again: on to the next one
        await settle(pilot)
        assert themes_of(small_study, "bob", segs[1]) == {"1.2", "1.3"}
        assert where(app) == (segs[1], "1.3")
        await pilot.press("a")  # s1 1.3: only bob coded it - taking alice's removes it
        await settle(pilot)
        assert themes_of(small_study, "bob", segs[1]) == {"1.2"}
        await pilot.press("b", "k")  # in a burst: s3 2.1 goes, s4 2.1 is kept both
        await settle(pilot)
        assert themes_of(small_study, "alice", segs[3]) == set()
        assert themes_of(small_study, "bob", segs[4]) == {"2.1"}
        left = compare.disagreements(small_study, "alice", "bob")
        assert [(d.segment, d.theme, d.kept_both) for d in left] == [(segs[4], "2.1", True)]
        assert screen.shown == []  # kept ones are hidden until v
        await pilot.press("v")
        assert [(d.segment, d.theme) for d in screen.shown] == [(segs[4], "2.1")]
        for _ in range(4):
            await pilot.press("ctrl+z")
            await settle(pilot)
        assert stored(small_study) == before
        again = compare.disagreements(small_study, "alice", "bob")
        assert [(d.segment, d.theme, d.kept_both) for d in again] == [
            (segs[1], "1.2", False),
            (segs[1], "1.3", False),
            (segs[3], "2.1", False),
            (segs[4], "2.1", False),
        ]
        await pilot.press("ctrl+y")  # redo taking alice's 1.2
        await settle(pilot)
        assert themes_of(small_study, "bob", segs[1]) == {"1.2", "1.3"}


@pytest.mark.slow
async def test_step_filter_by_theme_and_open_in_reader(app_for: AppFor, demo_study: Study) -> None:
    segs = double_code(demo_study)
    app = app_for(start="compare")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        assert where(app) == (segs[3], "2.1")
        await pilot.press("p")
        assert where(app) == (segs[1], "1.3")
        table = app.screen.query_one("#compare-agreement", DataTable)
        assert table.get_row_at(table.cursor_row)[0].plain.startswith("1.3 ")  # follows the walk
        await pilot.press("t", *"2.1", "enter")
        assert [(d.segment, d.theme) for d in walk(app).shown] == [
            (segs[3], "2.1"),
            (segs[4], "2.1"),
        ]
        await pilot.press("n", "enter")
        await settle(pilot)
        assert app.current_mode == "read"
        view = app.screen.query_one("#doc")
        doc = view.doc  # type: ignore[attr-defined]
        source, start, _ = doc.to_source(view.cursor, view.cursor + 1)  # type: ignore[attr-defined]
        seg = queries.list_segments(demo_study, ids=[segs[4]])[0]
        assert (source, start) == (seg.source, seg.start)


@pytest.mark.slow
async def test_agreement_table_shows_the_service_figures(
    app_for: AppFor, demo_study: Study
) -> None:
    double_code(demo_study)
    report = agreement(demo_study, ["alice", "bob"])
    app = app_for(start="compare")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#compare-agreement", DataTable)
        rows = [[c.plain.strip() for c in table.get_row_at(n)] for n in range(table.row_count)]
        assert [r[1:3] for r in rows] == [
            [kappa_text(t.kappa), share_text(t.agreement)] for t in report.themes
        ]
        for row, t in zip(rows, report.themes, strict=True):  # the id whole, then the label
            assert row[0].startswith(f"{t.theme} {t.label[:10]}")
        bar = str(app.screen.query_one("#compare-bar", Static).render())
        assert f"{report.segments} segments compared" in bar
        assert "4 disagreements" in bar


@pytest.mark.slow
async def test_choose_coders(app_for: AppFor, demo_study: Study) -> None:
    segs = double_code(demo_study)
    for seg in segs[:3]:
        codings.code_segment(demo_study, seg, "1.4", coder="carol")
    app = app_for(start="compare")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, Picker)
        await pilot.press(*"carol", "enter", *"bob", "enter")
        await settle(pilot)
        screen = walk(app)
        assert screen.pair == ("carol", "bob")
        expected = compare.disagreements(demo_study, "carol", "bob")
        assert [(d.segment, d.theme) for d in screen.shown] == [
            (d.segment, d.theme) for d in expected
        ]
        assert (expected[0].segment, expected[0].theme, expected[0].b) == (segs[0], "1.1", True)
        await pilot.press("b")  # take bob's: his 1.1 on the first answer is copied to carol
        await settle(pilot)
        assert themes_of(demo_study, "carol", segs[0]) == {"1.1", "1.4"}
        assert themes_of(demo_study, "alice", segs[0]) == {"1.1"}  # not compared: untouched


async def test_with_one_coder_it_says_what_to_do(app_for: AppFor, demo_study: Study) -> None:
    codings.code_segment(demo_study, queries.list_segments(demo_study)[0].id, "1.1")
    app = app_for(start="compare")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bar = str(app.screen.query_one("#compare-bar", Static).render())
        assert "Compare needs two coders" in bar
        await pilot.press("a", "n", "k")  # nothing to settle: nothing happens
        await settle(pilot)
        assert len(codings.list_codings(demo_study)) == 1


@pytest.mark.slow
@pytest.mark.parametrize(("key", "mode"), [("f10", "compare"), ("f11", "anonymise")])
async def test_keys_and_palette_reach_the_workspaces(app_for: AppFor, key: str, mode: str) -> None:
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        names = {name for name, _, _ in WorkbenchCommands(app.screen)._commands()}
        assert {"Compare coders", "Anonymise"} <= names
        await pilot.press(key)
        await settle(pilot)
        assert app.current_mode == mode


def test_undoing_a_settlement_restores_the_kept_mark(small_study: Study) -> None:
    """Taking a side on a difference kept both, then undoing it: kept both again."""
    from qualcode.tui.compare.changes import settle

    segs = double_code(small_study)
    first = compare.disagreements(small_study, "alice", "bob")[0]
    settle(small_study, first, "both")
    kept = compare.disagreements(small_study, "alice", "bob")[0]
    assert kept.kept_both
    before = stored(small_study)
    done, entry = settle(small_study, kept, "a")
    assert len(done.added) == 1
    assert themes_of(small_study, "bob", segs[1]) == {"1.2", "1.3"}
    entry.undo(small_study)
    assert stored(small_study) == before
    assert compare.disagreements(small_study, "alice", "bob")[0].kept_both
    entry.redo(small_study)
    assert themes_of(small_study, "bob", segs[1]) == {"1.2", "1.3"}
    assert (segs[1], "1.2") not in {
        (d.segment, d.theme) for d in compare.disagreements(small_study, "alice", "bob")
    }


@pytest.mark.slow
async def test_the_palette_opens_on_the_workspaces_own_actions(app_for: AppFor) -> None:
    """Review's palette listed Cursor up, Cursor down, Home, End... (its table's
    movement keys) before its own actions."""
    app = app_for(start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        commands = WorkbenchCommands(app.screen)._commands()
        names = [name for name, _, _ in commands]
        assert "Cursor up" in names  # still offered, after
        first_generic = names.index("Cursor up")
        ours = [n for n, (_, help_text, _) in enumerate(commands) if "review." in help_text]
        assert ours
        assert max(ours) < first_generic


@pytest.mark.slow
async def test_a_disagreement_a_colleague_settled_meanwhile_is_refused_and_dropped(
    small_study: Study,
) -> None:
    from qualcode.tui.shared.dialogs import ErrorDialog

    segs = double_code(small_study)
    app = make_app(small_study, start="compare", keymap={})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert where(app) == (segs[1], "1.2")
        # carol, in another window, settles it the other way: alice's 1.2 goes
        carol = Study(small_study.engine, "carol")
        compare.resolve(carol, segs[1], "1.2", "b", coder_a="alice", coder_b="bob")
        await pilot.press("a")  # the walk, loaded before, still offers it
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "carol settled this" in app.screen.message
        assert "kept bob's" in app.screen.message
        await pilot.press("enter")
        await settle(pilot)
        assert themes_of(small_study, "bob", segs[1]) == {"1.3"}  # bob's choice not made
        assert themes_of(small_study, "alice", segs[1]) == set()
        assert (segs[1], "1.2") not in [(d.segment, d.theme) for d in walk(app).shown]


def test_the_share_agreed_never_reads_100_percent_short_of_all() -> None:
    assert share_text(0.996) == "99.6%"  # one disagreement in 250: not "100%"
    assert share_text(0.9999) == "99.9%"
    assert share_text(1.0) == "100%"
    assert share_text(0.5) == "50%"
    assert share_text(None) == "–"


@pytest.mark.slow
async def test_at_80_columns_every_figure_of_the_table_shows(
    app_for: AppFor, demo_study: Study
) -> None:
    """At 80 columns the table was cut inside the agree column ("9" for 93%) and hid
    A, B and open; the theme column now gives way, also after a resize."""
    double_code(demo_study)
    app = app_for(start="compare")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        table = app.screen.query_one("#compare-agreement", DataTable)
        needed = sum(c.get_render_width(table) for c in table.columns.values())
        assert needed <= table.scrollable_content_region.width
        assert table.row_count == len(agreement(demo_study, ["alice", "bob"]).themes)
        assert [c.label.plain for c in table.columns.values()][-1] == "open"
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert table.columns["theme"].width == 26


@pytest.mark.slow
async def test_at_80_columns_the_table_fits_beside_its_scrollbar(
    app_for: AppFor, demo_study: Study
) -> None:
    """With more themes than rows the scrollbar took two columns: "open" read "ope"."""
    segs = [s.id for s in queries.list_segments(demo_study, case="int01")]
    tree = framework.framework_tree(demo_study)
    themes = [t.id for t in tree.ordered() if not t.id.startswith("S")]  # not the survey's
    for i, theme in enumerate(themes):
        codings.code_segment(demo_study, segs[i], theme, coder="alice")
        codings.code_segment(demo_study, segs[i + 1], theme, coder="bob")
    app = app_for(start="compare")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#compare-agreement", DataTable)
        assert table.row_count > table.scrollable_content_region.height  # it scrolls
        needed = sum(c.get_render_width(table) for c in table.columns.values())
        assert needed <= table.scrollable_content_region.width
