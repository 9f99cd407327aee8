"""Framework, search, cases, help, the palette, the keymap and the error dialog,
driven as a user would; assertions are on what is stored."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from rich.console import Console
from textual.widgets import DataTable, Static

from qualcode.services import codings, framework, queries, search, summaries
from qualcode.services.study import Study
from qualcode.tui.app import WORKSPACES, QualcodeApp
from qualcode.tui.framework.screen import FrameworkScreen
from qualcode.tui.help.screen import HelpScreen, screen_bindings
from qualcode.tui.read.screen import ReadScreen
from qualcode.tui.shared.commands import WorkbenchCommands
from qualcode.tui.shared.dialogs import ConfirmDialog, ErrorDialog, ThemeNotesDialog
from qualcode.tui.workspaces import REGISTERED

from .conftest import record_notices, settle

AppFor = Callable[..., QualcodeApp]


def _code_int01(study: Study, theme: str, n: int) -> None:
    for seg in queries.list_segments(study, case="int01")[:n]:
        codings.code_segment(study, seg.id, theme)


@pytest.mark.slow
async def test_merge_two_themes_and_undo(app_for: AppFor, demo_study: Study) -> None:
    _code_int01(demo_study, "1.2", 3)
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        await pilot.press("down", "down")  # 1, 1.1, 1.2
        assert screen.selected_id() == "1.2"
        await pilot.press("m", *"1.1", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        tree = framework.framework_tree(demo_study)
        assert "1.2" not in tree.themes
        assert {c.theme for c in codings.list_codings(demo_study)} == {"1.1"}
        assert framework.theme_counts(demo_study)["1.1"] == (3, 1)
        label = str(screen.theme_tree.cursor_node.label)  # type: ignore[union-attr]
        assert label.startswith("1.1")
        assert "3 codings · 1 case" in label
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert framework.framework_tree(demo_study).themes["1.2"].parent == "1"
        assert {c.theme for c in codings.list_codings(demo_study)} == {"1.2"}


async def test_a_delete_answered_in_the_same_burst_waits_for_its_question(
    app_for: AppFor, demo_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delete question reads the theme's written work off the UI thread; a "y"
    typed with the "d" (a burst over SSH) is its answer, not a key for the tree."""
    import threading

    from qualcode.services import theme_removal

    release = threading.Event()
    real = theme_removal.written_on

    def slow(study: Study, theme_id: str) -> list[str]:
        release.wait(5)
        return real(study, theme_id)

    monkeypatch.setattr(theme_removal, "written_on", slow)
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        await pilot.press("down", "down")  # 1, 1.1, 1.2
        await pilot.press("d", "y")
        await pilot.pause()
        assert app.screen is screen  # the question is still on its way
        assert "1.2" in framework.framework_tree(demo_study).themes
        release.set()
        await settle(pilot)
        assert app.screen is screen
        assert "1.2" not in framework.framework_tree(demo_study).themes


async def test_two_deletes_in_one_burst_delete_a_theme_and_its_next_sibling(
    app_for: AppFor, demo_study: Study
) -> None:
    """walk48c: "d y d y" deleted 1.2, then asked again about 1.2 (gone: "Not found...
    did you mean"); the highlight went to the parent, which a second fast "y" would
    have deleted with every theme under it."""
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        await pilot.press("down", "down")  # 1, 1.1, 1.2
        assert screen.selected_id() == "1.2"
        await pilot.press("d", "y", "d", "y")
        await settle(pilot)
        await settle(pilot)
        themes_now = framework.framework_tree(demo_study).themes
        assert "1.2" not in themes_now
        assert "1.3" not in themes_now  # the next sibling, highlighted after the first
        assert {"1", "1.1", "1.4"} <= set(themes_now)
        assert app.screen is screen  # no question left open about a theme gone
        assert screen.selected_id() == "1.4"


async def test_notes_recovered_for_a_theme_deleted_since_are_shown_to_copy(
    app_for: AppFor, demo_study: Study
) -> None:
    """walk47d: a recovered draft of theme 1.4's notes, deleted meanwhile in another
    window, could be reached by no editor, and ctrl+q asked about it for ever."""
    from qualcode.tui.shared.dialogs import ThemeNotes, notes_draft

    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        typed = ThemeNotes("Gone theme", "What it meant.", None, None, ("ward",))
        assert screen.restore_draft(notes_draft("", "9.9", typed))
        screen.reload()
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "Theme 9.9 was deleted since" in app.screen.message
        assert "definition: What it meant." in (app.screen.details or "")
        await pilot.press("enter")
        assert screen.unsaved_work() == []


