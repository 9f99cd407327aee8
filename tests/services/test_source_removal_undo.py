"""`sources remove` is one action that `qualcode undo` takes back: the text, segments,
codings (every coder's, with their dimension values and quote marks) and suggestions
come back as they were, redo removes them again, and an undo never puts a source over
one imported since. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.dimensions import Dimension
from qualcode.errors import ConflictError
from qualcode.services import dimensions, framework, quotes, sources
from qualcode.services.codings import add_coding, list_codings
from qualcode.services.queries import list_segments
from qualcode.services.study import Study
from qualcode.services.undo_log import last_action, revert
from qualcode.store import models as m
from tests.team.conftest import db_args, ok, run


def everything(study: Study) -> dict[str, list[tuple[object, ...]]]:
    """What the removal takes, as the database holds it (ids and all)."""
    with study.read() as s:
        return {
            "sources": sorted(
                (r.id, r.case_id, r.name, r.text, r.checksum, r.import_id)
                for r in s.scalars(select(m.SourceRow))
            ),
            "segments": sorted(
                (r.id, r.source_id, r.start, r.end, r.speaker or "", r.role)
                for r in s.scalars(select(m.SegmentRow))
            ),
            "codings": sorted(
                (r.id, r.source_id, r.start, r.end, r.theme_id, r.coder, r.origin, r.quote)
                for r in s.scalars(select(m.CodingRow))
            ),
            "values": sorted(
                (r.coding_id, r.dimension, r.value) for r in s.scalars(select(m.CodingDimensionRow))
            ),
            "suggestions": sorted(
                (r.id, r.segment_id, r.theme_id, r.status)
                for r in s.scalars(select(m.SuggestionRow))
            ),
        }


def seed(study: Study) -> None:
    """Two coders' codings on the interview, one with a dimension value, one a quote,
    a pending suggestion, and a coding on a survey answer that stays."""
    segs = list_segments(study, case="int01")
    dimensions.declare(study, "T2", [Dimension("cover", ("adequate", "stretched"))])
    add_coding(study, segs[0].source, segs[0].start, segs[0].end, "T2", coder="alice")
    bobs = add_coding(study, segs[1].source, segs[1].start, segs[1].end, "T3", coder="bob")
    quotes.mark_quote(study, bobs.id)
    coding = next(c for c in list_codings(study) if c.theme == "T2")
    dimensions.set_coding_value(study, coding.id, "cover", "stretched")
    answer = list_segments(study, case="R00001")[0]
    add_coding(study, answer.source, answer.start, answer.end, "T1.1", coder="alice")
    with study.write() as s:
        s.add(m.SuggestionRow(segment_id=segs[2].id, theme_id="T4", score=0.5, because=[],
                              method="test", params={}))  # fmt: skip


@pytest.mark.slow_postgresql
def test_undo_brings_a_removed_source_back_whole_and_redo_removes_it(team_study: Study) -> None:
    seed(team_study)
    before = everything(team_study)
    team_study.coder = "dan"
    plan = sources.plan_removal(team_study, ["int01"])
    sources.remove_sources(team_study, plan)
    removed = everything(team_study)
    assert not any(r[0] == "int01" for r in removed["sources"])
    assert len(removed["codings"]) == 1  # the survey answer's coding stays
    batch = last_action(team_study, "dan")
    assert batch is not None
    undone = revert(team_study, batch)
    assert everything(team_study) == before
    redone = revert(team_study, undone.batch)
    assert everything(team_study) == removed
    revert(team_study, redone.batch)
    assert everything(team_study) == before


@pytest.mark.slow_postgresql
def test_a_coding_whose_id_was_taken_since_comes_back_under_a_new_one(team_study: Study) -> None:
    seed(team_study)
    sources.remove_sources(team_study, sources.plan_removal(team_study, ["int01"]))
    batch = last_action(team_study, team_study.coder)
    assert batch is not None
    # new codings made meanwhile may reuse the removed ones' ids (SQLite does)
    for seg in list_segments(team_study, case="R00002")[:2]:
        add_coding(team_study, seg.source, seg.start, seg.end, "T1.2", coder="carol")
    revert(team_study, batch)
    codings = {(c.source, c.theme, c.coder): c for c in list_codings(team_study)}
    assert ("int01", "T2", "alice") in codings
    assert ("int01", "T3", "bob") in codings
    assert codings[("int01", "T3", "bob")].quote
    assert sum(c.coder == "carol" for c in list_codings(team_study)) == 2
    moved = codings[("int01", "T2", "alice")].id
    values = dimensions.list_values(team_study, codings=True)
    assert [(v.coding, v.value) for v in values if v.coding is not None] == [(moved, "stretched")]


@pytest.mark.slow_postgresql
def test_undo_refuses_to_put_a_source_over_one_imported_since(team_study: Study) -> None:
    seed(team_study)
    with team_study.read() as s:
        text = s.get(m.SourceRow, "int01").text  # type: ignore[union-attr]
    sources.remove_sources(team_study, sources.plan_removal(team_study, ["int01"]))
    batch = last_action(team_study, team_study.coder)
    assert batch is not None
    with team_study.write() as s:  # a changed transcript imported under the same id
        s.add(m.SourceRow(id="int01", case_id="int01", name="int01.txt", kind="transcript",
                          text=text + "more", checksum="other", chars=len(text) + 4))  # fmt: skip
    with pytest.raises(ConflictError, match="a different source 'int01' was imported since"):
        revert(team_study, batch)


@pytest.mark.slow_postgresql
def test_undo_refuses_while_a_theme_its_codings_used_is_deleted(team_study: Study) -> None:
    seed(team_study)
    sources.remove_sources(team_study, sources.plan_removal(team_study, ["int01"]))
    batch = last_action(team_study, team_study.coder)
    assert batch is not None
    framework.delete_theme(team_study, "T3")
    with pytest.raises(ConflictError, match="theme 'T3', which int01's codings use"):
        revert(team_study, batch)
    assert not any(c.source == "int01" for c in list_codings(team_study))  # nothing half-done


@pytest.mark.slow_postgresql
def test_the_cli_says_undo_brings_them_back_and_it_does(team_study: Study, tmp_path: Path) -> None:
    seed(team_study)
    before = everything(team_study)
    args = db_args(team_study)
    removed = ok(run("sources", "remove", "--file", "survey.csv", "--yes", *args))
    assert "`qualcode undo` brings them back" in removed.stderr
    assert not any(r[0].startswith("R") for r in everything(team_study)["sources"])
    log = json.loads(ok(run("log", "--json", *args)).stdout)
    entry = next(e for e in log if (e["entity"], e["action"]) == ("source", "delete"))
    assert isinstance(entry["before"]["rows"]["sources"], int)  # counted, not dumped
    undone = ok(run("undo", *args))
    assert "(105 sources, 1 coding)" in undone.stderr  # the codings that came back, counted
    after = everything(team_study)
    assert after["codings"] == before["codings"]
    assert after["segments"] == before["segments"]
    # the import record that --file forgot comes back with them: importing the same
    # file again is a no-op, not every answer a second time
    assert after["sources"] == before["sources"]
    survey = str(tmp_path / "survey.csv")  # the file the team study was built from
    columns = ["--text-column", "q_help", "--text-column", "q_cease"]
    again = ok(run("import", "survey", survey, "--id-column", "id", *columns, *args))
    assert "1 already imported" in again.stderr
    assert everything(team_study)["sources"] == before["sources"]
