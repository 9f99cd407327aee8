"""``qualcode import ...``: transcripts, survey answers and case attributes."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import emit_json, opened, parse_attrs, say, study_options
from qualcode.domain.model import ImportReport
from qualcode.domain.wording import counted
from qualcode.services import importing


@click.group("import")
@study_options
def import_group() -> None:
    """Import transcripts, survey answers, case attributes or a REFI-QDA project."""


def _report(report: ImportReport) -> None:
    for file in report.files:
        say(_file_line(file))
    for warning in report.warnings:
        say(f"warning: {warning}")
    for message in report.messages:
        say(message)
    parts = [
        f"{counted(report.sources_added, 'source')} added",
        counted(report.segments_added, "segment"),
        counted(report.cases_added, "new case"),
    ]
    if report.cases_updated:
        parts.append(f"{counted(report.cases_updated, 'case')} updated")
    if report.sources_unchanged:
        parts.append(f"{report.sources_unchanged} already imported")
    say(", ".join(parts))


def _file_line(file: Mapping[str, Any]) -> str:
    # the report's "turns" are the segments (a long turn split at its paragraphs);
    # `qualcode speakers` counts the turns themselves
    parts = ", ".join(f"{n} {role}" for role, n in file["turns"].items() if n)
    state = "" if file["source"] else " (already imported)"
    return f"{Path(file['file']).name}: {file['layout']}; segments: {parts or 'none'}{state}"


def _report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "sources_added": report.sources_added,
        "sources_unchanged": report.sources_unchanged,
        "segments_added": report.segments_added,
        "cases_added": report.cases_added,
        "files": [dict(file) for file in report.files],
        "warnings": list(report.warnings),
        "messages": list(report.messages),
    }


PATH = click.Path(path_type=Path)


class _Progress:
    """A progress bar on stderr for long imports, only when a person is watching."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@import_group.command("transcripts")
@click.argument("paths", nargs=-1, required=True, type=PATH)
@click.option("--case", "case_id", metavar="ID", help="Put every file into this one case.")
@click.option(
    "--attr",
    "attrs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set a case attribute (repeatable), e.g. --attr sector=CSD.",
)
@click.option(
    "--interviewer",
    "interviewers",
    multiple=True,
    metavar="NAME",
    help="This speaker is the interviewer (repeatable); default: proposed and reported.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@study_options
@click.pass_context
def transcripts_cmd(
    ctx: click.Context,
    paths: tuple[Path, ...],
    case_id: str | None,
    attrs: tuple[str, ...],
    interviewers: tuple[str, ...],
    as_json: bool,
) -> None:
    """Import .txt/.md/.docx/.vtt/.srt transcripts, or folders of them; one case per file.

    The layout is judged from each whole file: "Name: words" labels (with or without
    timestamps, "Jo Bloggs (Interviewer): ..." too), a speaker and time on a line of
    their own ("Jo Bloggs  12:34"), a speaker alone on a line above the words,
    "[Name] words", "Name - words" or "Q. / A.", diarised [SPEAKER_01], subtitles,
    only the interviewer labelled, or a Word table of speaker, time and words. Turns
    become segments; interviewer turns and numbered prompts are kept as context. Front
    matter (--- key: value ---) at the top of a text file, or a table of details at
    the top of a Word file, sets case attributes. Line numbers are removed and Word's
    tracked changes read as accepted. Each file's layout, turns by role and warnings
    are reported on stderr, and what a folder holds that was not read.
    """
    values = parse_attrs(attrs)
    progress = _Progress("importing transcripts")
    with opened(ctx) as study:
        try:
            report = importing.import_transcripts(
                study, list(paths), case_id, values, progress, interviewers
            )
        finally:
            progress.close()
        if as_json:
            for warning in report.warnings:
                say(f"warning: {warning}")
            emit_json(_report_json(report))
            return
        _report(report)


@import_group.command("survey")
@click.argument("file", type=PATH)
@click.option("--id-column", required=True, metavar="C", help="The respondent id column.")
@click.option(
    "--text-column",
    "text_columns",
    multiple=True,
    metavar="C",
    help="A free-text question column (repeatable; default: columns that hold free text).",
)
@click.option(
    "--question-column",
    metavar="C",
    help="One row per answer: this column names each row's question (the rows of one "
    "respondent are one case; --text-column names the answers).",
)
@study_options
@click.pass_context
def survey_cmd(
    ctx: click.Context,
    file: Path,
    id_column: str,
    text_columns: tuple[str, ...],
    question_column: str | None,
) -> None:
    """Import a CSV/XLSX survey: one row per respondent (a case), each free-text answer a
    source; all other columns become case attributes. With --question-column, one row
    per answer instead.

    Qualtrics' wording and import-id rows and SurveyMonkey's option row are read as
    headers; a title above the header, or a cover sheet before the data, is found by
    the --id-column. Columns of personal details (Email, Name, IP Address) stay in the
    study and are left out of every --anonymised export."""
    progress = _Progress("importing survey")
    with opened(ctx) as study:
        try:
            report = importing.import_survey(
                study, file, id_column, text_columns, progress, question_column
            )
        finally:
            progress.close()
        _report(report)


@import_group.command("cases")
@click.argument("file", type=PATH)
@click.option("--id-column", required=True, metavar="C", help="The case id column.")
@study_options
@click.pass_context
def cases_cmd(ctx: click.Context, file: Path, id_column: str) -> None:
    """Create or update cases from a CSV/XLSX of case attributes.

    An id differing from a case's only in capitals is that case; rows that name cases
    with no sources are warned about, with the closest case id. `qualcode undo` takes
    the import back."""
    with opened(ctx) as study:
        _report(importing.import_cases(study, file, id_column))


def register(group: click.Group) -> None:
    group.add_command(import_group)
