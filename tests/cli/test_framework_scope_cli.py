"""From the command line: accepting a suggestion with a theme of a framework that does
not code the passage is refused with one `error:` line and exit 2; `framework delete`
is one action that `qualcode undo` takes back whole."""

from __future__ import annotations

import json
from pathlib import Path

from qualcode.services.study import open_study
from qualcode.store import models as m
from qualcode.store.engine import sqlite_url
from tests.cli.test_codings_import_frameworks import codings_of, mixed_study, ok, refused, run


def _pending(study_path: str, segment: str, theme: str) -> int:
    study = open_study(sqlite_url(study_path), coder="alice")
    try:
        with study.write() as s:
            row = m.SuggestionRow(segment_id=segment, theme_id=theme, score=0.9, because=[],
                                  method="test", params={})  # fmt: skip
            s.add(row)
            s.flush()
            return int(row.id)
    finally:
        study.close()


def test_suggest_accept_with_another_frameworks_theme_is_refused(
    tmp_path: Path, sample: Path
) -> None:
    s, seg = mixed_study(tmp_path, sample)
    interview = seg["int01"]
    sid = _pending(s, interview, "1.3")
    refused(
        run("--study", s, "suggest", "accept", str(sid), "--theme", "S1.1"),
        "theme 'S1.1' is in framework 'survey', which codes survey answers to q_help",
        "not source 'int01' (an interview transcript)",
    )
    assert codings_of(s, tmp_path) == []
    ok(run("--study", s, "suggest", "accept", interview, "1.3"))
    assert [(c["source"], c["theme"]) for c in codings_of(s, tmp_path)] == [("int01", "1.3")]


def test_framework_delete_is_undone_whole(tmp_path: Path, sample: Path) -> None:
    s, seg = mixed_study(tmp_path, sample)
    (tmp_path / "c.csv").write_text(f"segment,theme\n{seg['R1/q_help']},S1.1\n")
    ok(run("--study", s, "codings", "import", str(tmp_path / "c.csv")))

    def listed() -> list[tuple[str, str]]:
        out = json.loads(ok(run("--study", s, "framework", "list", "--json")).stdout)
        return [(f["name"], f["applies_to"]) for f in out]

    before = listed()
    assert before == [("interviews", "transcript"), ("survey", "survey:q_help")]
    gone = ok(run("--study", s, "framework", "delete", "survey"))
    assert "now in the default framework" in gone.stderr
    assert ("survey", "survey:q_help") not in listed()
    ok(run("--study", s, "undo"))
    assert listed() == before
    shown = ok(run("--study", s, "framework", "show", "survey")).stdout
    assert "S1.1" in shown
    # the survey theme is the survey framework's again: refused on a transcript
    (tmp_path / "d.csv").write_text(f"segment,theme\n{seg['int01']},S1.1\n")
    refused(run("--study", s, "codings", "import", str(tmp_path / "d.csv")), "survey")
    assert [(c["source"], c["theme"]) for c in codings_of(s, tmp_path)] == [("R1/q_help", "S1.1")]


def test_narrowing_a_framework_past_its_codings_warns(tmp_path: Path, sample: Path) -> None:
    s, seg = mixed_study(tmp_path, sample)
    (tmp_path / "c.csv").write_text(f"segment,theme\n{seg['int01']},1.3\n")
    ok(run("--study", s, "codings", "import", str(tmp_path / "c.csv")))
    moved = ok(run("--study", s, "framework", "edit", "interviews", "--applies-to", "survey"))
    assert "warning: 1 coding of framework 'interviews' now outside what it codes" in moved.stderr
    assert "theme '1.3'" in moved.stderr
    assert "not source 'int01' (an interview transcript)" in moved.stderr
    back = ok(run("--study", s, "framework", "edit", "interviews", "--applies-to", "transcript"))
    assert "warning" not in back.stderr
    retitled = ok(run("--study", s, "framework", "edit", "survey", "--title", "Staff survey"))
    assert "warning" not in retitled.stderr
