"""``qualcode anonymise ...``: find names, review the proposals, generalise job titles."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from qualcode.cli.common import emit_json, opened, say, settings, study_options
from qualcode.domain.anonymise import STATUSES, Proposal
from qualcode.domain.wording import counted
from qualcode.services import anonymise

PATH = click.Path(path_type=Path, dir_okay=False)


def _show(proposals: list[Proposal], as_json: bool) -> None:
    if as_json:
        emit_json([asdict(p) for p in proposals])
        return
    for p in proposals:
        click.echo(
            f"{p.placeholder:<24} {p.status:<9} {p.kind:<13} {p.occurrences:>5}  {p.original}"
        )


@click.group("anonymise", invoke_without_command=True)
@click.option(
    "--names", type=PATH,
    help="Names to hide for certain: a text file (one per line, optionally 'place: Name') "
    "or a CSV with name[,kind][,placeholder].",
)  # fmt: skip
@click.option("--no-spacy", is_flag=True, help="Do not use an installed spaCy pipeline.")
@click.option("--model", metavar="NAME", help="The spaCy pipeline to use (package or folder).")
@click.option("--accept", is_flag=True, help="Accept every proposal waiting for review.")
@click.option("--json", "as_json", is_flag=True, help="Print the proposals as JSON.")
@study_options
@click.pass_context
def anonymise_group(
    ctx: click.Context,
    names: Path | None,
    no_spacy: bool,
    model: str | None,
    accept: bool,
    as_json: bool,
) -> None:
    """Find names of people, places and organisations and propose placeholders.

    Names come from your list (--names, accepted at once), from capitalisation and
    context, and from a trained spaCy pipeline when one is installed. Each name gets a
    placeholder that stays the same across the study ([Person 3], [X] college). Review
    the proposals (`anonymise review --csv FILE`, then `anonymise apply-review FILE`,
    or in the TUI); only accepted ones are applied by `--anonymised` exports. The
    texts themselves never change, and the mapping never leaves the study.
    """
    if ctx.invoked_subcommand is not None:
        return
    with opened(ctx) as study:
        report = anonymise.find_names(
            study, names, use_spacy=not no_spacy, model=model, nlp_model=settings(ctx).nlp_model
        )
        accepted = anonymise.accept_all(study) if accept else 0
        proposals = anonymise.list_proposals(study) if accept else list(report.proposals)
    _show(proposals, as_json)
    how = f"heuristics and the spaCy pipeline {report.pipeline}" if report.pipeline else (
        "heuristics (no trained spaCy pipeline installed)"
    )  # fmt: skip
    say(f"{report.added} new names found with {how}; {report.known} known before")
    if accepted:
        say(f"{counted(accepted, 'proposal')} accepted")


@anonymise_group.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only proposals with this status.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def list_cmd(ctx: click.Context, status: str | None, as_json: bool) -> None:
    """List the names and their placeholders (variants of one name next to each other)."""
    with opened(ctx) as study:
        _show(anonymise.list_proposals(study, status), as_json)


@anonymise_group.command("review")
@click.option("--csv", "csv_file", type=PATH, required=True, help="The CSV file to write.")
@study_options
@click.pass_context
def review_cmd(ctx: click.Context, csv_file: Path) -> None:
    """Write the proposals to a CSV for review: set `status` to accepted or rejected and
    change `placeholder` or `kind` where you like, then run `anonymise apply-review`.

    The file holds the real names: keep it with the study and delete it afterwards.
    """
    with opened(ctx) as study:
        n = anonymise.export_review(study, csv_file)
    say(
        f"wrote {counted(n, 'proposal')} to {csv_file} "
        "(it holds the real names: delete it after review)"
    )


@anonymise_group.command("apply-review")
@click.argument("file", type=PATH)
@study_options
@click.pass_context
def apply_review_cmd(ctx: click.Context, file: Path) -> None:
    """Apply a reviewed CSV (from `anonymise review`); new rows add names of your own."""
    with opened(ctx) as study:
        result = anonymise.import_review(study, file)
    say(
        f"{counted(result['changed'], 'proposal')} changed, "
        f"{counted(result['added'], 'name')} added"
    )


@anonymise_group.command("titles")
@click.option(
    "--rules", type=PATH, help="A rules file (default: the settings' or the shipped one)."
)
@study_options
@click.pass_context
def titles_cmd(ctx: click.Context, rules: Path | None) -> None:
    """Show how the study's job titles read in anonymised outputs, by the rules table."""
    table = anonymise.title_rules(rules or settings(ctx).title_rules)
    generalise = anonymise.title_generaliser(table)
    with opened(ctx) as study:
        from qualcode.services import queries

        titles = sorted(
            {
                str(c.attributes[a])
                for c in queries.list_cases(study)
                for a in table.attributes
                if a in c.attributes
            }  # fmt: skip
        )
    say(f"rules: {table.path}; attributes: {', '.join(table.attributes)}")
    for title in titles:
        click.echo(f"{title}  ->  {generalise(title)}")


def register(group: click.Group) -> None:
    group.add_command(anonymise_group)
