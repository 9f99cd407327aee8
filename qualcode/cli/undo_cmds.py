"""``qualcode undo``: take back an action from the audit trail, as the TUI's ctrl+z does."""

from __future__ import annotations

import click

from qualcode.cli.common import emit_json, opened, say, study_options
from qualcode.cli.stage_line import StageLine
from qualcode.domain.wording import counted
from qualcode.errors import NotFoundError


@click.command("undo")
@click.argument("batch", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def undo_cmd(ctx: click.Context, batch: str | None, as_json: bool) -> None:
    """Undo one action: BATCH from `qualcode log --json`, or by default your newest
    action that is still in effect.

    Every change of the action is reverted in one transaction, newest first, and the
    undo is logged as a batch of its own: undoing that batch redoes the action. An
    entity someone changed since is never overwritten; the undo is refused instead.

    JSON: {"undid", "batch", "changes"} - "batch" is the undo's own batch.
    """
    from qualcode.services.undo_log import last_action, revert

    with opened(ctx) as study:
        target = batch or last_action(study, study.coder)
        if target is None:
            raise NotFoundError(f"{study.coder} has nothing left to undo")
        # An action of tens of thousands of changes takes seconds to take back.
        with StageLine("undo") as line:
            line("taking the action back", 0, 1)
            done = revert(study, target)
    if as_json:
        emit_json({"undid": done.undid, "batch": done.batch, "changes": done.changes})
        return
    others = [c for c in done.whose if c != study.coder]
    whose = f" ({' and '.join(others)}'s, not yours)" if others else ""
    # an accept of 2,545 suggestions is 5,090 changes: each coding and its decision
    what = ", ".join(counted(n, kind, grouped=True) for kind, n in done.what)
    what = f" ({what})" if len(done.what) > 1 else ""
    # taking an undo back redoes the action: said so, not "Undid"
    verb, again = ("Redid", "undoes it again") if done.redo else ("Undid", "redoes it")
    say(
        f"{verb} {counted(done.changes, 'change', grouped=True)}{what} of {done.undid}{whose}; "
        f"`qualcode undo {done.batch}` {again}"
    )


def register(group: click.Group) -> None:
    group.add_command(undo_cmd)
