"""Team work: agreement between coders, disagreements, the audit log, coders, backups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qualcode.cli.common import (
    _remember,
    coder,
    echo_lines,
    emit_json,
    opened,
    say,
    study_options,
    study_url,
)
from qualcode.domain.framework import id_repeats_label
from qualcode.domain.wording import counted
from qualcode.services.study import default_coder

F = TypeVar("F", bound=Callable[..., Any])
OVER_HELP = (
    "Which segments are compared: 'sources' (default) every respondent segment of the "
    "sources both coders coded something in - the double-coded sample; 'both' only "
    "segments both coded with some theme; 'either' segments either of them coded."
)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@click.command("agreement")
@click.argument("coders", nargs=-1, required=True, metavar="CODER_A CODER_B [CODER...]")
@click.option(
    "--over",
    type=click.Choice(["sources", "both", "either"]),
    default="sources",
    show_default=True,
    help=OVER_HELP,
)
@click.option("--theme", "themes", multiple=True, metavar="ID", help="Only these themes.")
@click.option("--all-themes", is_flag=True, help="Every theme, also those nobody used.")
@click.option("--rollup", is_flag=True, help="A sub-theme's coding counts for its parents.")
@click.option("--chars", is_flag=True, help="Character-level kappa (two coders; see above).")
@click.option("--alpha", "with_alpha", is_flag=True, help="Add Krippendorff's alpha to JSON.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def agreement_cmd(
    ctx: click.Context,
    coders: tuple[str, ...],
    over: str,
    themes: tuple[str, ...],
    all_themes: bool,
    rollup: bool,
    chars: bool,
    with_alpha: bool,
    as_json: bool,
) -> None:
    """Inter-coder agreement per theme.

    \b
    Each compared segment is, for each coder, coded with the theme or not (a coding of
    the theme overlapping the segment). Per theme:
      kappa     Cohen's kappa = (po - pe) / (1 - pe), po the share of segments the
                two coders treat alike, pe = pA*pB + (1-pA)*(1-pB), pX the share coder X
                coded with the theme; null when undefined (pe = 1: no variation)
      agreement po, the share of segments treated alike
      alpha     Krippendorff's alpha (nominal), any number of coders, missing values
                allowed: 1 - (n-1) * (n - sum o_cc) / (n^2 - sum n_c^2)
      segments  the number of segments compared
      CODER     (one column each) the compared segments the coder coded with it
    A last line pools every segment and theme of the table into one kappa, as a
    methods section reports one figure for the framework. Notes on stderr name
    codings no segment compares (on interviewers' turns) and a parent theme asked
    for without --rollup.

    \b
    With --chars the units are the characters of the compared segments: pX is the
    share of those characters inside coder X's codings of the theme, po the share
    of characters both coders treat alike, and kappa = (po - pe) / (1 - pe) as above.

    With three or more coders kappa is not given; alpha and the share of segments
    on which every coder agrees are. JSON: [{"theme", "kappa", "agreement",
    "segments"}] for two coders ("characters" with --chars, "alpha" with --alpha);
    [{"theme", "alpha", "agreement", "segments"}] for three or more.
    """
    from qualcode.services.agreement import agreement

    with opened(ctx) as study:
        report = agreement(
            study,
            coders,
            over=over,
            rollup=rollup,
            characters=chars,
            themes=themes or None,
            all_themes=all_themes,
        )
    pair = len(report.coders) == 2
    if report.segments == 0:
        what = {"sources": "coded a source in common", "both": "coded a segment in common"}
        say(
            f"nothing to compare: {' and '.join(report.coders)} have not "
            f"{what.get(report.over, 'coded any segment')}"
        )
        if as_json:
            emit_json([])
        return
    if as_json:
        rows = []
        for t in report.themes:
            row: dict[str, Any] = {"theme": t.theme}
            if pair:
                row["kappa"] = t.kappa
            if with_alpha or not pair:
                row["alpha"] = t.alpha
            row["agreement"] = t.agreement
            row["segments"] = t.segments
            if t.characters is not None:
                row["characters"] = t.characters
            rows.append(row)
        emit_json(rows)
        for note in report.notes:
            say(f"note: {note}")
        return
    unit = "characters" if chars else "segments"
    size = report.characters if chars else report.segments
    # with the table (it says what the figures are of), so a saved copy keeps it
    click.echo(f"{size} {unit} compared (over {report.over}); coders: {', '.join(report.coders)}")
    if not report.themes:
        say("no theme was used on the compared segments")
        return
    who = "  ".join(f"{c[:6]:>6}" for c in report.coders)
    # a slug id ("query-process-clear") only spells its label: named once; the figures
    # line up however long the names are
    names = [
        t.theme if id_repeats_label(t.theme, t.label) else f"{t.theme}  {t.label[:32]}"
        for t in report.themes
    ]
    width = max(len("theme"), *(len(n) for n in names))
    click.echo(f"{'theme':<{width}} {'kappa':>6} {'agree':>6} {'alpha':>6}  {who}")
    for t, name in zip(report.themes, names, strict=True):
        counts = "  ".join(f"{n:>6}" for n in t.coded)
        click.echo(
            f"{name:<{width}} {_fmt(t.kappa):>6} {_fmt(t.agreement):>6} "
            f"{_fmt(t.alpha):>6}  {counts}"
        )
    if report.pooled is not None and len(report.themes) > 1:
        p = report.pooled
        click.echo(
            f"{'all themes, pooled':<{width}} {_fmt(p.kappa):>6} {_fmt(p.agreement):>6} "
            f"{'':>6}  {'  '.join(f'{n:>6}' for n in p.coded)}"
        )
    for note in report.notes:
        say(f"note: {note}")


@click.command("disagreements")
@click.argument("coder_a")
@click.argument("coder_b")
@click.option("--theme", metavar="ID", help="Only this theme.")
@click.option(
    "--over",
    type=click.Choice(["sources", "both", "either"]),
    default="sources",
    show_default=True,
    help=OVER_HELP,
)
@click.option("--rollup", is_flag=True, help="A sub-theme's coding counts for its parents.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def disagreements_cmd(
    ctx: click.Context,
    coder_a: str,
    coder_b: str,
    theme: str | None,
    over: str,
    rollup: bool,
    as_json: bool,
) -> None:
    """Segments that one coder coded with a theme and the other did not."""
    from qualcode.services.compare import disagreements

    with opened(ctx) as study:
        found = disagreements(study, coder_a, coder_b, theme, over=over, rollup=rollup)
    if as_json:
        emit_json(
            [
                {
                    "segment": d.segment,
                    "case": d.case,
                    "theme": d.theme,
                    "coded_by": d.coder_a if d.a else d.coder_b,
                    "kept_both": d.kept_both,
                    "text": d.text,
                }
                for d in found
            ]
        )
        return
    for d in found:
        text = " ".join(d.text.split())
        mark = " (kept both)" if d.kept_both else ""
        click.echo(
            f"{d.segment:<28} {d.theme:<6} only {(d.coder_a if d.a else d.coder_b)}{mark}: "
            f"{text[:60]}"
        )
    say(counted(len(found), "disagreement"))


@click.command("resolve")
@click.argument("segment")
@click.argument("theme")
@click.option("--between", nargs=2, required=True, metavar="CODER_A CODER_B", help="The coders.")
@click.option(
    "--keep",
    type=click.Choice(["a", "b", "both"]),
    required=True,
    help="Whose coding wins: 'a', 'b', or 'both' to leave both as they are.",
)
@click.option("--rollup", is_flag=True, help="Include the theme's sub-themes.")
@click.option(
    "--override",
    is_flag=True,
    help="Take a side where a colleague kept both (refused without it).",
)
@study_options
@click.pass_context
def resolve_cmd(
    ctx: click.Context,
    segment: str,
    theme: str,
    between: tuple[str, str],
    keep: str,
    rollup: bool,
    override: bool,
) -> None:
    """Settle one disagreement: the other coder's coding of SEGMENT with THEME is made to
    match the kept side (recorded in the log)."""
    from qualcode.services.compare import resolve

    with opened(ctx) as study:
        done = resolve(
            study,
            segment,
            theme,
            keep,
            coder_a=between[0],
            coder_b=between[1],
            rollup=rollup,
            over_kept=override,
        )
    say(f"{counted(len(done.added), 'coding')} added, {len(done.removed)} removed")


def _log_options(f: F) -> F:
    # Like study_options, but here --coder filters the log (who is working is irrelevant
    # to reading it), so it is this command's own option.
    f = click.option("--coder", "who", metavar="NAME", help="Only this coder's changes.")(f)
    f = click.option(
        "--db", metavar="URL", expose_value=False, callback=_remember, help="A database URL."
    )(f)
    f = click.option(
        "--study", metavar="PATH", expose_value=False, callback=_remember, help="The study file."
    )(f)
    return f


@click.command("log")
@click.option("--since", metavar="WHEN", help="From: 2024-05-01, 2024-05-01T14:30, today, 2h, 3d.")
@click.option("--until", metavar="WHEN", help="Before this time (same forms as --since).")
@click.option("--entity", metavar="KIND", help="Only changes to coding, theme, source, ...")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only the newest N.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_log_options
@click.pass_context
def log_cmd(
    ctx: click.Context,
    who: str | None,
    since: str | None,
    until: str | None,
    entity: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """The audit trail: every change, who made it and when, oldest first.

    JSON: [{"id", "at", "coder", "action", "entity", "entity_id", "before", "after",
    "batch", "undoes"}]; changes made by one action share a batch, and an undo's
    changes name the batch they reverted in "undoes" (marked "by undo:" or "by redo:" in
    the listing: "by undo: add theme 2.3" is the theme an undo put back).
    """
    from qualcode.services.audit_log import (
        Change,
        describe,
        list_changes,
        parse_when,
        reversals,
    )
    from qualcode.services.audit_log import as_json as change_json

    start = parse_when(since) if since else None
    end = parse_when(until) if until else None
    with opened(ctx) as study:
        if who is not None:
            from qualcode.services.agreement import check_coder

            check_coder(study, who)
        changes = list_changes(study, who, start, end, entity, limit)
        kinds = reversals(study) if not as_json else {}
    if as_json:
        emit_json([change_json(c) for c in changes])
        return

    def line(c: Change) -> str:
        at = c.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        # "by undo: add theme 2.3" - the theme put back; "undo: add" read as an add undone
        mark = f"by {kinds.get(c.batch or '', 'undo')}: " if c.undoes else ""
        what = f"{mark}{c.action} {c.entity} {c.entity_id or ''}".strip()
        # the entity whole (a segment id cut short named another), the details after it
        return f"{at}  {c.coder[:12]:<12} {what:<40} {describe(c)}"

    echo_lines(line(c) for c in changes)


@click.command("coders")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def coders_cmd(ctx: click.Context, as_json: bool) -> None:
    """Everyone who has coded or changed the study, with how much each has done.

    JSON: [{"coder", "codings", "memos", "summaries", "changes", "last"}].
    """
    from qualcode.services.coders import coder_activity, same_looking

    with opened(ctx) as study:
        people = coder_activity(study)
    if as_json:
        emit_json(
            [
                {
                    "coder": p.coder,
                    "codings": p.codings,
                    "memos": p.memos,
                    "summaries": p.summaries,
                    "changes": p.changes,
                    "last": p.last.isoformat() if p.last else None,
                }
                for p in people
            ]
        )
        return
    click.echo(f"{'coder':<20} {'codings':>8} {'memos':>6} {'summaries':>9}  last change")
    for p in people:
        last = p.last.astimezone().strftime("%Y-%m-%d %H:%M") if p.last else "-"
        # repr where spaces would hide a difference ("bob " beside "bob")
        name = repr(p.coder) if p.coder != p.coder.strip() or not p.coder else p.coder
        click.echo(f"{name[:20]:<20} {p.codings:>8} {p.memos:>6} {p.summaries:>9}  {last}")
    for names in same_looking(p.coder for p in people):
        say(
            f"note: {' and '.join(map(repr, names))} differ only in capitals or spaces: "
            "they count as different coders (in agreement, exports and the coder filter)"
        )


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["sqlite", "archive"]),
    help="sqlite: a study file (SQLite studies only); archive: a portable .zip "
    "(default for PostgreSQL and for FILE ending in .zip).",
)
@study_options
@click.pass_context
def backup_cmd(ctx: click.Context, file: Path, fmt: str | None) -> None:
    """Back up the study to FILE while others keep working.

    A SQLite study is copied with SQLite's online backup API (a consistent snapshot);
    a PostgreSQL study (or any study, with a .zip FILE) becomes a portable archive of
    every table. Restore it with `qualcode restore FILE --study NEW` or `--db URL`.
    """
    from qualcode.services.backup import backup

    with opened(ctx) as study:
        report = backup(study, file, fmt)
    extra = f", {counted(report.rows, 'row')}" if report.rows is not None else ""
    size = counted(report.size, "byte", grouped=True)
    say(f"backed up to {report.path} ({report.format}, {size}{extra})")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@study_options
@click.pass_context
def restore_cmd(ctx: click.Context, file: Path) -> None:
    """Restore a backup into a new study: a new --study file or an empty --db database.

    Refuses a target that already holds a study; a failed restore leaves nothing.
    """
    from qualcode.services.backup import restore

    report = restore(file, study_url(ctx), coder(ctx) or default_coder())
    say(f"restored {counted(report.rows, 'row')} into {report.url}")


def register(group: click.Group) -> None:
    for command in (
        agreement_cmd,
        disagreements_cmd,
        resolve_cmd,
        log_cmd,
        coders_cmd,
        backup_cmd,
        restore_cmd,
    ):
        group.add_command(command)
