"""The framework matrix: cases per theme by group, comparisons, rankings, and sheets.

Which cases count
-----------------
A theme is counted over the cases that hold a source its framework applies to (see
:mod:`qualcode.domain.frameworks`): interview themes over the interviewees, survey
themes over the respondents (who answered the framework's questions, when it names
some). ``qualcode matrix``, its ``--json``, the sheets behind the TUI and every export
take the same base, so "n of N" is the same number everywhere. Themes in the default
framework, which applies to everything, count over every case of the study, as
interface.md says.

Explicit overrides: ``kind="transcript"`` (or ``"survey"``) counts only the cases that
have a source of that kind - and only codings on such sources; ``question`` narrows
the universe to the respondents who answered that survey question.

A sheet's rows default to ``kind="auto"``: the cases its columns' frameworks apply to,
each column counted over its own framework's cases. For columns in the default
framework the rows are the cases with a source of the kind the sheet's themes were
coded on (interview themes list the interviews, survey themes the respondents). While
nothing is coded under the sheet's themes, they take the kinds coded under the
top-level themes whose ids start with the same letters ("S2" goes with "S1"; "2" with
"1"), else the interviews (every case in a study without transcripts). ``kind=None``
lists every case. A sheet's per-group counts are over its rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from qualcode.analysis import counts as counting
from qualcode.domain.framework import FrameworkTree, theme_title
from qualcode.domain.frameworks import AppliesTo
from qualcode.domain.matrix import (
    Cell,
    Comparison,
    Group,
    MatrixRow,
    MatrixSheet,
    Passage,
    RowCells,
    Summary,
    Synthesis,
    ThemeCount,
)
from qualcode.domain.model import TRANSCRIPT, Theme
from qualcode.errors import NotFoundError
from qualcode.services import matrix_data as data
from qualcode.services.gc_pause import gc_paused
from qualcode.services.matrix_data import AUTO, KINDS, Snapshot
from qualcode.services.matrix_groups import group_key, group_order, sheet_counts
from qualcode.services.study import Study

Column = tuple[Theme, tuple[str, ...]]  # a column's theme and the themes it gathers


def counts(
    study: Study,
    by: Sequence[str] = (),
    themes: Sequence[str] | None = None,
    kind: str | None = None,
    question: str | None = None,
) -> list[ThemeCount]:
    """Per theme and group: distinct cases with a coding of it (or a sub-theme)."""
    data.check_kind(kind)
    with study.read() as s:
        snap = data.load(s)
        by = data.check_by(snap, by)
        question = data.check_question(snap, question)
        wanted = data.check_themes(snap, themes) if themes else [t.id for t in snap.tree.ordered()]
        if kind is not None or question is not None:
            universe = snap.universe((kind,) if kind else (), question)
            codings = [
                (c.case, c.theme)
                for c in snap.codings
                if (kind is None or c.kind == kind) and (question is None or c.question == question)
            ]
            return counting.count_cases(universe, codings, snap.tree, wanted, by)
        return _framework_counts(snap, wanted, by)


def _framework_counts(snap: Snapshot, wanted: Sequence[str], by: Sequence[str]) -> list[ThemeCount]:
    """Each theme over the cases its framework applies to, codings on such sources only."""
    found: dict[str, list[ThemeCount]] = {}
    for name, framework in snap.frameworks.frameworks.items():
        themes = [t for t in wanted if snap.frameworks.of_theme.get(t) == name]
        if not themes:
            continue
        applies = framework.applies_to
        universe = snap.base(applies)
        codings = [(c.case, c.theme) for c in snap.codings if applies.covers(c.kind, c.question)]
        for count in counting.count_cases(universe, codings, snap.tree, themes, by):
            found.setdefault(count.theme, []).append(count)
    return [count for tid in wanted for count in found.get(tid, ())]


def compare(
    study: Study,
    by: str,
    a: str,
    b: str,
    themes: Sequence[str] | None = None,
    kind: str | None = None,
    question: str | None = None,
) -> list[Comparison]:
    """Two groups of ``by`` side by side, with the difference in percentage points."""
    rows = counts(study, (by,), themes, kind, question)
    groups = list(dict.fromkeys(r.group for r in rows))
    for value in (a, b):
        if value not in groups:
            shown = ", ".join(g for g in groups if g is not None) or "none"
            raise NotFoundError(f"no cases with {by} = {value!r} (values: {shown})")
    tree = _tree(study)
    labels = {tid: t.label for tid, t in tree.themes.items()}
    return counting.compare(rows, labels, a, b)


def rank(
    study: Study,
    question: str | None = None,
    kind: str | None = None,
    top_level: bool = False,
) -> list[ThemeCount]:
    """Themes by the number of cases raising them (e.g. for one survey question)."""
    tree = _tree(study)
    order = [t.id for t in (tree.top_level() if top_level else tree.ordered())]
    if not order:
        return []
    return counting.rank(counts(study, (), order, kind, question), order)


def top_level_themes(study: Study) -> list[Theme]:
    return _tree(study).top_level()


def _tree(study: Study) -> FrameworkTree:
    from qualcode.services.framework import framework_tree

    return framework_tree(study)


# --- sheets --------------------------------------------------------------------------


def sheet(
    study: Study,
    top: str | None = None,
    themes: Sequence[str] | None = None,
    by: Sequence[str] = (),
    kind: str | None = AUTO,
    cases: Sequence[str] | None = None,
) -> MatrixSheet:
    """One sheet in one call: a top-level theme's sub-themes as columns (or ``themes``).

    Without ``top`` or ``themes`` the first top-level theme is used.
    """
    with gc_paused(), study.read() as s:
        snap = data.load(s)
        if themes:
            columns = [
                (snap.tree.themes[t], tuple(snap.tree.with_descendants(t)))
                for t in data.check_themes(snap, themes)
            ]
            title = ", ".join(f"{t.id} {t.label}" for t, _ in columns)
        else:
            tops = snap.tree.top_level()
            if not tops:
                raise NotFoundError("the study has no themes yet")
            root = data.check_themes(snap, [top])[0] if top else tops[0].id
            columns = top_columns(snap, root)
            title = f"{root} {snap.tree.themes[root].label}"
        return build_sheet(snap, title, columns, by, kind, cases)


def sheets(
    study: Study,
    tops: Sequence[str] | None = None,
    by: Sequence[str] = (),
    kind: str | None = AUTO,
) -> list[MatrixSheet]:
    """One sheet per top-level theme (or per theme of ``tops``), read in one go."""
    with gc_paused(), study.read() as s:
        snap = data.load(s)
        roots = data.check_themes(snap, tops) if tops else [t.id for t in snap.tree.top_level()]
        return [
            build_sheet(
                snap, theme_title(r, snap.tree.themes[r].label), top_columns(snap, r), by, kind
            )
            for r in roots
        ]


def cell(study: Study, case: str, theme: str) -> Cell:
    """One cell with its passages (the theme's and its sub-themes') and summary."""
    with study.read() as s:
        snap = data.load(s, case=case)
        if case not in snap.attributes:
            raise NotFoundError(f"no case {case!r}")
        tid = data.check_themes(snap, [theme])[0]
        column = (snap.tree.themes[tid], tuple(snap.tree.with_descendants(tid)))
        built = build_sheet(snap, tid, [column], (), None, [case])
    return built.rows[0].cells[0]


def top_columns(snap: Snapshot, root: str) -> list[Column]:
    """A top-level theme's sub-themes; the theme itself first when coded directly."""
    tree = snap.tree
    kids = tree.children.get(root, ())
    if not kids:
        return [(tree.themes[root], tuple(tree.with_descendants(root)))]
    columns: list[Column] = []
    if root in snap.coded_kinds:
        columns.append((tree.themes[root], (root,)))
    columns += [(tree.themes[k], tuple(tree.with_descendants(k))) for k in kids]
    return columns


