"""``qualcode quotes``: illustrative quotes with attributions; marking passages as quotes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qualcode.cli.common import opened, say, study_options
from qualcode.errors import InputError
from qualcode.exchange.quotes_writers import FORMATS, TEXT_RENDERERS, write_quotes
from qualcode.services import quotes
from qualcode.services.matrix_data import KINDS


@click.group("quotes", invoke_without_command=True)
@click.option("--theme", metavar="ID", help="Quotes for this theme and its sub-themes.")
@click.option("--by", "by", multiple=True, metavar="ATTR", help="Group quotes by an attribute.")
@click.option(
    "--attribution",
    metavar="TEMPLATE",
    help="e.g. '[{role}, {authority_type}]' or '[{sector} {job}]' "
    "(default: the attribution setting).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="md (default), csv, json or docx (docx needs --out).",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file.")
@click.option(
    "--max-words",
    type=int,
    metavar="N",
    help="Shorten longer quotes at sentence boundaries with '...'.",
)
@click.option("--kind", type=click.Choice(KINDS), help="Only quotes from this kind of source.")
@click.option("--marked-only", is_flag=True, help="Only passages marked as quotes.")
@click.option("--per-group", type=int, metavar="N", help="At most N quotes per theme and group.")
@click.option(
    "--anonymised", is_flag=True,
    help="Replace accepted names (see `qualcode anonymise`) and generalise job titles.",
)  # fmt: skip
@study_options
@click.pass_context
def quotes_group(
    ctx: click.Context,
    theme: str | None,
    by: tuple[str, ...],
    attribution: str | None,
    fmt: str | None,
    out: Path | None,
    max_words: int | None,
    kind: str | None,
    marked_only: bool,
    per_group: int | None,
    anonymised: bool,
) -> None:
    """Illustrative quotes with attributions, marked quotes first.

    `quotes mark CODING...` marks passages worth quoting (`quotes --format json` shows
    each quote's coding id).
    """
    if ctx.invoked_subcommand is not None:
        return
    from qualcode.config import load_settings

    fmt = fmt or _format_of(out)
    if fmt == "docx" and out is None:
        raise click.UsageError("--format docx needs --out FILE")
    template = attribution or load_settings().attribution
    with opened(ctx) as study:
        found = quotes.quotes(
            study,
            theme,
            by,
            template,
            max_words,
            kind,
            marked_only,
            per_group,
            strict=attribution is not None,
            anonymised=anonymised,
        )
        labels = _labels(study)
    if out is not None:
        write_quotes(found, labels, fmt, out)
        say(f"wrote {len(found)} quotes to {out}")
        return
    sys.stdout.write(TEXT_RENDERERS[fmt](found, labels))


def _format_of(out: Path | None) -> str:
    if out is None:
        return "md"
    suffix = out.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise InputError(
        f"cannot tell the format from the suffix; add --format ({', '.join(FORMATS)})", out
    )


def _labels(study: object) -> dict[str, str]:
    from qualcode.services.framework import list_themes

    return {t.id: t.label for t in list_themes(study)}  # type: ignore[arg-type]


@quotes_group.command("mark")
@click.argument("codings", nargs=-1, type=int, required=True)
@study_options
@click.pass_context
def mark_cmd(ctx: click.Context, codings: tuple[int, ...]) -> None:
    """Mark coded passages (by coding id) as worth quoting."""
    _mark(ctx, codings, True)


@quotes_group.command("unmark")
@click.argument("codings", nargs=-1, type=int, required=True)
@study_options
@click.pass_context
def unmark_cmd(ctx: click.Context, codings: tuple[int, ...]) -> None:
    """Remove the quote mark from coded passages."""
    _mark(ctx, codings, False)


def _mark(ctx: click.Context, codings: tuple[int, ...], marked: bool) -> None:
    with opened(ctx) as study:
        quotes.mark_quotes(study, codings, marked)
    say(f"{len(codings)} passage(s) {'marked' if marked else 'unmarked'} as quotes")


def register(group: click.Group) -> None:
    group.add_command(quotes_group)
