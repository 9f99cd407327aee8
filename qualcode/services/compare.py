"""The Compare workspace's service: where two coders disagree, and settling it.

Which segments are compared follows :mod:`qualcode.services.agreement` (``over``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.domain.model import Coding
from qualcode.domain.wording import settlement
from qualcode.errors import ConflictError, InputError, NotFoundError, QualcodeError
from qualcode.services import codings
from qualcode.services.agreement import (
    check_coders,
    check_known,
    load_comparison,
    themes_to_report,
)
from qualcode.services.study import Study
from qualcode.services.theme_errors import no_theme_in_tree
from qualcode.store import audit, convert, states
from qualcode.store import models as m
from qualcode.store.queries import changes as changes_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import themes as themes_q


@dataclass(frozen=True)
class Disagreement:
    """A segment that one coder coded with ``theme`` and the other did not."""

    segment: str
    case: str
    source: str
    start: int
    end: int
    line: int  # 1-based line of ``start`` in the source
    text: str
    theme: str
    label: str
    coder_a: str
    coder_b: str
    a: bool  # coder_a coded the segment with the theme
    b: bool
    kept_both: bool  # already settled with resolve(..., keep="both")


def disagreements(
    study: Study,
    coder_a: str,
    coder_b: str,
    theme: str | None = None,
    *,
    over: str = "sources",
    rollup: bool = False,
) -> list[Disagreement]:
    """Every (segment, theme) of the compared segments where the two coders differ, in
    reading order then framework order."""
    names = check_coders((coder_a, coder_b), over)
    data = load_comparison(study, names, over, rollup)
    tids = themes_to_report(data, None if theme is None else [theme], False)
    found: list[tuple[int, str, bool, bool]] = []
    for tid in tids:
        pa, pb = data.spans.get((names[0], tid), {}), data.spans.get((names[1], tid), {})
        for u in sorted(set(pa) ^ set(pb)):
            found.append((u, tid, u in pa, u in pb))
    order = {tid: n for n, tid in enumerate(t.id for t in data.tree.ordered())}
    found.sort(key=lambda f: (f[0], order[f[1]]))
    sources = {data.units[u][1] for u, *_ in found}
    kept = settled(study, names)
    with study.read() as s:
        texts = (
            {r.id: (r.case_id, r.text) for r in sources_q.sources_in(s, sources)} if sources else {}
        )
    out = []
    for u, tid, a, b in found:
        sid, source, start, end = data.units[u]
        case_id, text = texts[source]
        out.append(
            Disagreement(
                segment=sid,
                case=case_id,
                source=source,
                start=start,
                end=end,
                line=text.count("\n", 0, start) + 1,
                text=text[start:end],
                theme=tid,
                label=data.tree.themes[tid].label,
                coder_a=names[0],
                coder_b=names[1],
                a=a,
                b=b,
                kept_both=(sid, tid) in kept,
            )
        )
    return out


def _nothing_to_settle(
    s: Session, segment_id: str, theme: str, names: Sequence[str], both: bool
) -> QualcodeError:
    """Why a resolution is refused where the coders agree: a colleague settled it since
    the walk was loaded (named, so a decision is not silently turned round), or there
    was never a difference (a mistyped segment; ``keep both`` would hide a later one)."""
    a, b = names
    state = "both coded it" if both else "neither coded it"
    where = f"{segment_id} {theme}"
    row = changes_q.latest_change(s, "disagreement", where)
    if row is not None and row.action == "resolve":
        kept = settlement(row.after if isinstance(row.after, dict) else {})
        when = convert.when(row.at)
        return ConflictError(
            f"{where}: {row.coder} settled this at {when} ({kept}); {a} and {b} now agree "
            f"({state}), so there is nothing to settle"
        )
    return InputError(f"{where}: no disagreement to settle: {a} and {b} {state}")


def _refuse_over_kept(
    s: Session, who: str, segment_id: str, theme: str, names: Sequence[str]
) -> None:
    """A colleague's "keep both" on this disagreement stands until overridden knowingly."""
    where = f"{segment_id} {theme}"
    row = changes_q.latest_change(s, "disagreement", where)
    after = row.after if row is not None and isinstance(row.after, dict) else {}
    if row is None or after.get("keep") != "both" or row.coder == who:
        return
    if sorted(after.get("coders", ())) != sorted(names):
        return
    raise ConflictError(
        f"{where}: {row.coder} kept both at {convert.when(row.at)}; taking a side would "
        "turn that round (`resolve --override` does it knowingly)"
    )


def settled(study: Study, coders: Sequence[str]) -> set[tuple[str, str]]:
    """(segment, theme) pairs these two coders agreed to leave as they are."""
    pair = sorted(coders)
    out: set[tuple[str, str]] = set()
    with study.read() as s:
        rows = changes_q.resolutions(s)
        for r in rows:
            after = r.after if isinstance(r.after, dict) else {}
            if sorted(after.get("coders", ())) != pair:
                continue
            key = (str(after.get("segment")), str(after.get("theme")))
            if after.get("keep") == "both":
                out.add(key)
            else:
                out.discard(key)
    return out


