"""What the Matrix workspace shows, gathered from the services (no Textual here).

A *page* is one sheet of the framework matrix (one top-level theme: its sub-themes
are the columns) with everything the screen needs to draw it: the list of sheets to
switch between, the case attributes worth grouping by, theme labels and colours.
The grid's rows are the sheet's groups, each a header row, its cases and (when
asked for) a synthesis row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qualcode.domain.dimensions import Dimension, theme_dimensions
from qualcode.domain.matrix import (
    DRAFTED,
    EMPTY,
    FINAL,
    NOT_DISCUSSED,
    WRITTEN,
    Cell,
    MatrixRow,
    MatrixSheet,
    Synthesis,
    noun,
)
from qualcode.domain.model import Theme
from qualcode.services import dimensions, framework, matrix, queries
from qualcode.services.matrix_data import MAX_GROUPS
from qualcode.services.study import Study
from qualcode.tui.shared import themes

GROUP = "group"
CASE = "case"
SYNTHESIS = "synthesis"

# one glyph per status, so that a glance tells them apart (colours come on top)
GLYPHS = {EMPTY: "·", NOT_DISCUSSED: "–", DRAFTED: "◐", WRITTEN: "○", FINAL: "●"}


@dataclass(frozen=True)
class MatrixPage:
    """One sheet and what goes around it."""

    top: str
    by: tuple[str, ...]
    sheets: tuple[Theme, ...]  # the top-level themes, in display order
    groupable: tuple[str, ...]  # attributes that some row of the sheet has a value for
    sheet: MatrixSheet
    labels: Mapping[str, str]  # every theme id -> its label
    colours: Mapping[str, tuple[str, str]]
    # each column's dimensions (declared, then standing) and the cells' values on them
    dimensions: Mapping[str, tuple[Dimension, ...]] = field(default_factory=dict)
    values: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    # of ``groupable``, those `g` steps through: they put rows together in a few groups
    groupings: tuple[str, ...] = ()

    @property
    def index(self) -> int:
        return next((n for n, t in enumerate(self.sheets) if t.id == self.top), 0)

    @property
    def title(self) -> str:
        grouping = f"grouped by {' + '.join(self.by)}" if self.by else "not grouped (g groups)"
        if self.by and not any(n in self.groupable for n in self.by):
            # a grouping chosen on another sheet (a survey's age band on the interviews)
            grouping += ": no case of this sheet has it (g groups by another)"
        rows = len(self.sheet.rows)
        return (
            f"Sheet {self.index + 1} of {len(self.sheets)}: {self.sheet.title}"
            f"  ·  {rows} {noun(self.sheet.kinds)}  ·  {grouping}"
        )

    def title_for(self, width: int) -> str:
        """The title in ``width`` columns: at 80 the grouping was cut off the end, so a
        narrow one says it first and the sheet's number short ("1/5")."""
        full = self.title
        if len(full) <= width:
            return full
        grouping = full.rsplit("  ·  ", 1)[1]
        rows = f"{len(self.sheet.rows)} {noun(self.sheet.kinds)}"
        where = f"{self.index + 1}/{len(self.sheets)}"
        return f"{where} · {grouping} · {rows} · {self.sheet.title}"


def load_page(study: Study, top: str | None, by: Sequence[str]) -> MatrixPage | None:
    """The sheet of ``top`` (the first top-level theme when unknown) grouped by ``by``
    (attributes the study does not have are dropped); None without themes."""
    tree = framework.framework_tree(study)
    tops = themes.top_level(tree)
    if not tops:
        return None
    chosen = top if top in tops else tops[0]
    names = queries.attribute_names(study)
    wanted = tuple(b for b in by if b in names)
    sheet = matrix.sheet(study, top=chosen, by=wanted)
    groupable = tuple(
        n for n in names if any(row.attributes.get(n) not in (None, "") for row in sheet.rows)
    )
    groupings = tuple(n for n in groupable if _groups(sheet, n))
    return MatrixPage(
        top=chosen,
        by=wanted,
        sheets=tuple(tree.themes[t] for t in tops),
        groupable=groupable,
        groupings=groupings,
        sheet=sheet,
        labels={tid: t.label for tid, t in tree.themes.items()},
        colours=themes.colours(tree),
        dimensions=_declared(study, [t.id for t in sheet.themes]),
        values=dimensions.cell_values(study, [t.id for t in sheet.themes]),
    )