def column_scopes(
    snap: Snapshot, columns: Sequence[Column], kind: str | None
) -> list[AppliesTo] | None:
    """What each column's framework applies to, when the rows follow the frameworks:
    ``kind="auto"`` and every column in a framework narrower than everything."""
    if kind != AUTO:
        return None
    scopes = [snap.frameworks.framework_of(t.id).applies_to for t, _ in columns]
    if not scopes or any(a.kind is None for a in scopes):
        return None
    return scopes


def sheet_kinds(snap: Snapshot, columns: Sequence[Column], kind: str | None) -> tuple[str, ...]:
    """The source kinds whose cases are the rows; () means every case."""
    data.check_kind(kind, allow_auto=True)
    if kind is None:
        return ()
    if kind != AUTO:
        return (kind,)
    gathered = {t for _, ids in columns for t in ids}
    coded = _coded_kinds(snap, gathered)
    if coded:
        return coded
    # Nothing coded under these themes yet: take the kinds coded under the top-level
    # themes whose ids share their letters ("S2" follows "S1"), else the interviews -
    # listing a thousand survey respondents in an empty sheet helps nobody.
    prefixes = {_prefix(t) for t in gathered}
    kin = {
        t
        for top in snap.tree.top_level()
        if _prefix(top.id) in prefixes
        for t in snap.tree.with_descendants(top.id)
    }
    coded = _coded_kinds(snap, kin)
    if coded:
        return coded
    has_transcripts = any(TRANSCRIPT in kinds for kinds in snap.kinds.values())
    return (TRANSCRIPT,) if has_transcripts else ()


def _coded_kinds(snap: Snapshot, themes: set[str]) -> tuple[str, ...]:
    found = {k for t in themes for k in snap.coded_kinds.get(t, ())}
    return tuple(k for k in KINDS if k in found)


def _prefix(theme_id: str) -> str:
    return re.match(r"\D*", theme_id).group().lower()  # type: ignore[union-attr]


