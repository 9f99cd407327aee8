"""``qualcode matrix ...``: counts by group, comparisons, rankings, sheets, drafts, exports."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import (
    column,
    emit_json,
    opened,
    say,
    settings,
    study_options,
    theme_names,
    warn_unreviewed,
)
from qualcode.domain.matrix import MatrixSheet, ThemeCount, percent
from qualcode.domain.wording import counted, plural
from qualcode.services import drafts, matrix, matrix_export, queries
from qualcode.services import export_formats as formats
from qualcode.services.matrix_data import AUTO, KINDS

SHEET_KINDS = (AUTO, *KINDS, "all")


def _by_option(f: Any) -> Any:
    return click.option(
        "--by",
        "by",
        multiple=True,
        metavar="ATTR",
        help="Group cases by this case attribute (repeat to group by several).",
    )(f)


def _kind_option(f: Any) -> Any:
    return click.option(
        "--kind",
        type=click.Choice(KINDS),
        help="Count only cases with sources of this kind, and only codings on them.",
    )(f)


def _sheet_kind_option(f: Any) -> Any:
    return click.option(
        "--kind",
        "kind",
        type=click.Choice(SHEET_KINDS),
        default=AUTO,
        show_default=True,
        help="Which cases are rows: those with sources of the kind the themes were coded on "
        "(auto), transcript or survey cases, or all.",
    )(f)


def _sheet_kind(kind: str) -> str | None:
    return None if kind == "all" else kind


def _count_json(c: ThemeCount) -> dict[str, Any]:
    return {
        "theme": c.theme,
        "group": c.group,
        "cases": c.cases,
        "total": c.total,
        "wording": c.wording,
    }


@click.group("matrix", invoke_without_command=True)
@_by_option
@_kind_option
@click.option("--question", metavar="Q", help="Only respondents' answers to this survey question.")
@click.option("--theme", "themes", multiple=True, metavar="ID", help="Only these themes.")
@click.option(
    "--dimension",
    metavar="NAME",
    help="Cases per value of this dimension (e.g. stance) within each group, with the "
    "report sentence; rows are those of the theme's matrix sheet. A case counts under "
    "the value of its cell or of any of its codings of the theme (under each when they "
    "differ).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def matrix_group(
    ctx: click.Context,
    by: tuple[str, ...],
    kind: str | None,
    question: str | None,
    themes: tuple[str, ...],
    dimension: str | None,
    as_json: bool,
) -> None:
    """Cases per theme and group: n of N and the report wording.

    A theme counts its sub-themes' codings; `total` is the cases in the group that hold
    a source the theme's framework applies to (interviewees for interview themes,
    respondents for survey themes; every case for the default framework), unless
    --kind or --question sets it.
    With --dimension, the cases of each group per value of that dimension instead.
    """
    if ctx.invoked_subcommand is not None:
        return
    if dimension is not None:
        _dimension_counts(ctx, dimension, by, themes, kind, question, as_json)
        return
    with opened(ctx) as study:
        by = queries.resolve_attributes(study, by)
        rows = matrix.counts(study, by, themes or None, kind, question)
        labels = _labels(study)
    if as_json:
        emit_json([_count_json(c) for c in rows])
        return
    # as wide as the longest group (to 48), so that two groups cut to the same first
    # letters ("Public health agenc…" high and low) stay apart
    group_width = _group_width(by, [c.group for c in rows])
    names, width = theme_names((c.theme, labels.get(c.theme, "")) for c in rows)
    if rows:
        group_head = column(" x ".join(by), group_width) + " " if by else ""
        click.echo(f"{'theme':<{width}} {group_head}{'cases':>5}{'':10}  wording")
    for c in rows:
        group = (c.group or "(not recorded)") if by else ""
        where = column(group, group_width) + " " if by else ""
        click.echo(f"{names[c.theme]:<{width}} {where}{c.cases:>5} of {c.total:<6}  {c.wording}")


def _dimension_counts(
    ctx: click.Context,
    dimension: str,
    by: tuple[str, ...],
    themes: tuple[str, ...],
    kind: str | None,
    question: str | None,
    as_json: bool,
) -> None:
    from qualcode.cli.dimension_cmds import count_json
    from qualcode.errors import InputError
    from qualcode.services.dimension_counts import dimension_counts

    if question is not None:
        raise InputError("--dimension counts chart cells and codings; it does not take --question")
    with opened(ctx) as study:
        by = queries.resolve_attributes(study, by)
        rows = dimension_counts(study, dimension, by, themes or None, kind or AUTO)
        labels = _labels(study)
    if as_json:
        emit_json([count_json(c) for c in rows])
        return
    names, width = theme_names((c.theme, labels.get(c.theme, "")) for c in rows)
    for c in rows:
        group = "" if not by else (c.group or "(not recorded)")
        spread = ", ".join(f"{v.value} {v.cases}" for v in c.values)
        shown = column(group, _group_width(by, [x.group for x in rows]))
        click.echo(f"{names[c.theme]:<{width}} {shown} {c.rated:>4} of {c.total:<4} {spread}")
        click.echo(f"{'':{width}} {c.sentence}")


def _group_width(by: Sequence[str], groups: Sequence[str | None]) -> int:
    if not by:
        return 0
    longest = max((len(g or "(not recorded)") for g in groups), default=0)
    return max(20, min(48, longest))


def _labels(study: Any) -> dict[str, str]:
    from qualcode.services.framework import list_themes

    return {t.id: t.label for t in list_themes(study)}


@matrix_group.command("compare")
@click.option(
    "--by", "by", required=True, metavar="ATTR", help="The attribute whose groups differ."
)
@click.argument("a")
@click.argument("b")
@_kind_option
@click.option("--question", metavar="Q", help="Only respondents' answers to this survey question.")
@click.option("--theme", "themes", multiple=True, metavar="ID", help="Only these themes.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def compare_cmd(
    ctx: click.Context,
    by: str,
    a: str,
    b: str,
    kind: str | None,
    question: str | None,
    themes: tuple[str, ...],
    as_json: bool,
) -> None:
    """Two groups side by side (e.g. `--by sector CSD DASS`), with the difference in
    percentage points."""
    with opened(ctx) as study:
        by = queries.resolve_attribute(study, by)
        rows = matrix.compare(study, by, a, b, themes or None, kind, question)
    if as_json:
        emit_json(
            [
                {
                    "theme": r.theme,
                    "label": r.label,
                    "a": _count_json(r.a) | {"percent": round(percent(r.a), 1)},
                    "b": _count_json(r.b) | {"percent": round(percent(r.b), 1)},
                    "difference": r.difference,
                }
                for r in rows
            ]
        )
        return
    names, width = theme_names((r.theme, r.label) for r in rows)
    click.echo(f"{'theme':<{width}} {column(a, 28)} {column(b, 28)} difference")
    for r in rows:
        left = f"{r.a.cases}/{r.a.total} {r.a.wording}"
        right = f"{r.b.cases}/{r.b.total} {r.b.wording}"
        click.echo(
            f"{names[r.theme]:<{width}} {column(left, 28)} {column(right, 28)} "
            f"{r.difference:+.1f} pp"
        )


@matrix_group.command("rank")
@click.option("--question", metavar="Q", help="Rank themes among answers to this survey question.")
@_kind_option
@click.option("--top-level", is_flag=True, help="Rank only top-level themes.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def rank_cmd(
    ctx: click.Context, question: str | None, kind: str | None, top_level: bool, as_json: bool
) -> None:
    """Themes ranked by the number of cases raising them (e.g. for one survey question)."""
    with opened(ctx) as study:
        rows = matrix.rank(study, question, kind, top_level)
        labels = _labels(study)
    if as_json:
        emit_json([_count_json(c) | {"label": labels.get(c.theme, "")} for c in rows])
        return
    names, width = theme_names((c.theme, labels.get(c.theme, "")) for c in rows)
    for i, c in enumerate(rows, 1):
        click.echo(f"{i:>3}. {names[c.theme]:<{width}} {c.cases:>5} of {c.total:<5} {c.wording}")


@matrix_group.command("sheet")
@click.argument("theme", required=False)
@_by_option
@_sheet_kind_option
@click.option("--case", "cases", multiple=True, metavar="ID", help="Only these cases.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def sheet_cmd(
    ctx: click.Context,
    theme: str | None,
    by: tuple[str, ...],
    kind: str,
    cases: tuple[str, ...],
    as_json: bool,
) -> None:
    """One sheet of the matrix: a top-level theme's sub-themes by case, with each cell's
    passages, summary, status and version."""
    with opened(ctx) as study:
        by = queries.resolve_attributes(study, by)
        sheet = matrix.sheet(study, top=theme, by=by, kind=_sheet_kind(kind), cases=cases or None)
    if as_json:
        emit_json(sheet_json(sheet))
        return
    click.echo(sheet.title)
    wide = max([6, *(len(t.id) for t in sheet.themes)])
    for group in sheet.groups:
        if sheet.by:
            click.echo(f"\n[{group.label}]")
        for row in group.rows:
            for t, cell in zip(sheet.themes, row.cells, strict=True):
                if not (cell.passages or cell.summary.text):
                    continue
                summary = cell.summary.text or "-"
                click.echo(
                    f"{row.case:<10} {t.id:<{wide}} {cell.summary.status:<13} "
                    f"{cell.coverage:>3} {plural(cell.coverage, 'passage'):<8}  {summary[:60]}"
                )
                refs = _short_refs(cell.refs)
                if refs:  # where the passages are, as the help says
                    click.echo(f"{'':10} {'':{wide}} {refs}")


def _short_refs(refs: Sequence[str]) -> str:
    """ "P1 l.57, 61, 81; P2 l.4": a source named once for its lines."""
    lines: dict[str, list[str]] = {}
    for ref in dict.fromkeys(refs):
        source, sep, line = ref.rpartition(" l.")
        key, value = (source, line) if sep else (ref, "")
        lines.setdefault(key, []).append(value)
    return "; ".join(
        f"{source} l.{', '.join(values)}" if all(values) else source
        for source, values in lines.items()
    )


def sheet_json(sheet: MatrixSheet) -> dict[str, Any]:
    return {
        "title": sheet.title,
        "by": list(sheet.by),
        "kinds": list(sheet.kinds),
        "themes": [{"id": t.id, "label": t.label} for t in sheet.themes],
        "counts": [_count_json(c) for c in sheet.counts],
        "groups": [
            {
                "group": g.label if sheet.by else None,
                "syntheses": [
                    {"theme": s.theme, "text": s.text, "version": s.version} for s in g.syntheses
                ],
                "rows": [
                    {
                        "case": row.case,
                        "attributes": dict(row.attributes),
                        "cells": [
                            {
                                "theme": c.theme,
                                "status": c.summary.status,
                                "summary": c.summary.text,
                                "version": c.summary.version,
                                "coder": c.summary.coder,
                                "passages": [
                                    {
                                        "coding": p.coding,
                                        "theme": p.theme,
                                        "source": p.source,
                                        "line": p.line,
                                        "start": p.start,
                                        "end": p.end,
                                        "ref": p.ref,
                                        "quote": p.quote,
                                        "text": p.text,
                                    }
                                    for p in c.passages
                                ],
                            }
                            for c in row.cells
                        ],
                    }
                    for row in g.rows
                ],
            }
            for g in sheet.groups
        ],
    }


@matrix_group.command("draft")
@click.option(
    "--theme",
    "tops",
    multiple=True,
    metavar="ID",
    help="Draft this top-level theme's sheet (default: every sheet).",
)
@click.option("--case", "cases", multiple=True, metavar="ID", help="Only these cases.")
@_sheet_kind_option
@click.option("--redraft", is_flag=True, help="Also replace earlier drafts (never final ones).")
@click.option("--dry-run", is_flag=True, help="Print the drafts without saving them.")
@study_options
@click.pass_context
def draft_cmd(
    ctx: click.Context,
    tops: tuple[str, ...],
    cases: tuple[str, ...],
    kind: str,
    redraft: bool,
    dry_run: bool,
) -> None:
    """Propose extractive draft summaries for cells that have passages but no summary.

    Drafts are saved with status "drafted" - never "final": accept them with
    `qualcode summary accept` (or edit them) after reading.
    """
    saved = skipped = proposed = 0
    # one action, as the workbench's D is: one `qualcode undo` takes every draft back
    # (it took back one cell of 480)
    with opened(ctx) as study, study.action():
        roots = list(tops) or [t.id for t in matrix.top_level_themes(study)]
        for top in roots:
            report = drafts.draft_sheet(
                study,
                top=top,
                kind=_sheet_kind(kind),
                cases=cases or None,
                redraft=redraft,
                save=not dry_run,
            )
            proposed += len(report.drafts)
            saved += report.saved
            skipped += report.skipped
            if dry_run:
                for d in report.drafts:
                    click.echo(f"{d.case} / {d.theme}: {d.text}")
    if dry_run:
        say(f"{counted(proposed, 'draft')} proposed (not saved)")
    else:
        say(
            f"{counted(saved, 'draft')} saved as 'drafted', {skipped} skipped "
            "(changed meanwhile, written or final)"
        )


@matrix_group.command(
    "export",
    help="Export the matrix; the suffix picks the format: "
    + formats.listing(*formats.MATRIX_EXPORTS)
    + ".",
)
@click.argument("file", type=click.Path(path_type=Path))
@_by_option
@click.option(
    "--theme",
    "tops",
    multiple=True,
    metavar="ID",
    help="Only these top-level themes' sheets (one theme: the heatmap shows its sub-themes).",
)
@_sheet_kind_option
@click.option(
    "--attribution",
    metavar="TEMPLATE",
    help="Attribution template for the report's quotes (.docx).",
)
@click.option(
    "--survey-attribution",
    metavar="TEMPLATE",
    help="Attribution template for the report's quotes from survey answers (.docx).",
)
@click.option(
    "--anonymised", is_flag=True,
    help="Replace accepted names (see `qualcode anonymise`) and generalise job titles.",
)  # fmt: skip
@click.option(
    "--comparisons", "comparison_p", type=click.FloatRange(0, 1), default=0.05,
    show_default=True, metavar="P",
    help="With --by, the report (.docx) drafts a comparison between the groups for each "
    "theme whose exact test gives p at most P (0: none).",
)  # fmt: skip
@click.option(
    "--mapping/--no-mapping", "mapping_sheets", default=None,
    help="With or without the .xlsx's Co-occurrence, Associations (each theme by the first "
    "--by) and Typology sheets (default: with them up to 5,000 cases).",
)  # fmt: skip
@study_options
@click.pass_context
def export_cmd(
    ctx: click.Context,
    file: Path,
    by: tuple[str, ...],
    tops: tuple[str, ...],
    kind: str,
    attribution: str | None,
    survey_attribution: str | None,
    anonymised: bool,
    comparison_p: float,
    mapping_sheets: bool | None,
) -> None:
    """Export the matrix (help text: the export registry, exchange/formats.py)."""
    template = attribution or settings(ctx).attribution
    with opened(ctx) as study:
        report = matrix_export.export_matrix(
            study,
            file,
            queries.resolve_attributes(study, by),
            tops or None,
            _sheet_kind(kind),
            template,
            strict=attribution is not None,
            anonymised=anonymised,
            title_rules=settings(ctx).title_rules,
            # an --attribution given alone is meant for every quote
            survey_template=survey_attribution or attribution or settings(ctx).survey_attribution,
            comparison_p=comparison_p,
            mapping_sheets=mapping_sheets,
        )
        if anonymised:
            warn_unreviewed(study)
        warning = None
        if report.unattributed_quotes and attribution is None and survey_attribution is None:
            from qualcode.cli.quotes_cmds import unattributed

            used = (template, settings(ctx).survey_attribution)
            names = queries.attribute_names(study)
            warning = unattributed(report.unattributed_quotes, report.quotes, used, names)
    say(
        f"wrote {report.path}: {counted(report.sheets, 'sheet')}, "
        f"{counted(report.cases, 'case')}, {counted(report.themes, 'theme column')}"
    )
    if warning:
        say(warning)
    if report.not_written:
        say(
            f"not in the .csv (one row per cell): {report.not_written}; "
            "an .xlsx, .docx or .md export has them"
        )
    if report.mapping_left_out:
        say(
            f"left out the Co-occurrence, Associations and Typology sheets for "
            f"{report.cases:,} cases (over {matrix_export.MAPPING_CASES:,}): add --mapping, "
            "or write them alone with `qualcode mapping export FILE.xlsx`"
        )


def register(group: click.Group) -> None:
    group.add_command(matrix_group)
