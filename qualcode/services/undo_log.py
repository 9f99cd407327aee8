"""Undo and redo built on the audit trail.

Every write records its changes in the ``changes`` table with a batch id per user
action (see ``Study.action``). Undoing an action applies the inverse of each of its
entries, newest first, in one transaction; those inverses are recorded as a batch of
their own marked ``undoes``. Redo is the undo of that undo batch. So the log says
exactly what happened, undo works the same from the TUI or a script, and an undo never
overwrites what someone else changed since (see :mod:`qualcode.services.inverses`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.errors import ConflictError, NotFoundError
from qualcode.services.gc_pause import gc_paused
from qualcode.services.inverses import INVERSES, NOTHING_TO_TAKE_BACK
from qualcode.services.study import Study
from qualcode.store import convert
from qualcode.store import models as m
from qualcode.store.queries import changes as changes_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import suggestions as suggestions_q
from qualcode.store.queries import themes as themes_q


@dataclass(frozen=True)
class Reverted:
    """An undone batch: ``batch`` is the undo's own batch (undo it to redo)."""

    batch: str
    undid: str
    changes: int
    whose: tuple[str, ...] = ()  # who made the changes undone
    what: tuple[tuple[str, int], ...] = ()  # (entity, changes) of the action, most first
    redo: bool = False  # the batch taken back was itself an undo: this redoes an action


@gc_paused()  # an undo of a bulk accept loads and writes tens of thousands of rows
def revert(study: Study, batch: str) -> Reverted:
    """Undo every change of ``batch``, newest first, in one transaction."""
    with study.write(undoes=batch) as s:
        rows = changes_q.batch_changes(s, batch)
        if not rows:
            raise NotFoundError(f"no changes recorded under batch {batch}")
        _preload_codings(s, rows)
        for row in rows:
            inverse = INVERSES.get((row.entity, row.action))
            if inverse is None:
                raise ConflictError(f"{row.action} of {row.entity} cannot be undone")
            inverse(s, study.coder, row)
        done = int(s.info.get("recorded", 0))
        if not done:
            raise _nothing_left(s, rows)
        own = str(s.info["batch"])
        # taking back an undo redoes; taking back a redo undoes again (it is an action)
        redo = _reversals(batch, changes_q.reversal_pairs(s)) % 2 == 1
    # what the action changed: an import's own entry ("import codings") is its summary,
    # and read "(2 codings, 1 codings)" beside the codings it added
    # (an import record forgotten or remembered is bookkeeping, not counted)
    kinds = Counter(r.entity for r in rows if r.action != "import" and r.entity != "import")
    for r in rows:  # a source's entry carries its codings: say how many came back or went
        state = r.before if r.action == "delete" else r.after
        if r.action == "import" and isinstance(r.after, dict):
            _count_imported(kinds, r.entity, r.after)
        elif r.entity == "source" and isinstance(state, dict):
            kinds["coding"] += int(state.get("codings") or 0)
    return Reverted(
        own, batch, done, tuple(sorted({r.coder for r in rows})), tuple(kinds.most_common()), redo
    )


def _count_imported(kinds: Counter[str], entity: str, after: dict[str, object]) -> None:
    """What an import of files brought in: its sources and the cases it made."""
    if entity == "survey":
        kinds["source"] += int(str(after.get("answers") or 0))
        kinds["case"] += len(after.get("cases") or ())  # type: ignore[arg-type]
    elif entity == "source":
        kinds["source"] += 1
        kinds["case"] += int(bool(after.get("case_added")))
    if not kinds["case"]:
        del kinds["case"]


def _nothing_left(s: Session, rows: list[m.ChangeRow]) -> ConflictError:
    """Why an undo found nothing to revert, naming who changed it since (a colleague
    who deleted the coding, rather than an undo that never happened)."""
    since = changes_q.later_changes(s, rows)
    if not since:
        return ConflictError("nothing to undo: these changes were already undone")
    last = since[0]
    what = f"{last.entity} {last.entity_id}" if last.entity_id else last.entity
    when = convert.when(last.at)
    if last.undoes:
        return ConflictError(
            f"nothing to undo: these changes were already undone (by {last.coder}, {when})"
        )
    doing = {"delete": "removed", "add": "added"}.get(last.action, f"changed ({last.action})")
    return ConflictError(
        f"nothing to undo: since then {last.coder} {doing} it ({what}, {when}), "
        "so it is no longer as this change left it"
    )


def _preload_codings(s: Session, rows: list[m.ChangeRow]) -> None:
    """Load the batch's codings and suggestions in a few queries, so that reverting a
    merge or a bulk accept of thousands does not ask for them one by one (the session
    keeps them)."""
    ids = [int(r.entity_id or 0) for r in rows if r.entity == "coding" and r.entity_id]
    kept = s.info.setdefault("preloaded", [])  # the identity map only holds rows weakly
    kept.extend(codings_q.codings_in(s, ids))
    # Each coding touched once: a removed one need not be flushed before the next
    # change, which finds nothing of it (see inverses.uncode).
    s.info["uncode_lazily"] = len(ids) == len(set(ids))
    decided = [int(r.entity_id) for r in rows if r.entity == "suggestion" and r.entity_id]
    kept.extend(suggestions_q.suggestions_in(s, decided))
    if ids:  # re-created codings check their theme and source
        kept.extend(themes_q.theme_rows(s))
        sources = {
            (r.before or {}).get("source") for r in rows if r.entity == "coding" and r.before
        }
        wanted = sorted(x for x in sources if isinstance(x, str))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            kept.extend(sources_q.sources_in(s, chunk))


def last_action(study: Study, coder: str) -> str | None:
    """The newest batch of ``coder``'s that is still in effect: not undone since, and
    an action or the redo of one, not an undo (what a plain ``qualcode undo`` takes
    back). After a redo that is the redo: the undo went past it to an older action."""
    with study.read() as s:
        undone = changes_q.undone_batches(s)
        pairs = changes_q.reversal_pairs(s)
        # a `suggest` run is logged and has nothing to take back: an undo goes past it
        for batch, undoes in changes_q.coder_batches(s, coder, NOTHING_TO_TAKE_BACK):
            if batch in undone:
                continue
            if undoes is None or _reversals(batch, pairs) % 2 == 0:
                return str(batch)
    return None


def _reversals(batch: str, pairs: dict[str, str]) -> int:
    """How many reversals deep ``batch`` is: 1 an undo, 2 the redo of one, ..."""
    depth, seen = 0, set()
    while batch in pairs and batch not in seen:
        seen.add(batch)
        batch = pairs[batch]
        depth += 1
    return depth


__all__ = ["Reverted", "last_action", "revert"]
