"""Listing what a study holds: cases, sources, segments."""

from __future__ import annotations

import sys
from dataclasses import asdict

import click

from qualcode.cli.common import column, emit_json, opened, say, study_options
from qualcode.domain.wording import plural
from qualcode.errors import InputError
from qualcode.services import queries, sources


@click.command("segments")
@click.option("--case", "case_id", metavar="ID", help="Only this case's segments.")
@click.option("--source", "source_id", metavar="ID", help="Only this source's segments.")
@click.option("--with-interviewer", is_flag=True, help="Include interviewer turns and prompts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def segments_cmd(
    ctx: click.Context,
    case_id: str | None,
    source_id: str | None,
    with_interviewer: bool,
    as_json: bool,
) -> None:
    """List the codable units (respondent turns and survey answers)."""
    with opened(ctx) as study:
        segs = queries.list_segments(study, case_id, source_id, with_interviewer)
    if as_json:
        emit_json(
            [
                {
                    "id": g.id,
                    "case": g.case,
                    "source": g.source,
                    "start": g.start,
                    "end": g.end,
                    "speaker": g.speaker,
                    "text": g.text,
                    "role": g.role,
                    "line": g.line,
                }
                # a turn's timestamp, where the transcript gave one
                | ({"time": g.time} if g.time is not None else {})
                for g in segs
            ]
        )
        return
    for g in segs:
        text = " ".join(g.text.split())
        click.echo(f"{g.id:<28} {column(g.speaker or '-', 14)} {text[:80]}")


@click.group("sources", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def sources_group(ctx: click.Context, as_json: bool) -> None:
    """List the imported texts (transcripts and survey answers); `sources remove` removes."""
    if ctx.invoked_subcommand is not None:
        return
    with opened(ctx) as study:
        items = queries.list_sources(study)
    if as_json:
        emit_json(
            [
                {
                    "id": x.id,
                    "case": x.case,
                    "name": x.name,
                    "kind": x.kind,
                    "question": x.question,
                    "chars": x.chars,
                }
                # a transcription service's header (title, keywords, speakers), if any
                | ({"attributes": dict(x.attributes)} if x.attributes else {})
                for x in items
            ]
        )
        return
    for x in items:
        chars = plural(x.chars, "char")
        click.echo(f"{x.id:<28} {x.case:<10} {x.kind:<10} {x.chars:>7} {chars:<5}  {x.name}")


@sources_group.command("remove")
@click.argument("source_ids", nargs=-1)
@click.option("--file", "file_name", metavar="NAME", help="Remove every source from this file.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@study_options
@click.pass_context
def remove_source_cmd(
    ctx: click.Context, source_ids: tuple[str, ...], file_name: str | None, yes: bool
) -> None:
    """Remove sources with their segments and codings, e.g. to re-import a changed file."""
    with opened(ctx) as study:
        plan = sources.plan_removal(study, list(source_ids), file_name)
        if not yes:
            if not sys.stdin.isatty():  # a script: say so, rather than "aborted", exit 1
                raise InputError(f"this would remove {plan.describe()}: give --yes to remove them")
            click.confirm(
                f"remove {plan.describe()}? (`qualcode undo` brings them back)",
                abort=True,
                err=True,
            )
        sources.remove_sources(study, plan)
    say(f"removed {plan.describe()}; `qualcode undo` brings them back")


@click.command("cases")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def cases_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the cases and their attributes."""
    with opened(ctx) as study:
        items = queries.list_cases(study)
        names = queries.attribute_names(study)
    if as_json:
        emit_json([asdict(c) | {"attributes": dict(c.attributes)} for c in items])
        return
    for c in items:
        values = ", ".join(f"{n}={c.attributes[n]}" for n in names if n in c.attributes)
        click.echo(f"{c.id:<12} {values}")


def register(group: click.Group) -> None:
    for command in (segments_cmd, sources_group, cases_cmd):
        group.add_command(command)
