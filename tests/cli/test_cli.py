"""The CLI as scripts use it: commands, JSON shapes, errors, help and README."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from qualcode.cli import cli

ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPT = (
    "Interviewer: Hello?\n\nRespondent: We use agency staff a lot.\n\nI: Why?\n\nR: Vacancies.\n"
)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    path = tmp_path / "s.qualcode"
    assert run("init", "--study", str(path), "--title", "T").exit_code == 0
    return path


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def assert_input_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0]


def test_import_and_json_shapes(study_file: Path, tmp_path: Path, sample: Path) -> None:
    s = str(study_file)
    (tmp_path / "int01.txt").write_text(TRANSCRIPT)
    ok(
        run(
            "import",
            "transcripts",
            str(tmp_path / "int01.txt"),
            "--study",
            s,
            "--attr",
            "sector=CSD",
        )
    )
    ok(run("--study", s, "framework", "import", str(sample / "frameworks" / "interviews.yaml")))
    segs = json.loads(ok(run("segments", "--json", "--study", s)).stdout)
    assert segs[0] == {
        "id": "int01:2",
        "case": "int01",
        "source": "int01",
        "start": 33,
        "end": 59,
        "speaker": "Respondent",
        "text": "We use agency staff a lot.",
        "role": "respondent",
        "line": 3,
    }
    assert len(segs) == 2
    sources = json.loads(ok(run("sources", "--json", "--study", s)).stdout)
    assert sources == [
        {
            "id": "int01",
            "case": "int01",
            "name": "int01.txt",
            "kind": "transcript",
            "question": None,
            "chars": len(TRANSCRIPT.rstrip("\n")),
        }
    ] or sources[0]["chars"] == len(TRANSCRIPT)
    themes = json.loads(ok(run("framework", "show", "--json", "--study", s)).stdout)
    assert set(themes[0]) == {"id", "label", "parent", "definition"}
    assert {t["id"] for t in themes if t["parent"] is None} == {str(i) for i in range(1, 8)}
    cases = json.loads(ok(run("cases", "--json", "--study", s)).stdout)
    assert cases == [{"id": "int01", "attributes": {"sector": "CSD"}}]


def test_study_from_environment_and_coder(study_file: Path, tmp_path: Path, sample: Path) -> None:
    env = {"QUALCODE_STUDY": str(study_file), "QUALCODE_CODER": "carol"}
    (tmp_path / "int01.txt").write_text(TRANSCRIPT)
    ok(run("import", "transcripts", str(tmp_path), env=env))
    ok(run("framework", "import", str(sample / "frameworks" / "interviews.yaml"), env=env))
    (tmp_path / "c.csv").write_text("segment,theme\nint01:2,1.3\n")
    ok(run("codings", "import", str(tmp_path / "c.csv"), env=env))
    ok(run("codings", "export", str(tmp_path / "out.csv"), env=env))
    assert "1.3,carol,int01,int01:2" in (tmp_path / "out.csv").read_text()


def test_changed_transcript_is_refused_then_replaced(study_file: Path, tmp_path: Path) -> None:
    s = str(study_file)
    path = tmp_path / "int01.txt"
    path.write_text(TRANSCRIPT)
    ok(run("import", "transcripts", str(path), "--study", s))
    path.write_text(TRANSCRIPT + "\nR: And more.\n")
    assert_input_error(
        run("import", "transcripts", str(path), "--study", s), "int01.txt", "sources remove"
    )
    seg = json.loads(ok(run("segments", "--json", "--study", s)).stdout)[0]["id"]
    sample = Path(__file__).resolve().parents[2]
    ok(run("framework", "import", str(sample / "frameworks" / "interviews.yaml"), "--study", s))
    (tmp_path / "c.csv").write_text(f"segment,theme,coder\n{seg},1.3,bob\n{seg},1.2,carol\n")
    ok(run("codings", "import", str(tmp_path / "c.csv"), "--study", s))
    # a script without --yes is told what would go, and whose
    assert_input_error(
        run("sources", "remove", "int01", "--study", s),
        "this would remove 1 source and 2 codings (1 by bob, 1 by carol): give --yes",
    )
    removed = ok(run("sources", "remove", "int01", "--yes", "--study", s))
    assert "removed 1 source and 2 codings (1 by bob, 1 by carol)" in removed.stderr
    ok(run("undo", "--study", s))  # undo brings them back; remove again to re-import
    assert "And more." not in run("segments", "--study", s).stdout
    assert len(ok(run("codings", "export", "-", "--study", s)).stdout.splitlines()) == 3
    ok(run("sources", "remove", "int01", "--yes", "--study", s))
    ok(run("import", "transcripts", str(path), "--study", s))
    assert "And more." in run("segments", "--study", s).stdout


def test_a_reversed_span_in_a_segment_is_named_as_reversed(
    study_file: Path, tmp_path: Path
) -> None:
    """walk49b: `start,end` 5,2 inside a segment read "are outside segment (0-662)"."""
    s = str(study_file)
    path = tmp_path / "int01.txt"
    path.write_text(TRANSCRIPT)
    ok(run("import", "transcripts", str(path), "--study", s))
    sample = Path(__file__).resolve().parents[2]
    ok(run("framework", "import", str(sample / "frameworks" / "interviews.yaml"), "--study", s))
    seg = json.loads(ok(run("segments", "--json", "--study", s)).stdout)[0]["id"]
    (tmp_path / "rev.csv").write_text(f"segment,theme,start,end\n{seg},1.3,5,2\n")
    assert_input_error(
        run("codings", "import", str(tmp_path / "rev.csv"), "--study", s),
        "rev.csv",
        "row 2",
        "start/end 5-2: the end must come after the start",
    )


def bad_inputs(tmp_path: Path) -> list[tuple[list[str], tuple[str, ...]]]:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04garbage")
    (tmp_path / "s.csv").write_text("id,q\n1,hello there\n1,again\n")
    (tmp_path / "odd.csv").write_bytes("id,q\n1,caf\x81 \x8d\n".encode("latin-1"))
    (tmp_path / "dup.yaml").write_text(
        'themes:\n  - id: "1"\n    label: A\n  - id: "1"\n    label: B\n'
    )
    (tmp_path / "cycle.yaml").write_text(
        "themes:\n  - id: a\n    label: A\n    parent: b\n  - id: b\n    label: B\n    parent: a\n"
    )
    return [
        (["import", "transcripts", str(tmp_path / "empty.txt")], ("empty.txt", "empty")),
        (["import", "transcripts", str(tmp_path / "binary.txt")], ("binary.txt", "binary")),
        (["import", "transcripts", str(tmp_path / "broken.docx")], ("broken.docx",)),
        (["import", "transcripts", str(tmp_path / "nothere.txt")], ("nothere.txt",)),
        (
            ["import", "survey", str(tmp_path / "s.csv"), "--id-column", "respondent"],
            ("s.csv", "respondent"),
        ),
        (
            [
                "import",
                "survey",
                str(tmp_path / "s.csv"),
                "--id-column",
                "id",
                "--text-column",
                "q",
            ],
            ("s.csv", "row 3", "duplicate"),
        ),
        (
            ["import", "survey", str(tmp_path / "odd.csv"), "--id-column", "id"],
            ("odd.csv", "encoding"),
        ),
        (["framework", "import", str(tmp_path / "dup.yaml")], ("dup.yaml", "line 4", "duplicate")),
        (["framework", "import", str(tmp_path / "cycle.yaml")], ("cycle.yaml", "cycle")),
    ]


def test_bad_input_is_one_error_line_and_writes_nothing(study_file: Path, tmp_path: Path) -> None:
    for args, needles in bad_inputs(tmp_path):
        assert_input_error(run(*args, "--study", str(study_file)), *needles)
    info = ok(run("info", "--study", str(study_file))).stdout
    assert "0 cases, 0 sources, 0 segments, 0 themes, 0 codings" in info


def test_usage_errors_and_missing_study(tmp_path: Path) -> None:
    assert_input_error(run("segments", "--bogus"), "--bogus")
    assert_input_error(run("segments", env={"QUALCODE_STUDY": ""}), "no study chosen")
    assert_input_error(run("info", "--study", str(tmp_path / "none.qualcode")), "no such study")
    # a read of an empty file used to make it an empty database, which `init` refused
    empty = tmp_path / "empty.qualcode"
    empty.write_bytes(b"")
    assert_input_error(run("codings", "export", "-", "--study", str(empty)), "an empty file")
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.qualcode"]
    ok(run("init", str(empty)))


def test_demo_builds_the_sample_study(tmp_path: Path) -> None:
    path = tmp_path / "demo.qualcode"
    out = ok(run("demo", "--no-open", "--study", str(path))).stdout
    assert "16" in out or "cases" in out
    cases = json.loads(ok(run("cases", "--json", "--study", str(path))).stdout)
    ints = [c for c in cases if c["id"].startswith("int")]
    assert len(ints) == 16
    assert all(c["attributes"].get("sector") for c in ints)
    ok(run("demo", "--no-open", "--fresh", "--study", str(path)))  # the sample: rebuilt


def test_demo_builds_where_the_environment_says(tmp_path: Path) -> None:
    """walk49b: with only $QUALCODE_STUDY set, `demo` built the sample in the user data
    folder (and with --coder too, where the environment said)."""
    path = tmp_path / "env-demo.qualcode"
    home = tmp_path / "data"
    env = {"QUALCODE_STUDY": str(path), "XDG_DATA_HOME": str(home)}
    ok(run("demo", "--no-open", env=env))
    assert path.exists()
    assert not (home / "qualcode" / "demo.qualcode").exists()
    cases = json.loads(ok(run("cases", "--json", env=env)).stdout)
    assert len([c for c in cases if c["id"].startswith("int")]) == 16


def test_open_without_a_terminal_says_why_the_workbench_did_not_open(study_file: Path) -> None:
    """`ssh host qualcode` (no -t) printed the summary and exited 0, unexplained."""
    result = ok(run("open", "--study", str(study_file)))
    assert "0 cases" in result.stdout
    assert "not a terminal, so the workbench did not open (over ssh, use ssh -t)" in (result.stderr)


def test_demo_fresh_never_replaces_another_file(tmp_path: Path) -> None:
    """`demo --fresh --study FILE` deleted whatever FILE was: a real study, any file."""
    real, text = tmp_path / "real.qualcode", tmp_path / "notes.txt"
    ok(run("init", str(real), "--title", "Wave 1"))
    text.write_text("hello")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert_input_error(
        run("demo", "--no-open", "--fresh", "--study", str(real)), "the study 'Wave 1'"
    )
    assert_input_error(
        run("demo", "--no-open", "--fresh", "--study", str(text)), "not a qualcode study"
    )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # not a byte
    sample = tmp_path / "demo.qualcode"
    ok(run("demo", "--no-open", "--study", str(sample)))
    Path(f"{sample}-wal").write_bytes(b"")  # as while a workbench has it open
    assert_input_error(
        run("demo", "--no-open", "--fresh", "--study", str(sample)), "looks open in another"
    )


def walk(group: click.Group, prefix: str = "qualcode") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        out.append((path, command))
        if isinstance(command, click.Group):
            out.extend(walk(command, path))
    return out


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = walk(cli)
    assert len(commands) > 10
    for path, command in commands:
        assert (command.help or "").strip(), f"{path} has no help text"
        assert f"`{path}" in readme, f"{path} is not documented in README.md"
        result = run(*path.split()[1:], "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.stdout


def test_counts_of_one_are_singular(study_file: Path, tmp_path: Path, sample: Path) -> None:
    s = str(study_file)
    (tmp_path / "int01.txt").write_text(TRANSCRIPT)
    imported = ok(run("import", "transcripts", str(tmp_path / "int01.txt"), "--study", s))
    assert "1 source added" in imported.stderr
    assert "1 new case" in imported.stderr
    assert "1 sources" not in imported.stderr
    assert "1 new cases" not in imported.stderr
    ok(run("--study", s, "framework", "import", str(sample / "frameworks" / "interviews.yaml")))
    seg = json.loads(ok(run("segments", "--json", "--study", s)).stdout)[1]["id"]
    (tmp_path / "c.csv").write_text(f"segment,theme\n{seg},1.3\n")
    coded = ok(run("--study", s, "codings", "import", str(tmp_path / "c.csv")))
    assert "1 coding added" in coded.stderr
    written = ok(run("--study", s, "codings", "export", str(tmp_path / "out.csv")))
    assert "1 coding written" in written.stderr


def test_an_unknown_theme_id_suggests_the_closest(
    study_file: Path, tmp_path: Path, sample: Path
) -> None:
    s = str(study_file)
    (tmp_path / "int01.txt").write_text(TRANSCRIPT)
    ok(run("import", "transcripts", str(tmp_path / "int01.txt"), "--study", s))
    ok(run("--study", s, "framework", "import", str(sample / "frameworks" / "interviews.yaml")))
    assert_input_error(run("--study", s, "matrix", "--theme", "13"), "no theme '13'", "1.3 (")
    assert_input_error(
        run("--study", s, "quotes", "--theme", "1.33"), "no theme '1.33'", "did you mean 1.3"
    )
    assert_input_error(
        run("--study", s, "summary", "set", "int01", "Agency", "x"), "did you mean", "1.3 ("
    )
    seg = json.loads(ok(run("segments", "--json", "--study", s)).stdout)[1]["id"]
    (tmp_path / "c.csv").write_text(f"segment,theme\n{seg},13\n")
    assert_input_error(
        run("--study", s, "codings", "import", str(tmp_path / "c.csv")),
        "c.csv",
        "unknown theme '13'; did you mean 1.3",
    )
    nothing_close = run("--study", s, "matrix", "--theme", "zzzz")
    assert_input_error(nothing_close, "no theme 'zzzz'")
    assert "did you mean" not in nothing_close.stderr


def test_init_takes_the_study_file_as_its_argument(tmp_path: Path) -> None:
    path = tmp_path / "wave1.qualcode"
    made = ok(run("init", str(path), "--title", "Wave 1", env={"QUALCODE_STUDY": ""}))
    assert f"next: export QUALCODE_STUDY={path}" in made.stderr
    assert "Wave 1" in ok(run("info", "--study", str(path))).stdout
    assert_input_error(run("init", str(path)), "a study already exists there")
    # walk47b: a transcript given by mistake was "a study" too
    vtt = tmp_path / "int01.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n", encoding="utf-8")
    assert_input_error(run("init", str(vtt)), "a file that is not a study is there")
    other = tmp_path / "other.qualcode"
    assert_input_error(run("init", str(other), "--study", str(path)), "two study files given")
    assert not other.exists()


def test_import_survey_long_table_from_the_command_line(study_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "long.csv"
    sheet.write_text(
        "respondent,question,answer\n"
        "R1,What helps?,Good supervision and a manageable caseload.\n"
        "R1,What hinders?,Recording on the new system.\n",
        encoding="utf-8",
    )
    result = ok(
        run(
            "--study", str(study_file), "import", "survey", str(sheet),
            "--id-column", "respondent", "--question-column", "question",
            "--text-column", "answer",
        )
    )  # fmt: skip
    assert "2 rows read as the answers of 1 respondent to 2 questions" in result.stderr
    sources = json.loads(ok(run("--study", str(study_file), "sources", "--json")).stdout)
    assert sorted(s["question"] for s in sources) == ["What helps?", "What hinders?"]
    assert "more than once" not in result.stderr
    # a respondent answering one question twice: both kept, and said
    again = tmp_path / "again.csv"
    again.write_text(
        "respondent,question,answer\nR2,What helps?,Peers.\nR2,What helps?,My manager.\n",
        encoding="utf-8",
    )
    twice = ok(
        run(
            "--study", str(study_file), "import", "survey", str(again),
            "--id-column", "respondent", "--question-column", "question",
            "--text-column", "answer",
        )
    )  # fmt: skip
    assert "1 respondent answered a question more than once (first: 'R2' to 'What helps?')" in (
        twice.stderr
    )
    sources = json.loads(ok(run("--study", str(study_file), "sources", "--json")).stdout)
    assert len([s for s in sources if s["case"] == "R2"]) == 2
    assert "capitals" not in twice.stderr
    # ids that differ only in capitals: two respondents, and said
    cased = tmp_path / "cased.csv"
    cased.write_text("id,answer\nAB12,Peers.\nab12,My manager.\nCD3,Time.\n", encoding="utf-8")
    said = ok(
        run("--study", str(study_file), "import", "survey", str(cased), "--id-column", "id",
            "--text-column", "answer")
    ).stderr  # fmt: skip
    assert "1 id has a twin differing only in capitals (first: 'AB12' and 'ab12')" in said


def test_info_shows_a_study_path_as_typed(tmp_path: Path) -> None:
    """Spaces and accents came out percent-encoded: ".../sp ace %C3%A9/x.qualcode"."""
    path = tmp_path / "sp ace é" / "x.qualcode"
    path.parent.mkdir()
    assert f"created sqlite:///{path}" in ok(run("init", str(path))).stderr
    assert f"sqlite:///{path}\n" in ok(run("info", "--study", str(path))).stdout
