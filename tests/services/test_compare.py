"""The Compare workspace's service: listing disagreements and settling them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualcode.errors import ConflictError, InputError, NotFoundError
from qualcode.services.agreement import agreement
from qualcode.services.audit_log import list_changes
from qualcode.services.codings import add_coding, list_codings
from qualcode.services.compare import disagreements, resolve
from qualcode.services.queries import list_segments
from qualcode.services.study import Study
from qualcode.services.undo_log import last_action, revert
from tests.team.conftest import db_args, ok, run


def turns(study: Study) -> list:  # type: ignore[type-arg]
    return list_segments(study, case="int01")


def code(study: Study, seg, theme: str, coder: str, start: int = 0, end: int = 0) -> None:  # type: ignore[no-untyped-def]
    add_coding(study, seg.source, seg.start + start, end or seg.end, theme, coder=coder)


@pytest.mark.slow_postgresql
def test_disagreements_list_each_segment_and_theme_where_coders_differ(team_study: Study) -> None:
    t = turns(team_study)
    code(team_study, t[0], "T2", "alice")
    code(team_study, t[0], "T2", "bob")  # agree
    code(team_study, t[1], "T3", "alice")  # only alice
    code(team_study, t[2], "T4", "bob")  # only bob
    code(team_study, t[2], "T1.1", "alice")  # only alice
    found = disagreements(team_study, "alice", "bob")
    assert [(d.segment, d.theme, d.a, d.b) for d in found] == [
        (t[1].id, "T3", True, False),
        (t[2].id, "T1.1", True, False),  # framework order within a segment
        (t[2].id, "T4", False, True),
    ]
    d = found[0]
    assert d.text == t[1].text
    assert d.case == "int01"
    assert d.line == t[1].line
    assert d.label == "Pay"
    assert [x.theme for x in disagreements(team_study, "alice", "bob", "T4")] == ["T4"]
    as_json = json.loads(
        ok(run("disagreements", "alice", "bob", "--json", *db_args(team_study))).stdout
    )
    assert [(r["segment"], r["theme"], r["coded_by"]) for r in as_json] == [
        (t[1].id, "T3", "alice"),
        (t[2].id, "T1.1", "alice"),
        (t[2].id, "T4", "bob"),
    ]


@pytest.mark.slow_postgresql
def test_keep_a_copies_to_b_and_removes_from_b(team_study: Study) -> None:
    t = turns(team_study)
    code(team_study, t[1], "T3", "alice", start=2, end=t[1].start + 10)  # part of turn 2
    code(team_study, t[2], "T4", "bob")
    team_study.coder = "reviewer"
    done = resolve(team_study, t[1].id, "T3", "a", coder_a="alice", coder_b="bob")
    assert [(c.coder, c.start, c.end, c.theme) for c in done.added] == [
        ("bob", t[1].start + 2, t[1].start + 10, "T3")
    ]
    done = resolve(team_study, t[2].id, "T4", "a", coder_a="alice", coder_b="bob")
    assert [c.coder for c in done.removed] == ["bob"]
    assert list_codings(team_study, coder="bob", theme="T4") == []
    assert disagreements(team_study, "alice", "bob") == []
    report = agreement(team_study, ["alice", "bob"])
    assert all(x.agreement == 1.0 for x in report.themes)
    log = list_changes(team_study, coder="reviewer")
    assert [(c.action, c.entity) for c in log] == [
        ("add", "coding"),
        ("resolve", "disagreement"),
        ("delete", "coding"),
        ("resolve", "disagreement"),
    ]


@pytest.mark.slow_postgresql
def test_keep_b_removes_only_the_part_inside_the_segment(team_study: Study) -> None:
    t = turns(team_study)
    # alice's one coding runs from turn 1 into turn 3; bob coded only turn 1 and 3
    add_coding(team_study, "int01", t[0].start, t[2].end, "T2", coder="alice")
    code(team_study, t[0], "T2", "bob")
    code(team_study, t[2], "T2", "bob")
    assert [(d.segment, d.a, d.b) for d in disagreements(team_study, "alice", "bob")] == [
        (t[1].id, True, False)
    ]
    done = resolve(team_study, t[1].id, "T2", "b", coder_a="alice", coder_b="bob")
    assert len(done.removed) == 1
    kept = [(c.start, c.end) for c in list_codings(team_study, coder="alice")]
    assert kept == [(t[0].start, t[1].start), (t[1].end, t[2].end)]
    assert disagreements(team_study, "alice", "bob") == []


@pytest.mark.slow_postgresql
def test_keep_both_changes_nothing_and_is_remembered(team_study: Study) -> None:
    t = turns(team_study)
    code(team_study, t[0], "T2", "alice")
    code(team_study, t[0], "T2", "bob")
    code(team_study, t[3], "T3", "bob")
    before = list_codings(team_study)
    done = resolve(team_study, t[3].id, "T3", "both", coder_a="alice", coder_b="bob")
    assert done.added == done.removed == ()
    assert list_codings(team_study) == before
    (d,) = disagreements(team_study, "alice", "bob")
    assert d.kept_both
    # the same pair named the other way round sees it too; a third coder does not
    (d2,) = disagreements(team_study, "bob", "alice")
    assert d2.kept_both
    code(team_study, t[0], "T2", "carol")
    assert not any(x.kept_both for x in disagreements(team_study, "alice", "carol"))
    ok(
        run(
            "resolve", t[3].id, "T3", "--between", "alice", "bob", "--keep", "a",
            "--override", *db_args(team_study),
        )
    )  # fmt: skip
    assert disagreements(team_study, "alice", "bob") == []


@pytest.mark.slow_postgresql
def test_resolve_refuses_bad_requests(team_study: Study) -> None:
    t = turns(team_study)
    with pytest.raises(InputError):
        resolve(team_study, t[0].id, "T2", "c", coder_a="alice", coder_b="bob")
    with pytest.raises(NotFoundError):
        resolve(team_study, "nope:1", "T2", "a", coder_a="alice", coder_b="bob")
    with pytest.raises(NotFoundError):
        resolve(team_study, t[0].id, "T9", "a", coder_a="alice", coder_b="bob")
    with pytest.raises(InputError):
        resolve(team_study, t[0].id, "T2", "a", coder_a="alice", coder_b="alice")
    code(team_study, t[0], "T2", "alice")
    code(team_study, t[1], "T2", "bob")
    before = list_codings(team_study)
    # a mistyped coder would get alice's coding copied to a coder nobody is
    with pytest.raises(InputError, match="no coder 'bobb' in this study; did you mean 'bob'"):
        resolve(team_study, t[0].id, "T2", "a", coder_a="alice", coder_b="bobb")
    assert list_codings(team_study) == before
    # where they agree there is nothing to settle; "keep both" would hide a later difference
    with pytest.raises(InputError, match="no disagreement to settle: alice and bob neither"):
        resolve(team_study, t[2].id, "T2", "both", coder_a="alice", coder_b="bob")
    assert list_codings(team_study) == before
    assert not [c for c in list_changes(team_study) if c.entity == "disagreement"]


def test_a_disagreement_a_colleague_settled_is_not_turned_round(team_study: Study) -> None:
    t = turns(team_study)
    code(team_study, t[0], "T2", "alice")  # only alice: a disagreement
    code(team_study, t[1], "T3", "bob")
    carol = Study(team_study.engine, "carol")
    resolve(carol, t[0].id, "T2", "b", coder_a="alice", coder_b="bob")  # alice's removed
    # bob's walk, loaded before carol settled it, still shows it: his "keep a" is refused
    with pytest.raises(ConflictError, match=r"carol settled this at .* \(kept bob's\); alice"):
        resolve(team_study, t[0].id, "T2", "a", coder_a="alice", coder_b="bob")
    assert [(c.coder, c.theme) for c in list_codings(team_study)] == [("bob", "T3")]


@pytest.mark.slow_postgresql
def test_disagreements_command_text(team_study: Study, tmp_path: Path) -> None:
    t = turns(team_study)
    code(team_study, t[0], "T2", "bob")
    code(team_study, t[1], "T3", "alice")
    result = ok(run("disagreements", "alice", "bob", *db_args(team_study)))
    assert t[1].id in result.stdout
    assert "only alice" in result.stdout
    assert "2 disagreements" in result.stderr


@pytest.mark.slow_postgresql
def test_settling_drops_the_part_of_a_coding_that_is_only_the_gap_before_a_turn(
    team_study: Study,
) -> None:
    """Codings from other tools often start on the line break before a turn: once the
    turn is settled against them, that white space alone is not kept as a coding (it
    counted the case as raising the theme, and quoted nothing)."""
    t = [g for g in turns(team_study) if g.role == "respondent"]
    gap = t[1].start - 2  # the blank line before the turn
    add_coding(team_study, "int01", gap, t[1].end, "T2", coder="bob")
    code(team_study, t[1], "T3", "alice")
    done = resolve(team_study, t[1].id, "T2", "a", coder_a="alice", coder_b="bob")
    assert [c.coder for c in done.removed] == ["bob"]
    assert done.added == ()
    assert list_codings(team_study, theme="T2") == []


def test_an_undo_of_a_settlement_is_refused_once_a_colleague_settled_it_again(
    team_study: Study,
) -> None:
    """bob kept both, alice then kept bob's side (her coding went): bob's undo of his
    "keep both" would hand the item back as unsettled over alice's decision."""
    t = turns(team_study)
    code(team_study, t[0], "T2", "alice")  # only alice: a disagreement
    code(team_study, t[1], "T3", "bob")
    bob = Study(team_study.engine, "bob")
    resolve(bob, t[0].id, "T2", "both", coder_a="alice", coder_b="bob")
    his = last_action(bob, "bob") or ""
    alice = Study(team_study.engine, "alice")
    resolve(alice, t[0].id, "T2", "b", coder_a="alice", coder_b="bob", over_kept=True)
    with pytest.raises(ConflictError, match=r"alice settled this since \(kept bob's, "):
        revert(bob, his)
    revert(alice, last_action(alice, "alice") or "")  # alice's own undo: her coding is back
    assert [(c.coder, c.theme) for c in list_codings(team_study)] == [
        ("alice", "T2"),
        ("bob", "T3"),
    ]


