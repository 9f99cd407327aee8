"""Illustrative quotes: coded passages with attributions, marked quotes first.

Quotes come theme by theme (framework order), then group by group (``by``), then the
passages the researcher marked as quotes before the rest, then by case. The text is
the coded passage on one line, shortened at sentence boundaries with ``...`` when
``max_words`` is given. ``per_group`` keeps the few a report would pick (``spread``:
marked first, then one case at a time). The attribution is a template over case attributes (default
``Settings.attribution``, ``[{role}, {authority_type}]``; ``{case}`` is the case id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.analysis.counts import group_key, group_order
from qualcode.config import Settings
from qualcode.domain.framework import natural_key
from qualcode.domain.matrix import Quote
from qualcode.domain.model import Coding
from qualcode.domain.quoting import elide, render, respondent_words, spread, unknown_fields
from qualcode.errors import InputError, NotFoundError
from qualcode.services import matrix_data as data
from qualcode.services.study import Study
from qualcode.store import audit, convert
from qualcode.store import models as m

if TYPE_CHECKING:
    from qualcode.anonymise.outputs import Anonymiser

DEFAULT_TEMPLATE = Settings.attribution
DEFAULT_SURVEY_TEMPLATE = Settings.survey_attribution

INTERVIEWER_NOTE = " (the interviewer's words)"


def quotes(
    study: Study,
    theme: str | None = None,
    by: Sequence[str] = (),
    template: str | None = None,
    max_words: int | None = None,
    kind: str | None = None,
    marked_only: bool = False,
    per_group: int | None = None,
    strict: bool | None = None,
    anonymised: bool = False,
    title_rules: Path | None = None,
    anonymiser: Anonymiser | None = None,
    survey_template: str | None = None,
    survey_strict: bool = False,
) -> list[Quote]:
    """Quotes for ``theme`` and its sub-themes (every theme when None).

    ``anonymised``: accepted names replaced and job titles generalised by
    ``title_rules`` (None: the shipped rules); an ``anonymiser`` built already wins.

    With ``strict`` (the default when a ``template`` is given) a template naming an
    attribute no case has is refused - a typo would otherwise print empty
    attributions; the default template is used as it is.

    Quotes from survey answers take ``survey_template`` (default
    ``Settings.survey_attribution``, ``[{sector} {job}, survey]``): a survey's
    respondents have other attributes than the interviewees. ``survey_strict`` checks
    its fields as ``strict`` does the other's.
    """
    if max_words is not None and max_words < 1:
        raise InputError(f"--max-words must be at least 1 (got {max_words})")
    data.check_kind(kind)
    chosen = template if template is not None else DEFAULT_TEMPLATE
    with study.read() as s:
        snap = data.load(s)
        by = data.check_by(snap, by)
        try:
            unknown = unknown_fields(chosen, [*snap.attribute_names, "case"])
        except ValueError as exc:
            raise InputError(str(exc)) from None
        if (template is not None if strict is None else strict) and unknown:
            known = ", ".join(["case", *snap.attribute_names])
            raise InputError(
                f"attribution template {chosen!r} names unknown attribute(s) "
                f"{', '.join(unknown)} (known: {known})"
            )
        for_survey = survey_template if survey_template is not None else DEFAULT_SURVEY_TEMPLATE
        try:
            unknown = unknown_fields(for_survey, [*snap.attribute_names, "case"])
        except ValueError as exc:
            raise InputError(str(exc)) from None
        if survey_strict and unknown and snap.questions:
            known = ", ".join(["case", *snap.attribute_names])
            raise InputError(
                f"survey attribution template {for_survey!r} names unknown attribute(s) "
                f"{', '.join(unknown)} (known: {known})"
            )
        order = {t.id: i for i, t in enumerate(snap.tree.ordered())}
        if theme:
            data.check_themes(snap, [theme])
            wanted = set(snap.tree.with_descendants(theme))
        else:
            wanted = set(order)
        chosen_codings: dict[tuple[str, int, int, str], data.Coded] = {}
        for c in snap.codings_of(wanted):
            if kind is not None and c.kind != kind:
                continue
            if marked_only and not c.quote:
                continue
            key = (c.source, c.start, c.end, c.theme)
            have = chosen_codings.get(key)
            if have is None or (c.quote and not have.quote):  # a double-coded span once
                chosen_codings[key] = c
        snap.load_sources({c.source for c in chosen_codings.values()})
        anon = anonymiser
        if anonymised and anon is None:  # accepted names replaced, job titles generalised
            from qualcode.services.anonymise import output_anonymiser

            anon = output_anonymiser(study, title_rules)
        out: list[Quote] = []
        for p in map(snap.passage, chosen_codings.values()):
            attributes = snap.attributes.get(p.case, {})
            group = group_key(attributes, by)  # as written: labelled once, below
            case = p.case
            if anon is not None:
                attributes = anon.attributes(attributes)
                case = anon.ident(p.case)
                p = replace(p, text=anon.text(p.text))
            quote = Quote(
                theme=p.theme,
                segment=p.segment,
                case=p.case,
                text=elide(respondent_words(p.text, p.asked_spans), max_words),
                attribution=render(
                    chosen if p.question is None else for_survey, {**attributes, "case": case}
                )
                # the interviewer's words alone: not the participant speaking
                + (INTERVIEWER_NOTE if p.asked >= 1.0 else ""),
                group=group,
                grouped_by=tuple(by),
                coding=p.coding,
                source=p.source,
                line=p.line,
                marked=p.quote,
                ref=p.ref,
                asked=p.asked,
            )
            if anon is not None:  # the group labelled once, as the anonymised sheets do
                quote = replace(
                    anon.quote(replace(quote, group=None)), group=anon.group_label(group, by)
                )
            out.append(quote)
        if anon is not None:
            anon.check(out, "the anonymised quotes")
    out.sort(
        key=lambda q: (
            order.get(q.theme, len(order)),
            group_order(q.group),
            not q.marked,
            natural_key(q.case),
            natural_key(q.source),
            q.line,
            q.coding,
        )
    )
    return _limit(out, per_group) if per_group else out


def _limit(items: list[Quote], per_group: int) -> list[Quote]:
    """At most ``per_group`` quotes of each theme and group, picked as the report picks
    them (``spread``: marked first, then one case at a time), kept in reading order."""
    groups: dict[tuple[str, str | None], list[Quote]] = {}
    for q in items:
        groups.setdefault((q.theme, q.group), []).append(q)
    kept = {id(q) for group in groups.values() for q in spread(group)[:per_group]}
    return [q for q in items if id(q) in kept]


def mark_quotes(study: Study, coding_ids: Sequence[int], marked: bool = True) -> list[Coding]:
    """Mark (or unmark) coded passages as worth quoting, all or none."""
    out: list[Coding] = []
    with study.write() as s:
        for coding_id in coding_ids:
            row = s.get(m.CodingRow, coding_id)
            if row is None:
                raise NotFoundError(f"no coding {coding_id}")
            if row.quote != marked:
                row.quote = marked
                audit.record(
                    s,
                    study.coder,
                    "update",
                    "coding",
                    coding_id,
                    {"quote": not marked},
                    {"quote": marked},
                )
            out.append(convert.coding(row))
    return out


def mark_quote(study: Study, coding_id: int, marked: bool = True) -> Coding:
    """Mark (or unmark) one coded passage as worth quoting."""
    return mark_quotes(study, [coding_id], marked)[0]
