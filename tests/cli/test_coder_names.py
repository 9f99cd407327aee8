"""Coder names as a team types them: spaces trimmed, a blank name refused, and a name
that differs from a colleague's only in case pointed out (it would count as another
coder in agreement)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.services import codings
from qualcode.services.study import open_study
from qualcode.store.engine import sqlite_url


def run(study: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--study", str(study), *args], env=env)


def test_coder_names_are_trimmed_refused_when_blank_and_told_apart(tmp_path: Path) -> None:
    study = tmp_path / "team.qualcode"
    assert run(study, "init", "--title", "Team", "--coder", "bob").exit_code == 0
    text = tmp_path / "int01.txt"
    text.write_text("Interviewer: How is it?\nRespondent: Fine, thanks.\n", encoding="utf-8")
    assert run(study, "import", "transcripts", str(text)).exit_code == 0, "import"
    frame = tmp_path / "f.yaml"
    frame.write_text("themes:\n  - id: T1\n    label: Mood\n", encoding="utf-8")
    assert run(study, "framework", "import", str(frame)).exit_code == 0
    rows = tmp_path / "c.csv"
    rows.write_text("segment,theme\nint01:2,T1\n", encoding="utf-8")

    for args, env, source in (
        (["--coder", "  "], None, "--coder"),
        ([], {"QUALCODE_CODER": "   "}, "QUALCODE_CODER"),
    ):
        blank = run(study, *args, "codings", "import", str(rows), env=env)
        assert blank.exit_code == 2, blank.output
        assert blank.stderr.startswith(f"error: {source}")
        assert "is blank" in blank.stderr

    spaced = run(study, "--coder", "bob ", "codings", "import", str(rows))
    assert spaced.exit_code == 0, spaced.output
    assert "note:" not in spaced.stderr  # "bob " is bob

    other = run(study, "--coder", "Bob", "coders")
    assert other.exit_code == 0, other.output
    assert "note: you are 'Bob', new to this study, and 'bob' has worked on it" in other.stderr
    assert "--coder bob works as them" in other.stderr

    # a colleague named only on codings imported for them counts too
    theirs = tmp_path / "carol.csv"
    theirs.write_text("segment,theme,coder\nint01:2,T1,carol\n", encoding="utf-8")
    assert run(study, "--coder", "bob", "codings", "import", str(theirs)).exit_code == 0
    assert "'carol' has worked on it" in run(study, "--coder", "Carol", "coders").stderr
    # names already written that differ only in capitals are pointed out in the list
    capital = tmp_path / "Carol.csv"
    capital.write_text("segment,theme,coder\nint01:2,T1,Carol\n", encoding="utf-8")
    assert run(study, "--coder", "bob", "codings", "import", str(capital)).exit_code == 0
    listed = run(study, "--coder", "bob", "coders")
    assert "note: 'Carol' and 'carol' differ only in capitals or spaces" in listed.stderr

    opened = open_study(sqlite_url(study))
    try:
        assert sorted(c.coder for c in codings.list_codings(opened)) == ["Carol", "bob", "carol"]
    finally:
        opened.close()