def _groups(sheet: MatrixSheet, name: str) -> bool:
    """Whether ``name`` groups the sheet's rows: some value shared by two rows, and no
    more values than groups can be compared (a file name or a respondent id of its own
    per case names the rows, 17 groups of one, rather than grouping them; a score with
    13 values over 17 cases mostly does too: groups of two rows or more on average)."""
    held = [row.attributes.get(name) for row in sheet.rows]
    said = [str(v) for v in held if v not in (None, "")]
    distinct = len(set(said))
    return 2 * distinct <= len(said) and distinct <= MAX_GROUPS


def _declared(study: Study, ids: Sequence[str]) -> dict[str, tuple[Dimension, ...]]:
    declared = dimensions.declarations(study)
    return {tid: theme_dimensions(declared.get(tid, ())) for tid in ids}


def next_grouping(current: Sequence[str], groupable: Sequence[str], step: int = 1) -> list[str]:
    """The grouping after ``current`` in the cycle none -> each attribute -> none."""
    cycle: list[tuple[str, ...]] = [(), *((name,) for name in groupable)]
    now = tuple(current)
    index = cycle.index(now) if now in cycle else 0
    return list(cycle[(index + step) % len(cycle)])


def next_status(text: str, status: str, coded: bool = False) -> str | None:
    """The status after ``status`` for a cell with ``text``; never final (only an
    explicit accept makes a summary final) and never one the text rules out. A cell
    holding coded passages is never "not discussed" (the case did speak to the
    theme), so without text it has no next status (None)."""
    if status == FINAL:
        return DRAFTED
    if coded:
        if not text.strip():
            return EMPTY if status == NOT_DISCUSSED else None
        return WRITTEN if status == DRAFTED else DRAFTED
    if not text.strip():
        return NOT_DISCUSSED if status == EMPTY else EMPTY
    return NOT_DISCUSSED if status in (DRAFTED, WRITTEN) else DRAFTED


@dataclass(frozen=True)
class GridRow:
    """One line of the grid: a group's header, a case, or a group's synthesis."""

    kind: str
    label: str
    group: int
    row: MatrixRow | None = None
    counts: tuple[str, ...] = ()  # a header's "cases raising it" per column
    syntheses: tuple[Synthesis, ...] = ()

    @property
    def selectable(self) -> bool:
        return self.kind != GROUP

    @property
    def case(self) -> str | None:
        return self.row.case if self.row is not None else None


def grid_rows(sheet: MatrixSheet, synthesis: bool = False) -> list[GridRow]:
    """The grid's lines in order; synthesis rows only when grouped and asked for."""
    counted = {(c.theme, c.group): c for c in sheet.counts}
    out: list[GridRow] = []
    for n, group in enumerate(sheet.groups):
        key = None if not sheet.by else group.key[0] if len(sheet.by) == 1 else group.label
        counts = tuple(
            f"{counted[(t.id, key)].cases}/{counted[(t.id, key)].total}"
            if (t.id, key) in counted
            else ""
            for t in sheet.themes
        )
        out.append(
            GridRow(GROUP, f"{_named(sheet, group.label)} ({len(group.rows)})", n, counts=counts)
        )
        out.extend(GridRow(CASE, row.case, n, row=row) for row in group.rows)
        if synthesis and sheet.by:
            out.append(GridRow(SYNTHESIS, "synthesis", n, syntheses=group.syntheses))
    return out


def _named(sheet: MatrixSheet, label: str) -> str:
    """A group's label; a number ("1 (2631)") with the attribute it is a value of
    ("fft_score 1"), which a score or a count alone does not say."""
    try:
        float(label)
    except ValueError:
        return label
    return f"{sheet.by[0]} {label}" if len(sheet.by) == 1 else label


def first_line(text: str) -> str:
    return " ".join(text.split())


def cell_words(cell: Cell) -> str:
    """What a grid cell says after its glyph and count: the summary's first words."""
    return first_line(cell.summary.text)


def describe_cell(cell: Cell, labels: Mapping[str, str]) -> str:
    """The line under the grid for the cell at the cursor."""
    summary = cell.summary
    parts = [f"{cell.case} · {cell.theme} {labels.get(cell.theme, '')}"]
    passages = len(cell.passages)
    parts.append(f"{passages} passage{'s' if passages != 1 else ''}")
    if cell.passages:
        quotes = sum(1 for p in cell.passages if p.quote)
        if quotes:
            parts.append(f"{quotes} quote{'s' if quotes != 1 else ''}")
    state = summary.status
    if summary.version:
        state += f" v{summary.version} by {summary.coder}"
    parts.append(state)
    if cell.passages:
        refs = list(dict.fromkeys(p.ref for p in cell.passages))
        shown = ", ".join(refs[:4]) + (f" +{len(refs) - 4}" if len(refs) > 4 else "")
        parts.append(shown)
    return "  ·  ".join(parts)
