"""Inter-coder agreement per theme, and the disagreements behind it.

Units are segments (a respondent turn or a survey answer); a coder coded a segment with
a theme when one of the coder's codings of that theme overlaps it. Which segments are
compared (``over``):

- ``sources`` (default): every respondent segment of the sources that both coders
  coded something in - the double-coded sample. A turn that one coder coded and the
  other left uncoded counts as a disagreement.
- ``both``: only segments that both coders coded with at least one theme.
- ``either``: segments that at least one of the coders coded.

Only respondent segments are units: interviewer turns are context, so a coding that
sweeps across a question counts for the answers on either side only. With more than
two coders a coder's value for a segment is missing where that coder did not look at it
(under ``sources``: did not code the source at all), which Krippendorff's alpha allows.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from qualcode.domain.framework import FrameworkTree, natural_key
from qualcode.domain.wording import counted, first_few
from qualcode.errors import InputError
from qualcode.services.study import Study
from qualcode.services.theme_errors import no_theme_in_tree
from qualcode.store.queries import coders as coders_q
from qualcode.store.queries import codings as codings_q
from qualcode.store.queries import sources as sources_q
from qualcode.store.queries import themes as themes_q

OVER = ("sources", "both", "either")
SegKey = tuple[str, str, int, int]  # segment id, source id, start, end


@dataclass(frozen=True)
class ThemeAgreement:
    theme: str
    label: str
    kappa: float | None  # Cohen's kappa (two coders only)
    agreement: float | None  # share of units on which the coders agree
    alpha: float | None  # Krippendorff's alpha, nominal
    segments: int  # segments compared
    coded: tuple[int, ...]  # per coder: compared segments coded with the theme
    characters: int | None = None  # characters compared (character-level only)


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    over: str
    unit: str  # "segment" or "character"
    rollup: bool
    segments: int
    characters: int | None
    themes: tuple[ThemeAgreement, ...]
    notes: tuple[str, ...] = ()  # what the figures leave out, to say beside them
    pooled: ThemeAgreement | None = None  # two coders: every (segment, theme) as one unit


@dataclass
class Comparison:
    """The units two or more coders are compared on, and what each coded there."""

    tree: FrameworkTree
    units: list[SegKey]
    # per coder: indices of units the coder looked at (a value is present)
    present: dict[str, set[int]]
    # (coder, theme) -> unit index -> spans relative to the segment
    spans: dict[tuple[str, str], dict[int, list[tuple[int, int]]]] = field(default_factory=dict)
    # theme -> the coders' codings of it on no respondent segment (an interviewer's turn)
    outside: Counter[str] = field(default_factory=Counter)


def check_coders(coders: Sequence[str], over: str) -> tuple[str, ...]:
    """The distinct coder names (at least two), after checking ``over``."""
    names = tuple(dict.fromkeys(c.strip() for c in coders if c.strip()))
    if len(names) < 2:
        raise InputError("name at least two different coders")
    if over not in OVER:
        raise InputError(f"--over must be one of {', '.join(OVER)}, not {over!r}")
    return names


def check_known(s: Session, names: Sequence[str]) -> None:
    """Refuse a coder the study has never seen: a mistyped or wrongly capitalised
    name ("bobb", "Bob") would otherwise compare as "no common sources" or, when
    settling, write codings under a coder nobody is."""
    # anyone with a coding, or who once wrote to the study (a settlement may have
    # taken away a coder's last coding of the sample)
    known = sorted(coders_q.known_coders(s))
    for name in names:
        if name in known:
            continue
        by_fold = [k for k in known if k.casefold() == name.casefold()]
        close = by_fold or difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        hint += " (names are case-sensitive)" if by_fold else ""
        listed = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        raise InputError(f"no coder {name!r} in this study{hint} (coders: {listed or 'none yet'})")


def check_coder(study: Study, name: str) -> None:
    """Refuse a coder the study has never seen (see check_known)."""
    with study.read() as s:
        check_known(s, [name])


def load_comparison(study: Study, coders: Sequence[str], over: str, rollup: bool) -> Comparison:
    """Read the coders' codings and the segments compared under ``over`` (see above)."""
    with study.read() as s:
        check_known(s, coders)
        tree = themes_q.framework_tree(s)
        codings = codings_q.coder_codings(s, coders)
        touched = {cd.source_id for cd in codings}
        segs = sources_q.segment_bounds(s)
    by_source: dict[str, list[tuple[int, int, str, str]]] = {}
    for g in segs:
        if g.source_id in touched and g.role == "respondent":
            by_source.setdefault(g.source_id, []).append((g.start, g.end, g.id, g.role))
    for rows in by_source.values():
        rows.sort()
    # which segments each coder coded, and with what spans per theme
    hits: dict[str, dict[str, list[tuple[str, int, int]]]] = {c: {} for c in coders}
    looked: dict[str, set[str]] = {c: set() for c in coders}
    outside: Counter[str] = Counter()
    for cd in codings:
        looked[cd.coder].add(cd.source_id)
        rows = by_source.get(cd.source_id, [])
        i = max(bisect_left(rows, (cd.start,)) - 1, 0)
        found = False
        for start, end, sid, _role in rows[i:]:
            if start >= cd.end:
                break
            if end > cd.start:
                found = True
                hits[cd.coder].setdefault(sid, []).append(
                    (cd.theme_id, max(cd.start, start) - start, min(cd.end, end) - start)
                )
        if not found:
            outside[cd.theme_id] += 1
    coded_any = {sid for per in hits.values() for sid in per}
    units: list[SegKey] = []
    present: dict[str, set[int]] = {c: set() for c in coders}
    for source in sorted(by_source, key=natural_key):
        for start, end, sid, _role in by_source[source]:
            if over == "sources":
                who = [c for c in coders if source in looked[c]]
                keep = len(who) >= 2
            elif over == "both":
                who = [c for c in coders if sid in hits[c]]
                keep = len(who) >= 2
            else:
                who = list(coders)
                keep = sid in coded_any
            if keep:
                for c in who:
                    present[c].add(len(units))
                units.append((sid, source, start, end))
    data = Comparison(tree, units, present, outside=outside)
    for n, (sid, *_rest) in enumerate(units):
        for c in coders:
            for theme, a, b in hits[c].get(sid, ()):
                for t in [theme, *(tree.ancestors(theme) if rollup else ())]:
                    data.spans.setdefault((c, t), {}).setdefault(n, []).append((a, b))
    return data


