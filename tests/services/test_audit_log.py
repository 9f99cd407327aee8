"""The audit trail: every change is recorded with who, when, before and after, and
`qualcode log` / `qualcode coders` read it back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from qualcode.errors import InputError
from qualcode.services import importing, sources
from qualcode.services.audit_log import list_changes, parse_when
from qualcode.services.codings import add_coding, change_theme, list_codings, remove_coding
from qualcode.services.queries import list_segments
from qualcode.services.study import Study
from tests.team.conftest import db_args, ok, run, write_codings


def test_building_a_study_is_logged(team_study: Study) -> None:
    log = list_changes(team_study)
    assert all(c.coder == "lead" for c in log)
    kinds = [(c.action, c.entity) for c in log]
    assert kinds[0] == ("create", "study")
    assert ("import", "survey") in kinds
    assert kinds.count(("add", "theme")) == 6
    source = next(c for c in log if c.entity == "source")
    assert source.entity_id == "int01"
    assert source.after["case"] == "int01"
    assert source.after["segments"] == 16
    survey = next(c for c in log if c.entity == "survey")
    assert survey.after["answers"] == 105
    assert survey.after["cases_added"] == 60
    times = [c.at for c in log]
    assert times == sorted(times)
    assert all(t.tzinfo is not None for t in times)


@pytest.mark.slow_postgresql
def test_codings_are_logged_with_before_and_after(team_study: Study, tmp_path: Path) -> None:
    team_study.coder = "alice"
    seg = list_segments(team_study, case="int01")[0]
    coding = add_coding(team_study, seg.source, seg.start, seg.end, "T2")
    change_theme(team_study, coding.id, "T3")
    remove_coding(team_study, coding.id)
    rows = [(g.id, "T4", "bob") for g in list_segments(team_study)[:20]]
    ok(run("codings", "import", str(write_codings(tmp_path / "c.csv", rows)),
           "--coder", "alice", *db_args(team_study)))  # fmt: skip
    log = list_changes(team_study, coder="alice")
    assert [(c.action, c.entity) for c in log] == [
        ("add", "coding"),
        ("update", "coding"),
        ("delete", "coding"),
        *[("add", "coding")] * 20,  # each imported coding's own entry: what undo reads
        ("import", "codings"),
    ]
    added, updated, deleted, *each, imported = log
    assert {c.after["coder"] for c in each} == {"bob"}
    assert sorted(int(c.entity_id) for c in each) == sorted(imported.after["codings"])
    assert added.after["theme"] == "T2"
    assert added.before is None
    assert (updated.before["theme"], updated.after["theme"]) == ("T2", "T3")
    assert deleted.before["theme"] == "T3"
    assert deleted.after is None
    # every coding now in the study is accounted for by the import's record
    assert sorted(imported.after["codings"]) == sorted(c.id for c in list_codings(team_study))
    assert imported.after["added"] == 20


@pytest.mark.slow_postgresql
def test_attribute_changes_keep_the_old_values(team_study: Study, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("id,sector,region\nR00001,DASS,London\nR00002,DASS,London\n", "utf-8")
    team_study.coder = "carol"
    importing.import_cases(team_study, path, "id")
    changes = list_changes(team_study, coder="carol")
    (change,) = [c for c in changes if c.entity == "cases"]
    assert (change.action, change.entity, change.entity_id) == ("import", "cases", "cases.csv")
    # and one entry a case whose values changed, which `undo` reads
    each = {c.entity_id: c for c in changes if c.entity == "case"}
    assert each["R00002"].action == "import"
    assert each["R00002"].before["values"] == {"sector": "PVI", "region": None}
    assert each["R00002"].after["values"] == {"sector": "DASS", "region": "London"}
    assert set(each) == {"R00001", "R00002"}
    # R00001 was already DASS (unchanged, so not listed); R00002 was PVI
    assert change.before["values"] == {
        "R00001": {"region": None},
        "R00002": {"sector": "PVI", "region": None},
    }
    assert change.after["values"] == {
        "R00001": {"region": "London"},
        "R00002": {"sector": "DASS", "region": "London"},
    }


@pytest.mark.slow_postgresql
def test_removing_a_source_is_logged(team_study: Study) -> None:
    seg = list_segments(team_study, case="int01")[0]
    add_coding(team_study, seg.source, seg.start, seg.end, "T2", coder="alice")
    team_study.coder = "dan"
    sources.remove_sources(team_study, sources.plan_removal(team_study, ["int01"]))
    (change,) = list_changes(team_study, coder="dan")
    assert (change.action, change.entity, change.entity_id) == ("delete", "source", "int01")
    assert change.before["codings"] == 1


@pytest.mark.slow_postgresql
def test_log_command_filters(team_study: Study) -> None:
    seg = list_segments(team_study, case="int01")[0]
    team_study.coder = "bob"
    add_coding(team_study, seg.source, seg.start, seg.end, "T2")
    args = db_args(team_study)
    everything = json.loads(ok(run("log", "--json", *args)).stdout)
    assert set(everything[0]) == {
        "id", "at", "coder", "action", "entity", "entity_id", "before", "after", "batch",
        "undoes",
    }  # fmt: skip
    assert len(everything) == len(list_changes(team_study))
    bobs = json.loads(ok(run("log", "--coder", "bob", "--json", *args)).stdout)
    assert [(c["coder"], c["action"], c["entity"]) for c in bobs] == [("bob", "add", "coding")]
    # --coder before the command is who is working, not a filter
    assert len(json.loads(ok(run("--coder", "bob", "log", "--json", *args)).stdout)) == len(
        everything
    )
    assert json.loads(ok(run("log", "--since", "1h", "--json", *args)).stdout) == everything
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert json.loads(ok(run("log", "--since", future, "--json", *args)).stdout) == []
    assert json.loads(ok(run("log", "--until", "2000-01-01", "--json", *args)).stdout) == []
    newest = json.loads(ok(run("log", "--limit", "2", "--json", *args)).stdout)
    assert newest == everything[-2:]
    themes = json.loads(ok(run("log", "--entity", "theme", "--json", *args)).stdout)
    assert {c["entity"] for c in themes} == {"theme"}
    text = ok(run("log", "--coder", "bob", *args)).stdout
    assert "bob" in text
    assert "add coding" in text
    bad = run("log", "--since", "last tuesday", *args)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: cannot read the time")


def test_parse_when() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert parse_when("2h", now) == now - timedelta(hours=2)
    assert parse_when("90m", now) == now - timedelta(minutes=90)
    assert parse_when("3d", now) == now - timedelta(days=3)
    assert parse_when("1w", now) == now - timedelta(weeks=1)
    assert parse_when("2024-04-01T10:00:00+00:00", now) == datetime(2024, 4, 1, 10, tzinfo=UTC)
    local_midnight = datetime(2024, 4, 1).astimezone()
    assert parse_when("2024-04-01", now) == local_midnight
    day = now.astimezone().date()
    assert parse_when("today", now) == datetime.combine(day, time()).astimezone()
    yesterday = datetime.combine(day - timedelta(days=1), time()).astimezone()
    assert parse_when("yesterday", now) == yesterday
    with pytest.raises(InputError):
        parse_when("soon", now)


@pytest.mark.slow_postgresql
def test_coders_command(team_study: Study) -> None:
    segs = list_segments(team_study)
    for g in segs[:3]:
        add_coding(team_study, g.source, g.start, g.end, "T2", coder="alice")
    add_coding(team_study, segs[0].source, segs[0].start, segs[0].end, "T3", coder="bob")
    got = json.loads(ok(run("coders", "--json", *db_args(team_study))).stdout)
    by_name = {r["coder"]: r for r in got}
    assert set(by_name) == {"alice", "bob", "lead"}
    assert (by_name["alice"]["codings"], by_name["bob"]["codings"]) == (3, 1)
    assert by_name["lead"]["changes"] == len(list_changes(team_study, coder="lead")) == 9
    assert by_name["alice"]["changes"] == 3
    assert by_name["lead"]["codings"] == 0
    assert all(r["last"] is not None for r in got)
    assert "alice" in ok(run("coders", *db_args(team_study))).stdout
