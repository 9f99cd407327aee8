"""``qualcode summary ...``: read and edit matrix cell summaries and group syntheses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.domain.matrix import FINAL, NOT_DISCUSSED, STATUSES, WRITTEN, Summary, Synthesis
from qualcode.domain.wording import counted
from qualcode.services import drafts, matrix, queries, summaries
from qualcode.services.study import Study


def _summary_json(x: Summary) -> dict[str, Any]:
    return {
        "case": x.case,
        "theme": x.theme,
        "text": x.text,
        "status": x.status,
        "coder": x.coder,
        "version": x.version,
        "updated": x.updated.isoformat() if x.updated else None,
    }


def _version_option(f: Any) -> Any:
    return click.option(
        "--version",
        "version",
        type=int,
        metavar="N",
        help="The version you read (see `summary show`); the edit is refused if the cell "
        "has changed since. Without it, only an empty cell or your own may be changed.",
    )(f)


@click.group("summary")
@study_options
def summary_group() -> None:
    """Matrix cell summaries: show, set, accept a draft, history, group syntheses."""


@summary_group.command("show")
@click.argument("case")
@click.argument("theme")
@click.option("--history", is_flag=True, help="Every saved version, oldest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def show_cmd(ctx: click.Context, case: str, theme: str, history: bool, as_json: bool) -> None:
    """Show a cell's summary, its status, version and who wrote it."""
    with opened(ctx) as study:
        current = summaries.get_summary(study, case, theme)
        versions = summaries.summary_history(study, case, theme) if history else []
    if as_json:
        data = _summary_json(current)
        if history:
            data["history"] = [
                {
                    "version": v.version,
                    "text": v.text,
                    "status": v.status,
                    "coder": v.coder,
                    "changed": v.changed.isoformat(),
                }
                for v in versions
            ]
        emit_json(data)
        return
    who = f" by {current.coder}" if current.coder else ""
    click.echo(f"{case} / {theme}: {current.status}, version {current.version}{who}")
    if current.text:
        click.echo(current.text)
    for v in versions:
        click.echo(f"--- version {v.version}, {v.status}, {v.coder}, {v.changed:%Y-%m-%d %H:%M}")
        click.echo(v.text)


@summary_group.command("set")
@click.argument("case")
@click.argument("theme")
@click.argument("text", required=False)
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Read the text from a file (- for stdin).",
)
@click.option("--status", type=click.Choice(STATUSES), help="Set the status too.")
@click.option("--final", is_flag=True, help="Save as final (same as --status final).")
@_version_option
@study_options
@click.pass_context
def set_cmd(
    ctx: click.Context,
    case: str,
    theme: str,
    text: str | None,
    file: Path | None,
    status: str | None,
    final: bool,
    version: int | None,
) -> None:
    """Write a cell's summary (a new text is "written" - yours, not a machine draft -
    unless --final; a final summary stays final)."""
    if text is not None and file is not None:
        raise click.UsageError("give the text or --file, not both")
    if file is not None:
        text = sys.stdin.read() if str(file) == "-" else _read(file)
    if final:
        status = FINAL
    if text is None and status is None:
        raise click.UsageError("give a TEXT, --file or --status")
    with opened(ctx) as study:
        if status == NOT_DISCUSSED:
            _not_coded(study, case, theme)
        saved = summaries.set_summary(study, case, theme, text, status, version)
    say(f"{case} / {theme}: saved version {saved.version} ({saved.status})")


def _not_coded(study: Study, case: str, theme: str) -> None:
    """Refuse "not discussed" for a cell holding coded passages: the case did speak to
    the theme, and a report would say otherwise beside the quotes."""
    from qualcode.errors import InputError

    coded = len(matrix.cell(study, case, theme).passages)
    if coded:
        raise InputError(
            f"{case} / {theme}: the cell holds {counted(coded, 'coded passage')}, so it "
            "cannot be marked not discussed (uncode them first, or write a summary)"
        )


def _read(path: Path) -> str:
    from qualcode.errors import InputError

    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({exc})", path) from exc


@summary_group.command("accept")
@click.argument("case")
@click.argument("theme")
@_version_option
@study_options
@click.pass_context
def accept_cmd(ctx: click.Context, case: str, theme: str, version: int | None) -> None:
    """Accept a drafted or written summary as final."""
    with opened(ctx) as study:
        saved = summaries.accept_summary(study, case, theme, version)
    say(f"{case} / {theme}: version {saved.version} is {saved.status}")


@summary_group.command("draft")
@click.argument("case")
@click.argument("theme")
@click.option("--save", is_flag=True, help="Save the proposal with status drafted.")
@click.option(
    "--replace",
    is_flag=True,
    help="With --save: replace a written or final summary too (`qualcode undo` brings it back).",
)
@study_options
@click.pass_context
def draft_cmd(ctx: click.Context, case: str, theme: str, save: bool, replace: bool) -> None:
    """Propose a draft summary for one cell from its passages (printed; --save keeps it,
    unless the cell holds a written or final summary: --replace replaces that too)."""
    with opened(ctx) as study:
        proposal = drafts.draft_cell(study, case, theme)
        if not proposal.text:
            say(f"{case} / {theme}: no coded passages to draft from")
            return
        click.echo(proposal.text)
        current = summaries.get_summary(study, case, theme)
        if save and current.status in (WRITTEN, FINAL) and not replace:
            from qualcode.errors import InputError

            raise InputError(
                f"{case} / {theme} holds a {current.status} summary (version "
                f"{current.version}, {current.coder}): not replaced by the draft; "
                "give --replace to replace it"
            )
        if save:
            saved = summaries.set_summary(
                study, case, theme, proposal.text, "drafted", proposal.version
            )
            say(f"{case} / {theme}: saved version {saved.version} (drafted)")


@summary_group.command("synthesis")
@click.argument("theme")
@click.option(
    "--by",
    "by",
    required=True,
    metavar="ATTR",
    help="The grouping attribute (several joined by +, e.g. sector+authority_type).",
)
@click.option(
    "--group",
    "value",
    required=True,
    metavar="VALUE",
    help="The group, e.g. CSD (several values joined by ' / ').",
)
@click.argument("text", required=False)
@_version_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def synthesis_cmd(
    ctx: click.Context,
    theme: str,
    by: str,
    value: str,
    text: str | None,
    version: int | None,
    as_json: bool,
) -> None:
    """Show, or with TEXT set, a group's synthesis on a theme (the matrix's group row)."""
    with opened(ctx) as study:
        by = queries.resolve_attribute(study, by)
        if text is None:
            current: Synthesis = summaries.get_synthesis(study, theme, by, value)
        else:
            current = summaries.set_synthesis(study, theme, by, value, text, version)
            say(f"{by} = {value} / {theme}: saved version {current.version}")
    if as_json:
        emit_json(
            {
                "theme": current.theme,
                "attribute": current.attribute,
                "group": current.value,
                "text": current.text,
                "coder": current.coder,
                "version": current.version,
            }
        )
    elif text is None:
        click.echo(f"{by} = {value} / {theme}: version {current.version}")
        if current.text:
            click.echo(current.text)


def register(group: click.Group) -> None:
    group.add_command(summary_group)
