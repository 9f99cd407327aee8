"""``qualcode import ...``: transcripts, survey answers and case attributes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import opened, parse_attrs, say, study_options
from qualcode.domain.model import ImportReport
from qualcode.services import importing


@click.group("import")
def import_group() -> None:
    """Import transcripts, survey answers, case attributes or a REFI-QDA project."""


def _report(report: ImportReport) -> None:
    for message in report.messages:
        say(message)
    parts = [
        f"{report.sources_added} sources added",
        f"{report.segments_added} segments",
        f"{report.cases_added} new cases",
    ]
    if report.cases_updated:
        parts.append(f"{report.cases_updated} cases updated")
    if report.sources_unchanged:
        parts.append(f"{report.sources_unchanged} already imported")
    say(", ".join(parts))


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
@study_options
@click.pass_context
def transcripts_cmd(
    ctx: click.Context, paths: tuple[Path, ...], case_id: str | None, attrs: tuple[str, ...]
) -> None:
    """Import .txt/.md/.docx/.vtt/.srt transcripts, or folders of them; one case per file.

    Speaker turns ("Interviewer:", "I:", "R:", "Name:", with or without timestamps)
    become segments; interviewer turns are kept as context. Front matter (--- key: value
    ---) at the top of a text file sets case attributes.
    """
    values = parse_attrs(attrs)
    progress = _Progress("importing transcripts")
    with opened(ctx) as study:
        try:
            report = importing.import_transcripts(study, list(paths), case_id, values, progress)
        finally:
            progress.close()
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
@study_options
@click.pass_context
def survey_cmd(
    ctx: click.Context, file: Path, id_column: str, text_columns: tuple[str, ...]
) -> None:
    """Import a CSV/XLSX survey: one row per respondent (a case), each free-text answer a
    source; all other columns become case attributes."""
    progress = _Progress("importing survey")
    with opened(ctx) as study:
        try:
            report = importing.import_survey(study, file, id_column, text_columns, progress)
        finally:
            progress.close()
        _report(report)


@import_group.command("cases")
@click.argument("file", type=PATH)
@click.option("--id-column", required=True, metavar="C", help="The case id column.")
@study_options
@click.pass_context
def cases_cmd(ctx: click.Context, file: Path, id_column: str) -> None:
    """Create or update cases from a CSV/XLSX of case attributes."""
    with opened(ctx) as study:
        _report(importing.import_cases(study, file, id_column))


def register(group: click.Group) -> None:
    group.add_command(import_group)
