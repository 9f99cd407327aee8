"""Exporting the framework matrix: .xlsx, .csv, .md, a .docx report, a PNG/SVG heatmap.

The file's suffix picks the format (:mod:`qualcode.exchange.formats`). Sheets
are one per top-level theme (or per theme in ``tops``) with the rows a sheet shows by
default (see :mod:`qualcode.services.matrix`). The heatmap draws one sheet: the
sub-themes of a single ``tops`` theme, or else every top-level theme (with its
sub-themes' codings) as a column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.analysis.associations import within
from qualcode.domain.dimensions import DimensionCount
from qualcode.domain.matrix import MISSING, MatrixBook, MatrixSheet, Quote
from qualcode.domain.quoting import spread
from qualcode.domain.wording import counted
from qualcode.exchange import formats
from qualcode.services import dimensions, key_issues, mapping, matrix, queries, quotes
from qualcode.services.dimension_counts import sheet_dimension_counts
from qualcode.services.framework import framework_tree
from qualcode.services.frameworks import study_frameworks
from qualcode.services.gc_pause import gc_paused
from qualcode.services.mapping_export import matrix_mapping_book
from qualcode.services.matrix_data import AUTO
from qualcode.services.study import Study, study_info

if TYPE_CHECKING:
    from qualcode.anonymise.outputs import Anonymiser

QUOTES_PER_GROUP = 3
QUOTE_WORDS = 60
# A comparison between groups is drafted into the report when Fisher's exact test (or
# the exact r x c test) gives p at most this; --comparisons sets it, 0 leaves them out.
COMPARISON_P = 0.05
# The .xlsx's mapping sheets read the study once more and cluster nothing, but on a large
# survey that still adds about a third to the export: above this many cases they are
# left out unless asked for (``qualcode mapping export`` writes them on their own).
MAPPING_CASES = 5_000


@dataclass(frozen=True)
class ExportReport:
    path: Path
    sheets: int
    cases: int
    themes: int
    mapping_left_out: bool = False  # the mapping sheets, for more than MAPPING_CASES
    quotes: int = 0  # in the report (.docx)
    unattributed_quotes: int = 0  # of those, with no attribution from their template
    not_written: str = ""  # what the format has no place for ("2 group syntheses ...")


def build_book(
    study: Study,
    by: Sequence[str] = (),
    tops: Sequence[str] | None = None,
    kind: str | None = AUTO,
    with_quotes: bool = False,
    template: str | None = None,
    strict: bool | None = None,
    anonymised: bool = False,
    title_rules: Path | None = None,
    survey_template: str | None = None,
    comparison_p: float = COMPARISON_P,
    mapping_sheets: bool | None = False,
) -> MatrixBook:
    """The sheets, case attributes and (for the report) quotes of an export.
    ``anonymised``: names replaced, job titles generalised by ``title_rules``;
    ``comparison_p``: the threshold a comparison between groups must pass;
    ``mapping_sheets``: with co-occurrence, associations (by ``by[0]``) and typology
    (None: when the book has at most MAPPING_CASES cases)."""
    anon = None
    if anonymised:  # accepted names replaced, job titles generalised (rules read once)
        from qualcode.services.anonymise import output_anonymiser

        anon = output_anonymiser(study, title_rules)
    sheets = tuple(matrix.sheets(study, tops, by, kind))
    found = (
        _quotes_by_cell(study, sheets, by, template, strict, anon, survey_template)
        if with_quotes
        else {}
    )
    book = MatrixBook(
        title=study_info(study).title or "Framework matrix",
        sheets=sheets,
        attribute_names=tuple(queries.attribute_names(study)),
        quotes={},
    )
    book = with_mapping(study, book, tops)
    if mapping_sheets or (mapping_sheets is None and len(book.cases) <= MAPPING_CASES):
        book = replace(book, mapping=matrix_mapping_book(study, by))
    if by and comparison_p > 0:
        book = replace(book, extra_paragraphs=comparisons(study, by[0], sheets, comparison_p))
    if anon is not None:  # then checked: nothing may still hold a name
        book = anon.book(replace(book, quotes=found))
        anon.check(book, "the anonymised matrix")
        return book
    return replace(book, quotes=found) if found else book  # (kept: its cases worked out)


def with_mapping(study: Study, book: MatrixBook, tops: Sequence[str] | None) -> MatrixBook:
    """The book with its dimension breakdowns, key issues and each sheet's theme."""
    declared = dimensions.declarations(study)
    values = dimensions.held_values(study)
    counts: dict[tuple[str, str], tuple[DimensionCount, ...]] = {}
    for sheet in book.sheets:
        counts.update(sheet_dimension_counts(sheet, declared, values))
    roots = tuple(tops) if tops else tuple(t.id for t in framework_tree(study).top_level())
    notes = {tid: k.text for tid, k in key_issues.key_issues(study).items()}
    return replace(
        book,
        dimension_counts=counts,
        key_issues=notes,
        sheet_roots=roots if len(roots) == len(book.sheets) else (),
    )


