"""Undo and redo built on the audit trail: every kind of change the workbench makes is
reverted from its log entries, redone by reverting the undo, and never overwrites what
someone else changed since. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from qualcode.errors import ConflictError, NotFoundError
from qualcode.services import anonymise, compare, framework, memos, quotes, summaries
from qualcode.services import suggest_decisions as decisions
from qualcode.services.codings import add_coding, change_theme, list_codings, remove_coding
from qualcode.services.queries import list_segments
from qualcode.services.study import Study, open_study
from qualcode.services.undo_log import last_action, revert
from qualcode.store import models as m
from tests.team.conftest import db_args, ok, run

State = dict[str, Any]


def state(study: Study) -> State:
    """What a researcher can see of the study (ids included: undo keeps them)."""
    with study.read() as s:
        return {
            "codings": sorted(
                (r.id, r.source_id, r.start, r.end, r.theme_id, r.coder, r.origin, r.quote)
                for r in s.scalars(select(m.CodingRow))
            ),
            "themes": sorted(
                # the framework too: an undone delete put a theme in "default", for all
                (
                    r.id,
                    r.label,
                    r.parent_id or "",
                    r.definition or "",
                    tuple(r.keywords or ()),
                    r.framework or "",
                )
                for r in s.scalars(select(m.ThemeRow))
            ),
            "summaries": sorted(
                (r.case_id, r.theme_id, r.text, r.status, r.coder)  # whose words
                for r in s.scalars(select(m.SummaryRow))
            ),
            "suggestions": sorted(
                (r.id, r.theme_id, r.status, r.decided_by or "")
                for r in s.scalars(select(m.SuggestionRow))
            ),
            "names": sorted(
                (r.id, r.placeholder, r.status) for r in s.scalars(select(m.AnonymisationRow))
            ),
            "memos": sorted(
                (r.id, r.kind, r.target or "", r.text) for r in s.scalars(select(m.MemoRow))
            ),
            "syntheses": sorted(
                (r.theme_id, r.attribute, r.value, r.text)
                for r in s.scalars(select(m.SynthesisRow))
            ),
            "settled": sorted(compare.settled(study, ["alice", "bob"])),
        }


def seed(study: Study) -> None:
    """Codings by two coders, a summary, a pending suggestion and name proposals."""
    segs = list_segments(study, case="int01")
    for seg, theme in zip(segs[:4], ("T1.1", "T1.2", "T2", "T1.2"), strict=True):
        add_coding(study, seg.source, seg.start, seg.end, theme, coder="alice")
    add_coding(study, segs[1].source, segs[1].start, segs[1].end, "T1.1", coder="alice")
    add_coding(study, segs[4].source, segs[4].start, segs[4].end, "T3", coder="bob")
    summaries.set_summary(study, "int01", "T1.2", "Supervision is rare.", expected_version=0)
    summaries.set_synthesis(study, "T1.2", "sector", "CSD", "Rare in CSD.", expected_version=0)
    with study.write() as s:
        for seg, theme in ((segs[5], "T1.2"), (segs[6], "T4")):
            s.add(m.SuggestionRow(segment_id=seg.id, theme_id=theme, score=0.5, because=[],
                                  method="test", params={}))  # fmt: skip
        for original, place in (("Jane Doe", "[Person 1]"), ("Leeds", "[Place 1]")):
            s.add(m.AnonymisationRow(original=original, placeholder=place, kind="person"))


def first_coding(study: Study, theme: str) -> int:
    return next(c.id for c in list_codings(study) if c.theme == theme)


def suggestion(study: Study, theme: str) -> int:
    with study.read() as s:
        return int(s.scalar(select(m.SuggestionRow.id).where(m.SuggestionRow.theme_id == theme)))


def proposal(study: Study) -> int:
    return anonymise.list_proposals(study)[0].id


Act = Callable[[Study], object]

ACTIONS: dict[str, Act] = {
    "code": lambda st: add_coding(st, *span(st, 7), "T4"),
    "remove coding": lambda st: remove_coding(st, first_coding(st, "T2")),
    "change theme": lambda st: change_theme(st, first_coding(st, "T2"), "T4"),
    "mark quote": lambda st: quotes.mark_quotes(st, [first_coding(st, "T2")], True),
    "add theme": lambda st: framework.add_theme(st, "T5", "Retention", "T2"),
    "edit theme": lambda st: framework.update_theme(st, "T2", label="Caseload", keywords=["cases"]),
    "move theme": lambda st: framework.move_theme(st, "T1.1", "T2"),
    "merge themes": lambda st: framework.merge_themes(st, "T1.2", "T1.1"),
    "merge a parent": lambda st: framework.merge_themes(st, "T1", "T2"),
    "delete theme": lambda st: framework.delete_theme(st, "T1"),
    "edit summary": lambda st: summaries.set_summary(st, "int01", "T1.2", "Monthly.", "final", 1),
    "new summary": lambda st: summaries.set_summary(st, "int01", "T3", "Pay is low.", None, 0),
    "accept suggestion": lambda st: decisions.accept(st, suggestion(st, "T1.2")),
    "accept as other": lambda st: decisions.accept(st, suggestion(st, "T4"), "T3"),
    "reject suggestion": lambda st: decisions.reject(st, suggestion(st, "T4")),
    "accept all": lambda st: decisions.accept_all(st, [suggestion(st, t) for t in ("T1.2", "T4")]),
    "remove and code again": lambda st: code_again(st, "T2"),
    "accept a name": lambda st: anonymise.decide(st, proposal(st), status="accepted"),
    "rename a name": lambda st: anonymise.decide(st, proposal(st), placeholder="[Manager A]"),
    "accept all names": anonymise.accept_all,
    "take bob's": lambda st: compare.resolve(
        st, seg_id(st, 4), "T3", "b", coder_a="alice", coder_b="bob"
    ),
    "keep both": lambda st: compare.resolve(
        st, seg_id(st, 4), "T3", "both", coder_a="alice", coder_b="bob"
    ),
    "add memo": lambda st: memos.set_memo(st, "case", "int01", "Talks about pay a lot."),
    "import codings": lambda st: import_sheet(st),
    "new synthesis": lambda st: summaries.set_synthesis(
        st, "T3", "sector", "DASS", "Pay.", None, 0
    ),
    "edit synthesis": lambda st: summaries.set_synthesis(
        st, "T1.2", "sector", "CSD", "Monthly in CSD.", expected_version=1
    ),
}


def import_sheet(study: Study) -> None:
    """A codings CSV of two new codings and one the study has already."""
    import tempfile
    from pathlib import Path

    from qualcode.services.codings import import_codings

    rows = [f"{seg_id(study, 7)},T4", f"{seg_id(study, 6)},T3", f"{seg_id(study, 0)},T1.1"]
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "codings.csv"
        sheet.write_text("segment,theme,coder\n" + "".join(f"{r},alice\n" for r in rows))
        report = import_codings(study, sheet)
    assert (report.codings_added, report.codings_unchanged) == (2, 1)


def code_again(study: Study, theme: str) -> None:
    """The same span, theme and coder coded anew: the undo puts the first coding back
    only once the second is gone (one coding a span, theme and coder)."""
    gone = remove_coding(study, first_coding(study, theme))
    add_coding(study, gone.source, gone.start, gone.end, theme, coder=gone.coder)


def span(study: Study, n: int) -> tuple[str, int, int]:
    seg = list_segments(study, case="int01")[n]
    return seg.source, seg.start, seg.end


def seg_id(study: Study, n: int) -> str:
    return list_segments(study, case="int01")[n].id


@pytest.mark.slow_postgresql
@pytest.mark.parametrize("name", list(ACTIONS))
def test_undo_reverts_the_action_and_redo_does_it_again(team_study: Study, name: str) -> None:
    seed(team_study)
    before = state(team_study)
    with team_study.action() as action:
        ACTIONS[name](team_study)
    after = state(team_study)
    assert after != before, "the action changed nothing: the test would prove nothing"
    assert action.changes > 0

    undone = revert(team_study, action.batch)
    assert state(team_study) == before
    if name == "import codings":  # what it says it undid: the codings, not the summary
        assert [kind for kind, _ in undone.what] == ["coding"]
    redone = revert(team_study, undone.batch)
    assert state(team_study) == after
    revert(team_study, redone.batch)
    assert state(team_study) == before


@pytest.mark.slow_postgresql
def test_undo_is_logged_as_a_batch_that_names_what_it_reverted(team_study: Study) -> None:
    seed(team_study)
    with team_study.action() as action:
        framework.delete_theme(team_study, "T1")
    undone = revert(team_study, action.batch)
    with team_study.read() as s:
        rows = list(s.scalars(select(m.ChangeRow).where(m.ChangeRow.batch == undone.batch)))
    assert rows
    assert {r.undoes for r in rows} == {action.batch}
    assert {r.coder for r in rows} == {"lead"}
    assert len(rows) == undone.changes
    # three themes, four codings and a summary came back
    kinds = sorted((r.action, r.entity) for r in rows)
    assert kinds.count(("add", "theme")) == 3
    assert kinds.count(("add", "coding")) == 4
    assert kinds.count(("add", "summary")) == 1


@pytest.mark.slow_postgresql
def test_undo_never_overwrites_a_colleagues_later_change(team_study: Study) -> None:
    seed(team_study)
    url = team_study.engine.url.render_as_string(hide_password=False)
    bob = open_study(url, coder="bob")
    try:
        with team_study.action() as edit:
            summaries.set_summary(team_study, "int01", "T1.2", "Rare.", expected_version=1)
        summaries.set_summary(bob, "int01", "T1.2", "Rare, says bob.", expected_version=2)
        with team_study.action() as coded:
            coding = add_coding(team_study, *span(team_study, 7), "T4")
        change_theme(bob, coding.id, "T3")
        seen = state(team_study)
        with team_study.read() as s:
            logged = len(list(s.scalars(select(m.ChangeRow))))
        with pytest.raises(ConflictError, match="changed by bob"):
            revert(team_study, edit.batch)
        with pytest.raises(ConflictError, match="changed since"):
            revert(team_study, coded.batch)
        assert state(team_study) == seen  # nothing half-undone
        with team_study.read() as s:
            assert len(list(s.scalars(select(m.ChangeRow)))) == logged
    finally:
        bob.close()


@pytest.mark.slow_postgresql
def test_an_undo_twice_is_refused_not_repeated(team_study: Study) -> None:
    seed(team_study)
    with team_study.action() as action:
        remove_coding(team_study, first_coding(team_study, "T2"))
    revert(team_study, action.batch)
    with pytest.raises(ConflictError, match=f"already undone \\(by {team_study.coder}, "):
        revert(team_study, action.batch)


def test_a_coding_brought_back_by_undo_keeps_when_it_was_made(team_study: Study) -> None:
    """walk47c: a removed coding brought back by undo was dated at the undo."""
    from qualcode.services.codings import list_codings

    seed(team_study)
    made = {c.id: c.created for c in list_codings(team_study)}
    gone = first_coding(team_study, "T2")
    with team_study.action() as action:
        remove_coding(team_study, gone)
    revert(team_study, action.batch)
    back = {c.id: c.created for c in list_codings(team_study)}
    assert back[gone] == made[gone]


@pytest.mark.slow_postgresql
def test_an_undo_of_a_coding_a_colleague_removed_names_them(team_study: Study) -> None:
    seed(team_study)
    with team_study.action() as coded:
        coding = add_coding(team_study, *span(team_study, 7), "T4")
    remove_coding(Study(team_study.engine, "bob"), coding.id)
    with pytest.raises(ConflictError, match=f"since then bob removed it \\(coding {coding.id}, "):
        revert(team_study, coded.batch)
    # a screen still showing it: changing it says who removed it, not "no coding 8"
    with pytest.raises(NotFoundError, match="no longer in the study: bob removed it at "):
        change_theme(team_study, coding.id, "T3")
    with pytest.raises(NotFoundError, match="no coding 99999$"):
        remove_coding(team_study, 99999)


def test_writes_in_one_action_share_a_batch_and_others_get_their_own(team_study: Study) -> None:
    with team_study.action() as action:
        add_coding(team_study, *span(team_study, 0), "T2")
        add_coding(team_study, *span(team_study, 1), "T2")
    add_coding(team_study, *span(team_study, 2), "T2")
    with team_study.read() as s:
        rows = list(s.scalars(select(m.ChangeRow).where(m.ChangeRow.entity == "coding")))
    assert [r.batch for r in rows[:2]] == [action.batch, action.batch]
    assert rows[2].batch not in (None, action.batch)
    assert action.changes == 2


@pytest.mark.slow_postgresql
def test_everyone_who_writes_is_listed_as_a_coder(team_study: Study) -> None:
    add_coding(team_study, *span(team_study, 0), "T2", coder="carol")  # coded as carol by lead
    url = team_study.engine.url.render_as_string(hide_password=False)
    bob = open_study(url, coder="bob")
    try:
        memos.set_memo(bob, "study", None, "Bob's first memo")
    finally:
        bob.close()
    with team_study.read() as s:
        names = set(s.scalars(select(m.CoderRow.name)))
    assert {"lead", "bob"} <= names


@pytest.mark.slow_postgresql
def test_undo_command_takes_back_the_coders_newest_action(
    team_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualcode.cli.stage_line import StageLine

    seed(team_study)
    before = state(team_study)
    db = db_args(team_study)
    framework.delete_theme(team_study, "T2")
    deleted = state(team_study)
    out = json.loads(ok(run("undo", "--json", "--coder", "lead", *db)).output)
    assert state(team_study) == before
    assert out["changes"] == 2  # the coding of T2 and the theme
    # where someone watches, a line says it is at work until it is done
    monkeypatch.setattr(StageLine, "watching", property(lambda self: True))
    redone = ok(run("undo", out["batch"], "--coder", "mo", *db)).stderr
    assert redone.startswith("\rundo: taking the action back")
    assert redone.split("\r")[-1].startswith("Redid 2 changes")  # an undo taken back
    assert "(lead's, not yours)" in redone  # mo took back what lead did
    assert "1 coding, 1 theme" in redone or "1 theme, 1 coding" in redone  # what they were
    assert state(team_study) == deleted
    listing = ok(run("log", "--limit", "4", *db)).output
    assert "  by undo: add theme T2" in listing  # walk48d: "undo: add" read as an add undone
    assert "  by redo: delete theme T2" in listing


@pytest.mark.slow_postgresql
def test_undo_command_with_nothing_to_undo_says_so(team_study: Study) -> None:
    result = run("undo", "--coder", "nobody", *db_args(team_study))
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: nobody has nothing left to undo"


@pytest.mark.slow_postgresql
def test_last_action_skips_undos_and_undone_actions(team_study: Study) -> None:
    with team_study.action() as first:
        add_coding(team_study, *span(team_study, 0), "T2")
    with team_study.action() as second:
        add_coding(team_study, *span(team_study, 1), "T2")
    assert last_action(team_study, "lead") == second.batch
    undo = revert(team_study, second.batch)
    assert last_action(team_study, "lead") == first.batch
    # after the redo, a plain undo takes the redone action back again, as ctrl+z does
    # (it went past the redo and undid the first, older action)
    redo = revert(team_study, undo.batch)
    assert last_action(team_study, "lead") == redo.batch
    revert(team_study, redo.batch)
    assert {c.start for c in list_codings(team_study)} == {span(team_study, 0)[1]}
    assert last_action(team_study, "lead") == first.batch


def test_an_import_of_codings_recorded_without_its_codings_is_refused_whole(
    team_study: Study,
) -> None:
    """An import made before each coding had its own entry: undo says why it cannot,
    rather than "nothing to undo", and changes nothing."""
    seed(team_study)
    with team_study.action() as action:
        import_sheet(team_study)
    with team_study.write() as s:  # as an older qualcode wrote it: the summary alone
        rows = s.scalars(select(m.ChangeRow).where(m.ChangeRow.batch == action.batch)).all()
        for row in rows:
            if row.entity == "coding":
                s.delete(row)
            else:
                row.after = {k: v for k, v in dict(row.after or {}).items() if k != "each"}
    before = state(team_study)
    with pytest.raises(ConflictError, match="made by an older qualcode"):
        revert(team_study, action.batch)
    assert state(team_study) == before


@pytest.mark.slow_postgresql
def test_a_plain_undo_goes_past_a_suggest_run(team_study: Study) -> None:
    """walk49b: `suggest` logs its run, which has nothing to take back; a plain `undo`
    after it said "nothing to undo: these changes were already undone" while the
    codings import before it was still in effect."""
    from qualcode.services.suggest import suggest

    with team_study.action() as coded:
        add_coding(team_study, *span(team_study, 0), "T2")
    suggest(team_study, top=1, use_embeddings=False)
    assert last_action(team_study, team_study.coder) == coded.batch
    result = run("undo", "--coder", team_study.coder, *db_args(team_study))
    assert result.exit_code == 0, result.stderr
    assert list_codings(team_study) == []
