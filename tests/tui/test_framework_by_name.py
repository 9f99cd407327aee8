"""Frameworks by name in the Framework workspace (F4): import a file into a named
framework, export one, rename it and change what it applies to, undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from qualcode.services import framework, frameworks
from qualcode.services.study import Study
from qualcode.tui.app import QualcodeApp
from qualcode.tui.shared.dialogs import ConfirmDialog

from .conftest import settle

AppFor = Callable[..., QualcodeApp]

EXTRA = """\
title: Extra
themes:
  - id: "X1"
    label: Parking at the office
    keywords: [car park, permit]
  - id: "X2"
    label: Lunch breaks
"""


async def test_import_export_and_edit_a_framework_by_name(
    app_for: AppFor, demo_study: Study, tmp_path: Path
) -> None:
    source = tmp_path / "extra.yaml"
    source.write_text(EXTRA, encoding="utf-8")
    out = tmp_path / "out.yaml"
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # import: file, name (the file's stem by default), applies to
        await pilot.press("I", *str(source), "enter")
        await pilot.press("ctrl+u", *"facilities", "enter")
        await pilot.press(*"survey", "enter")
        await settle(pilot)
        chosen = frameworks.get_framework(demo_study, "facilities")
        assert chosen.applies_to.spec == "survey"
        owned = frameworks.study_frameworks(demo_study)
        assert owned.of_theme["X1"] == owned.of_theme["X2"] == "facilities"

        # export it by name
        await pilot.press("X", "ctrl+u", *"facilities", "enter", "ctrl+u", *str(out), "enter")
        await settle(pilot)
        written = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert written["name"] == "facilities"
        assert [t["id"] for t in written["themes"]] == ["X1", "X2"]
        # again to the same file: asked first (it wrote over any file without a word)
        out.write_text("my notes", encoding="utf-8")
        await pilot.press("X", "ctrl+u", *"facilities", "enter", "ctrl+u", *str(out), "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert out.read_text(encoding="utf-8") == "my notes"

        # rename and apply to interviews instead
        await pilot.press("F", "ctrl+u", *"facilities", "enter")
        await pilot.press("ctrl+u", *"office", "enter", "ctrl+u", *"transcript", "enter")
        await settle(pilot)
        names = [f.name for f in frameworks.list_frameworks(demo_study)]
        assert "office" in names
        assert "facilities" not in names
        assert frameworks.get_framework(demo_study, "office").applies_to.spec == "transcript"

        # undo the edit, then the import
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert frameworks.get_framework(demo_study, "facilities").applies_to.spec == "survey"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "X1" not in framework.framework_tree(demo_study).themes


async def test_a_missing_file_is_refused_and_nothing_changes(
    app_for: AppFor, demo_study: Study, tmp_path: Path
) -> None:
    before = [f.name for f in frameworks.list_frameworks(demo_study)]
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("I", *str(tmp_path / "nope.yaml"), "enter")
        await settle(pilot)
        assert not isinstance(app.screen, type(None))
        assert [f.name for f in frameworks.list_frameworks(demo_study)] == before
        assert any("no such file" in str(n.message) for n in app._notifications)


async def test_delete_a_framework_and_undo_it(app_for: AppFor, demo_study: Study) -> None:
    """D deletes the selected theme's framework (its themes and codings stay, in the
    default framework); ctrl+z brings it back whole, ctrl+y deletes it again."""
    from qualcode.services import codings

    def state() -> tuple[object, ...]:
        owned = frameworks.study_frameworks(demo_study)
        return (list(owned.frameworks.values()), dict(owned.of_theme),
                len(codings.list_codings(demo_study)))  # fmt: skip

    before = state()
    survey = frameworks.study_frameworks(demo_study).themes_of("survey")
    assert survey
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("D", "ctrl+u", *"survey", "enter")
        await settle(pilot)
        owned = frameworks.study_frameworks(demo_study)
        assert "survey" not in owned.frameworks
        assert {owned.of_theme[t] for t in survey} == {"default"}
        assert state()[2] == before[2]  # no coding lost
        assert any("Framework 'survey' deleted" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert state() == before
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "survey" not in frameworks.study_frameworks(demo_study).frameworks
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert state() == before


async def test_narrowing_a_framework_past_its_codings_says_so(
    app_for: AppFor, demo_study: Study
) -> None:
    """F on a framework whose themes are coded: changing it to code something else says
    how many codings now lie outside it (the counts leave them out)."""
    from qualcode.services import codings, queries

    interview = next(g for g in queries.list_segments(demo_study) if g.source == "int01")
    codings.code_segment(demo_study, interview.id, "1.1")
    app = app_for(start="framework")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("F", "ctrl+u", *"interviews", "enter")
        await pilot.press("enter", "ctrl+u", *"survey", "enter")
        await settle(pilot)
        assert frameworks.get_framework(demo_study, "interviews").applies_to.spec == "survey"
        said = [str(n.message) for n in app._notifications]
        assert any("1 coding of framework 'interviews' now outside" in m for m in said), said
