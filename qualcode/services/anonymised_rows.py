"""Codings rows for an anonymised CSV: identifiers and texts through the anonymiser,
offsets moved into the anonymised texts, and the result checked for names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from qualcode.domain.anonymise import OffsetMap, anonymise_with_offsets
from qualcode.services.anonymise import accepted_mapping, output_anonymiser
from qualcode.services.study import Study


def anonymise_coding_rows(
    study: Study, rows: Sequence[Sequence[Any]], texts: Mapping[str, str]
) -> list[list[Any]]:
    """``rows`` are ``source,start,end,theme,coder,case,segment,created,text``."""
    anon = output_anonymiser(study)
    mapping = accepted_mapping(study)
    moved: dict[str, tuple[str, OffsetMap]] = {}
    out: list[list[Any]] = []
    for source, start, end, theme, coder, case, segment, created, _ in rows:
        if source not in moved:
            moved[source] = anonymise_with_offsets(texts[source], mapping)
        text, offsets = moved[source]
        new_start, new_end = offsets.span(start, end)
        out.append(
            [anon.ident(source), new_start, new_end, theme, anon.ident(coder), anon.ident(case),
             anon.ident(segment) if segment else "", created, text[new_start:new_end]]
        )  # fmt: skip
    anon.check([r[8] for r in out], "the anonymised codings")
    anon.check([[r[0], r[4], r[5], r[6]] for r in out], "the anonymised codings", field="case")
    return out
