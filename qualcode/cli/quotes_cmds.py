"""``qualcode quotes``: illustrative quotes with attributions; marking passages as quotes."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from qualcode.cli.common import opened, say, settings, study_options, warn_unreviewed
from qualcode.domain.wording import counted
from qualcode.errors import InputError
from qualcode.services import export_formats as formats
from qualcode.services import queries, quotes
from qualcode.services.matrix_data import KINDS
from qualcode.services.quote_export import QuoteSelection, export_quotes, quote_format


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
    "--survey-attribution",
    metavar="TEMPLATE",
    help="For quotes from survey answers, e.g. '[{sector} {job}, survey]' "
    "(default: --attribution when given, else the survey_attribution setting).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(formats.names(formats.QUOTES)),
    help="md (default), or from the --out suffix: "
    + formats.listing(formats.QUOTES)
    + ". docx needs --out.",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the same as --format json).")
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
    survey_attribution: str | None,
    fmt: str | None,
    out: Path | None,
    as_json: bool,
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
    if as_json:
        # as every other listing takes it (interface.md's JSON shapes)
        if fmt not in (None, "json"):
            raise InputError(f"--json and --format {fmt} ask for two formats: give one")
        fmt = "json"
    chosen = quote_format(fmt, out)
    if chosen.render is None and out is None:
        raise click.UsageError(f"--format {chosen.name} needs --out FILE")
    selection = QuoteSelection(
        theme,
        by,
        attribution or settings(ctx).attribution,
        max_words,
        kind,
        marked_only,
        per_group,
        strict=attribution is not None,
        anonymised=anonymised,
        title_rules=settings(ctx).title_rules,
        # an --attribution given alone is meant for every quote
        survey_template=survey_attribution or attribution or settings(ctx).survey_attribution,
        survey_strict=survey_attribution is not None,
    )
    with opened(ctx) as study:
        selection = replace(selection, by=queries.resolve_attributes(study, selection.by))
        done = export_quotes(study, selection, chosen, out)
        if anonymised:
            warn_unreviewed(study)
        if done.unattributed and attribution is None and survey_attribution is None:
            used = (selection.template or "", selection.survey_template or "")
            names = queries.attribute_names(study)
            say(unattributed(done.unattributed, done.count, used, names))
    if not done.count:  # an empty page and exit 0 read like a failure
        what = "marked quotes" if marked_only else "coded passages to quote"
        say(f"no {what}" + (f" under theme {theme}" if theme else ""))
    if done.path is not None:
        say(f"wrote {counted(done.count, 'quote')} to {done.path}")
        return
    sys.stdout.write(done.text or "")


def unattributed(n: int, total: int, templates: tuple[str, str], names: list[str]) -> str:
    """Quotes left without attribution by the settings' ``templates`` (interviews,
    survey answers), which name attributes this study's cases lack: say so, and what
    to give instead."""
    if n == total:
        which = "the quote has" if n == 1 else f"all {n:,} quotes have"
    else:
        which = f"{n:,} of the {total:,} quotes {'has' if n == 1 else 'have'}"
    return (
        f"warning: {which} no attribution: the attribution settings "
        f"({templates[0]} for interviews, {templates[1]} for survey answers) name no "
        f"attribute of those cases; give --attribution, for example '[{{case}}]' (the "
        f"study's attributes: {', '.join(names) or 'none'})"
    )


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
    say(f"{counted(len(codings), 'passage')} {'marked' if marked else 'unmarked'} as quotes")


def register(group: click.Group) -> None:
    group.add_command(quotes_group)
