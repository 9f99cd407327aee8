"""An import of transcripts or a survey file is one action that `qualcode undo` takes
back (its sources, the cases it made, the values it set or changed), redo brings back,
and that is refused once someone has coded its passages. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.errors import ConflictError
from qualcode.services import importing
from qualcode.services.codings import add_coding
from qualcode.services.queries import list_segments
from qualcode.services.study import Study
from qualcode.services.undo_log import last_action, revert
from qualcode.store import models as m
from tests.team.conftest import TRANSCRIPT, db_args, ok, run, write_survey


def state(study: Study) -> dict[str, list[tuple[object, ...]]]:
    """Sources, segments, cases, values and import records, as the database holds them."""
    with study.read() as s:
        return {
            "sources": sorted(
                (r.id, r.case_id, r.name, r.checksum, r.import_id)
                for r in s.scalars(select(m.SourceRow))
            ),
            "segments": sorted(
                (r.id, r.source_id, r.start, r.end) for r in s.scalars(select(m.SegmentRow))
            ),
            "cases": sorted(r.id for r in s.scalars(select(m.CaseRow))),
            "values": sorted(
                (r.case_id, r.name, r.value) for r in s.scalars(select(m.CaseAttributeRow))
            ),
            "imports": sorted(
                (r.id, r.kind, r.name, r.checksum) for r in s.scalars(select(m.ImportRow))
            ),
        }


def test_undo_takes_a_survey_import_back_and_redo_brings_it_back(
    team_study: Study, tmp_path: Path
) -> None:
    before = state(team_study)
    wave2 = write_survey(tmp_path / "wave2.csv", 12, prefix="W")
    importing.import_survey(team_study, wave2, "id", ["q_help", "q_cease"])
    imported = state(team_study)
    assert len(imported["sources"]) == len(before["sources"]) + 21
    undone = revert(team_study, last_action(team_study, "lead") or "")
    assert dict(undone.what) == {"source": 21, "case": 12}
    assert state(team_study) == before  # answers, cases, values and the import record gone
    revert(team_study, undone.batch)  # redo
    assert state(team_study) == imported
    again = importing.import_survey(team_study, wave2, "id", ["q_help", "q_cease"])
    assert again.sources_added == 0  # not every answer twice
    assert again.sources_unchanged == 1


def test_undo_of_a_survey_import_puts_back_the_values_it_changed(
    team_study: Study, tmp_path: Path
) -> None:
    """A second file of the same respondents (a corrected export) changed their
    sectors: the undo gives the old sectors back and leaves the cases, which were there."""
    before = state(team_study)
    again = tmp_path / "corrected.csv"
    text = (tmp_path / "survey.csv").read_text(encoding="utf-8").replace(",CSD,", ",Children,")
    again.write_text(text.replace("would like", "wants"), encoding="utf-8")
    importing.import_survey(team_study, again, "id", ["q_help"])
    assert ("R00003", "sector", "Children") in state(team_study)["values"]
    revert(team_study, last_action(team_study, "lead") or "")
    assert state(team_study) == before


def test_undo_takes_a_transcript_import_back_with_the_case_it_made(
    team_study: Study, tmp_path: Path
) -> None:
    before = state(team_study)
    second = tmp_path / "int02.txt"
    second.write_text(TRANSCRIPT.replace("Answer", "Reply"), encoding="utf-8")
    importing.import_transcripts(team_study, [second], attributes={"sector": "PVI"})
    third = tmp_path / "int03.txt"
    third.write_text(TRANSCRIPT.replace("Answer", "Word"), encoding="utf-8")
    # into the case int02, whose sector it changes and whose region it sets
    importing.import_transcripts(
        team_study, [third], case="int02", attributes={"sector": "CSD", "region": "North"}
    )
    with_third = state(team_study)
    assert ("int02", "region", "North") in with_third["values"]
    undone = revert(team_study, last_action(team_study, "lead") or "")
    assert dict(undone.what) == {"source": 1}  # the case was there before
    after = state(team_study)
    assert ("int02", "sector", "PVI") in after["values"]
    assert not any(v[:2] == ("int02", "region") for v in after["values"])
    second_undo = revert(team_study, last_action(team_study, "lead") or "")
    assert dict(second_undo.what) == {"source": 1, "case": 1}
    assert state(team_study) == before
    revert(team_study, second_undo.batch)  # redo, in the order they were undone
    revert(team_study, undone.batch)
    assert state(team_study) == with_third


def test_undo_of_an_import_is_refused_once_its_passages_are_coded(
    team_study: Study, tmp_path: Path
) -> None:
    wave2 = write_survey(tmp_path / "wave2.csv", 4, prefix="W")
    importing.import_survey(team_study, wave2, "id", ["q_help"])
    batch = last_action(team_study, "lead") or ""
    answer = list_segments(team_study, case="W00001")[0]
    add_coding(team_study, answer.source, answer.start, answer.end, "T1.1", coder="bob")
    imported = state(team_study)
    with pytest.raises(ConflictError, match=r"wave2.csv has 1 coding since its import \(1 by bob"):
        revert(team_study, batch)
    assert state(team_study) == imported  # nothing half-undone


@pytest.mark.slow_postgresql
def test_the_cli_undoes_an_import_and_says_what_went(team_study: Study, tmp_path: Path) -> None:
    before = state(team_study)
    args = db_args(team_study)
    wave2 = write_survey(tmp_path / "wave2.csv", 5, prefix="W")
    columns = ["--text-column", "q_help", "--text-column", "q_cease"]
    ok(run("import", "survey", str(wave2), "--id-column", "id", *columns, *args))
    undone = ok(run("undo", *args))
    assert "(9 sources, 5 cases)" in undone.stderr
    assert state(team_study) == before


def test_a_re_import_says_the_case_and_attributes_it_did_not_apply(
    team_study: Study, tmp_path: Path
) -> None:
    """A script re-run to add an attribute thought it had: the file was imported
    already, so nothing changed, and nothing said so."""
    again = tmp_path / "int01.txt"  # the team study's interview, unchanged
    report = importing.import_transcripts(
        team_study, [again], case="other", attributes={"sector": "CSD"}
    )
    assert report.sources_unchanged == 1
    assert any(
        "int01.txt: already imported (case int01), so --case other, --attr sector=CSD "
        "not applied" in w
        for w in report.warnings
    )
    quiet = importing.import_transcripts(team_study, [again])
    assert not any("not applied" in w for w in quiet.warnings)


def test_taking_back_a_redo_is_said_as_an_undo(team_study: Study, tmp_path: Path) -> None:
    """After ctrl+z and ctrl+y in the app, `qualcode undo` said "Redid 1 change" while
    it took the coding away again."""
    wave2 = write_survey(tmp_path / "wave2.csv", 3, prefix="W")
    importing.import_survey(team_study, wave2, "id", ["q_help"])
    undone = revert(team_study, last_action(team_study, "lead") or "")
    redone = revert(team_study, undone.batch)
    again = revert(team_study, redone.batch)
    assert (undone.redo, redone.redo, again.redo) == (False, True, False)


def test_undoing_a_redone_import_keeps_codings_made_since(
    team_study: Study, tmp_path: Path
) -> None:
    """Import, undo, redo, then bob codes an answer: a plain undo (of the redo) removed
    his coding and said "0 codings"."""
    wave2 = write_survey(tmp_path / "wave2.csv", 3, prefix="W")
    importing.import_survey(team_study, wave2, "id", ["q_help"])
    undone = revert(team_study, last_action(team_study, "lead") or "")
    redone = revert(team_study, undone.batch)
    answer = list_segments(team_study, case="W00001")[0]
    add_coding(team_study, answer.source, answer.start, answer.end, "T1.1", coder="bob")
    kept = state(team_study)
    with pytest.raises(ConflictError, match=r"codings made since it came back \(1 by bob\)"):
        revert(team_study, redone.batch)
    assert state(team_study) == kept