async def test_a_recovered_notes_draft_can_be_dropped(app_for: AppFor, demo_study: Study) -> None:
    """walk49c: after a dropped session the recovered notes came back in `e`, and
    escape then "Drop" put them back again each time; the editor said they were kept
    after a refused save that never happened."""
    from qualcode.tui.shared.dialogs import ThemeNotes, ThemeNotesDialog, notes_draft

    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        theme = screen.selected_id()
        assert theme is not None
        stored = framework.framework_tree(demo_study).themes[theme]
        typed = ThemeNotes(stored.label, "REPRO2 half a definition", None, None, ())
        assert screen.restore_draft(notes_draft("", theme, typed))
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ThemeNotesDialog)
        assert dialog.typed.definition == "REPRO2 half a definition"
        assert "from a session that ended before it was saved" in dialog.hint
        assert "refused" not in dialog.hint
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # drop it
        await settle(pilot)
        assert app.screen is screen
        assert screen.unsaved_work() == []
        await pilot.press("e")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, ThemeNotesDialog)
        assert again.typed.definition == (stored.definition or None)
        assert again.hint == ""
        await pilot.press("escape")


async def test_tabs_in_a_burst_fill_each_field_of_a_themes_notes(
    app_for: AppFor, demo_study: Study
) -> None:
    """walk46d, walk49c: "Tab AAA Tab BBB ..." sent at once (a paste, a laggy SSH
    link) put every field's text in the Label: Textual moved the focus only after the
    keys behind the Tab had reached the Label."""
    from textual import events
    from textual.keys import _character_to_key

    from qualcode.tui.shared.dialogs import ThemeNotesDialog

    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        theme = screen.selected_id()
        assert theme is not None
        label = framework.framework_tree(demo_study).themes[theme].label
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ThemeNotesDialog)
        driver = app._driver
        assert driver is not None
        keys = ["tab", *"AAA", "tab", *"BBB", "tab", *"CCC", "tab", *"ddd, eee"]
        for typed_key in keys:  # all at once, none waiting for the one before
            key = typed_key
            if len(key) == 1 and not key.isalnum():
                key = _character_to_key(key)
            event = events.Key(key, typed_key if len(typed_key) == 1 else None)
            event.set_sender(app)
            driver.send_message(event)
        await settle(pilot)
        typed = dialog.typed
        assert typed.label == label
        assert (typed.definition or "").endswith("AAA")
        assert (typed.inclusion or "").endswith("BBB")
        assert (typed.exclusion or "").endswith("CCC")
        assert typed.keywords[-2:] == ("ddd", "eee")
        await pilot.press("escape", "y")


