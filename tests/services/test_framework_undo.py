"""Deleting a framework is one undoable action: undo brings back the framework in its
place, what it applies to, and its themes in it, with their codings and summaries as
they were (a delete moves the themes to the default framework; it deletes nothing
else). Redo deletes it again; an undo that would put back a theme coded since where the
framework does not apply, or moved since to another framework, is refused. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qualcode.errors import ConflictError
from qualcode.services import codings, framework, frameworks, summaries
from qualcode.services.study import Study
from qualcode.services.undo_log import last_action, revert
from tests.services.test_coding_scope import mixed


def state(study: Study) -> dict[str, Any]:
    owned = frameworks.study_frameworks(study)
    return {
        "frameworks": list(owned.frameworks.values()),  # in order, with their positions
        "themes": dict(owned.of_theme),
        "tree": framework.list_themes(study),
        "codings": codings.list_codings(study),
        "summary": summaries.get_summary(study, "R1", "S1.1"),
    }


def undo(study: Study) -> str:
    batch = last_action(study, study.coder)
    assert batch is not None
    return revert(study, batch).batch


@pytest.fixture
def mixed_with_work(study: Study, tmp_path: Path, sample: Path) -> Study:
    """Three frameworks (interviews, survey, a later "extra" for transcripts), codings
    of the survey's themes and a summary of one."""
    seg = mixed(study, tmp_path, sample)
    extra = tmp_path / "extra.yaml"
    extra.write_text('themes:\n  - id: "X1"\n    label: Extra\n')
    framework.import_framework(study, extra, "extra", "transcript")
    codings.code_segment(study, seg["R1/q_help"].id, "S1.1")
    codings.code_segment(study, seg["R1/q_help"].id, "S2")
    summaries.set_summary(study, "R1", "S1.1", "Wants more supervision.", expected_version=0)
    return study


def test_undoing_a_framework_delete_restores_it_with_its_themes(mixed_with_work: Study) -> None:
    study = mixed_with_work
    before = state(study)
    assert [f.name for f in before["frameworks"]] == ["interviews", "survey", "extra"]
    survey_themes = frameworks.study_frameworks(study).themes_of("survey")
    assert frameworks.delete_framework(study, "survey") == len(survey_themes)
    deleted = state(study)
    assert [f.name for f in deleted["frameworks"]] == ["default", "interviews", "extra"]
    assert {deleted["themes"][t] for t in survey_themes} == {"default"}
    assert deleted["codings"] == before["codings"]
    assert deleted["summary"] == before["summary"]
    assert before["summary"].text == "Wants more supervision."

    redo_batch = undo(study)
    assert state(study) == before  # back in its place, between interviews and extra
    survey = frameworks.get_framework(study, "survey")
    assert survey.applies_to.spec == "survey:q_help"

    redone = revert(study, redo_batch).batch  # redo: deleted again
    assert state(study) == deleted
    revert(study, redone)
    assert state(study) == before


def test_undo_is_refused_when_a_theme_was_coded_since_where_the_framework_does_not_apply(
    mixed_with_work: Study,
) -> None:
    study = mixed_with_work
    frameworks.delete_framework(study, "survey")
    batch = last_action(study, study.coder)
    assert batch is not None
    source = next(c.source for c in codings.list_codings(study))
    interview = "int01"
    assert source != interview
    codings.add_coding(study, interview, 0, 5, "S1.1")  # allowed: default codes everything
    after = state(study)
    with pytest.raises(ConflictError, match="theme 'S1.1' is in framework 'survey'.*undo refused"):
        revert(study, batch)
    assert state(study) == after  # nothing of the undo was kept


def test_undo_is_refused_when_a_theme_was_moved_to_another_framework_since(
    mixed_with_work: Study,
) -> None:
    study = mixed_with_work
    frameworks.delete_framework(study, "survey")
    batch = last_action(study, study.coder)
    assert batch is not None
    frameworks.edit_framework(study, "extra", applies_to="all")
    frameworks.assign_themes(study, "extra", ["S3"])
    after = state(study)
    with pytest.raises(ConflictError, match="theme 'S3' was moved to framework 'extra' since"):
        revert(study, batch)
    assert state(study) == after
