"""``qualcode suggest ...`` and ``qualcode discover``: offline text analysis."""

from __future__ import annotations

from typing import Any

import click

from qualcode.cli.common import emit_json, opened, say, settings, study_options
from qualcode.cli.stage_line import StageLine
from qualcode.domain.score_wording import shown_score
from qualcode.domain.wording import counted
from qualcode.errors import InputError

EMBEDDINGS_HELP = (
    "Use sentence embeddings (needs qualcode[embeddings]); --no-embeddings never does. "
    "Default: use them when installed."
)


@click.group("suggest", invoke_without_command=True)
@click.option("--top", default=3, show_default=True, metavar="K", help="Themes per segment.")
@click.option("--all", "all_segments", is_flag=True, help="Coded segments too.")
@click.option("--theme", metavar="ID", help="Only this theme and its sub-themes.")
@click.option("--case", "case_id", metavar="ID", help="Only this case's segments.")
@click.option("--embeddings/--no-embeddings", "use_embeddings", default=None, help=EMBEDDINGS_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def suggest_group(
    ctx: click.Context,
    top: int,
    all_segments: bool,
    theme: str | None,
    case_id: str | None,
    use_embeddings: bool | None,
    as_json: bool,
) -> None:
    """Suggest themes for uncoded segments, best first, with the words behind each.

    Learns from the framework (labels, definitions, keywords) and, once you have coded,
    from your codings; rejected suggestions are never made again for that segment.
    Suggestions are stored as pending: decide them with `suggest accept` / `suggest
    reject`, or list them with `suggest pending`. Runs offline; says on stderr which
    mode (lexical or embeddings) it used.
    """
    if ctx.invoked_subcommand is not None:
        return
    from qualcode.services import queries
    from qualcode.services.suggest import COLD_START, FIRST_GUESS, mode_line, suggest

    if top < 1:
        raise InputError("--top must be at least 1")
    with opened(ctx) as study:
        with StageLine("suggesting") as progress:
            run = suggest(
                study,
                top,
                all_segments,
                theme,
                case_id,
                use_embeddings=use_embeddings,
                progress=progress,
                nlp_model=settings(ctx).nlp_model,
            )
        texts = (
            {}
            if as_json
            else {
                g.id: g.text
                for g in queries.list_segments(study, ids=[r.segment for r in run.results])
            }
            if len(run.results) <= 5000
            else {}
        )
    if run.note:
        say(f"note: {run.note}")
    say(mode_line(run))
    if as_json:
        emit_json(
            [
                {
                    "segment": r.segment,
                    "suggestions": [
                        {
                            "theme": s.theme,
                            "score": s.score,
                            "because": list(s.because),
                            "calibrated": s.calibrated,
                        }
                        for s in r.suggestions
                    ],
                }
                for r in run.results
            ]
        )
        return
    keyword_only = first_guess = False
    for r in run.results:
        snippet = " ".join(texts.get(r.segment, "").split())
        click.echo(f"{r.segment}  {snippet[:90]}{'...' if len(snippet) > 90 else ''}")
        for s in r.suggestions:
            mark = " " if s.calibrated else "*"
            keyword_only = keyword_only or s.method == COLD_START
            first_guess = first_guess or (not s.calibrated and s.method != COLD_START)
            because = ", ".join(s.because) or "-"
            click.echo(f"    {s.theme:<8} {shown_score(s.score)}{mark} because: {because}")
        if not r.suggestions:
            click.echo("    (no theme scored high enough)")
    if keyword_only:
        # A keyword score reads like a probability and is not one: say so once.
        say(
            "* matched on the framework's words only: a strength, not a probability. "
            "A theme's scores become probabilities once you have coded a few passages with it."
        )
    if first_guess:
        say(FIRST_GUESS)


def _pick(study: Any, target: tuple[str, ...]) -> int:
    """A suggestion id from ``ID`` or ``SEGMENT THEME``."""
    from qualcode.errors import NotFoundError
    from qualcode.services.suggest_decisions import find

    if len(target) == 1 and target[0].isdigit():
        return int(target[0])
    if len(target) == 2:
        found = find(study, target[0], target[1])
        if found is None:
            said = f"no suggestion of theme {target[1]!r} for segment {target[0]!r}"
            if target[0].isdigit():  # `suggest pending` lists ids first: an easy slip
                said += (
                    f"; {target[0]} looks like a suggestion id, which is given alone "
                    f"(`{target[0]}`, or `{target[0]} --theme {target[1]}` to code "
                    "another theme there)"
                )
            raise NotFoundError(said)
        return found.id
    raise click.UsageError("give a suggestion ID, or SEGMENT THEME")


@suggest_group.command("accept")
@click.argument("target", nargs=-1)
@click.option("--theme", "other", metavar="ID", help="Code with this theme instead.")
@click.option(
    "--above",
    type=float,
    metavar="P",
    help="Accept every pending suggestion scored P or more, after stating the precision "
    "expected from cross-validation on your codings.",
)
@click.option("--case", "case_id", metavar="ID", help="With --above: only this case's.")
@click.option("--yes", is_flag=True, help="With --above: do not ask before coding.")
@click.option("--json", "as_json", is_flag=True, help="With --above: print JSON.")
@study_options
@click.pass_context
def accept_cmd(
    ctx: click.Context,
    target: tuple[str, ...],
    other: str | None,
    above: float | None,
    case_id: str | None,
    yes: bool,
    as_json: bool,
) -> None:
    """Accept a suggestion (ID, or SEGMENT THEME): code the segment with its theme.

    With --above P, accept every pending suggestion scored P or more as one action
    (`qualcode undo` takes them all back); --theme then limits it to a theme's subtree
    and --case to one case.
    """
    if above is not None:
        from qualcode.cli.suggest_bulk_cmds import bulk_accept

        if target:
            raise InputError("give either a suggestion or --above, not both")
        bulk_accept(ctx, above, other, case_id, yes, as_json)
        return
    if case_id is not None:
        raise InputError("--case goes with --above (a suggestion names its own case)")
    if not target:
        raise InputError("name a suggestion (ID, or SEGMENT THEME), or give --above P")
    from qualcode.services.suggest_decisions import accept

    with opened(ctx) as study:
        coding = accept(study, _pick(study, target), other)
    say(f"coded {coding.source} {coding.start}-{coding.end} with {coding.theme}")


@suggest_group.command("reject")
@click.argument("target", nargs=-1, required=True)
@study_options
@click.pass_context
def reject_cmd(ctx: click.Context, target: tuple[str, ...]) -> None:
    """Reject a suggestion (ID, or SEGMENT THEME): never suggested again for that segment.

    SEGMENT THEME also works before the theme was ever suggested there.
    """
    from qualcode.services.suggest_decisions import reject, reject_theme

    with opened(ctx) as study:
        if len(target) == 2:
            done = reject_theme(study, target[0], target[1])
        else:
            done = reject(study, _pick(study, target))
    say(f"rejected {done.theme} for {done.segment}")


@suggest_group.command("pending")
@click.option("--theme", metavar="ID", help="Only this theme and its sub-themes.")
@click.option("--case", "case_id", metavar="ID", help="Only this case's segments.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N suggestions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def pending_cmd(
    ctx: click.Context, theme: str | None, case_id: str | None, limit: int | None, as_json: bool
) -> None:
    """List stored pending suggestions, highest score first, with their provenance."""
    from qualcode.services.queries import check_case
    from qualcode.services.suggest_decisions import pending

    with opened(ctx) as study:
        if case_id is not None:
            check_case(study, case_id)
        items = pending(study, theme, case_id, limit=limit)
    if as_json:
        emit_json(
            [
                {
                    "id": s.id,
                    "segment": s.segment,
                    "theme": s.theme,
                    "score": s.score,
                    "because": list(s.because),
                    "method": s.method,
                    "model": s.model,
                    "created": s.created.isoformat(),
                }
                for s in items
            ]
        )
        return
    if not items:
        from qualcode.cli.suggest_bulk_cmds import none_pending

        say(none_pending(theme, case_id))
    # columns as wide as the longest id here ("NEAS S&C 6126 - Q2/text:1", slug themes)
    wide = max((len(s.segment) for s in items), default=0)
    theme_wide = max((len(s.theme) for s in items), default=0)
    for s in items:
        click.echo(
            f"{s.id:>6}  {s.segment:<{wide}}  {s.theme:<{theme_wide}}  {shown_score(s.score)}  "
            f"{s.method}  because: {', '.join(s.because) or '-'}"
        )


STATISTIC = "weighted log-odds ratio with an informative Dirichlet prior (z-score)"


@click.command("discover")
@click.option("--case", "case_id", metavar="ID", help="Only this case.")
@click.option("--by", metavar="ATTR", help="A case attribute that defines groups (e.g. sector).")
@click.option("--group", metavar="VALUE", help="Only cases whose --by attribute is VALUE.")
@click.option(
    "--against",
    metavar="VALUE",
    help="Compare --group with this value of --by (default: every other case).",
)
@click.option("--kind", type=click.Choice(["transcript", "survey"]), help="Only these sources.")
@click.option("--top", default=15, show_default=True, metavar="N", help="Phrases and terms shown.")
@click.option(
    "--themes",
    "k",
    type=int,
    metavar="K",
    help="Candidate themes to find (default: from the number of passages).",
)
@click.option("--embeddings/--no-embeddings", "use_embeddings", default=None, help=EMBEDDINGS_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def discover_cmd(
    ctx: click.Context,
    case_id: str | None,
    by: str | None,
    group: str | None,
    against: str | None,
    kind: str | None,
    top: int,
    k: int | None,
    use_embeddings: bool | None,
    as_json: bool,
) -> None:
    """Familiarisation: key phrases, distinctive terms and candidate themes.

    Key phrases are noun-ish phrases with counts (uses, segments, cases) and example
    passages, for the study, one --case, or a --group of cases (--by ATTR --group VALUE).
    With --group, the terms distinctive of that group against --against (or every
    other case) are ranked by the weighted log-odds ratio with an informative
    Dirichlet prior (Monroe, Colaresi & Quinn 2008), which suits small corpora: rare
    words cannot top the list by chance; |z| > 1.96 marks a real difference. Candidate
    themes are clusters of passages (NMF over TF-IDF; k-means over sentence embeddings
    in embeddings mode) with a suggested label and their most typical passages.
    """
    from qualcode.services import queries
    from qualcode.services.discover import discover

    if top < 1:
        raise InputError("--top must be at least 1")
    if k is not None and k < 1:
        raise InputError("--themes must be at least 1")
    with opened(ctx) as study, StageLine("discovering") as progress:
        d = discover(
            study,
            case_id,
            queries.resolve_attribute(study, by),
            group,
            against,
            kind,
            top,
            k,
            use_embeddings,
            progress=progress,
            nlp_model=settings(ctx).nlp_model,
        )
    say(
        f"discover: {d.mode} mode; {counted(d.segments, 'segment', grouped=True)} from "
        f"{counted(d.cases, 'case', grouped=True)} ({d.scope})"
    )
    if as_json:
        emit_json(_discovery_json(d))
        return
    click.echo(f"Key phrases in {d.scope}:")
    for p in d.phrases:
        click.echo(
            f"  {p.phrase:<32} {p.count:>5} uses {p.segments:>5} segments {p.cases:>4} cases"
        )
        for e in p.examples[:1]:
            click.echo(f"      {e.segment}: {e.text}")
    if d.distinctive is not None:
        click.echo(f"\nDistinctive of {d.scope} against {d.against} ({STATISTIC}):")
        for t in d.distinctive:
            click.echo(f"  {t.term:<32} {t.group_count:>5} vs {t.other_count:<5} z={t.z:+.2f}")
    click.echo("\nCandidate themes:")
    for c in d.themes:
        click.echo(f"  {c.label}  [{counted(c.size, 'passage')}]  terms: {', '.join(c.terms)}")
        for ps in c.passages[:2]:
            click.echo(f"      {ps.segment}: {ps.text[:150]}")


def _discovery_json(d: Any) -> dict[str, Any]:
    def passage(p: Any) -> dict[str, str]:
        return {"segment": p.segment, "case": p.case, "text": p.text}

    return {
        "mode": d.mode,
        "scope": d.scope,
        "segments": d.segments,
        "cases": d.cases,
        "phrases": [
            {
                "phrase": p.phrase,
                "count": p.count,
                "segments": p.segments,
                "cases": p.cases,
                "examples": [passage(e) for e in p.examples],
            }
            for p in d.phrases
        ],
        "distinctive": None
        if d.distinctive is None
        else {
            "group": d.scope,
            "against": d.against,
            "statistic": STATISTIC,
            "terms": [
                {
                    "term": t.term,
                    "group_count": t.group_count,
                    "other_count": t.other_count,
                    "group_rate": round(t.group_rate, 3),
                    "other_rate": round(t.other_rate, 3),
                    "z": t.z,
                }
                for t in d.distinctive
            ],
        },
        "themes": [
            {
                "label": c.label,
                "terms": list(c.terms),
                "size": c.size,
                "passages": [passage(p) for p in c.passages],
            }
            for c in d.themes
        ],
    }


def register(group: click.Group) -> None:
    from qualcode.cli.suggest_bulk_cmds import next_cmd
    from qualcode.cli.suggest_reliability_cmds import reliability_cmd

    suggest_group.add_command(next_cmd)
    suggest_group.add_command(reliability_cmd)
    group.add_command(suggest_group)
    group.add_command(discover_cmd)
