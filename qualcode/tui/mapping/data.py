"""What the Mapping workspace loads, off the UI thread, as typed messages."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from qualcode.domain.mapping import Association, CoOccurrenceTable, Typology
from qualcode.domain.model import Segment
from qualcode.errors import QualcodeError
from qualcode.services import mapping, study_settings, typology
from qualcode.services.study import Study


@dataclass(frozen=True)
class MappingData:
    table: CoOccurrenceTable
    attributes: tuple[str, ...]
    by: str | None
    associations: tuple[Association, ...]
    typology: Typology | None
    typology_saved: bool  # False: a preview built for the screen, not recorded
    typology_problem: str | None = None  # why there is none ("more types than cases")


@dataclass
class MappingLoaded(Message):
    data: MappingData


@dataclass
class PassagesLoaded(Message):
    """The drill-down: passages behind one grid cell."""

    title: str
    passages: tuple[Segment, ...]


def load(study: Study, within: int, by: str | None, k: int) -> MappingData:
    # only attributes with groups to compare: not a large study's respondent id
    names = tuple(mapping.comparable_attributes(study))
    if by not in names:  # first the grouping the Matrix remembers, as the study's own
        remembered = [n for n in study_settings.remembered_grouping(study) if n in names]
        fallback = "sector" if "sector" in names else (names[0] if names else None)
        by = remembered[0] if remembered else fallback
    table = mapping.cooccurrence(study, within=within)
    found = tuple(mapping.associations(study, by)) if by and table.themes else ()
    current = typology.current(study)
    saved = current is not None
    problem = None
    if current is None and table.themes:
        try:
            current = typology.build(study, k=k, record=False)
        except QualcodeError as exc:  # e.g. fewer cases than k: the view says why
            current, problem = None, str(exc).replace("--k ", "k = ", 1)
    return MappingData(table, names, by, found, current, saved, problem)


def passages(study: Study, a: str, b: str, within: int) -> tuple[Segment, ...]:
    return tuple(mapping.cooccurrence_passages(study, a, b, within))
