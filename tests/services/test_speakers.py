"""Speakers and roles through the services and the CLI: the proposed interviewer,
--interviewer, the per-file import report, `speakers` and `speakers set` (codings kept,
undoable), turn times and a service's header stored with the source."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualcode.cli import cli
from qualcode.errors import NotFoundError
from qualcode.services import codings, framework, importing, progress, queries, speakers
from qualcode.services.study import Study
from qualcode.services.undo_log import last_action, revert


def export(interviewer: str, participant: str) -> str:
    """An invented transcription-service export: header block, name + time lines."""
    return f"""Interview with {participant}
SUMMARY KEYWORDS
rota, supervision

SPEAKERS
{interviewer}, {participant}

{interviewer}  0:04
How is the rota run?

{participant}  0:09
Weekly, by the team manager. It slips when we are short of staff.

{interviewer}  1:02:03
Who supervises you?

{participant}  1:02:10
The team manager, once a month.
"""


def write_exports(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for n, participant in enumerate(("Robin Hale", "Kim Doyle", "Lee Ward"), start=1):
        path = folder / f"int{n:02}.txt"
        path.write_text(export("Alex Carter", participant), encoding="utf-8")
        paths.append(path)
    return paths


def test_proposed_interviewer_and_report(study: Study, tmp_path: Path) -> None:
    paths = write_exports(tmp_path / "exports")
    (tmp_path / "notes.txt").write_text("Some notes.\n\nNo speakers at all.\n", encoding="utf-8")
    report = importing.import_transcripts(study, [*paths, tmp_path / "notes.txt"])
    assert report.messages == (
        "Alex Carter taken as the interviewer in 3 of 4 transcripts; "
        "change with `qualcode speakers set`",
    )
    first = report.files[0]
    assert first["layout"] == "speaker and time on their own line"
    assert first["turns"] == {"interviewer": 2, "respondent": 2, "other": 0}
    assert first["source"] == "int01"
    assert report.warnings == (
        "notes.txt: no speaker structure found: each paragraph became a respondent turn "
        "(label turns like 'Interviewer: ...' or see README, Importing)",
    )
    segs = queries.list_segments(study, source="int01", include_interviewer=True)
    assert [(g.speaker, g.role, g.time, g.text) for g in segs] == [
        ("Alex Carter", "interviewer", "0:04", "How is the rota run?"),
        (
            "Robin Hale",
            "respondent",
            "0:09",
            "Weekly, by the team manager. It slips when we are short of staff.",
        ),
        ("Alex Carter", "interviewer", "1:02:03", "Who supervises you?"),
        ("Robin Hale", "respondent", "1:02:10", "The team manager, once a month."),
    ]
    source = next(x for x in queries.list_sources(study) if x.id == "int01")
    assert source.attributes == {
        "title": "Interview with Robin Hale",
        "keywords": "rota, supervision",
        "speakers": "Alex Carter, Robin Hale",
    }


def test_interviewer_option_needs_no_proposal(study: Study, tmp_path: Path) -> None:
    paths = write_exports(tmp_path / "exports")
    report = importing.import_transcripts(study, paths, interviewers=["alex carter", "Alex C"])
    assert report.messages == ()
    assert report.warnings == ("--interviewer 'Alex C' matches no speaker in these files",)
    roles = {(g.speaker, g.role) for g in queries.list_segments(study, include_interviewer=True)}
    assert ("Alex Carter", "interviewer") in roles


@pytest.mark.slow_postgresql
def test_speakers_listed_and_role_changed_keeping_codings(study: Study, tmp_path: Path) -> None:
    importing.import_transcripts(study, write_exports(tmp_path / "exports"))
    rows = speakers.list_speakers(study, "int01")
    assert [(r.speaker, r.role, r.turns, r.words) for r in rows] == [
        ("Alex Carter", "interviewer", 2, 8),
        ("Robin Hale", "respondent", 2, 19),
    ]
    framework.add_theme(study, "rota", "Rota")
    text = queries.source_text(study, "int01")
    start = text.index("How is the rota run?")
    coding = codings.add_coding(study, "int01", start, start + 20, "rota")
    assert progress.case_progress(study)["int01"].segments == 2

    changed = speakers.set_role(study, "Alex Carter", "respondent", source="int01")
    assert changed == 2
    assert [c.id for c in codings.list_codings(study)] == [coding.id]
    assert progress.case_progress(study)["int01"].segments == 4
    assert progress.case_progress(study)["int02"].segments == 2  # only int01 changed
    assert speakers.set_role(study, "Alex Carter", "respondent", source="int01") == 0

    batch = last_action(study, study.coder)
    assert batch is not None
    revert(study, batch)
    assert progress.case_progress(study)["int01"].segments == 2
    assert [(c.id, c.start) for c in codings.list_codings(study)] == [(coding.id, start)]


@pytest.mark.slow_postgresql
def test_set_role_everywhere_and_errors(study: Study, tmp_path: Path) -> None:
    importing.import_transcripts(study, write_exports(tmp_path / "exports"))
    assert speakers.set_role(study, "Alex Carter", "other") == 6
    with pytest.raises(NotFoundError, match="no speaker 'Nobody'"):
        speakers.set_role(study, "Nobody", "respondent")
    with pytest.raises(NotFoundError, match="no source"):
        speakers.list_speakers(study, "missing")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_import_report_speakers_and_set(tmp_path: Path) -> None:
    study = str(tmp_path / "s.qualcode")
    assert run("init", "--study", study, "--title", "T").exit_code == 0
    paths = [str(p) for p in write_exports(tmp_path / "exports")]
    (tmp_path / "stamps.txt").write_text(
        "Interviewer: Why?\n00:00:10\nRespondent: Because.\n[00:00:20]\n", encoding="utf-8"
    )
    result = run("import", "transcripts", *paths, str(tmp_path / "stamps.txt"), "--study", study)
    assert result.exit_code == 0, result.output
    assert (
        "int01.txt: speaker and time on their own line; segments: 2 interviewer, 2 respondent"
        in (result.stderr)
    )
    assert "warning: stamps.txt: 50% of lines are bare timestamps (2 lines)" in result.stderr
    assert "Alex Carter taken as the interviewer in 3 of 4 transcripts" in result.stderr

    listed = json.loads(run("speakers", "--json", "--source", "int02", "--study", study).stdout)
    assert listed == [
        {
            "source": "int02",
            "speaker": "Alex Carter",
            "role": "interviewer",
            "turns": 2,
            "segments": 2,
            "words": 8,
        },
        {
            "source": "int02",
            "speaker": "Kim Doyle",
            "role": "respondent",
            "turns": 2,
            "segments": 2,
            "words": 19,
        },
    ]
    table = run("speakers", "--study", study).stdout
    assert "Lee Ward" in table
    segs = json.loads(run("segments", "--json", "--source", "int02", "--study", study).stdout)
    assert [(g["speaker"], g["time"]) for g in segs] == [
        ("Kim Doyle", "0:09"),
        ("Kim Doyle", "1:02:10"),
    ]
    stamped = json.loads(run("segments", "--json", "--source", "stamps", "--study", study).stdout)
    assert "time" not in stamped[0]  # no timestamp, no key: the shape scripts rely on
    sources = json.loads(run("sources", "--json", "--study", study).stdout)
    assert sources[0]["attributes"]["speakers"] == "Alex Carter, Robin Hale"
    assert "attributes" not in sources[-1]

    done = run("speakers", "set", "Kim Doyle", "--role", "other", "--study", study)
    assert done.exit_code == 0
    assert "Kim Doyle is now other: 2 segments changed" in done.stderr
    bad = run("speakers", "set", "Kim Doyle", "--role", "boss", "--study", study)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: ")
    missing = run("speakers", "set", "Nobody", "--role", "other", "--study", study)
    assert missing.exit_code == 2
    assert missing.stderr.strip().splitlines() == [
        "error: no speaker 'Nobody' (see `qualcode speakers`)"
    ]


def test_cli_import_json_report_and_interviewer_flag(tmp_path: Path) -> None:
    study = str(tmp_path / "s.qualcode")
    assert run("init", "--study", study, "--title", "T").exit_code == 0
    paths = [str(p) for p in write_exports(tmp_path / "exports")]
    result = run(
        "import", "transcripts", *paths, "--interviewer", "Alex Carter", "--json", "--study", study
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["messages"] == []
    assert report["warnings"] == []
    assert report["sources_added"] == 3
    assert [f["turns"]["interviewer"] for f in report["files"]] == [2, 2, 2]
    assert report["files"][0]["speakers"] == ["Alex Carter", "Robin Hale"]


def test_one_file_at_a_time_proposes_the_study_s_interviewer(study: Study, tmp_path: Path) -> None:
    importing.import_transcripts(study, write_exports(tmp_path / "exports"))
    # here the participant asks the questions in short turns: alone, the file would
    # make them the interviewer; the study knows Alex Carter interviews
    odd = tmp_path / "int09.txt"
    odd.write_text(
        "Alex Carter  0:01\nTell me about the rota, and how the weeks are planned.\n"
        "Pat Moss  0:05\nWhy?\nAlex Carter  0:09\nWe are interested in how the weeks go.\n"
        "Pat Moss  0:15\nWho asks?\n",
        encoding="utf-8",
    )
    report = importing.import_transcripts(study, [odd])
    assert report.messages == (
        "Alex Carter taken as the interviewer in 1 of 1 transcripts; "
        "change with `qualcode speakers set`",
    )


def test_a_numbered_voice_carries_no_role_from_another_file(study: Study, tmp_path: Path) -> None:
    """walk48b: a service numbers voices per file. "Speaker 1" asked the questions in
    int01 and answered them in int02; imported one at a time, int02's answers became
    the interviewer's (never coded, suggested or compared)."""
    questions = ["How is the rota run?", "Who supervises you?", "And agency staff?"]
    answers = [
        "Weekly, by the team manager. It slips when we are short of staff, every winter.",
        "The team manager, once a month, and a senior practitioner in between the sessions.",
        "We rely on them for a third of the posts, which costs far more than it should.",
    ]

    def write(name: str, asks: str, answers_by: str) -> Path:
        lines = []
        for i, (q, a) in enumerate(zip(questions, answers, strict=True)):
            lines += [f"{asks} (00:0{i}:01): {q}", f"{answers_by} (00:0{i}:10): {a}"]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    importing.import_transcripts(study, [write("int01.txt", "Speaker 1", "Speaker 2")])
    report = importing.import_transcripts(study, [write("int02.txt", "Speaker 2", "Speaker 1")])
    assert report.messages[0].startswith("Speaker 2 taken as the interviewer in 1 of 1")
    roles = {(r.source, r.speaker): r.role for r in speakers.list_speakers(study)}
    assert roles[("int02", "Speaker 1")] == "respondent"
    assert roles[("int01", "Speaker 1")] == "interviewer"