@pytest.mark.slow_postgresql
def test_taking_a_side_where_a_colleague_kept_both_needs_an_override(team_study: Study) -> None:
    """A stale screen's or a script's a/b went through over bob's "keep both" unseen."""
    t = turns(team_study)
    code(team_study, t[0], "T2", "alice")  # only alice: a disagreement
    code(team_study, t[1], "T3", "bob")
    bob = Study(team_study.engine, "bob")
    resolve(bob, t[0].id, "T2", "both", coder_a="alice", coder_b="bob")
    alice = Study(team_study.engine, "alice")
    with pytest.raises(ConflictError, match=r"bob kept both at .*--override"):
        resolve(alice, t[0].id, "T2", "a", coder_a="alice", coder_b="bob")
    args = [t[0].id, "T2", "--between", "alice", "bob", "--keep", "b", *db_args(team_study)]
    refused = run("--coder", "alice", "resolve", *args)
    assert refused.exit_code == 2, refused.output
    assert "bob kept both" in refused.stderr
    assert ("alice", "T2") in [(c.coder, c.theme) for c in list_codings(team_study)]
    ok(run("--coder", "alice", "resolve", *args, "--override"))
    assert [(c.coder, c.theme) for c in list_codings(team_study)] == [("bob", "T3")]
    # bob may change his own mind without one
    code(team_study, t[2], "T2", "alice")
    resolve(bob, t[2].id, "T2", "both", coder_a="alice", coder_b="bob")
    resolve(bob, t[2].id, "T2", "a", coder_a="alice", coder_b="bob")


def test_the_log_names_a_settled_segment_whole(team_study: Study, tmp_path: Path) -> None:
    """`log` cut "resolve disagreement ..." at 40 characters: a long segment id (a
    transcript's file name) lost its number, and so which turn was settled."""
    from qualcode.services import importing
    from tests.team.conftest import TRANSCRIPT

    long = tmp_path / "P1_GMT20211118_second_interview.txt"
    long.write_text(TRANSCRIPT.replace("Answer", "Reply"), encoding="utf-8")
    importing.import_transcripts(team_study, [long])
    t = list_segments(team_study, case="P1_GMT20211118_second_interview")
    code(team_study, t[3], "T2", "alice")
    code(team_study, t[1], "T3", "bob")
    resolve(team_study, t[3].id, "T2", "a", coder_a="alice", coder_b="bob")
    shown = ok(run("log", *db_args(team_study))).stdout
    assert f"resolve disagreement {t[3].id} T2" in shown
