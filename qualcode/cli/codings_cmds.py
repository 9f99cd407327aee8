"""``qualcode codings ...``: bulk coding through CSV."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import opened, say, study_options, warn_unreviewed
from qualcode.domain.wording import counted
from qualcode.services import codings
from qualcode.services import export_formats as formats


@click.group("codings")
@study_options
def codings_group() -> None:
    """Import and export codings as CSV."""


@codings_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@study_options
@click.pass_context
def import_cmd(ctx: click.Context, file: Path) -> None:
    """Import codings from CSV.

    Two layouts: `segment,theme` with optional `coder`, `start`, `end` (offsets inside
    the segment; the whole segment when absent), or `source,start,end,theme` with
    optional `coder` (offsets into the source text; `source` is a source id or a
    transcript's file name). Codings already present are skipped. `qualcode undo`
    takes the import back.
    """
    with opened(ctx) as study:
        report = codings.import_codings(study, file)
    for warning in report.warnings:
        say(f"warning: {warning}")
    for message in report.messages:
        say(message)
    back = "; `qualcode undo` takes them back" if report.codings_added else ""
    say(
        f"{counted(report.codings_added, 'coding')} added, "
        f"{report.codings_unchanged} already present{back}"
    )


@codings_group.command(
    "export",
    help="Export codings as CSV. "
    + formats.writes(formats.CODINGS)
    + "\n\nFILE may be `-` for stdout. Fields starting with = + - @ get a leading ' (see "
    "README).",
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--only-coder", metavar="NAME", help="Only this coder's codings.")
@click.option(
    "--anonymised", is_flag=True,
    help="Replace accepted names (see `qualcode anonymise`) in ids and texts; offsets then "
    "point into the anonymised texts.",
)  # fmt: skip
@study_options
@click.pass_context
def export_cmd(ctx: click.Context, file: Path, only_coder: str | None, anonymised: bool) -> None:
    """Export codings as CSV (help text: the export registry, exchange/formats.py)."""
    with opened(ctx) as study:
        n = codings.export_codings(study, file, only_coder, anonymised)
        if anonymised:
            warn_unreviewed(study)
    say(f"{counted(n, 'coding')} written to {'stdout' if str(file) == '-' else file}")


def register(group: click.Group) -> None:
    group.add_command(codings_group)