def comparisons(
    study: Study, by: str, sheets: Sequence[MatrixSheet], threshold: float
) -> dict[str, tuple[str, ...]]:
    """Per theme column, the drafted comparison between the groups of ``by`` when its
    test passes ``threshold``: both counts, the test and p, and any small-n caveat."""
    themes = list(dict.fromkeys(t.id for sheet in sheets for t in sheet.themes))
    found = mapping.comparable_associations(study, by, themes) if themes else None
    if found is None:  # no themes, or grouped by something like an id: nothing to compare
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for a in found:
        if not within(a.p_value, threshold) or not a.sentence:
            continue
        text = f"{a.sentence} ({a.test}, p = {a.p_value:.2g}.)"
        if a.caveat:
            text += f" {a.caveat}"
        out[a.subject] = (*out.get(a.subject, ()), text)
    return out


def heatmap_sheet(
    study: Study,
    by: Sequence[str] = (),
    tops: Sequence[str] | None = None,
    kind: str | None = AUTO,
) -> MatrixSheet:
    if tops and len(tops) == 1:
        return matrix.sheet(study, top=tops[0], by=by, kind=kind)
    tree = framework_tree(study)
    columns = list(tops) if tops else [t.id for t in tree.top_level()]
    built = matrix.sheet(study, themes=columns, by=by, kind=kind)
    if not tops:
        built = replace(built, title="all top-level themes")
    return built


def heatmap_sheets(
    study: Study,
    by: Sequence[str] = (),
    tops: Sequence[str] | None = None,
    kind: str | None = AUTO,
) -> list[MatrixSheet]:
    """What the heatmap draws. By default, in a study whose frameworks code different
    sources (interviews and a survey): one panel per framework - its top-level themes
    over the cases it applies to - leaving out themes nobody raised. Otherwise (or with
    ``tops`` or an explicit ``kind``) the one sheet of :func:`heatmap_sheet`."""
    owned = study_frameworks(study)
    if tops or kind != AUTO or not owned.scoped():
        return [heatmap_sheet(study, by, tops, kind)]
    tree = framework_tree(study)
    per_framework: dict[str, list[str]] = {}
    for top in tree.top_level():
        per_framework.setdefault(owned.of_theme.get(top.id, ""), []).append(top.id)
    if len(per_framework) < 2:
        return [heatmap_sheet(study, by, tops, kind)]
    panels = []
    for name, columns in per_framework.items():
        chosen = owned.frameworks.get(name)
        built = matrix.sheet(study, themes=columns, by=by, kind=kind)
        what = chosen.applies_to.describe() if chosen else "every source"
        label = (chosen.title or chosen.name) if chosen else name
        panels.append(without_empty_columns(replace(built, title=f"{label} ({what})")))
    return panels


def without_empty_columns(sheet: MatrixSheet) -> MatrixSheet:
    """The sheet without the columns of themes no case raised (the counts stay)."""
    keep = [i for i, _ in enumerate(sheet.themes) if any(r.cells[i].coverage for r in sheet.rows)]
    if not keep or len(keep) == len(sheet.themes):  # nothing coded yet: every column
        return sheet
    groups = tuple(
        replace(
            group,
            rows=tuple(replace(row, cells=tuple(row.cells[i] for i in keep)) for row in group.rows),
            syntheses=tuple(group.syntheses[i] for i in keep) if group.syntheses else (),
        )
        for group in sheet.groups
    )
    return replace(sheet, themes=tuple(sheet.themes[i] for i in keep), groups=groups)


