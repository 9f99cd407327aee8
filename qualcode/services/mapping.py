"""Mapping and interpretation: which themes go together, and how a theme (or any case
profile) differs between groups of cases.

Themes: by default every theme with a coding of its own, in framework order; a theme
counts its sub-themes' codings (as in the matrix). Cases: co-occurrence takes every
case (``kind`` narrows it to interviews or survey respondents); an association takes,
per theme, the cases of the kind the theme was coded on (``kind="auto"``, as a matrix
sheet does), so its counts match ``qualcode matrix --kind ...``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace

from qualcode.analysis import associations as assoc
from qualcode.analysis import cooccurrence as co
from qualcode.analysis.counts import group_key
from qualcode.domain.mapping import Association, CoOccurrenceTable
from qualcode.domain.model import AttrValue, Segment
from qualcode.errors import InputError
from qualcode.services import matrix_data as data
from qualcode.services.matrix import sheet_kinds
from qualcode.services.matrix_data import AUTO, Snapshot
from qualcode.services.study import Study
from qualcode.store.queries import sources as sources_q


def coded_themes(snap: Snapshot) -> list[str]:
    """Themes with a coding of their own, in framework order."""
    return [t.id for t in snap.tree.ordered() if t.id in snap.coded_kinds]


def chosen_themes(snap: Snapshot, themes: Sequence[str] | None) -> list[str]:
    return data.check_themes(snap, themes) if themes else coded_themes(snap)


def _spans(snap: Snapshot, universe: Mapping[str, object], kind: str | None) -> list[co.CodedSpan]:
    return [
        (c.case, c.source, c.start, c.end, c.theme)
        for c in snap.codings
        if c.case in universe and (kind is None or c.kind == kind)
    ]


def _segments(snap: Snapshot) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for source, start, end, seg in sources_q.segment_spans_of(snap.session, None):
        out.setdefault(source, []).append((start, end, seg))
    return out


def cooccurrence(
    study: Study,
    themes: Sequence[str] | None = None,
    within: int = 0,
    kind: str | None = None,
    beside: str | None = None,
) -> CoOccurrenceTable:
    """Every pair of themes: cases with both, passages together, and Jaccard indices.
    ``beside``: only that theme's pairs with every other theme coded."""
    if within < 0:
        raise InputError("--within must be 0 or more segments")
    data.check_kind(kind)
    with study.read() as s:
        snap = data.load(s)
        if beside is None:
            return _cooccurrence_in(snap, themes, within, kind)
        data.check_themes(snap, [beside])
        if beside not in snap.coded_kinds:
            below = [t for t in snap.tree.with_descendants(beside)[1:] if t in snap.coded_kinds]
            hint = f" (its sub-themes are: {', '.join(below[:5])})" if below else ""
            raise InputError(f"theme {beside!r} has no codings of its own{hint}")
        others = [t for t in coded_themes(snap) if t != beside]
        table = _cooccurrence_in(snap, [beside, *others], within, kind)
        return replace(table, pairs=tuple(p for p in table.pairs if beside in (p.a, p.b)))


def _cooccurrence_in(
    snap: Snapshot, themes: Sequence[str] | None, within: int, kind: str | None
) -> CoOccurrenceTable:
    wanted = chosen_themes(snap, themes)
    universe = snap.universe((kind,) if kind else ())
    table = co.cooccurrence(
        universe, _spans(snap, universe, kind), _segments(snap), snap.tree, wanted, within
    )
    labels = {t: snap.tree.themes[t].label for t in wanted}
    return CoOccurrenceTable(
        table.themes, table.within, table.theme_cases, table.theme_passages, table.pairs, labels
    )


def cooccurrence_passages(
    study: Study, a: str, b: str, within: int = 0, kind: str | None = None
) -> list[Segment]:
    """The segments behind a pair's passage count (the drill-down), in reading order."""
    if within < 0:
        raise InputError("--within must be 0 or more segments")
    data.check_kind(kind)
    with study.read() as s:
        snap = data.load(s)
        a, b = data.check_themes(snap, [a, b])
        universe = snap.universe((kind,) if kind else ())
        ids = co.linked_segments(
            universe, _spans(snap, universe, kind), _segments(snap), snap.tree, a, b, within
        )
    if not ids:
        return []
    from qualcode.services.queries import list_segments

    found = {g.id: g for g in list_segments(study, include_interviewer=True, ids=ids)}
    return [found[i] for i in ids if i in found]


# --- associations --------------------------------------------------------------------


