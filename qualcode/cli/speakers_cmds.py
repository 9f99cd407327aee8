"""``qualcode speakers``: who speaks in each transcript, and their roles."""

from __future__ import annotations

from dataclasses import asdict

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.domain.documents import ROLES
from qualcode.domain.wording import counted
from qualcode.services import speakers


@click.group("speakers", invoke_without_command=True)
@click.option("--source", "source_id", metavar="ID", help="Only this source.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def speakers_group(ctx: click.Context, source_id: str | None, as_json: bool) -> None:
    """List each transcript's speakers with their role, turns and words;
    `speakers set NAME --role ROLE` changes a role."""
    if ctx.invoked_subcommand is not None:
        return
    with opened(ctx) as study:
        items = speakers.list_speakers(study, source_id)
    if as_json:
        emit_json([asdict(x) for x in items])
        return
    if not items:
        say("no transcript speakers (import transcripts first)")
        return
    click.echo(f"{'source':<24} {'speaker':<24} {'role':<12} {'turns':>6} {'words':>7}")
    for x in items:
        click.echo(f"{x.source:<24} {x.speaker:<24} {x.role:<12} {x.turns:>6} {x.words:>7}")


@speakers_group.command("set")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="The speaker's role.")
@click.option("--source", "source_id", metavar="ID", help="Only in this source.")
@study_options
@click.pass_context
def set_cmd(ctx: click.Context, name: str, role: str, source_id: str | None) -> None:
    """Give speaker NAME a role in every transcript (or in --source). Segments and
    codings stay as they are; only respondent segments count as coded or get
    suggestions. Text with no label is named "(unlabelled)", and numbered prompts or
    guide questions with no label (role other) "(prompt)"."""
    with opened(ctx) as study:
        changed = speakers.set_role(study, name, role, source_id)
    where = f" in {source_id}" if source_id else ""
    if changed:
        say(f"{name} is now {role}{where}: {counted(changed, 'segment')} changed")
    else:
        say(f"{name} was already {role}{where}")


def register(group: click.Group) -> None:
    group.add_command(speakers_group)
