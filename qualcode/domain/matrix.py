"""The framework matrix as frozen values: counts, passages, cells, rows, groups, sheets.

A sheet is what a screen or an export needs in one piece: its columns (themes), its
rows (cases) grouped by case attributes, and for every cell the coded passages (with
source and line references), the researcher's summary, its status and version.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import overload

from qualcode.domain.dimensions import DimensionCount
from qualcode.domain.mapping import MappingBook
from qualcode.domain.model import AttrValue, Theme

# Cell statuses: "empty" (not charted yet), "not discussed" (the case said nothing on
# the theme), "drafted" (a machine proposal not yet accepted), "written" (text the
# researcher typed, not yet marked final), "final" (accepted).
EMPTY = "empty"
NOT_DISCUSSED = "not discussed"
DRAFTED = "drafted"
WRITTEN = "written"
FINAL = "final"
STATUSES = (EMPTY, NOT_DISCUSSED, DRAFTED, WRITTEN, FINAL)

MISSING = "(not recorded)"  # the shown group of cases without the grouping attribute
GROUP_SEP = " / "  # joins the values of several grouping attributes


@dataclass(frozen=True)
class ThemeCount:
    """One line of ``qualcode matrix --json``."""

    theme: str
    group: str | None
    cases: int
    total: int
    wording: str


@dataclass(frozen=True)
class Comparison:
    """A theme in two groups side by side; ``difference`` is in percentage points (a - b)."""

    theme: str
    label: str
    a: ThemeCount
    b: ThemeCount

    @property
    def difference(self) -> float:
        return round(percent(self.a) - percent(self.b), 1)


def percent(count: ThemeCount) -> float:
    return 100.0 * count.cases / count.total if count.total else 0.0


@dataclass(frozen=True)
class Passage:
    """A coded passage with where it is: ``ref`` reads like "int03 l.42"."""

    coding: int
    case: str
    source: str
    theme: str
    start: int
    end: int
    line: int
    text: str
    quote: bool
    coder: str
    segment: str | None = None
    question: str | None = None  # the survey question, for survey answers
    # the share of the span in an interviewer's (or another speaker's) turns
    asked: float = 0.0
    # the spans of ``text`` in an interviewer's (or another speaker's) turns
    asked_spans: tuple[tuple[int, int], ...] = ()

    @property
    def ref(self) -> str:
        if self.question is not None:
            return f"{self.case} {self.question}"
        return f"{self.source} l.{self.line}"


@dataclass(frozen=True)
class Summary:
    """A cell's summary; ``version`` 0 means nobody has written one yet."""

    case: str
    theme: str
    text: str = ""
    status: str = EMPTY
    coder: str | None = None
    version: int = 0
    updated: datetime | None = None


@dataclass(frozen=True)
class SummaryVersion:
    case: str
    theme: str
    version: int
    text: str
    status: str
    coder: str
    changed: datetime


@dataclass(frozen=True)
class Synthesis:
    """A group's synthesis row on one theme (``attribute`` names the grouping)."""

    theme: str
    attribute: str
    value: str
    text: str = ""
    coder: str | None = None
    version: int = 0
    updated: datetime | None = None


@dataclass(frozen=True)
class Cell:
    case: str
    theme: str
    passages: tuple[Passage, ...]
    summary: Summary

    @property
    def coverage(self) -> int:
        """How many coded passages the cell holds (what a heatmap shades)."""
        return len(self.passages)

    @property
    def chars(self) -> int:
        return sum(p.end - p.start for p in self.passages)

    @property
    def status(self) -> str:
        return self.summary.status

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(p.ref for p in self.passages)


