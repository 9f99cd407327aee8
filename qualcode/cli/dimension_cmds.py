"""``qualcode dimension ...`` and ``qualcode key-issues ...``: mapping a theme's range of
views (dimension values on cells and codings) and its key-issues note."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.domain.dimensions import Dimension, DimensionCount, DimensionValue
from qualcode.domain.key_issues import KeyIssues
from qualcode.errors import InputError
from qualcode.services import dimensions, key_issues


def value_json(v: DimensionValue) -> dict[str, Any]:
    return {
        "case": v.case,
        "theme": v.theme,
        "dimension": v.dimension,
        "value": v.value,
        "coder": v.coder,
        "coding": v.coding,
    }


def count_json(c: DimensionCount) -> dict[str, Any]:
    return {
        "theme": c.theme,
        "dimension": c.dimension,
        "group": c.group,
        "total": c.total,
        "rated": c.rated,
        "conflicting": c.conflicting,
        "values": [{"value": v.value, "cases": v.cases, "wording": v.wording} for v in c.values],
        "sentence": c.sentence,
    }


@click.group("dimension")
@study_options
def dimension_group() -> None:
    """Dimensions within themes: place cells (case x theme) and codings on a theme's
    declared dimensions (and the built-in `standing`: typical, exceptional)."""


def _target(args: tuple[str, ...], coding: int | None, wanted: int, usage: str) -> list[str]:
    """The positional words: CASE THEME and ``wanted`` more, or only those with --coding."""
    need = wanted if coding is not None else wanted + 2
    if len(args) != need:
        raise InputError(f"usage: {usage}")
    return list(args)


@dimension_group.command("set")
@click.argument("args", nargs=-1, required=True, metavar="[CASE THEME] NAME VALUE")
@click.option("--coding", type=int, metavar="ID", help="Set it on this coding instead of a cell.")
@study_options
@click.pass_context
def set_cmd(ctx: click.Context, args: tuple[str, ...], coding: int | None) -> None:
    """Set a cell's value: `dimension set CASE THEME NAME VALUE` (e.g. `int03 3.3 stance
    mixed`), or a coding's: `dimension set --coding ID NAME VALUE`."""
    usage = "dimension set CASE THEME NAME VALUE (or --coding ID NAME VALUE)"
    words = _target(args, coding, 2, usage)
    with opened(ctx) as study:
        if coding is not None:
            done = dimensions.set_coding_value(study, coding, words[0], words[1])
            say(f"coding {coding}: {done.dimension} = {done.value}")
            return
        case, theme, name, value = words
        done = dimensions.set_value(study, case, theme, name, value)
    say(f"{case} on {theme}: {done.dimension} = {done.value}")


@dimension_group.command("unset")
@click.argument("args", nargs=-1, required=True, metavar="[CASE THEME] NAME")
@click.option("--coding", type=int, metavar="ID", help="Remove it from this coding instead.")
@study_options
@click.pass_context
def unset_cmd(ctx: click.Context, args: tuple[str, ...], coding: int | None) -> None:
    """Remove a cell's value on a dimension (`dimension unset CASE THEME NAME`), or with
    --coding ID a coding's."""
    words = _target(args, coding, 1, "dimension unset CASE THEME NAME (or --coding ID NAME)")
    with opened(ctx) as study:
        if coding is not None:
            gone = dimensions.unset_coding_value(study, coding, words[0])
            where, name = f"coding {coding}", words[0]
        else:
            case, theme, name = words
            gone = dimensions.unset_value(study, case, theme, name)
            where = f"{case} on {theme}"
    say(f"{where}: {name} removed" if gone else f"{where} had no {name}")


@dimension_group.command("list")
@click.option("--theme", metavar="ID", help="Only this theme's values.")
@click.option("--case", metavar="ID", help="Only this case's values.")
@click.option("--dimension", "name", metavar="NAME", help="Only this dimension.")
@click.option("--codings", is_flag=True, help="Also list values set on codings.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def list_cmd(
    ctx: click.Context,
    theme: str | None,
    case: str | None,
    name: str | None,
    codings: bool,
    as_json: bool,
) -> None:
    """The values set on cells (and codings), by case and theme."""
    from qualcode.services.queries import check_case

    with opened(ctx) as study:
        if case is not None:
            check_case(study, case)
        values = dimensions.list_values(study, theme, case, name, codings)
    if as_json:
        emit_json([value_json(v) for v in values])
        return
    for v in values:
        where = f"coding {v.coding}" if v.coding is not None else ""
        click.echo(f"{v.case:<12} {v.theme:<8} {v.dimension:<12} {v.value:<20} {where}".rstrip())


@dimension_group.command("show")
@click.argument("theme")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def show_cmd(ctx: click.Context, theme: str, as_json: bool) -> None:
    """A theme's dimensions and their values, in declared order."""
    with opened(ctx) as study:
        dims = dimensions.dimensions_of(study, theme)
    if as_json:
        emit_json([{"name": d.name, "values": list(d.values)} for d in dims])
        return
    for d in dims:
        click.echo(f"{d.name}: {', '.join(d.values)}")


@dimension_group.command("declare")
@click.argument("theme")
@click.argument("name")
@click.argument("values", nargs=-1)
@study_options
@click.pass_context
def declare_cmd(ctx: click.Context, theme: str, name: str, values: tuple[str, ...]) -> None:
    """Declare (or with no VALUES remove) a dimension of a theme, e.g. `dimension declare
    3.3 mention spontaneous prompted`. The framework file's `dimensions:` does the same."""
    from qualcode.domain.dimensions import DimensionProblem, clean_name, parse_declaration

    with opened(ctx) as study:
        current = list(dimensions.declarations(study).get(theme, ()))
        try:
            wanted = clean_name(name)
            added: tuple[Dimension, ...] = (
                parse_declaration({wanted: list(values)}) if values else ()
            )
        except DimensionProblem as exc:
            raise InputError(str(exc)) from None
        kept = [d for d in current if d.name != wanted]
        if not values and len(kept) == len(current):
            raise InputError(f"theme {theme!r} declares no dimension {wanted!r}")
        dimensions.declare(study, theme, [*kept, *added])
    say(f"{theme}: {wanted} " + (f"= {', '.join(values)}" if values else "removed"))


@dimension_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@study_options
@click.pass_context
def import_cmd(ctx: click.Context, file: Path) -> None:
    """Set cell values from a CSV of `case,theme,dimension,value` rows; a bad row names
    the file and row, and nothing is kept."""
    from qualcode.services.dimension_import import import_values

    with opened(ctx) as study:
        count = import_values(study, file)
    say(f"{count} value{'s' if count != 1 else ''} set from {file}")


@click.group("key-issues")
@study_options
def key_issues_group() -> None:
    """A theme's key-issues note, closing its section of the report and matrix export."""


@key_issues_group.command("set")
@click.argument("theme")
@click.argument("text", required=False)
@click.option(
    "--file", "file", type=click.Path(path_type=Path, dir_okay=False), help="Read the text."
)
@click.option(
    "--version",
    "version",
    type=click.IntRange(min=0),
    metavar="N",
    help="The version you read (`key-issues show --json`); needed to change a colleague's.",
)
@study_options
@click.pass_context
def key_set_cmd(
    ctx: click.Context, theme: str, text: str | None, file: Path | None, version: int | None
) -> None:
    """Write a theme's key issues (TEXT, --file F, or `-` for stdin); blank removes it.
    A colleague's are changed only with --version N, the version you read."""
    if file is not None and text is not None:
        raise InputError("give TEXT or --file, not both")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the file ({exc})", file) from None
    elif text == "-":
        text = sys.stdin.read()
    if text is None:
        raise InputError("give the key issues as TEXT or --file F")
    with opened(ctx) as study:
        saved = key_issues.set_key_issues(study, theme, text, expected_version=version)
    say(f"{theme}: key issues saved (version {saved.version})" if saved else f"{theme}: removed")


def _note_json(theme: str, note: KeyIssues | None) -> dict[str, Any]:
    return {
        "theme": theme,
        "text": note.text if note else "",
        "coder": note.coder if note else None,
        "version": note.version if note else 0,
        "updated": note.updated.isoformat() if note else None,
    }


@key_issues_group.command("show")
@click.argument("theme", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def key_show_cmd(ctx: click.Context, theme: str | None, as_json: bool) -> None:
    """A theme's key issues, or every theme's that has some."""
    with opened(ctx) as study:
        if theme is not None:
            notes = {theme: key_issues.get_key_issues(study, theme)}
        else:
            notes = dict(key_issues.key_issues(study).items())
    if as_json:
        emit_json([_note_json(t, n) for t, n in notes.items()])
        return
    for tid, note in notes.items():
        click.echo(f"## {tid}")
        click.echo(note.text if note else "(no key issues yet)")


def register(group: click.Group) -> None:
    group.add_command(dimension_group)
    group.add_command(key_issues_group)
