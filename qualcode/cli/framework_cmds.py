"""``qualcode framework ...``: the thematic framework."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.domain.wording import counted, plural
from qualcode.services import framework


@click.group("framework")
def framework_group() -> None:
    """Import, export and show the thematic framework."""


@framework_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@study_options
@click.pass_context
def import_cmd(ctx: click.Context, file: Path) -> None:
    """Add themes from a framework YAML file; themes with the same id are updated."""
    with opened(ctx) as study:
        report = framework.import_framework(study, file)
    say(f"{counted(report.themes_added, 'theme')} added, {report.themes_updated} updated")


@framework_group.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@study_options
@click.pass_context
def export_cmd(ctx: click.Context, file: Path) -> None:
    """Write the framework to a YAML file."""
    with opened(ctx) as study:
        n = framework.export_framework(study, file)
    say(f"{counted(n, 'theme')} written to {file}")


@framework_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def show_cmd(ctx: click.Context, as_json: bool) -> None:
    """Show the theme tree with coding and case counts."""
    with opened(ctx) as study:
        tree = framework.framework_tree(study)
        counts = {} if as_json else framework.theme_counts(study)
    if as_json:
        emit_json(
            [
                {"id": t.id, "label": t.label, "parent": t.parent, "definition": t.definition}
                for t in tree.ordered()
            ]
        )
        return
    for tid, depth in tree.walk():
        codings, cases = counts.get(tid, (0, 0))
        label = f"{'  ' * depth}{tid}  {tree.themes[tid].label}"
        click.echo(
            f"{label:<70} {codings:>5} {plural(codings, 'coding'):<7} "
            f"{cases:>4} {plural(cases, 'case')}"
        )


def register(group: click.Group) -> None:
    group.add_command(framework_group)
