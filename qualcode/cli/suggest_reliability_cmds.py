"""``qualcode suggest reliability``: how far to trust the suggestions."""

from __future__ import annotations

import click

from qualcode.cli.common import emit_json, opened, study_options
from qualcode.cli.stage_line import StageLine


@click.command("reliability")
@click.option(
    "--embeddings/--no-embeddings",
    "use_embeddings",
    default=None,
    help="Report on the embeddings or the lexical model. Default: the one the pending "
    "suggestions were made with; with none pending, embeddings only if the study's "
    "sentence vectors are already cached (a first encoding takes minutes).",
)
@click.option(
    "--curve",
    is_flag=True,
    help="Add a learning curve: the same held-out passages suggested themes by models "
    "fitted on a quarter and half of your codings, to see whether coding more still "
    "helps (two more rounds of fits).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@study_options
@click.pass_context
def reliability_cmd(
    ctx: click.Context, use_embeddings: bool | None, curve: bool, as_json: bool
) -> None:
    """How often the suggestions were right, checked on your own codings.

    Each coded passage is held out in turn and suggested themes by models fitted
    without it. Prints how often the first and the best three suggestions named a theme
    you coded there, how often each score was right (a reliability table and the
    expected calibration error), and, theme by theme, how often a coded theme was found
    and how often it was right when suggested first: the themes that need more codings
    show up here. Last, the scores against what you did next: suggestions you accepted
    or rejected one by one (bulk accepts left out), and those made before you coded
    their passage by hand (right if you coded that theme). With --curve, a learning
    curve: how the same figures grew from a quarter and half of your codings to all of
    them, and whether coding more still helps.
    """
    from qualcode.services.suggest_reliability import reliability_report

    with opened(ctx) as study, StageLine("checking the suggestions") as progress:
        report = reliability_report(study, use_embeddings, progress, curve=curve)
    if not as_json:
        for line in report.lines():
            click.echo(line)
        return
    emit_json(
        {
            "mode": report.mode,
            "coded": report.coded,
            "checked": report.checked,
            "top1": report.top1,
            "top3": report.top3,
            "ece": report.ece,
            "ece_by_chance": report.ece_by_chance,
            "table": [
                {
                    "low": b.low,
                    "high": b.high,
                    "count": b.count,
                    "mean_score": b.mean_score,
                    "hit_rate": b.hit_rate,
                }
                for b in report.table
            ],
            "themes": [
                {
                    "theme": t.theme,
                    "label": t.label,
                    "coded": t.coded,
                    "checked": t.checked,
                    "found": t.found,
                    "first": t.first,
                    "first_right": t.first_right,
                }
                for t in report.themes
            ],
            "learning_curve": [
                {"share": p.share, "passages": p.passages, "top1": p.top1, "top3": p.top3}
                for p in report.curve
            ],
            "read_past": report.read_past,
            "unknown": report.unknown,
            "one_by_one": report.one_by_one,
            "coded_after": report.coded_after,
            "decided": [
                {
                    "low": b.low,
                    "high": b.high,
                    "count": b.count,
                    "mean_score": b.mean_score,
                    "right": b.hit_rate,
                }
                for b in report.decided
            ],
        }
    )
