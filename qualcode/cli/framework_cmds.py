"""``qualcode framework ...``: the study's frameworks and their themes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.domain.framework import id_repeats_label
from qualcode.domain.frameworks import Framework
from qualcode.domain.wording import counted, plural
from qualcode.services import export_formats as formats
from qualcode.services import framework, framework_files, frameworks

APPLIES_HELP = (
    "What the framework codes: transcript, survey, survey:QUESTION,QUESTION (only "
    "those questions) or all."
)


@click.group("framework")
@study_options
def framework_group() -> None:
    """Import, export, show and edit the study's frameworks (by name) and their themes.

    A study may hold several frameworks, each applying to one kind of source (the
    interviews, the survey or some of its questions). Its themes are offered only on
    those passages and counted over the cases that hold them.
    """


@framework_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", metavar="NAME", help="The framework the themes go in (created if new).")
@click.option("--applies-to", "applies_to", metavar="WHAT", help=APPLIES_HELP)
@study_options
@click.pass_context
def import_cmd(ctx: click.Context, file: Path, name: str | None, applies_to: str | None) -> None:
    """Add themes from a framework YAML file; themes with the same id are updated.

    A theme's notes the file leaves out (definition, inclusion, exclusion, keywords) are
    kept; one it gives, even empty, replaces the study's. The file may say `name:` and
    `applies_to:` itself; the options win. Without a name the themes go in the default
    framework, which applies to everything.
    """
    with opened(ctx) as study:
        report = framework_files.import_framework(study, file, name, applies_to)
        chosen = _chosen(study, name, file)
    where = f" into framework {chosen.name!r} ({chosen.applies_to.describe()})" if chosen else ""
    say(f"{counted(report.themes_added, 'theme')} added, {report.themes_updated} updated{where}")
    for warning in report.warnings:
        say(f"warning: {warning}")


def _chosen(study: Any, name: str | None, file: Path) -> Framework | None:
    header = frameworks.read_header(file)
    wanted = name or header.name or (file.stem if header.applies_to else None)
    return frameworks.get_framework(study, wanted) if wanted else None


@framework_group.command(
    "export", help="Write the framework to a YAML file. " + formats.writes(formats.FRAMEWORK)
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", metavar="NAME", help="Only this framework (with what it applies to).")
@study_options
@click.pass_context
def export_cmd(ctx: click.Context, file: Path, name: str | None) -> None:
    """Write the framework (help text: the export registry, exchange/formats.py)."""
    with opened(ctx) as study:
        n = framework_files.export_framework(study, file, name=name)
    say(f"{counted(n, 'theme')} written to {file}")


@framework_group.command("show")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def show_cmd(ctx: click.Context, name: str | None, as_json: bool) -> None:
    """Show the theme tree with coding and case counts (only framework NAME's if given)."""
    with opened(ctx) as study:
        tree = framework.framework_tree(study)
        owned = frameworks.study_frameworks(study)
        if name is not None:
            name = frameworks.get_framework(study, name).name
        counts = {} if as_json else framework.theme_counts(study)
    shown = [t for t in tree.ordered() if name is None or owned.of_theme.get(t.id) == name]
    if as_json:
        emit_json(
            [
                {"id": t.id, "label": t.label, "parent": t.parent, "definition": t.definition}
                for t in shown
            ]
        )
        return
    heading = None
    keep = {t.id for t in shown}
    lines: list[tuple[str, str]] = []  # (a framework's heading, "") or (label, counts)
    for tid, depth in tree.walk():
        if tid not in keep:
            continue
        owner = owned.framework_of(tid)
        if depth == 0 and len(owned.frameworks) > 1 and owner.name != heading:
            heading = owner.name
            said = f"[{owner.name}] {owner.title or ''}  - codes {owner.applies_to.describe()}"
            lines.append((said, ""))
        codings, cases = counts.get(tid, (0, 0))
        theme_label = tree.themes[tid].label
        # a slug id ("staff-manner") only spells its label: written once
        named = tid if id_repeats_label(tid, theme_label) else f"{tid}  {theme_label}"
        counted_ = f"{codings:>5} {plural(codings, 'coding'):<7} {cases:>4} {plural(cases, 'case')}"
        lines.append((f"{'  ' * depth}{named}", counted_))
    # the counts line up however long the ids and labels are
    width = max((len(label) for label, counted_ in lines if counted_), default=0)
    for label, counted_ in lines:
        click.echo(f"{label:<{width}} {counted_}" if counted_ else label)


@framework_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """The study's frameworks: name, what each applies to, number of themes."""
    with opened(ctx) as study:
        owned = frameworks.study_frameworks(study)
    rows = [
        {
            "name": f.name,
            "title": f.title,
            "applies_to": f.applies_to.spec,
            "kind": f.applies_to.kind,
            "questions": list(f.applies_to.questions),
            "themes": len(owned.themes_of(f.name)),
        }
        for f in owned.frameworks.values()
    ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        click.echo(
            f"{row['name']:<20} {row['applies_to']:<30} {row['themes']:>4} themes  "
            f"{row['title'] or ''}"
        )


@framework_group.command("edit")
@click.argument("name")
@click.option("--rename", "new_name", metavar="NEW", help="Give the framework a new name.")
@click.option("--title", metavar="TEXT", help="Its title.")
@click.option("--applies-to", "applies_to", metavar="WHAT", help=APPLIES_HELP)
@click.option(
    "--add-theme",
    "themes",
    multiple=True,
    metavar="ID",
    help="Move this top-level theme (with its sub-themes) into the framework.",
)
@study_options
@click.pass_context
def edit_cmd(
    ctx: click.Context,
    name: str,
    new_name: str | None,
    title: str | None,
    applies_to: str | None,
    themes: tuple[str, ...],
) -> None:
    """Rename a framework, change its title or what it applies to, or move themes in."""
    with opened(ctx) as study:
        if themes:
            moved = frameworks.assign_themes(study, name, themes)
            say(f"{len(moved)} themes now in framework {name!r}")
        if new_name is not None or title is not None or applies_to is not None:
            done = frameworks.edit_framework(
                study, name, new_name=new_name, title=title, applies_to=applies_to
            )
            say(f"framework {done.name!r} codes {done.applies_to.describe()}")
        warning = frameworks.outside_warning(study, new_name or name)
        if warning:
            say(f"warning: {warning}")


@framework_group.command("delete")
@click.argument("name")
@study_options
@click.pass_context
def delete_cmd(ctx: click.Context, name: str) -> None:
    """Remove a framework; its themes (and their codings) stay, in the default framework."""
    with opened(ctx) as study:
        n = frameworks.delete_framework(study, name)
    say(
        f"framework {name!r} removed; {counted(n, 'theme')} now in the default framework "
        "(`qualcode undo` brings it back)"
    )


def register(group: click.Group) -> None:
    group.add_command(framework_group)
