"""``qualcode mapping export``: co-occurrence, associations and the typology in one file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qualcode.domain.mapping import MappingBook
from qualcode.exchange import formats
from qualcode.services import mapping, typology
from qualcode.services.study import Study, study_info


def build_mapping_book(
    study: Study, by: str | None = None, within: int = 0, fdr: float | None = None
) -> MappingBook:
    """Co-occurrence of every coded theme, associations by ``by`` (when given) and the
    current typology (when one was built)."""
    table = mapping.cooccurrence(study, within=within)
    found = tuple(mapping.associations(study, by, fdr=fdr)) if by else ()
    return MappingBook(
        title=f"{study_info(study).title or 'Study'}: mapping",
        cooccurrence=table,
        associations=found,
        attribute=by,
        typology=typology.current(study),
    )


def matrix_mapping_book(study: Study, by: Sequence[str]) -> MappingBook:
    """The mapping sheets of a matrix workbook: co-occurrence of every coded theme
    (passages in the same segment), each theme by the first of ``by``, the typology."""
    first = by[0] if by else None
    table, found = mapping.cooccurrence_and_associations(study, first)
    if found is None:  # grouped by something like an id: nothing to compare
        note = f"No comparison between groups: {first} has too many values to compare"
    else:
        note = "" if first else "No comparison between groups: export with --by ATTR"
    return MappingBook(
        title=f"{study_info(study).title or 'Study'}: mapping",
        cooccurrence=table,
        associations=tuple(found or ()),
        attribute=first if found is not None else None,
        typology=typology.current(study),
        no_associations=note,
    )


def export_mapping(
    study: Study,
    path: Path,
    by: str | None = None,
    within: int = 0,
    fdr: float | None = None,
    fmt: str | None = None,
) -> Path:
    chosen = (
        formats.by_name(fmt, formats.MAPPING) if fmt else formats.by_suffix(path, formats.MAPPING)
    )
    book = build_mapping_book(study, by, within, fdr)
    chosen.load_writer()(book, path)
    return path
