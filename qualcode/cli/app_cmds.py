"""Creating, describing and opening a study; the sample study."""

from __future__ import annotations

import sys

import click

from qualcode.cli.common import (
    chosen,
    coder,
    open_and_report,
    opened,
    say,
    settings,
    study_options,
    study_url,
)
from qualcode.services.demo import (
    build_demo,
    default_demo_url,
    demo_needs_building,
    describe,
    readable_url,
)
from qualcode.services.study import UNTITLED, init_study, resolve_url, study_info


@click.command("init")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--title", default=UNTITLED, show_default=True, help="The study's title.")
@study_options
@click.pass_context
def init_cmd(ctx: click.Context, path: str | None, title: str) -> None:
    """Create an empty study: the SQLite file PATH (or --study), or the database at --db.

    Then `export QUALCODE_STUDY=PATH` (or pass --study PATH) for the other commands.
    """
    from qualcode.errors import InputError

    if path is not None and chosen(ctx).get("study") not in (None, path):
        raise InputError(f"two study files given: {path} and --study {chosen(ctx)['study']}")
    if path is not None and chosen(ctx).get("db"):
        raise InputError(f"both a study file ({path}) and --db given: choose one")
    url = resolve_url(path, None) if path is not None else study_url(ctx)
    study = init_study(url, title, coder(ctx))
    say(f"created {readable_url(study.url)}")
    if path is not None:
        say(f"next: export QUALCODE_STUDY={path}  (or pass --study {path} to each command)")
    study.close()


@click.command("info")
@study_options
@click.pass_context
def info_cmd(ctx: click.Context) -> None:
    """Show the study's title and how much it holds."""
    with opened(ctx) as study:
        click.echo(describe(study_info(study)))


def _launch(ctx: click.Context, url: str, who: str | None) -> None:
    """Open the TUI, or print a summary where no terminal is attached."""
    study = open_and_report(ctx, url, who)
    try:
        if not sys.stdout.isatty():
            click.echo(describe(study_info(study)))
            # said, or a pipe or `ssh host qualcode` (no -t) looks like a workbench that
            # opened and shut at once
            say("note: not a terminal, so the workbench did not open (over ssh, use ssh -t)")
            return
        # Imported here, the only import of the TUI in the CLI (an import-linter contract):
        # the CLI's other commands must not pay for loading Textual.
        from qualcode.tui.app import run_app

        run_app(study)
    finally:
        study.close()


@click.command("open")
@study_options
@click.pass_context
def open_cmd(ctx: click.Context) -> None:
    """Open the coding workbench on the chosen study."""
    _launch(ctx, study_url(ctx), coder(ctx))


@click.command("demo")
@click.option("--fresh", is_flag=True, help="Rebuild the sample study even if it exists.")
@click.option("--no-open", is_flag=True, help="Build the sample study but do not open it.")
@study_options
@click.pass_context
def demo_cmd(ctx: click.Context, fresh: bool, no_open: bool) -> None:
    """Build the sample study from transcripts/ and frameworks/ and open it.

    Without --study or --db (or $QUALCODE_STUDY / $QUALCODE_DB) the sample study is
    kept in your user data folder.
    """
    opts, chosen_before = chosen(ctx), settings(ctx)
    named = opts.get("study") or opts.get("db") or chosen_before.study or chosen_before.db
    url = study_url(ctx) if named else default_demo_url()
    if demo_needs_building(url, fresh):
        say("building the sample study...")
        build_demo(url, coder(ctx), say).close()
    if no_open:
        with opened_url(ctx, url, coder(ctx)) as text:
            click.echo(text)
        return
    _launch(ctx, url, coder(ctx))


class opened_url:  # noqa: N801 - a tiny context manager used like a function
    def __init__(self, ctx: click.Context, url: str, who: str | None) -> None:
        self.study = open_and_report(ctx, url, who)

    def __enter__(self) -> str:
        return describe(study_info(self.study))

    def __exit__(self, *exc: object) -> None:
        self.study.close()


def register(group: click.Group) -> None:
    for command in (init_cmd, info_cmd, open_cmd, demo_cmd):
        group.add_command(command)
