"""The ``qualcode`` command: thin command groups over ``qualcode.services``.

Data goes to stdout, diagnostics to stderr. Bad input exits with status 2 and one
line on stderr that starts ``error:``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from qualcode import __version__
from qualcode.cli.common import study_options
from qualcode.errors import QualcodeError


def one_line(message: str) -> str:
    """Messages quoting a library's reason can hold line breaks: the error is one line.
    A paragraph break becomes a full stop where the paragraph had none."""
    paragraphs = [" ".join(part.split()) for part in message.split("\n\n")]
    kept = [p for p in paragraphs if p]
    return " ".join(
        p if i == len(kept) - 1 or p[-1] in ".:;!?)" else p + "." for i, p in enumerate(kept)
    )


class QualcodeGroup(click.Group):
    """Turns every failure into one ``error:`` line and an exit status."""

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        extra.pop("standalone_mode", None)
        try:
            rv = super().main(args, prog_name or "qualcode", standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
            click.echo(f"error: {exc.format_message()}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code if exc.exit_code != 1 else 2)
        except QualcodeError as exc:
            click.echo(f"error: {one_line(exc.message)}", err=True)
            sys.exit(2)
        except click.exceptions.Abort:
            click.echo("error: aborted", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("error: interrupted; nothing half-written was kept", err=True)
            sys.exit(130)
        except Exception as exc:  # the last line of defence: one line, never a traceback
            from qualcode.cli.failures import describe

            if os.environ.get("QUALCODE_DEBUG"):
                raise
            click.echo(f"error: {one_line(describe(exc))}", err=True)
            sys.exit(2)
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=QualcodeGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="qualcode")
@study_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """qualcode: Framework Method analysis of interviews and survey comments.

    Without a command, opens the coding workbench on the chosen study.
    """
    if ctx.invoked_subcommand is None:
        from qualcode.cli.app_cmds import open_cmd

        ctx.invoke(open_cmd)


def _register() -> None:
    from qualcode.cli import (
        anonymise_cmds,
        app_cmds,
        codings_cmds,
        dimension_cmds,
        exchange_cmds,
        framework_cmds,
        import_cmds,
        listing,
        mapping_cmds,
        matrix_cmds,
        memo_cmds,
        nlp_cmds,
        quotes_cmds,
        speakers_cmds,
        summary_cmds,
        team_cmds,
        undo_cmds,
    )

    for module in (
        app_cmds,
        import_cmds,
        framework_cmds,
        listing,
        speakers_cmds,
        codings_cmds,
        team_cmds,
        matrix_cmds,
        dimension_cmds,
        mapping_cmds,
        summary_cmds,
        memo_cmds,
        quotes_cmds,
        nlp_cmds,
        exchange_cmds,
        anonymise_cmds,
        undo_cmds,
    ):
        module.register(cli)


_register()


def main() -> None:
    cli.main()