def associations(
    study: Study,
    by: str,
    themes: Sequence[str] | None = None,
    kind: str | None = AUTO,
    fdr: float | None = None,
) -> list[Association]:
    """Each theme (raised or not) against the groups of ``by``, strongest first, with
    Benjamini-Hochberg q-values across the sweep (``fdr`` marks which pass)."""
    if fdr is not None and not 0 < fdr < 1:
        raise InputError(f"--fdr must be between 0 and 1, not {fdr}")
    data.check_kind(kind, allow_auto=True)
    with study.read() as s:
        return _associations_in(data.load(s), by, themes, kind, fdr)


def _associations_in(
    snap: Snapshot,
    by: str,
    themes: Sequence[str] | None,
    kind: str | None,
    fdr: float | None,
) -> list[Association]:
    data.check_by(snap, [by])
    data.check_comparable(snap, by)
    wanted = chosen_themes(snap, themes)
    coded: dict[str, set[tuple[str, str]]] = {}  # theme -> (case, kind) coded with it
    for c in snap.codings:
        coded.setdefault(c.theme, set()).add((c.case, c.kind))
    # most themes share their cases' kinds: each universe and its groups made once
    universes: dict[tuple[str, ...], dict[str, dict[str, AttrValue]]] = {}
    groups: dict[tuple[str, ...], dict[str, str | None]] = {}
    found: list[Association] = []
    for tid in wanted:
        gathered = set(snap.tree.with_descendants(tid))
        column = (snap.tree.themes[tid], tuple(gathered))
        kinds = sheet_kinds(snap, [column], kind)
        if kinds not in universes:
            universes[kinds] = snap.universe(kinds)
            groups[kinds] = {c: group_key(attrs, [by]) for c, attrs in universes[kinds].items()}
        universe = universes[kinds]
        hit = {
            case
            for t in gathered
            for case, k in coded.get(t, ())
            if case in universe and (not kinds or k in kinds)
        }
        label = snap.tree.themes[tid].label
        found.append(
            assoc.associate(
                {case: case in hit for case in universe},
                groups[kinds],
                subject=tid,
                label=label,
                attribute=by,
                names={True: "raised", False: "not raised"},
                what={True: f"raised {label}", False: f"did not raise {label}"},
                noun=_noun(kinds),
                kind=kinds[0] if len(kinds) == 1 else None,
            )
        )
    return assoc.by_strength(assoc.with_fdr(found, fdr))


def cooccurrence_and_associations(
    study: Study, by: str | None
) -> tuple[CoOccurrenceTable, list[Association] | None]:
    """Both from one reading of the study (an export's mapping sheets): every coded
    theme, passages in the same segment, and each theme by ``by`` (none without; None
    when ``by`` does not group the cases, see ``matrix_data.comparable``)."""
    with study.read() as s:
        snap = data.load(s)
        table = _cooccurrence_in(snap, None, 0, None)
        return table, (_comparable_associations(snap, by, None) if by else [])


def comparable_associations(
    study: Study, by: str, themes: Sequence[str] | None = None
) -> list[Association] | None:
    """``associations`` by ``by`` when it groups the cases, else None (an export
    grouped by a respondent id has no groups to compare), from one reading."""
    with study.read() as s:
        return _comparable_associations(data.load(s), by, themes)


def _comparable_associations(
    snap: Snapshot, by: str, themes: Sequence[str] | None
) -> list[Association] | None:
    if not data.comparable(snap, by):
        return None
    return _associations_in(snap, by, themes, AUTO, None)


def comparable_attributes(study: Study) -> list[str]:
    """The case attributes whose groups can be compared (``matrix_data.comparable``)."""
    with study.read() as s:
        snap = data.load(s)
        return [n for n in snap.attribute_names if data.comparable(snap, n)]


def associate_profile(
    study: Study,
    profile: Mapping[str, Hashable],
    by: str,
    subject: str,
    label: str,
    values: Sequence[Hashable] | None = None,
    names: Mapping[Hashable, str] | None = None,
    what: Mapping[Hashable, str] | None = None,
) -> Association:
    """Any case-level profile (a dimension value, a type) against ``by``: the cases in
    ``profile`` are the ones compared."""
    with study.read() as s:
        snap = data.load(s)
        data.check_by(snap, [by])
        groups = {
            case: group_key(snap.attributes.get(case, {}), [by])
            for case in profile
            if case in snap.attributes
        }
    return assoc.associate(
        profile,
        groups,
        subject=subject,
        label=label,
        attribute=by,
        values=values,
        names=names,
        what=what,
    )


def _noun(kinds: Sequence[str]) -> str:
    from qualcode.domain.matrix import noun

    return noun(tuple(kinds))