def _not_in_csv(book: MatrixBook) -> str:
    """The syntheses and key issues a long-format .csv (one row per cell) leaves out."""
    syntheses = sum(
        1 for sheet in book.sheets for g in sheet.groups for x in g.syntheses if x.text.strip()
    )
    issues = sum(1 for text in book.key_issues.values() if text.strip())
    parts = [counted(syntheses, "group synthesis", "group syntheses")] if syntheses else []
    parts += [f"the key issues of {counted(issues, 'theme')}"] if issues else []
    return " and ".join(parts)


def export_matrix(
    study: Study,
    path: Path,
    by: Sequence[str] = (),
    tops: Sequence[str] | None = None,
    kind: str | None = AUTO,
    template: str | None = None,
    strict: bool | None = None,
    anonymised: bool = False,
    title_rules: Path | None = None,
    survey_template: str | None = None,
    comparison_p: float = COMPARISON_P,
    mapping_sheets: bool | None = None,
) -> ExportReport:
    """Write the matrix to ``path`` in the format its suffix names. An .xlsx also
    gets the Co-occurrence, Associations and Typology sheets: with ``mapping_sheets``
    None when it has at most MAPPING_CASES cases, True always, False never."""
    fmt = formats.by_suffix(path, formats.MATRIX, formats.HEATMAP)
    writer = fmt.load_writer()
    if fmt.holds == formats.HEATMAP:
        panels = heatmap_sheets(study, by, tops, kind)
        if anonymised:
            from qualcode.services.anonymise import output_anonymiser

            anon = output_anonymiser(study, title_rules)
            panels = [anon.sheet(sheet) for sheet in panels]
            for sheet in panels:
                anon.check(sheet, "the anonymised heatmap")
        writer(panels[0] if len(panels) == 1 else panels, path)
        return ExportReport(
            path,
            len(panels),
            sum(len(sheet.rows) for sheet in panels),
            sum(len(sheet.themes) for sheet in panels),
        )
    with gc_paused():  # building and writing a large book makes no cycles
        book = build_book(
            study,
            by,
            tops,
            kind,
            with_quotes=fmt.name == "docx",
            template=template,
            strict=strict,
            anonymised=anonymised,
            title_rules=title_rules,
            survey_template=survey_template,
            comparison_p=comparison_p if fmt.name == "docx" else 0.0,
            mapping_sheets=mapping_sheets if fmt.name == "xlsx" else False,
        )
        writer(book, path)
        report = ExportReport(
            path,
            len(book.sheets),
            len(book.cases),
            sum(len(s.themes) for s in book.sheets),
            mapping_left_out=fmt.name == "xlsx" and mapping_sheets is None and book.mapping is None,
            quotes=sum(len(qs) for qs in book.quotes.values()),
            unattributed_quotes=sum(
                1 for qs in book.quotes.values() for q in qs if not q.attribution
            ),
            not_written=_not_in_csv(book) if fmt.name == "csv" else "",
        )
        # freed while the collector is still paused: once back on, its first pass walks
        # every object made meanwhile that is still alive (a large book: a fifth of a second)
        del book
    return report


def _quotes_by_cell(
    study: Study,
    sheets: Sequence[MatrixSheet],
    by: Sequence[str],
    template: str | None,
    strict: bool | None,
    anon: Anonymiser | None = None,
    survey_template: str | None = None,
) -> dict[tuple[str, str], tuple[Quote, ...]]:
    """Up to QUOTES_PER_GROUP quotes per (column theme, group): marked quotes first,
    then from as many cases as there are quotes to take (``spread``)."""
    tree = framework_tree(study)
    everything = quotes.quotes(
        study,
        by=by,
        template=template,
        max_words=QUOTE_WORDS,
        strict=strict,
        anonymised=anon is not None,
        anonymiser=anon,
        survey_template=survey_template,
    )
    found: dict[tuple[str, str], list[Quote]] = {}
    for sheet in sheets:
        columns = {t.id for t in sheet.themes}
        rows = {row.case for row in sheet.rows}
        for q in everything:
            if q.case not in rows:
                continue
            column = next((t for t in (q.theme, *tree.ancestors(q.theme)) if t in columns), None)
            if column is None:
                continue
            label = q.group if q.group is not None else (MISSING if by else "all cases")
            found.setdefault((column, label), []).append(q)
    return {key: tuple(spread(items)[:QUOTES_PER_GROUP]) for key, items in found.items()}
