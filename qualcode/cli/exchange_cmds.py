"""``qualcode export qdpx|qdc`` and ``qualcode import qdpx|qdc``: REFI-QDA exchange."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import opened, say, settings, study_options
from qualcode.domain.wording import counted
from qualcode.services import exchange
from qualcode.services import export_formats as formats

PATH = click.Path(path_type=Path, dir_okay=False)


@click.group("export")
@study_options
def export_group() -> None:
    """Export the study for other tools (REFI-QDA .qdpx projects, .qdc codebooks)."""


@export_group.command(
    "qdpx",
    help="Write the study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, "
    "QualCoder and others. "
    + formats.writes(formats.PROJECT)
    + "\n\nThemes become the codebook, coders users, sources text files, codings text "
    "selections, cases with their attributes cases with variables, memos notes. "
    "Framework-matrix summaries become notes linked to their case and theme (the standard "
    "has no matrix). What the export cannot carry is listed on stderr.",
)
@click.argument("file", type=PATH)
@click.option(
    "--anonymised", is_flag=True,
    help="Replace accepted names by their placeholders and generalise job titles.",
)  # fmt: skip
@study_options
@click.pass_context
def export_qdpx_cmd(ctx: click.Context, file: Path, anonymised: bool) -> None:
    """Write a .qdpx (help text: the export registry, exchange/formats.py)."""
    with opened(ctx) as study:
        report = exchange.export_qdpx(study, file, anonymised, settings(ctx).title_rules)
    for warning in report.warnings:
        say(f"warning: {warning}")
    say(
        f"wrote {file}: {counted(report.themes, 'theme')}, {counted(report.cases, 'case')}, "
        f"{counted(report.sources, 'source')}, {counted(report.codings, 'coding')}, "
        f"{counted(report.memos, 'memo')}, {counted(report.summaries, 'summary')}"
    )


@export_group.command(
    "qdc",
    help="Write the thematic framework as a REFI-QDA codebook (.qdc). "
    + formats.writes(formats.CODEBOOK),
)
@click.argument("file", type=PATH)
@study_options
@click.pass_context
def export_qdc_cmd(ctx: click.Context, file: Path) -> None:
    """Write a .qdc (help text: the export registry, exchange/formats.py)."""
    with opened(ctx) as study:
        n = exchange.export_qdc(study, file)
        warnings = exchange.qdc_warnings(study)
    for warning in warnings:
        say(f"warning: {warning}")
    say(f"wrote {file}: {counted(n, 'theme')}")


def _report(result: exchange.QdpxImport) -> None:
    for warning in result.warnings:
        say(f"warning: {warning}")
    report = result.report
    say(
        f"{counted(report.sources_added, 'source')} added "
        f"({report.sources_unchanged} already there), "
        f"{counted(report.segments_added, 'segment')}, {counted(report.cases_added, 'new case')}, "
        f"{counted(result.themes, 'new theme')}, {counted(report.codings_added, 'coding')} added "
        f"({report.codings_unchanged} already there), {counted(result.memos, 'memo')}, "
        f"{counted(result.summaries, 'matrix summary')}"
    )


@click.command("qdpx")
@click.argument("file", type=PATH)
@study_options
@click.pass_context
def import_qdpx_cmd(ctx: click.Context, file: Path) -> None:
    """Import a REFI-QDA project (.qdpx, or a bare .qde) into the study.

    What the study already holds (same GUIDs) is kept, so importing the same file again
    changes nothing. Archives are checked before use: entries escaping the folder,
    archive bombs and XML entities are refused and nothing is written.
    """
    with opened(ctx) as study:
        _report(exchange.import_qdpx(study, file))


@click.command("qdc")
@click.argument("file", type=PATH)
@study_options
@click.pass_context
def import_qdc_cmd(ctx: click.Context, file: Path) -> None:
    """Add the codes of a REFI-QDA codebook (.qdc) to the framework as themes."""
    with opened(ctx) as study:
        report = exchange.import_qdc(study, file)
    for warning in report.warnings:  # a theme renumbered: its id clashed with another
        say(f"warning: {warning}")
    for message in report.messages:
        say(message)


def register(group: click.Group) -> None:
    existing = group.commands.get("export")
    if isinstance(existing, click.Group):  # another module made the group first
        for command in export_group.commands.values():
            existing.add_command(command)
    else:
        group.add_command(export_group)
    importing = group.commands["import"]
    assert isinstance(importing, click.Group)
    importing.add_command(import_qdpx_cmd)
    importing.add_command(import_qdc_cmd)