def themes_to_report(data: Comparison, wanted: Iterable[str] | None, all_themes: bool) -> list[str]:
    """Theme ids in framework order: those asked for, all, or those anyone used."""
    order = [t.id for t in data.tree.ordered()]
    if wanted is not None:
        wanted = list(wanted)
        for tid in wanted:
            if tid not in data.tree.themes:
                raise no_theme_in_tree(data.tree, tid)
        return [t for t in order if t in set(wanted)]
    if all_themes:
        return order
    used = {t for (_c, t), per in data.spans.items() if per}
    return [t for t in order if t in used]


def agreement(
    study: Study,
    coders: Sequence[str],
    *,
    over: str = "sources",
    rollup: bool = False,
    characters: bool = False,
    themes: Iterable[str] | None = None,
    all_themes: bool = False,
) -> AgreementReport:
    """Per theme: kappa (two coders), percentage agreement and Krippendorff's alpha.

    ``characters=True`` (two coders only) compares every character of the compared
    segments instead of whole segments. ``rollup=True`` counts a coding of a
    sub-theme as a coding of each of its parent themes too.
    """
    from qualcode.analysis import agreement as stats

    names = check_coders(coders, over)
    if characters and len(names) != 2:
        raise InputError("character-level agreement compares exactly two coders")
    data = load_comparison(study, names, over, rollup)
    n_units = len(data.units)
    lengths = [end - start for _sid, _src, start, end in data.units]
    out: list[ThemeAgreement] = []
    for tid in themes_to_report(data, themes, all_themes):
        label = data.tree.themes[tid].label
        per = [data.spans.get((c, tid), {}) for c in names]
        coded = tuple(len(p) for p in per)
        if characters:
            table = stats.add_counts(
                stats.span_counts(lengths[u], per[0].get(u, ()), per[1].get(u, ()))
                for u in range(n_units)
            )
            out.append(
                ThemeAgreement(
                    tid,
                    label,
                    table.kappa(),
                    table.agreement(),
                    table.alpha(),
                    n_units,
                    coded,
                    sum(lengths),
                )
            )
            continue
        rows = [
            [(u in p) if u in data.present[c] else None for u in range(n_units)]
            for c, p in zip(names, per, strict=True)
        ]
        alpha = stats.krippendorff_alpha_nominal(rows)
        if len(names) == 2:
            a, b = rows
            kappa = stats.cohen_kappa(a, b)
            share = stats.percent_agreement(a, b)
        else:
            kappa = None
            share = _share_all_agree(rows, n_units)
        out.append(ThemeAgreement(tid, label, kappa, share, alpha, n_units, coded))
    return AgreementReport(
        coders=names,
        over=over,
        unit="character" if characters else "segment",
        rollup=rollup,
        segments=n_units,
        characters=sum(lengths) if characters else None,
        themes=tuple(out),
        notes=tuple(_notes(data, themes, rollup)),
        pooled=None if characters or len(names) != 2 else _pooled(data, names, out),
    )


