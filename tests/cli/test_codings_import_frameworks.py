"""`codings import` refuses a coding whose theme's framework does not code the passage's
source (an interview theme on a survey answer, a survey theme on a transcript, a theme
of a framework scoped to other questions) - naming file and row, exit 2, nothing written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner, Result

from qualcode.cli import cli

TRANSCRIPT = "Interviewer: Hello?\n\nRespondent: We use agency staff a lot.\n"
SURVEY = "respondent_id,sector,q_help,q_cease\nR1,CSD,More supervision please.,Burnout.\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def mixed_study(tmp_path: Path, sample: Path) -> tuple[str, dict[str, str]]:
    """A transcript and a survey answering two questions, with the sample's interview
    framework (transcripts) and survey framework (survey: q_help only)."""
    s = str(tmp_path / "s.qualcode")
    ok(run("init", "--study", s, "--title", "Mixed"))
    (tmp_path / "int01.txt").write_text(TRANSCRIPT)
    ok(run("import", "transcripts", str(tmp_path / "int01.txt"), "--study", s))
    (tmp_path / "survey.csv").write_text(SURVEY)
    ok(run("import", "survey", str(tmp_path / "survey.csv"), "--id-column", "respondent_id",
           "--text-column", "q_help", "--text-column", "q_cease", "--study", s))  # fmt: skip
    frameworks = sample / "frameworks"
    ok(run("--study", s, "framework", "import", str(frameworks / "interviews.yaml"),
           "--name", "interviews", "--applies-to", "transcript"))  # fmt: skip
    ok(run("--study", s, "framework", "import", str(frameworks / "survey.yaml"),
           "--name", "survey", "--applies-to", "survey:q_help"))  # fmt: skip
    segments = json.loads(ok(run("segments", "--json", "--study", s)).stdout)
    by_source: dict[str, str] = {}  # "int01", "R1/q_help", "R1/q_cease" -> a segment
    for seg in segments:
        by_source.setdefault(seg["source"], seg["id"])
    return s, by_source


def codings_of(s: str, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "written.csv"
    ok(run("--study", s, "codings", "export", str(out)))
    with out.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def refused(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_a_survey_theme_on_a_transcript_is_refused(tmp_path: Path, sample: Path) -> None:
    s, seg = mixed_study(tmp_path, sample)
    interview = seg["int01"]
    (tmp_path / "c.csv").write_text(f"segment,theme\n{interview},1.3\n{interview},S1.1\n")
    refused(
        run("--study", s, "codings", "import", str(tmp_path / "c.csv")),
        "c.csv",
        "row 3",
        "theme 'S1.1' is in framework 'survey'",
        "survey answers to q_help",
    )
    assert codings_of(s, tmp_path) == []  # the good first row was not written either


def test_an_interview_theme_on_a_survey_answer_is_refused(tmp_path: Path, sample: Path) -> None:
    s, seg = mixed_study(tmp_path, sample)
    (tmp_path / "c.csv").write_text(f"segment,theme\n{seg['R1/q_help']},1.3\n")
    refused(
        run("--study", s, "codings", "import", str(tmp_path / "c.csv")),
        "c.csv",
        "row 2",
        "theme '1.3' is in framework 'interviews'",
        "interview transcripts",
    )
    assert codings_of(s, tmp_path) == []


def test_a_question_the_framework_does_not_name_is_refused(tmp_path: Path, sample: Path) -> None:
    s, seg = mixed_study(tmp_path, sample)
    (tmp_path / "c.csv").write_text(f"segment,theme\n{seg['R1/q_cease']},S1\n")
    refused(
        run("--study", s, "codings", "import", str(tmp_path / "c.csv")),
        "c.csv",
        "row 2",
        "survey answer to q_cease",
    )
    assert codings_of(s, tmp_path) == []


def test_codings_each_framework_applies_to_are_imported(tmp_path: Path, sample: Path) -> None:
    s, seg = mixed_study(tmp_path, sample)
    interview = seg["int01"]
    (tmp_path / "c.csv").write_text(f"segment,theme\n{interview},1.3\n{seg['R1/q_help']},S1.1\n")
    imported = ok(run("--study", s, "codings", "import", str(tmp_path / "c.csv")))
    assert "2 codings added" in imported.stderr
    assert len(codings_of(s, tmp_path)) == 2
