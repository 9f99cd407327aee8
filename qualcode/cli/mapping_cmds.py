"""``qualcode cooccurrence``, ``qualcode associations`` and ``qualcode typology``: the
mapping and interpretation stage, with counts in report wording."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.domain.mapping import Association, CoOccurrenceTable, Typology
from qualcode.domain.model import Segment
from qualcode.domain.wording import counted
from qualcode.services import mapping, queries, typology
from qualcode.services.dimension_associations import dimension_associations
from qualcode.services.mapping_export import export_mapping
from qualcode.services.matrix_data import AUTO, KINDS

ALL = "all"


def _kind(kind: str) -> str | None:
    return None if kind == ALL else kind


def _themes_option(f: Any) -> Any:
    return click.option(
        "--theme",
        "themes",
        multiple=True,
        metavar="ID",
        help="Only these themes (default: every theme with codings of its own).",
    )(f)


def _kind_option(auto: bool, text: str) -> Any:
    """``--kind``: which cases; ``auto`` (the default when offered) follows the themes."""
    choices = (AUTO, *KINDS, ALL) if auto else (*KINDS, ALL)
    return click.option(
        "--kind",
        type=click.Choice(choices),
        default=AUTO if auto else ALL,
        show_default=True,
        help=text,
    )


# --- co-occurrence ----------------------------------------------------------------------


def table_json(table: CoOccurrenceTable) -> dict[str, Any]:
    return {
        "within": table.within,
        "themes": [
            {
                "id": t,
                "label": table.labels.get(t, ""),
                "cases": table.theme_cases[t],
                "passages": table.theme_passages[t],
            }
            for t in table.themes
        ],
        "pairs": [
            {
                "a": p.a,
                "b": p.b,
                "cases": p.cases,
                "case_jaccard": p.case_jaccard,
                "passages": p.passages,
                "passage_jaccard": p.passage_jaccard,
            }
            for p in table.pairs
            if p.a != p.b
        ],
    }


def segment_json(g: Segment) -> dict[str, Any]:
    return {
        "segment": g.id,
        "case": g.case,
        "source": g.source,
        "line": g.line,
        "speaker": g.speaker,
        "text": g.text,
    }


@click.command("cooccurrence")
@click.option(
    "--within",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="N",
    help="Passages co-occur when their segments are at most N apart (0: the same segment).",
)
@_themes_option
@_kind_option(auto=False, text="Only interviews (transcript) or survey respondents.")
@click.option(
    "--pair",
    nargs=2,
    metavar="A B",
    help="List the passages (segments) where themes A and B co-occur.",
)
@click.option("--all-pairs", is_flag=True, help="Also list pairs that never co-occur.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def cooccurrence_cmd(
    ctx: click.Context,
    within: int,
    themes: tuple[str, ...],
    kind: str,
    pair: tuple[str, str] | None,
    all_pairs: bool,
    as_json: bool,
) -> None:
    """Which themes go together: cases with both themes, passages where their codings
    overlap or sit within N segments, and Jaccard indices (shared over either). One
    --theme shows that theme beside every other."""
    with opened(ctx) as study:
        if pair:
            found = mapping.cooccurrence_passages(study, pair[0], pair[1], within, _kind(kind))
            if as_json:
                emit_json([segment_json(g) for g in found])
                return
            for g in found:
                text = " ".join(g.text.split())
                click.echo(f"{g.id:<16} {g.source} l.{g.line:<6} {text[:90]}")
            say(f"{len(found)} passages where {pair[0]} and {pair[1]} co-occur")
            return
        # one theme asks "what goes with it?": it beside every other theme
        focus = themes[0] if len(themes) == 1 else None
        table = mapping.cooccurrence(
            study, None if focus else (themes or None), within, _kind(kind), beside=focus
        )
    if as_json:
        emit_json(table_json(table))
        return
    shown = [p for p in table.pairs if p.a != p.b and (all_pairs or p.cases or p.passages)]
    shown.sort(key=lambda p: (-p.passages, -p.cases, table.themes.index(p.a)))
    wide = max([8, *(len(x) for p in shown for x in (p.a, p.b))])
    click.echo(
        f"{'theme':<{wide}} {'theme':<{wide}} {'cases':>6} {'J':>5} {'passages':>9} {'J':>5}"
    )
    for p in shown:
        click.echo(
            f"{p.a:<{wide}} {p.b:<{wide}} {p.cases:>6} {p.case_jaccard:>5.2f} "
            f"{p.passages:>9} {p.passage_jaccard:>5.2f}"
        )
    beside = (
        f"{focus} beside the other {len(table.themes) - 1}" if focus else f"{len(table.themes)}"
    )
    say(f"{beside} themes; passages within {within} segment(s); `--pair A B` lists the passages")


# --- associations -----------------------------------------------------------------------


def association_json(a: Association) -> dict[str, Any]:
    return {
        "subject": a.subject,
        "label": a.label,
        "attribute": a.attribute,
        "kind": a.kind,
        "values": list(a.values),
        "focus": a.values[a.focus] if a.values else None,
        "groups": [
            {
                "group": g.group,
                "counts": dict(zip(a.values, g.counts, strict=True)),
                "cases": g.counts[a.focus] if g.counts else 0,
                "total": g.total,
                "percent": round(100.0 * g.share(a.focus), 1),
                "wording": g.wording,
            }
            for g in a.groups
        ],
        "difference": a.difference,
        "test": a.test,
        "p_value": a.p_value,
        "odds_ratio": a.odds_ratio,
        "q_value": a.q_value,
        "passes": a.passes,
        "left_out": a.left_out,
        "sentence": a.sentence,
        "caveat": a.caveat,
    }


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@click.command("associations")
@click.option("--by", "by", required=True, metavar="ATTR", help="The case attribute to compare.")
@_themes_option
@_kind_option(
    auto=True, text="Which cases: those of the kind each theme was coded on (auto), or all."
)
@click.option(
    "--fdr",
    type=float,
    metavar="RATE",
    help="Mark which themes pass a false discovery rate (Benjamini-Hochberg), e.g. 0.1.",
)
@click.option(
    "--dimension",
    metavar="NAME",
    help="Each value of this dimension (e.g. stance) within each theme that has it, "
    "over the cases with a recorded value (as `matrix --dimension` counts them).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def associations_cmd(
    ctx: click.Context,
    by: str,
    themes: tuple[str, ...],
    kind: str,
    fdr: float | None,
    dimension: str | None,
    as_json: bool,
) -> None:
    """Each theme (or, with --dimension, each value of a dimension within each theme)
    against the groups of a case attribute: n of N per group, the difference, Fisher's
    exact test, a drafted comparison sentence and its caveat. Strongest first."""
    with opened(ctx) as study:
        by = queries.resolve_attribute(study, by)
        if dimension is not None:
            found = dimension_associations(study, by, dimension, themes or None, _kind(kind), fdr)
        else:
            found = mapping.associations(study, by, themes or None, _kind(kind), fdr)
    if as_json:
        emit_json([association_json(a) for a in found])
        return
    if not found:
        what = f"a recorded {dimension}" if dimension else "coded themes"
        say(f"nothing to compare: no cases with {what}")
    for a in found:
        click.echo(f"{a.subject} {a.label}")
        for g in a.groups:
            n = g.counts[a.focus] if g.counts else 0
            click.echo(f"  {g.group[:24]:<24} {n:>5} of {g.total:<5} {g.wording}")
        passes = "" if a.passes is None else ("  passes" if a.passes else "  does not pass")
        click.echo(
            f"  difference {a.difference} points; {a.test}: p = {_number(a.p_value)}; "
            f"q = {_number(a.q_value)}{passes}"
        )
        if a.sentence:
            click.echo(f"  {a.sentence}")
        click.echo(f"  {a.caveat}")
        if a.left_out:
            click.echo(f"  ({a.left_out} cases without a value of {by} left out)")
        click.echo()


# --- typology ---------------------------------------------------------------------------


def typology_json(t: Typology) -> dict[str, Any]:
    return {
        "k": t.k,
        "method": t.method,
        "kind": t.kind,
        "themes": list(t.themes),
        "uncoded": t.uncoded,
        "types": [
            {
                "number": x.number,
                "name": x.name,
                "members": list(x.members),
                "defining": [
                    {
                        "theme": d[0],
                        "label": t.labels.get(d[0], ""),
                        "inside": d[1],
                        "outside": d[2],
                    }
                    for d in x.defining
                ],
            }
            for x in t.types
        ],
    }


def _show_typology(t: Typology) -> None:
    for x in t.types:
        cases = "case" if len(x.members) == 1 else "cases"
        click.echo(f"{x.number}  {x.name}  ({len(x.members)} {cases})")
        for theme, inside, outside in x.defining:
            click.echo(
                f"     {theme} {t.labels.get(theme, '')}: {inside:.0%} of the type, "
                f"{outside:.0%} of the others"
            )
        if not x.defining:
            click.echo("     (no theme sets this type apart)")
        click.echo(f"     members: {', '.join(x.members)}")
    if len(t.types) < t.k:
        say(
            f"Found {len(t.types)} types, not {t.k}: the cases' theme profiles do not "
            "split further (cases with the same themes always share a type)"
        )
    if t.uncoded:
        say(f"Left out {counted(t.uncoded, 'case', grouped=True)} with nothing coded yet")
    say(f"Method: {t.method}")


@click.group("typology")
@study_options
def typology_group() -> None:
    """Types of cases from the themes they raised: build, name, save as an attribute."""


@typology_group.command("build")
@click.option("--k", "k", type=click.IntRange(min=1), default=3, show_default=True, help="Types.")
@_themes_option
@_kind_option(auto=True, text="Which cases: interviews when there are any (auto), or all.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def build_cmd(
    ctx: click.Context, k: int, themes: tuple[str, ...], kind: str, as_json: bool
) -> None:
    """Cluster the cases into K types (the result becomes the typology to name and save)."""
    with opened(ctx) as study:
        built = typology.build(study, k, themes or None, _kind(kind))
    if as_json:
        emit_json(typology_json(built))
        return
    _show_typology(built)
    say("Name a type with `qualcode typology name TYPE NAME`; store it with "
        "`qualcode typology save --attribute type`.")  # fmt: skip


@typology_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def show_cmd(ctx: click.Context, as_json: bool) -> None:
    """The current typology (the latest build) with its names."""
    with opened(ctx) as study:
        found = typology.current(study)
    if found is None:
        raise click.ClickException("no typology yet: run `qualcode typology build` first")
    if as_json:
        emit_json(typology_json(found))
        return
    _show_typology(found)


@typology_group.command("name")
@click.argument("number", metavar="TYPE", type=int)
@click.argument("name")
@study_options
@click.pass_context
def name_cmd(ctx: click.Context, number: int, name: str) -> None:
    """Name type TYPE (its number) of the current typology."""
    with opened(ctx) as study:
        typology.name_type(study, number, name)
    say(f"Type {number} is now called {' '.join(name.split())!r}")


@typology_group.command("save")
@click.option(
    "--attribute",
    default="type",
    show_default=True,
    metavar="NAME",
    help="The case attribute to store each case's type name in.",
)
@study_options
@click.pass_context
def save_cmd(ctx: click.Context, attribute: str) -> None:
    """Store the type of each case as a case attribute, so that `matrix --by`, quotes
    and exports can group by it."""
    with opened(ctx) as study:
        changed = typology.save(study, attribute)
    say(f"Saved the types as the case attribute {attribute!r} ({changed} cases changed)")


# --- export -----------------------------------------------------------------------------


@click.group("mapping")
@study_options
def mapping_group() -> None:
    """The mapping stage in one file: co-occurrence, associations and the typology."""


@mapping_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", "by", metavar="ATTR", help="Compare each theme between these groups.")
@click.option("--within", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="N", help="Passages co-occur within N segments.")  # fmt: skip
@click.option("--fdr", type=float, metavar="RATE", help="Mark themes passing this FDR.")
@study_options
@click.pass_context
def export_cmd(
    ctx: click.Context, path: Path, by: str | None, within: int, fdr: float | None
) -> None:
    """Write PATH (.xlsx): Co-occurrence, Associations (with --by) and Typology sheets."""
    with opened(ctx) as study:
        by = queries.resolve_attribute(study, by)
        written = export_mapping(study, path, by, within, fdr)
    say(f"Wrote {written}")


def register(group: click.Group) -> None:
    group.add_command(mapping_group)
    group.add_command(cooccurrence_cmd)
    group.add_command(associations_cmd)
    group.add_command(typology_group)
