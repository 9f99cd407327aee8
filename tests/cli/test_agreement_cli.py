"""`qualcode agreement` on a real study, checked against scikit-learn computed here on
vectors built from what each coder was made to code."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from qualcode.domain.model import Segment
from qualcode.services.agreement import agreement
from qualcode.services.codings import add_coding
from qualcode.services.queries import list_segments
from qualcode.services.study import Study
from tests.analysis.independent import alpha_by_pairs, sklearn_kappa
from tests.team.conftest import db_args, ok, run, write_codings

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
THEMES = ["T1", "T1.1", "T1.2", "T2", "T3", "T4"]
Assignment = dict[str, set[str]]  # segment -> themes


def survey_segments(study: Study) -> list[Segment]:
    return [g for g in list_segments(study) if g.case != "int01"]


def interview_segments(study: Study) -> list[Segment]:
    return list_segments(study, case="int01")


def import_assignments(study: Study, tmp_path: Path, **coders: Assignment) -> None:
    rows = [
        (seg, theme, coder)
        for coder, assignment in coders.items()
        for seg, themes in assignment.items()
        for theme in sorted(themes)
    ]
    ok(run("codings", "import", str(write_codings(tmp_path / "c.csv", rows)), *db_args(study)))


def random_pair(segments: list[Segment], seed: int) -> tuple[Assignment, Assignment]:
    rng = random.Random(seed)
    alice: Assignment = {}
    bob: Assignment = {}
    for g in segments:
        picked = set(rng.sample(["T1.1", "T2", "T3", "T4"], rng.randint(0, 2)))
        if picked:
            alice[g.id] = picked
        theirs = {t for t in picked if rng.random() < 0.75}
        if rng.random() < 0.3:
            theirs.add(rng.choice(["T1.1", "T1.2", "T2", "T3"]))
        if theirs:
            bob[g.id] = theirs
    return alice, bob


def expected_rows(units: list[str], a: Assignment, b: Assignment) -> list[dict[str, object]]:
    used = {t for u in units for t in a.get(u, set()) | b.get(u, set())}
    out = []
    for theme in (t for t in THEMES if t in used):
        va = [theme in a.get(u, ()) for u in units]
        vb = [theme in b.get(u, ()) for u in units]
        out.append(
            {
                "theme": theme,
                "kappa": sklearn_kappa(va, vb),
                "agreement": float(np.mean(np.array(va) == np.array(vb))),
                "segments": len(units),
            }
        )
    return out


def assert_rows_match(got: list[dict[str, object]], want: list[dict[str, object]]) -> None:
    assert [r["theme"] for r in got] == [r["theme"] for r in want]
    for g, w in zip(got, want, strict=True):
        assert set(g) == {"theme", "kappa", "agreement", "segments"}
        assert g["segments"] == w["segments"]
        assert g["agreement"] == pytest.approx(w["agreement"], abs=1e-12)
        if w["kappa"] is None:
            assert g["kappa"] is None, g
        else:
            assert g["kappa"] == pytest.approx(w["kappa"], abs=1e-12), g


@pytest.mark.slow_postgresql
@pytest.mark.parametrize("over", ["sources", "both", "either"])
def test_kappa_per_theme_matches_scikit_learn(team_study: Study, tmp_path: Path, over: str) -> None:
    segs = survey_segments(team_study)
    alice, bob = random_pair(segs, seed=3)
    import_assignments(team_study, tmp_path, alice=alice, bob=bob)
    # Survey answers are one segment per source, so "sources" and "both" coincide here.
    if over == "either":
        units = [g.id for g in segs if g.id in alice or g.id in bob]
    else:
        units = [g.id for g in segs if g.id in alice and g.id in bob]
    got = json.loads(
        ok(run("agreement", "alice", "bob", "--over", over, "--json", *db_args(team_study))).stdout
    )
    assert_rows_match(got, expected_rows(units, alice, bob))
    assert any(r["kappa"] not in (None, 0, 1) for r in got)  # a real, non-trivial figure


def test_compared_segments_of_an_interview(team_study: Study, tmp_path: Path) -> None:
    """In a transcript both coded, 'sources' compares every respondent turn; 'both' only
    turns both coded; 'either' turns either coded."""
    turns = interview_segments(team_study)
    assert len(turns) == 8
    ids = [g.id for g in turns]
    alice = {ids[0]: {"T2"}, ids[1]: {"T2", "T3"}, ids[2]: {"T3"}, ids[4]: {"T4"}}
    bob = {ids[1]: {"T2"}, ids[2]: {"T3"}, ids[3]: {"T2"}}
    import_assignments(team_study, tmp_path, alice=alice, bob=bob)
    cases = {
        "sources": ids,  # all 8, including the 3 turns neither coded
        "both": [ids[1], ids[2]],
        "either": [ids[0], ids[1], ids[2], ids[3], ids[4]],
    }
    for over, units in cases.items():
        report = agreement(team_study, ["alice", "bob"], over=over)
        assert report.segments == len(units), over
        got = [
            {"theme": t.theme, "kappa": t.kappa, "agreement": t.agreement, "segments": t.segments}
            for t in report.themes
        ]
        assert_rows_match(got, expected_rows(units, alice, bob))


def test_spans_count_for_every_segment_they_touch(team_study: Study, tmp_path: Path) -> None:
    turns = interview_segments(team_study)
    first, third = turns[0], turns[2]
    rows = [
        # alice: one span from inside turn 1 to inside turn 3 (crossing turn 2)
        ("int01", str(first.start + 5), str(third.start + 3), "T2", "alice"),
        ("int01", str(turns[1].start), str(turns[1].end), "T2", "bob"),
        ("int01", str(third.start + 1), str(third.start + 2), "T2", "bob"),
        ("int01", str(turns[5].start), str(turns[5].end), "T3", "bob"),
    ]
    path = tmp_path / "spans.csv"
    path.write_text(
        "source,start,end,theme,coder\n" + "".join(",".join(r) + "\n" for r in rows), "utf-8"
    )
    ok(run("codings", "import", str(path), *db_args(team_study)))
    report = agreement(team_study, ["alice", "bob"])
    by_theme = {t.theme: t for t in report.themes}
    # alice coded T2 on turns 1-3, bob on turns 2-3 and T3 on turn 6
    a = [i in (0, 1, 2) for i in range(8)]
    b = [i in (1, 2) for i in range(8)]
    assert by_theme["T2"].coded == (3, 2)
    assert by_theme["T2"].kappa == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    assert by_theme["T3"].coded == (0, 1)


def test_character_level_kappa(team_study: Study, tmp_path: Path) -> None:
    turns = interview_segments(team_study)
    rng = random.Random(11)
    rows, arrays = [], {}
    for coder in ("alice", "bob"):
        arr = np.zeros(sum(g.end - g.start for g in turns), dtype=bool)
        offset = 0
        for g in turns:
            for _ in range(rng.randint(0, 2)):
                start = rng.randrange(g.start, g.end - 1)
                end = rng.randint(start + 1, g.end)
                rows.append(("int01", str(start), str(end), "T2", coder))
                arr[offset + start - g.start : offset + end - g.start] = True
            offset += g.end - g.start
        arrays[coder] = arr
    path = tmp_path / "chars.csv"
    path.write_text(
        "source,start,end,theme,coder\n" + "".join(",".join(r) + "\n" for r in rows), "utf-8"
    )
    ok(run("codings", "import", str(path), *db_args(team_study)))
    got = json.loads(
        ok(run("agreement", "alice", "bob", "--chars", "--json", *db_args(team_study))).stdout
    )
    (row,) = got
    a, b = arrays["alice"], arrays["bob"]
    assert row["theme"] == "T2"
    assert row["characters"] == len(a)
    assert row["segments"] == 8
    assert row["kappa"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    assert row["agreement"] == pytest.approx(float(np.mean(a == b)), abs=1e-12)


@pytest.mark.slow_postgresql
def test_kappa_is_null_without_variation(team_study: Study, tmp_path: Path) -> None:
    segs = [g.id for g in survey_segments(team_study)[:3]]
    same = {s: {"T3"} for s in segs}
    import_assignments(team_study, tmp_path, alice=same, bob=dict(same))
    got = json.loads(ok(run("agreement", "alice", "bob", "--json", *db_args(team_study))).stdout)
    assert got == [{"theme": "T3", "kappa": None, "agreement": 1.0, "segments": 3}]


@pytest.mark.slow_postgresql
def test_rollup_counts_sub_themes_for_their_parent(team_study: Study, tmp_path: Path) -> None:
    segs = [g.id for g in survey_segments(team_study)[:4]]
    alice = {segs[0]: {"T1.1"}, segs[1]: {"T2"}, segs[2]: {"T1.2"}, segs[3]: {"T2"}}
    bob = {segs[0]: {"T1.2"}, segs[1]: {"T2"}, segs[2]: {"T1.2"}, segs[3]: {"T3"}}
    import_assignments(team_study, tmp_path, alice=alice, bob=bob)
    plain = {t.theme: t for t in agreement(team_study, ["alice", "bob"]).themes}
    assert "T1" not in plain
    assert plain["T1.1"].agreement == 0.75
    rolled = {t.theme: t for t in agreement(team_study, ["alice", "bob"], rollup=True).themes}
    assert rolled["T1"].agreement == 1.0
    assert rolled["T1"].coded == (2, 2)


@pytest.mark.slow_postgresql
def test_three_coders_alpha_against_the_definition(team_study: Study, tmp_path: Path) -> None:
    segs = survey_segments(team_study)
    alice, bob = random_pair(segs, seed=5)
    rng = random.Random(9)
    # carol double-codes only some answers: elsewhere her value is missing
    carol = {
        g.id: {t for t in alice.get(g.id, {"T3"}) if rng.random() < 0.8} or {"T4"}
        for g in segs[::2]
    }
    import_assignments(team_study, tmp_path, alice=alice, bob=bob, carol=carol)
    got = json.loads(
        ok(run("agreement", "alice", "bob", "carol", "--json", *db_args(team_study))).stdout
    )
    coders = {"alice": alice, "bob": bob, "carol": carol}
    units = [g.id for g in segs if sum(g.id in c for c in coders.values()) >= 2]
    assert got, "no themes"
    for row in got:
        assert set(row) == {"theme", "alpha", "agreement", "segments"}
        assert row["segments"] == len(units)
        data = [
            [(row["theme"] in c[u]) if u in c else None for u in units] for c in coders.values()
        ]
        want = alpha_by_pairs(data)  # type: ignore[arg-type]
        assert row["alpha"] == pytest.approx(want, abs=1e-12)


def test_alpha_for_two_coders_on_request(team_study: Study, tmp_path: Path) -> None:
    segs = survey_segments(team_study)
    alice, bob = random_pair(segs, seed=8)
    import_assignments(team_study, tmp_path, alice=alice, bob=bob)
    got = json.loads(
        ok(run("agreement", "alice", "bob", "--alpha", "--json", *db_args(team_study))).stdout
    )
    units = [g.id for g in segs if g.id in alice and g.id in bob]
    for row in got:
        assert set(row) == {"theme", "kappa", "alpha", "agreement", "segments"}
        data = [[row["theme"] in x[u] for u in units] for x in (alice, bob)]
        assert row["alpha"] == pytest.approx(alpha_by_pairs(data), abs=1e-12)  # type: ignore[arg-type]


@pytest.mark.slow_postgresql
def test_text_output_and_bad_requests(team_study: Study, tmp_path: Path) -> None:
    segs = survey_segments(team_study)
    alice, bob = random_pair(segs, seed=1)
    import_assignments(team_study, tmp_path, alice=alice, bob=bob)
    result = ok(run("agreement", "alice", "bob", *db_args(team_study)))
    assert "kappa" in result.stdout
    assert "Supervision" not in result.stdout or "T1" in result.stdout
    assert "segments compared" in result.stdout  # kept with the table when it is saved
    # a coder with no coding is a mistyped name, not a coder who agrees with everyone
    for args in (["agreement", "alice", "bobb", "--json"], ["disagreements", "alice", "Bob"]):
        unknown = run(*args, *db_args(team_study))
        assert unknown.exit_code == 2, unknown.output
        assert unknown.stdout == ""
        assert unknown.stderr.startswith(f"error: no coder {args[2]!r} in this study")
        assert "did you mean 'bob'?" in unknown.stderr
        assert "(coders: alice, bob, " in unknown.stderr
    for args, needle in (
        (["alice"], "two different coders"),
        (["alice", "alice"], "two different coders"),
        (["alice", "bob", "--theme", "T9"], "no theme 'T9'"),
        (["alice", "bob", "carol", "--chars"], "exactly two coders"),
    ):
        bad = run("agreement", *args, *db_args(team_study))
        assert bad.exit_code == 2, bad.output
        assert bad.stderr.startswith("error: ")
        assert needle in bad.stderr


def test_pooled_kappa_over_every_segment_and_theme(team_study: Study, tmp_path: Path) -> None:
    segs = survey_segments(team_study)
    alice, bob = random_pair(segs, seed=5)
    import_assignments(team_study, tmp_path, alice=alice, bob=bob)
    report = agreement(team_study, ["alice", "bob"])
    units = [g.id for g in segs if g.id in alice and g.id in bob]
    themes = [t.theme for t in report.themes]
    va = [t in alice.get(u, ()) for t in themes for u in units]
    vb = [t in bob.get(u, ()) for t in themes for u in units]
    assert report.pooled is not None
    assert report.pooled.kappa == pytest.approx(sklearn_kappa(va, vb), abs=1e-12)
    assert report.pooled.segments == len(themes) * len(units)
    assert report.pooled.coded == (sum(va), sum(vb))
    text = ok(run("agreement", "alice", "bob", *db_args(team_study))).stdout
    assert f"all themes, pooled {report.pooled.kappa:.3f}" in " ".join(text.split())


def test_notes_name_codings_no_segment_compares_and_a_parent_without_rollup(
    team_study: Study, tmp_path: Path
) -> None:
    """A theme coded on the interviewer's turns (serdif's "moderator assist") read as
    perfect agreement, and so did a parent theme asked for without --rollup."""
    turns = interview_segments(team_study)
    import_assignments(
        team_study, tmp_path, alice={turns[0].id: {"T1.1"}}, bob={turns[0].id: {"T1.1"}}
    )
    every = list_segments(team_study, case="int01", include_interviewer=True)
    asked = next(g for g in every if g.role == "interviewer")
    add_coding(team_study, asked.source, asked.start, asked.end, "T4", coder="alice")
    report = agreement(team_study, ["alice", "bob"], themes=["T1", "T4"])
    assert report.notes == (
        "1 coding on interviewers' or others' turns not compared "
        "(agreement compares respondents' segments): T4 1",
        "T1 has sub-themes: only codings of T1 itself are compared; --rollup counts its "
        "sub-themes' codings as codings of it",
    )
    assert agreement(team_study, ["alice", "bob"], themes=["T1"], rollup=True).notes == ()
    shown = ok(run("agreement", "alice", "bob", "--theme", "T4", *db_args(team_study)))
    assert "note: 1 coding on interviewers' or others' turns not compared" in shown.stderr
