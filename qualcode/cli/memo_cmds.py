"""``qualcode memos``: every memo written while reading and charting, in one list."""

from __future__ import annotations

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.domain.framework import natural_key
from qualcode.domain.wording import counted
from qualcode.services import memos, queries
from qualcode.services.agreement import check_coder


@click.command("memos")
@click.option("--kind", type=click.Choice(memos.KINDS), help="Only memos on this kind of thing.")
@click.option("--only-coder", metavar="NAME", help="Only this coder's memos.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def memos_cmd(ctx: click.Context, kind: str | None, only_coder: str | None, as_json: bool) -> None:
    """List the memos (study, case, turn, theme...), where each is and who wrote it:
    the familiarisation notes in one place. JSON: [{"kind", "target", "case", "line",
    "coder", "updated", "text"}]."""
    with opened(ctx) as study:
        found = memos.list_memos(study, kind, None, only_coder)
        if only_coder is not None and not found:
            check_coder(study, only_coder)  # a mistyped name is no coder without memos
        turns = [x.target for x in found if x.kind == "segment" and x.target]
        where = {
            seg.id: (seg.case, seg.line)
            for seg in queries.list_segments(study, ids=turns, include_interviewer=True)
        }
    order = {k: n for n, k in enumerate(memos.KINDS)}
    found.sort(key=lambda x: (order.get(x.kind, 99), natural_key(x.target or ""), x.coder))
    if as_json:
        emit_json(
            [
                {
                    "kind": x.kind,
                    "target": x.target,
                    # a case memo is on its case; a turn's, on the turn's case
                    "case": x.target
                    if x.kind == "case"
                    else where.get(x.target or "", (None, None))[0],
                    "line": where.get(x.target or "", (None, None))[1],
                    "coder": x.coder,
                    "updated": x.updated.isoformat(),
                    "text": x.text,
                }
                for x in found
            ]
        )
        return
    if not found:
        say("no memos yet (m writes one in Read & code or Cases; F6 on the study)")
        return
    for x in found:
        place = x.kind if x.target is None else f"{x.kind} {x.target}"
        if x.target in where:
            case, line = where[x.target or ""]
            place += f" ({case}, line {line})"
        click.echo(f"[{place}] {x.coder} · {x.updated:%Y-%m-%d %H:%M}")
        for line_text in x.text.splitlines() or [""]:
            click.echo(f"    {line_text}")
    say(counted(len(found), "memo"))


def register(group: click.Group) -> None:
    group.add_command(memos_cmd)