@pytest.mark.slow
async def test_add_rename_move_edit_and_delete_a_theme(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="framework")
    said = record_notices(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Caseload weighting", "enter")  # under "1": suggests 1.6
        await settle(pilot)
        tree = framework.framework_tree(demo_study)
        assert tree.themes["1.6"].label == "Caseload weighting"
        assert tree.themes["1.6"].parent == "1"
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        assert screen.selected_id() == "1.6"
        await pilot.press("r", "ctrl+u", *"Caseload weights", "enter")
        await settle(pilot)
        assert framework.framework_tree(demo_study).themes["1.6"].label == "Caseload weights"
        await pilot.press("v", *"2", "enter")
        await settle(pilot)
        assert framework.framework_tree(demo_study).themes["1.6"].parent == "2"
        await pilot.press("e", "tab", *"How cases are weighted.", "ctrl+s")
        await settle(pilot)
        assert framework.framework_tree(demo_study).themes["1.6"].definition == (
            "How cases are weighted."
        )
        # escape on typed notes asks before dropping them; unchanged notes just close
        await pilot.press("e", "tab", "end", *" And why.", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Drop the changes to theme 1.6's notes?" in app.screen.message
        await pilot.press("n")  # back to the notes as typed
        assert isinstance(app.screen, ThemeNotesDialog)
        assert app.screen.typed.definition == "How cases are weighted. And why."
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, FrameworkScreen)
        assert framework.framework_tree(demo_study).themes["1.6"].definition == (
            "How cases are weighted."
        )
        await pilot.press("e", "escape")
        await settle(pilot)
        assert isinstance(app.screen, FrameworkScreen)
        # a colleague's summary on the theme goes too: the question says so
        bob = Study(demo_study.engine, "bob")
        summaries.set_summary(bob, "int01", "1.6", "Weights by complexity.", "written", 0)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "0 sub-themes, 0 codings and 1 written summary?" in app.screen.message
        await pilot.press("y")
        await settle(pilot)
        assert "1.6" not in framework.framework_tree(demo_study).themes
        assert "Deleted 1.6 and 0 codings, 1 written summary" in said  # walk48d
        await pilot.press("ctrl+z", "ctrl+z")  # undelete, then undo the edit of the notes
        await settle(pilot)
        restored = framework.framework_tree(demo_study).themes["1.6"]
        assert restored.parent == "2"
        assert restored.definition is None
        back = summaries.get_summary(demo_study, "int01", "1.6")
        assert (back.text, back.coder) == ("Weights by complexity.", "bob")


@pytest.mark.slow
async def test_search_and_code_hits(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="search")
    said = record_notices(app)  # every notice, however soon it times out
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(*"agency", "enter")
        await settle(pilot)
        hits = search.search(demo_study, "agency")
        table = app.screen.query_one("#search-hits", DataTable)
        assert table.row_count == len(hits)
        await pilot.press("space", "space", "c", *"1.3", "enter")
        await settle(pilot)
        stored = codings.list_codings(demo_study, theme="1.3")
        assert {c.origin for c in stored} == {"search"}
        wanted = {
            (s.source, s.start, s.end)
            for s in queries.list_segments(demo_study)
            if s.id in {hits[0].segment, hits[1].segment}
        }
        assert {(c.source, c.start, c.end) for c in stored} == wanted
        # "agency" is said in interviews and in survey answers: no one framework codes
        # both, so coding every hit with a survey theme codes the survey answers alone
        await pilot.press("a", *"S5", "enter")
        await settle(pilot)
        survey = {h.segment for h in hits if h.kind == "survey"}
        assert survey
        assert len(survey) < len({h.segment for h in hits})
        by_segment = {(s.source, s.start, s.end): s.id for s in queries.list_segments(demo_study)}
        coded = codings.list_codings(demo_study, theme="S5")
        assert {by_segment[(c.source, c.start, c.end)] for c in coded} == survey
        assert any("left: its framework does not code them" in m for m in said)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert codings.list_codings(demo_study, theme="S5") == []


@pytest.mark.slow
async def test_search_filters_and_opens_a_hit(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="search")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f", *"sector=DASS", "tab", "slash", *"agency staff", "ctrl+r")
        await pilot.press("enter")
        await settle(pilot)
        expected = search.search(demo_study, "agency staff", "phrase", {"sector": "DASS"})
        assert expected
        assert app.screen.query_one("#search-hits", DataTable).row_count == len(expected)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "read"
        view = app.screen.query_one("#doc")
        doc = view.doc  # type: ignore[attr-defined]
        source, start, _ = doc.to_source(view.cursor, view.cursor + 1)  # type: ignore[attr-defined]
        assert (source, start) == (expected[0].source, expected[0].start)


@pytest.mark.slow
async def test_cases_filter_and_sort(app_for: AppFor, demo_study: Study) -> None:
    _code_int01(demo_study, "1.1", 2)
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cases-table", DataTable)
        assert table.row_count == len(queries.list_cases(demo_study))
        await pilot.press("slash", *"sector=DASS role=director", "enter")
        dass = [
            c.id
            for c in queries.list_cases(demo_study)
            if c.attributes.get("sector") == "DASS"
            and "director" in str(c.attributes.get("role", "")).lower()
        ]
        assert [table.get_row_at(n)[0] for n in range(table.row_count)] == dass
        await pilot.press("escape", "s", *"progress", "enter", "s", *"progress", "enter")
        assert table.get_row_at(0)[0] == "int01"  # the only case with coding, sorted down
        assert "2/" in table.get_row_at(0)[2]


async def test_a_failed_change_shows_one_error_dialog(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # a colleague adds theme 99 after this screen was loaded: the clash is the study's
        from qualcode.services import theme_edits

        theme_edits.add_theme(Study(demo_study.engine, "carol"), "99", "Carol's theme", None)
        await pilot.press("A", "ctrl+u", *"99 Prevention again", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.title_text == "Conflict"
        assert "'99' is already used" in str(dialog.query_one("#error-message", Static).render())
        await pilot.press("enter")
        assert isinstance(app.screen, FrameworkScreen)
        assert framework.framework_tree(demo_study).themes["99"].label == "Carol's theme"
        assert not app.history.can_undo  # nothing was recorded for a change that failed


async def test_help_lists_every_binding_and_palette_offers_every_action(app_for: AppFor) -> None:
    app = app_for(start="read")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        palette = WorkbenchCommands(app.screen)
        names = {name for name, _, _ in palette._commands()}
        read_actions = {b.description for b in WORKSPACES["read"].BINDINGS}  # type: ignore[union-attr]
        assert read_actions <= names
        assert {"Undo", "Redo", "Help", "Cases"} <= names
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(help_screen.keys_table())
        shown = console.export_text()
        for screen in (QualcodeApp, *WORKSPACES.values()):
            # with the mixins' bindings: the Matrix's v and K were left out
            for binding in screen_bindings(screen):
                assert binding.id  # type: ignore[union-attr]
                assert binding.description  # type: ignore[union-attr]
                assert binding.id in shown  # type: ignore[union-attr]
        assert "matrix.key_issues" in shown
        assert "curly_bracket" not in shown  # keys as typed: } { + -
        assert "Next group" in shown
        assert "}" in next(line for line in shown.splitlines() if "Next group" in line)
        await pilot.press("escape")
        assert app.current_mode == "read"


@pytest.mark.slow
async def test_keymap_rebinds_by_binding_id(app_for: AppFor, demo_study: Study) -> None:
    app = app_for(start="read", keymap={"read.apply": "z", "app.cases": "f9"})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n", "z")
        assert isinstance(app.screen, ReadScreen)
        assert app.screen.picker.is_open
        await pilot.press(*"1.4", "enter")
        await settle(pilot)
        assert [c.theme for c in codings.list_codings(demo_study)] == ["1.4"]
        await pilot.press("f9")
        await settle(pilot)
        assert app.current_mode == "cases"


@pytest.mark.slow
async def test_every_registered_workspace_is_in_help_the_palette_and_the_modes(
    app_for: AppFor,
) -> None:
    app = app_for(start="cases")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        palette = {
            name: help_text for name, help_text, _ in WorkbenchCommands(app.screen)._commands()
        }
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(help_screen.keys_table())
        shown = console.export_text()
        assert len(REGISTERED) == 11
        for entry in REGISTERED:
            assert f"{entry.help_title} - {entry.help}" in shown
            assert f"app.{entry.mode}" in palette[entry.title]
            assert app.MODES[entry.mode] is entry.screen
        for entry in REGISTERED:  # each one's key opens it
            if entry.mode != "help":
                await pilot.press(entry.keys)
                await settle(pilot)
                assert app.current_mode == entry.mode
                assert isinstance(app.screen, entry.screen)


@pytest.mark.slow
async def test_help_opening_names_every_workspace_by_its_key(app_for: AppFor) -> None:
    app = app_for(start="cases", keymap={"app.search": "f6"})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        opening = str(app.screen.query_one("#help-intro", Static).render())
        assert "F2-F5" not in opening
        for entry in REGISTERED:
            key = "F6" if entry.mode == "search" else entry.keys.split(",")[0].upper()
            assert f"{key} {entry.title}" in opening, (entry.mode, opening)


async def test_a_coder_name_that_differs_only_in_case_is_pointed_out(demo_study: Study) -> None:
    from qualcode.tui.app import make_app

    bob = Study(demo_study.engine, "bob")
    _code_int01(bob, "1.2", 1)
    app = make_app(Study(demo_study.engine, "Bob"), keymap={})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert any(
            "You are 'Bob', new to this study, and 'bob' has worked on it" in m for m in said
        )
    quiet = make_app(bob, keymap={})
    async with quiet.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert not [n for n in quiet._notifications if "new to this study" in str(n.message)]


@pytest.mark.slow
async def test_a_theme_id_clash_keeps_what_was_typed(app_for: AppFor, demo_study: Study) -> None:
    from qualcode.tui.shared.dialogs import PromptDialog

    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a", "ctrl+u", *"1.2 A label typed with care", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)  # asked again, nothing lost
        assert dialog.query_one("#prompt-input").value == "1.2 A label typed with care"
        assert any("1.2 is already used" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+u", *"1.6 A label typed with care", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        # an add sent but not shown yet (keys faster than the tree reloads): the next
        # suggestion under 1 steps past it rather than clashing with it
        screen.adding.add("1.7")
        await pilot.press("up")  # from the new 1.6 back to its parent
        while screen.selected_id() != "1":
            await pilot.press("up")
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert dialog.query_one("#prompt-input").value == "1.8 "
        await pilot.press(*"Second", "enter")
        await settle(pilot)
        themes = framework.framework_tree(demo_study).themes
        assert themes["1.6"].label == "A label typed with care"
        assert themes["1.8"].label == "Second"
        assert themes["1.2"].label != "A label typed with care"


async def test_theme_notes_keep_a_colleagues_change_and_ctrl_q_asks_about_them(
    app_for: AppFor, demo_study: Study
) -> None:
    """Saving the notes wrote back every field as loaded: bob's new exclusion, made
    while ann's editor was open, was silently reverted. And ctrl+q quit past them."""
    from qualcode.services import theme_edits
    from qualcode.services.study import open_study

    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down")  # 1.1
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        assert screen.selected_id() == "1.1"
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ThemeNotesDialog)
        bob = open_study(demo_study.url, coder="bob")
        theme_edits.update_theme(bob, "1.1", exclusion="BOB: not locums.")
        await pilot.press("tab", "end", *" Ann adds this.", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "theme 1.1's notes (open in their editor)" in app.screen.message
        await pilot.press("n", "ctrl+s")
        await settle(pilot)
        saved = framework.framework_tree(demo_study).themes["1.1"]
        assert " Ann adds this." in (saved.definition or "")
        assert saved.exclusion == "BOB: not locums."  # kept
        # the same field changed by both: refused, naming bob
        await pilot.press("e")
        await settle(pilot)
        theme_edits.update_theme(bob, "1.1", definition="BOB rewrote it.")
        await pilot.press("tab", "end", *" Again.", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "theme 1.1's definition changed since you opened it (last change by bob" in (
            app.screen.message
        )
        bob.close()
        await pilot.press("escape")
        await settle(pilot)
        assert app.unsaved_work() == ["theme 1.1's notes"]  # kept, and ctrl+q asks
        await pilot.press("e")  # opens on what was typed (it was lost)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ThemeNotesDialog)
        assert " Again." in (dialog.typed.definition or "")
        assert dialog.stored.definition == "BOB rewrote it."
        assert dialog.dirty
        await pilot.press("escape", "y")
        await settle(pilot)
    assert framework.framework_tree(demo_study).themes["1.1"].definition == "BOB rewrote it."


async def test_the_palette_finds_the_report_export_by_its_name(app_for: AppFor) -> None:
    """ "report" found nothing: the export was named only "Export the matrix"."""
    app = app_for(start="matrix")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        names = [name for name, _, _ in WorkbenchCommands(app.screen)._commands()]
        assert any("report" in name and ".docx" in name for name in names)


async def test_help_opens_at_the_keys_of_the_workspace_it_was_asked_from(
    app_for: AppFor,
) -> None:
    """It opened wherever it was last scrolled, not at the current workspace's keys."""
    from textual.containers import VerticalScroll

    app = app_for(start="matrix")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        body = help_screen.query_one("#help-body", VerticalScroll)
        section = help_screen.query_one("#help-matrix")
        assert body.scroll_y == section.virtual_region.y > 0
        await pilot.press("escape", "f2", "f1")  # from Cases: at Cases' keys
        await settle(pilot)
        assert body.scroll_y == help_screen.query_one("#help-cases").virtual_region.y


@pytest.mark.slow
async def test_tab_into_keywords_adds_to_them_at_80_columns(
    app_for: AppFor, demo_study: Study
) -> None:
    """Tab selected a field whole, so ", charts" replaced every keyword; at 80x24 the
    Keywords field was below the screen, so it happened unseen."""
    from qualcode.services.framework import list_themes

    before = next(t for t in list_themes(demo_study) if t.id == "1.1").keywords
    assert before
    app = app_for(start="framework")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ThemeNotesDialog)
        await pilot.press("tab", "tab", "tab", "tab")
        field = dialog.query_one("#notes-keywords")
        assert dialog.focused is field
        assert field.region.bottom <= 24  # scrolled into view
        await pilot.press(*", charts", "ctrl+s")
        await settle(pilot)
    after = next(t for t in list_themes(demo_study) if t.id == "1.1").keywords
    assert list(after) == [*before, "charts"]
