"""Mapping and interpretation as frozen values: co-occurrence, associations, typologies.

The analysis computes these, services fill in labels, and the CLI, the TUI and the
exports show them. Counts are always of cases or passages, never of codings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CoOccurrence:
    """Two themes together: over cases and over passages (segments).

    ``passages`` counts the segments of either theme that have a segment of the other
    theme within ``within`` segments of the same source (0: the same segment); the
    passage Jaccard divides that by the segments coded with either theme, so with
    ``within=0`` it is the plain Jaccard index of the two themes' segment sets.
    """

    a: str
    b: str
    cases: int
    case_jaccard: float
    passages: int
    passage_jaccard: float


@dataclass(frozen=True)
class CoOccurrenceTable:
    themes: tuple[str, ...]
    within: int
    theme_cases: Mapping[str, int]  # cases with each theme
    theme_passages: Mapping[str, int]  # segments coded with each theme
    pairs: tuple[CoOccurrence, ...]  # every pair a before b in ``themes`` order, and a == b
    labels: Mapping[str, str] = field(default_factory=dict)

    def pair(self, a: str, b: str) -> CoOccurrence:
        for p in self.pairs:
            if (p.a, p.b) in ((a, b), (b, a)):
                return p
        raise KeyError((a, b))


@dataclass(frozen=True)
class GroupShare:
    """One group's row of an association table: cases per profile value."""

    group: str
    counts: tuple[int, ...]  # in the order of Association.values
    total: int
    wording: str  # the "n of N" phrase for the focus value

    def share(self, index: int) -> float:
        return self.counts[index] / self.total if self.total else 0.0


@dataclass(frozen=True)
class Association:
    """A case profile (a theme raised or not, a dimension value, a type) by a case
    attribute: the table, the test, the caveat and a drafted comparison sentence."""

    subject: str  # a theme id, "theme:dimension=value", or the profile's name
    label: str
    attribute: str
    values: tuple[str, ...]  # the profile's categories (columns)
    groups: tuple[GroupShare, ...]  # the attribute's values (rows)
    focus: int  # the category the difference and the sentence are about
    test: str  # which test, in words
    p_value: float
    odds_ratio: float | None  # for a 2x2 table only (as scipy reports it)
    difference: float  # percentage points: highest group share minus lowest
    caveat: str
    sentence: str
    left_out: int = 0  # cases without a value of the attribute
    kind: str | None = None  # the cases compared: "transcript", "survey" or None (all)
    q_value: float | None = None  # Benjamini-Hochberg adjusted, across a sweep
    passes: bool | None = None  # q_value <= the chosen false discovery rate


@dataclass(frozen=True)
class TypeSummary:
    """One type of a typology: its members and the themes that set it apart."""

    number: int
    name: str
    members: tuple[str, ...]
    defining: tuple[tuple[str, float, float], ...]  # (theme, share inside, share outside)


@dataclass(frozen=True)
class Typology:
    k: int
    method: str
    themes: tuple[str, ...]
    kind: str | None
    types: tuple[TypeSummary, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    uncoded: int = 0  # cases left out: nothing coded in them yet, so nothing to type

    def type_of(self, case: str) -> TypeSummary | None:
        for t in self.types:
            if case in t.members:
                return t
        return None


@dataclass(frozen=True)
class MappingBook:
    """What ``qualcode mapping export`` writes: one sheet each."""

    title: str
    cooccurrence: CoOccurrenceTable
    associations: tuple[Association, ...] = ()
    attribute: str | None = None  # what the associations compare (None: not asked)
    typology: Typology | None = None
    # said on the Associations sheet when there are none (why they were left out)
    no_associations: str = ""