TASK_SESSION = """MODERATOR: Welcome. Please think aloud as you go.
1 Read the home page.
I see the news first, then the menu.
MODERATOR: What do you notice?
The search box is small.
2 Find the opening hours.
They are at the bottom.
3 Submit a query.
Done, that was quick.
"""


def test_prompts_and_unlabelled_text_are_named_apart(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "task01.txt"
    path.write_text(TASK_SESSION, encoding="utf-8")
    importing.import_transcripts(study, [path])
    rows = speakers.list_speakers(study, "task01")
    assert [(r.speaker, r.role, r.turns) for r in rows] == [
        ("MODERATOR", "interviewer", 2),
        ("(prompt)", "other", 3),
        ("(unlabelled)", "respondent", 4),
    ]
    # changing the participant's unlabelled words leaves the prompts alone
    assert speakers.set_role(study, "(unlabelled)", "interviewer") == 4
    roles = {(r.speaker, r.role) for r in speakers.list_speakers(study, "task01")}
    assert roles == {
        ("MODERATOR", "interviewer"),
        ("(prompt)", "other"),
        ("(unlabelled)", "interviewer"),
    }
    assert speakers.set_role(study, "(prompt)", "other") == 0
    assert speakers.set_role(study, "(unlabelled)", "respondent") == 4
    # prompts given another role are unlabelled text from then on (undo brings them back)
    assert speakers.set_role(study, "(prompt)", "respondent") == 3
    with pytest.raises(NotFoundError, match=r"no speaker '\(prompt\)'"):
        speakers.set_role(study, "(prompt)", "other")
    batch = last_action(study, study.coder)
    assert batch is not None
    revert(study, batch)
    assert [r.turns for r in speakers.list_speakers(study, "task01")] == [2, 3, 4]


def test_speakers_of_a_case_and_totals_over_the_study(study: Study, tmp_path: Path) -> None:
    importing.import_transcripts(study, write_exports(tmp_path / "exports"))
    assert [(x.source, x.speaker) for x in speakers.list_speakers(study, case="int02")] == [
        ("int02", "Alex Carter"),
        ("int02", "Kim Doyle"),
    ]
    with pytest.raises(NotFoundError, match="no case 'nobody'"):
        speakers.list_speakers(study, case="nobody")
    totals = speakers.speaker_totals(speakers.list_speakers(study))
    assert [(t.speaker, t.role, t.sources, t.turns, t.words) for t in totals] == [
        ("Alex Carter", "interviewer", 3, 6, 24),
        ("Kim Doyle", "respondent", 1, 2, 19),
        ("Lee Ward", "respondent", 1, 2, 19),
        ("Robin Hale", "respondent", 1, 2, 19),
    ]


@pytest.mark.slow_postgresql
def test_codings_export_carries_turn_times_and_reads_back(study: Study, tmp_path: Path) -> None:
    importing.import_transcripts(study, write_exports(tmp_path / "exports"))
    (tmp_path / "plain.txt").write_text("Interviewer: Why?\nRespondent: Because.\n")
    importing.import_transcripts(study, [tmp_path / "plain.txt"])
    framework.add_theme(study, "rota", "Rota")
    text = queries.source_text(study, "int01")
    start = text.index("It slips")
    codings.add_coding(study, "int01", start, start + 8, "rota")
    plain = queries.source_text(study, "plain")
    codings.add_coding(study, "plain", plain.index("Because"), plain.index("Because") + 7, "rota")
    out = tmp_path / "codings.csv"
    assert codings.export_codings(study, out) == 2
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "source", "start", "end", "theme", "coder", "case", "segment", "created", "text", "time",
    ]  # fmt: skip
    by_source = {row["source"]: row for row in rows}
    assert (by_source["int01"]["text"], by_source["int01"]["time"]) == ("It slips", "0:09")
    assert by_source["plain"]["time"] == ""  # no timestamp in that transcript
    # the file reads back as it was written: nothing new, nothing lost
    again = codings.import_codings(study, out)
    assert (again.codings_added, again.codings_unchanged) == (0, 2)