@dataclass(frozen=True)
class Resolution:
    segment: str
    theme: str
    keep: str
    added: tuple[Coding, ...]
    removed: tuple[Coding, ...]


def resolve(
    study: Study,
    segment_id: str,
    theme: str,
    keep: str,
    *,
    coder_a: str,
    coder_b: str,
    rollup: bool = False,
    over_kept: bool = False,
) -> Resolution:
    """Settle a disagreement on one segment and theme.

    ``keep="a"``: coder_b's coding of the segment is made to match coder_a's - coder_a's
    codings of the theme that overlap the segment are copied to coder_b (cut to the
    segment), or coder_b's are removed if coder_a has none (a coding reaching beyond the
    segment keeps its parts outside it). ``keep="b"`` is the mirror image. ``keep="both"``
    leaves both coders' codings as they are and records that the difference was
    reviewed. Every change goes to the audit trail under the study's coder.

    Taking a side where a colleague kept both is refused unless ``over_kept`` (the
    caller showed "kept both", or was told to override): a stale screen or a script
    would otherwise turn their decision round unseen.
    """
    if keep not in ("a", "b", "both"):
        raise InputError(f"keep must be 'a', 'b' or 'both', not {keep!r}")
    names = check_coders((coder_a, coder_b), "sources")
    added: list[Coding] = []
    removed: list[Coding] = []
    with study.write() as s:
        seg = s.get(m.SegmentRow, segment_id)
        if seg is None:
            raise NotFoundError(f"no segment {segment_id!r}")
        tree = themes_q.framework_tree(s)
        if theme not in tree.themes:
            raise no_theme_in_tree(tree, theme)
        check_known(s, names)
        tids = tree.with_descendants(theme) if rollup else [theme]
        rows = codings_q.codings_overlapping(s, seg.source_id, seg.start, seg.end, tids, names)
        mine = {c: [r for r in rows if r.coder == c] for c in names}
        if bool(mine[names[0]]) == bool(mine[names[1]]):
            raise _nothing_to_settle(s, segment_id, theme, names, bool(mine[names[0]]))
        if keep != "both" and not over_kept:
            _refuse_over_kept(s, study.coder, segment_id, theme, names)
        if keep != "both":
            winner, loser = names if keep == "a" else names[::-1]
            if mine[winner] and not mine[loser]:
                for r in mine[winner]:
                    start, end = max(r.start, seg.start), min(r.end, seg.end)
                    new = _add(s, study.coder, r.source_id, start, end, r.theme_id, loser, r.quote)
                    if new is not None:
                        added.append(new)
            elif mine[loser] and not mine[winner]:
                for r in mine[loser]:
                    removed.append(_delete(s, study.coder, r))
                    for start, end in _parts_outside(s, r, seg):
                        new = _add(
                            s,
                            study.coder,
                            r.source_id,
                            start,
                            end,
                            r.theme_id,
                            loser,
                            r.quote,
                            r.origin,
                        )
                        if new is not None:
                            added.append(new)
        audit.record(
            s,
            study.coder,
            "resolve",
            "disagreement",
            f"{segment_id} {theme}",
            after={
                "segment": segment_id,
                "theme": theme,
                "keep": keep,
                "coders": list(names),
                "added": [c.id for c in added],
                "removed": [c.id for c in removed],
            },
        )
    return Resolution(segment_id, theme, keep, tuple(added), tuple(removed))


def _parts_outside(s: Session, row: m.CodingRow, seg: m.SegmentRow) -> list[tuple[int, int]]:
    """The parts of a coding before and after the settled segment that hold words of
    another segment. A coding imported from another tool often starts on the line
    break before a turn: that gap alone is no coding, and kept it would count the case
    as raising the theme, and quote nothing."""
    text = sources_q.source_text(s, row.source_id) or ""
    others = [
        (a, b) for _, a, b, sid in sources_q.segment_spans_of(s, [row.source_id]) if sid != seg.id
    ]
    parts = []
    for start, end in ((row.start, seg.start), (seg.end, row.end)):
        if start < end and any(text[max(start, a) : min(end, b)].strip() for a, b in others):
            parts.append((start, end))
    return parts


def _add(
    s: Session,
    who: str,
    source: str,
    start: int,
    end: int,
    theme: str,
    coder: str,
    quote: bool,
    origin: str = "manual",
) -> Coding | None:
    coding, created = codings.insert_coding(
        s, who, source, start, end, theme, coder, origin, quote=quote
    )
    return coding if created else None


def _delete(s: Session, who: str, row: m.CodingRow) -> Coding:
    gone = convert.coding(row)
    s.delete(row)
    s.flush()
    audit.record(s, who, "delete", "coding", gone.id, before=states.coding(gone))
    return gone
