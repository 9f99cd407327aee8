"""``qualcode suggest accept --above P`` and ``qualcode suggest next``."""

from __future__ import annotations

import sys

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.cli.stage_line import StageLine
from qualcode.domain.wording import counted
from qualcode.errors import InputError


def none_pending(theme: str | None = None, case: str | None = None) -> str:
    """What to say where nothing is pending: most often no `suggest` has run yet."""
    scope = (f" for theme {theme}" if theme else "") + (f" in case {case}" if case else "")
    return f"no suggestions are pending{scope}: `qualcode suggest` makes them"


def bulk_accept(
    ctx: click.Context,
    above: float,
    theme: str | None,
    case: str | None,
    yes: bool,
    as_json: bool,
) -> None:
    """State what would be coded and how precise it has been, ask, then code it all."""
    from qualcode.services.suggest_bulk import accept_plan, plan_accept
    from qualcode.services.suggest_decisions import pending

    with opened(ctx) as study:
        with StageLine("working out the precision") as progress:
            plan = plan_accept(study, above, theme, case, progress=progress)
        say(plan.describe())
        if not plan.suggestions:
            accepted = []
            if not pending(study, theme, case, limit=1):
                say(none_pending(theme, case))
        else:
            if not yes:
                if not sys.stdin.isatty():
                    raise InputError("add --yes to accept without being asked (no terminal)")
                click.confirm(
                    f"Code {plan.what}?",
                    abort=True,
                    err=True,
                )
            # Tens of thousands take seconds to write: say so where someone watches.
            with StageLine("accepting suggestions") as line:
                line(f"coding {plan.what}", 0, 1)
                accepted = accept_plan(study, plan)
            done = (
                plan.what
                if len(accepted) == len(plan.suggestions)
                else counted(len(accepted), "suggestion", grouped=True)
            )
            back = "takes it back" if len(accepted) == 1 else "takes them all back"
            say(f"coded {done}; `qualcode undo` {back}")
    if as_json:
        emit_json(
            {
                "above": plan.above,
                "expected_precision": plan.stated_precision,
                "validated_on": plan.validated_on,
                "precision_interval": (
                    list(plan.precision_interval) if plan.precision_interval else None
                ),
                "left_pending": {
                    "outside": plan.outside,
                    "read_past": plan.read_past,
                    "on_coded": plan.on_coded,
                },
                "uncoded_above": plan.uncoded_above,
                "checked_next": {"suggestions": plan.outcome[0], "right": plan.outcome[1]},
                "accepted": [
                    {"suggestion": s.id, "segment": s.segment, "theme": s.theme, "score": s.score}
                    for s in plan.suggestions[: len(accepted)]
                ],
            }
        )


@click.command("next")
@click.option("--limit", default=10, show_default=True, metavar="N", help="Passages listed.")
@click.option("--case", "case_id", metavar="ID", help="Only this case's segments.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def next_cmd(ctx: click.Context, limit: int, case_id: str | None, as_json: bool) -> None:
    """Uncoded passages to code next so the suggestions learn fastest.

    Those the model is least sure about and that resemble many other uncoded passages
    come first; before any coding, the most typical passages. The model is the
    embeddings one once every passage's sentence vector is stored (after a `qualcode
    suggest` in embeddings mode), else the lexical one.
    """
    from qualcode.services.suggest_bulk import next_to_code, why_nothing_next

    with opened(ctx) as study:
        items = next_to_code(study, limit, case_id)
        if not items:
            say(why_nothing_next(study, case_id))  # an empty list read as a failure
    if as_json:
        emit_json(
            [
                {
                    "segment": p.segment,
                    "case": p.case,
                    "why": p.why,
                    "priority": p.priority,
                    "text": p.text,
                }
                for p in items
            ]
        )
        return
    for p in items:
        # the reason can be long (two theme ids): the passage goes on a line of its own
        text = " ".join(p.text.split())
        click.echo(f"{p.segment}  {p.why}")
        click.echo(f"    {text[:100]}{'…' if len(text) > 100 else ''}")