class RowCells(Sequence[Cell]):
    """A row's cells in column order, each blank one made when asked for: only the
    cells with passages or a stored summary are kept (most cells of a large survey's
    sheet are blank, and making 200,000 of them was half the time of building it)."""

    __slots__ = ("_case", "_themes", "_held")

    def __init__(self, case: str, themes: tuple[str, ...], held: Mapping[int, Cell]) -> None:
        self._case = case
        self._themes = themes  # the column themes' ids, shared by a sheet's rows
        self._held = held

    def held(self) -> Mapping[int, Cell]:
        """Column index -> cell, for the cells that are not blank."""
        return self._held

    def __len__(self) -> int:
        return len(self._themes)

    @overload
    def __getitem__(self, index: int) -> Cell: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Cell, ...]: ...

    def __getitem__(self, index: int | slice) -> Cell | tuple[Cell, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self._themes))))
        n = len(self._themes)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError("cell index out of range")
        cell = self._held.get(i)
        if cell is None:
            theme = self._themes[i]
            cell = Cell(self._case, theme, (), Summary(self._case, theme))
        return cell

    def __iter__(self) -> Iterator[Cell]:
        return (self[i] for i in range(len(self._themes)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowCells | tuple):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


def blank(cell: Cell) -> bool:
    """No passages and no summary: the cell as a sheet leaves it when nothing is there."""
    s = cell.summary
    return not cell.passages and not s.version and not s.text and s.status == EMPTY


@dataclass(frozen=True)
class MatrixRow:
    case: str
    attributes: Mapping[str, AttrValue]
    cells: Sequence[Cell]  # in the order of the sheet's columns (a tuple, or RowCells)

    def held(self) -> Mapping[int, Cell]:
        """Column index -> cell, for the cells that are not :func:`blank` (exports
        write the others as they are, without looking at them)."""
        if isinstance(self.cells, RowCells):
            return self.cells.held()
        return {i: c for i, c in enumerate(self.cells) if not blank(c)}


@dataclass(frozen=True)
class Group:
    """Rows sharing the values of the grouping attributes (``key`` = those values)."""

    key: tuple[str | None, ...]
    rows: tuple[MatrixRow, ...]
    syntheses: tuple[Synthesis, ...] = ()  # in the order of the sheet's columns

    @property
    def label(self) -> str:
        return GROUP_SEP.join(MISSING if v is None else v for v in self.key) or "all cases"


@dataclass(frozen=True)
class MatrixSheet:
    """Rows = cases grouped by ``by``, columns = ``themes``; ``title`` names the sheet."""

    title: str
    themes: tuple[Theme, ...]
    by: tuple[str, ...]
    groups: tuple[Group, ...]
    kinds: tuple[str, ...] = ()  # the source kinds whose cases are the rows
    counts: tuple[ThemeCount, ...] = field(default=())

    @property
    def rows(self) -> tuple[MatrixRow, ...]:
        return tuple(row for g in self.groups for row in g.rows)

    def coverage_grid(self) -> list[list[int]]:
        """Coded passages per row (case) and column (theme), in the sheet's order."""
        return [[cell.coverage for cell in row.cells] for row in self.rows]

    def column(self, theme_id: str) -> int:
        for i, theme in enumerate(self.themes):
            if theme.id == theme_id:
                return i
        raise KeyError(theme_id)

    def cell(self, case: str, theme_id: str) -> Cell:
        index = self.column(theme_id)
        for row in self.rows:
            if row.case == case:
                return row.cells[index]
        raise KeyError(case)


@dataclass(frozen=True)
class Quote:
    """An illustrative quote; ``marked`` when the researcher marked the passage."""

    theme: str
    segment: str | None
    case: str
    text: str
    attribution: str
    group: str | None
    coding: int
    source: str
    line: int
    marked: bool
    ref: str
    asked: float = 0.0  # its share of an interviewer's words: picked for reports last
    grouped_by: tuple[str, ...] = ()  # the attributes ``group`` holds the values of

    def group_heading(self) -> str:
        """The group as a report heads it: "sector: CSD", "fft_score: 1" (a bare "1"
        said nothing), "sector: CSD · region: North"."""
        if self.group is None:
            return f"{self.grouped_by[0]}: {MISSING}" if len(self.grouped_by) == 1 else MISSING
        values = self.group.split(GROUP_SEP) if len(self.grouped_by) > 1 else [self.group]
        if len(values) != len(self.grouped_by):
            return self.group
        return " \u00b7 ".join(
            f"{name}: {value}" for name, value in zip(self.grouped_by, values, strict=True)
        )


@dataclass(frozen=True)
class Draft:
    """A proposed summary for a cell, made from the cell at ``version``."""

    case: str
    theme: str
    text: str
    version: int


@dataclass(frozen=True)
class MatrixBook:
    """Everything a matrix export writes: sheets, the cases' attributes, quotes.

    ``quotes`` are keyed by (column theme id, group label) for the report.
    """

    title: str
    sheets: tuple[MatrixSheet, ...]
    attribute_names: tuple[str, ...]
    quotes: Mapping[tuple[str, str], tuple[Quote, ...]] = field(default_factory=dict)
    # the report's mapping material (see exchange/report_docx.py):
    # (column theme id, group label) -> the dimension breakdowns of the group
    dimension_counts: Mapping[tuple[str, str], tuple[DimensionCount, ...]] = field(
        default_factory=dict
    )
    key_issues: Mapping[str, str] = field(default_factory=dict)  # theme id -> its note
    sheet_roots: tuple[str | None, ...] = ()  # the theme each sheet is of, when known
    # theme id -> paragraphs closing its section before the key issues (comparisons,
    # associations: filled by whoever drafts them)
    extra_paragraphs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the .xlsx's Co-occurrence, Associations and Typology sheets (None: left out)
    mapping: MappingBook | None = None

    @cached_property  # asked for by the export three times: 10,000 rows of 3 sheets
    def cases(self) -> tuple[MatrixRow, ...]:
        """Every case that is a row of some sheet, once, in first-seen order."""
        seen: dict[str, MatrixRow] = {}
        for sheet in self.sheets:
            for row in sheet.rows:
                seen.setdefault(row.case, row)
        return tuple(seen.values())


def noun(kinds: tuple[str, ...]) -> str:
    """What a sheet's cases are called in a report sentence."""
    if kinds == ("transcript",):
        return "interviewees"
    if kinds == ("survey",):
        return "respondents"
    return "cases"