def build_sheet(
    snap: Snapshot,
    title: str,
    columns: Sequence[Column],
    by: Sequence[str],
    kind: str | None,
    only: Sequence[str] | None = None,
) -> MatrixSheet:
    by = data.check_by(snap, by)
    scopes = column_scopes(snap, columns, kind)
    if scopes is None:
        kinds = sheet_kinds(snap, columns, kind)
        universe = snap.universe(kinds)
        bases: list[set[str]] | None = None
    else:
        kinds = tuple(k for k in KINDS if any(a.kind == k for a in scopes))
        per_scope = {a: set(snap.base(a)) for a in set(scopes)}
        bases = [per_scope[a] for a in scopes]  # columns of one framework share a set
        joined = set().union(*bases)
        universe = {c: a for c, a in snap.universe().items() if c in joined}
    if only is not None:
        missing = [c for c in only if c not in snap.attributes]
        if missing:
            raise NotFoundError(f"no case {missing[0]!r}")
        universe = {c: snap.attributes[c] for c in only if c in universe}
    where: dict[str, list[int]] = {}
    for i, (_, ids) in enumerate(columns):
        for tid in ids:
            where.setdefault(tid, []).append(i)
    matched = [
        c for c in snap.codings_of(where) if c.case in universe and (not kinds or c.kind in kinds)
    ]
    snap.load_sources({c.source for c in matched})
    # case -> column -> span -> passage; a coding in several columns is one passage
    found: dict[str, dict[int, dict[tuple[str, int, int, str], Passage]]] = {}
    passage = snap.passage
    for c in matched:
        made: Passage | None = None
        for i in where[c.theme]:
            if scopes is not None and not scopes[i].covers(c.kind, c.question):
                continue  # a passage outside what the column's framework codes
            of_case = found.get(c.case)
            if of_case is None:
                of_case = found[c.case] = {}
            bucket = of_case.get(i)
            if bucket is None:
                bucket = of_case[i] = {}
            span = (c.source, c.start, c.end, c.theme)
            known = bucket.get(span)
            if known is None:
                if made is None:
                    made = passage(c)
                bucket[span] = made
            elif c.quote and not known.quote:  # a double-coded span is one passage
                bucket[span] = replace(known, quote=True)
    theme_ids = [t.id for t, _ in columns]

    def in_order(bucket: dict[tuple[str, int, int, str], Passage]) -> tuple[Passage, ...]:
        if len(bucket) == 1:  # most cells holding any passage of a large study
            return tuple(bucket.values())
        return tuple(
            sorted(bucket.values(), key=lambda p: (snap.natural(p.source), p.start, p.end, p.theme))
        )

    # per case, its cells holding passages (most cases have few), each sorted once
    held_of = {
        case: {i: in_order(bucket) for i, bucket in of_case.items()}
        for case, of_case in found.items()
    }
    stored = data.summaries(snap.session, set(universe), set(theme_ids))
    attribute = "+".join(by)
    synth = data.syntheses(snap.session, attribute, set(theme_ids)) if by else {}
    stored_of: dict[str, dict[str, Summary]] = {}
    for (case, tid), summary in stored.items():
        stored_of.setdefault(case, {})[tid] = summary
    none: dict[Any, Any] = {}
    grouped: dict[tuple[str | None, ...], list[MatrixRow]] = {}
    column_ids = tuple(theme_ids)
    columns_of: dict[str, list[int]] = {}
    for i, tid in enumerate(theme_ids):
        columns_of.setdefault(tid, []).append(i)
    for case, attributes in universe.items():
        # only the cells with passages or a summary are made; RowCells makes the
        # blank ones when asked for
        its_passages = held_of.get(case)
        its_summaries = stored_of.get(case)
        cells: dict[int, Cell] = none  # shared while empty, never changed
        if its_passages is not None or its_summaries is not None:
            cells = {}
            its_summaries = its_summaries or none
            for i, passages in (its_passages or none).items():
                tid = theme_ids[i]
                written: Summary | None = its_summaries.get(tid)
                cells[i] = Cell(
                    case, tid, passages, Summary(case, tid) if written is None else written
                )
            for tid, written in its_summaries.items():
                for i in columns_of.get(tid, ()):
                    if i not in cells:
                        cells[i] = Cell(case, tid, (), written)
        key = group_key(attributes, by)
        rows = grouped.get(key)
        if rows is None:
            rows = grouped[key] = []
        rows.append(MatrixRow(case, attributes, RowCells(case, column_ids, cells)))
    groups: list[Group] = []
    for key in sorted(grouped, key=group_order):
        group = Group(key=key, rows=tuple(grouped[key]))
        if by:
            group = replace(
                group,
                syntheses=tuple(
                    synth.get((tid, group.label), Synthesis(tid, attribute, group.label))
                    for tid in theme_ids
                ),
            )
        groups.append(group)
    coded: list[set[str]] = [set() for _ in theme_ids]  # per column, its cases with a passage
    for case, its in held_of.items():
        for i in its:
            coded[i].add(case)
    return MatrixSheet(
        title=title,
        themes=tuple(t for t, _ in columns),
        by=by,
        groups=tuple(groups),
        kinds=kinds,
        counts=tuple(sheet_counts(groups, theme_ids, by, bases, coded)),
    )
