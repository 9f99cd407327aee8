"""Undoing a theme's deletion or merge puts back exactly what went: the theme in its
own framework (it came back in "default", for every source, so a matrix counted survey
respondents in its n of N), and a summary as its writer's words, not the undoer's."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from qualcode.services import framework, frameworks, importing, summaries, theme_removal
from qualcode.services.study import Study
from qualcode.services.undo_log import revert
from qualcode.store import models as m


def placed(study: Study) -> dict[str, str | None]:
    with study.read() as s:
        return {r.id: r.framework for r in s.scalars(select(m.ThemeRow))}


def authors(study: Study) -> list[tuple[str, str, str, str]]:
    with study.read() as s:
        rows = s.scalars(select(m.SummaryRow))
        return sorted((r.case_id, r.theme_id, r.text, r.coder) for r in rows)


def interview_study(study: Study, sample: Path) -> None:
    importing.import_transcripts(study, [sample / "transcripts" / "int01.txt"])
    framework.import_framework(study, sample / "frameworks" / "interviews.yaml")


def test_an_undone_delete_puts_the_themes_back_in_their_framework(
    study: Study, sample: Path
) -> None:
    interview_study(study, sample)
    before = placed(study)
    assert before["1"] == "interviews"
    named = [f.name for f in frameworks.list_frameworks(study)]
    with study.action() as action:
        theme_removal.delete_theme(study, "1")
    revert(study, action.batch)
    assert placed(study) == before
    assert [f.name for f in frameworks.list_frameworks(study)] == named  # no "default"


def test_an_undone_merge_puts_the_theme_back_in_its_framework(study: Study, sample: Path) -> None:
    interview_study(study, sample)
    before = placed(study)
    with study.action() as action:
        framework.merge_themes(study, "1.3", "1.1")
    revert(study, action.batch)
    assert placed(study) == before


def test_a_summary_that_comes_back_is_its_writers(study: Study, sample: Path) -> None:
    interview_study(study, sample)
    bob = Study(study.engine, "bob")
    summaries.set_summary(bob, "int01", "1.5", "Seniors hold the complex cases.", "written", 0)
    before = authors(study)
    with study.action() as action:  # alice deletes the theme
        theme_removal.delete_theme(study, "1.5")
    assert theme_removal.written_on(study, "1") == []  # gone with it
    revert(study, action.batch)
    assert authors(study) == before
    assert theme_removal.written_on(study, "1") == ["1 written summary"]