def _notes(data: Comparison, wanted: Iterable[str] | None, rollup: bool) -> list[str]:
    """What a researcher would otherwise read as agreement: themes coded only where no
    segment is compared, and a parent theme asked for without its sub-themes."""
    asked = list(wanted) if wanted is not None else None
    notes = []
    left = [(t, n) for t, n in data.outside.most_common() if asked is None or t in asked]
    if left:
        total = sum(n for _t, n in left)
        themes = first_few([f"{t} {n}" for t, n in left], 4, say_rest=True)
        notes.append(
            f"{counted(total, 'coding')} on interviewers' or others' turns not compared "
            f"(agreement compares respondents' segments): {themes}"
        )
    for tid in asked or ():
        if not rollup and len(data.tree.with_descendants(tid)) > 1:
            notes.append(
                f"{tid} has sub-themes: only codings of {tid} itself are compared; "
                "--rollup counts its sub-themes' codings as codings of it"
            )
    return notes


def _pooled(
    data: Comparison, names: Sequence[str], themes: Sequence[ThemeAgreement]
) -> ThemeAgreement | None:
    """Kappa and agreement over every (segment, theme) of the themes reported, as a
    methods section gives one figure for the framework."""
    from qualcode.analysis import agreement as stats

    if not themes:
        return None
    a: list[bool] = []
    b: list[bool] = []
    units = [u for u in range(len(data.units)) if all(u in data.present[c] for c in names)]
    for t in themes:
        per = [data.spans.get((c, t.theme), {}) for c in names]
        a.extend(u in per[0] for u in units)
        b.extend(u in per[1] for u in units)
    kappa = stats.cohen_kappa(a, b)
    share = stats.percent_agreement(a, b)
    coded = tuple(sum(1 for x in column if x) for column in (a, b))
    return ThemeAgreement("(pooled)", "all themes", kappa, share, None, len(a), coded)


def _share_all_agree(rows: list[list[bool | None]], n_units: int) -> float | None:
    """Share of units (with two or more values) on which every coder present agrees."""
    agree = total = 0
    for u in range(n_units):
        values = {r[u] for r in rows if r[u] is not None}
        if sum(r[u] is not None for r in rows) < 2:
            continue
        total += 1
        agree += len(values) == 1
    return agree / total if total else None
