"""A case described in a few of its attributes, for a title or a list: pure, no I/O.

A value with letters says what it is alone ("CSD", "team manager"); a bare number or
date ("8", "2021-11-18") says nothing alone, so it comes with its attribute's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from qualcode.domain.model import AttrValue

_HAS_LETTER = re.compile(r"[^\W\d_]")


def describe_attributes(
    values: Mapping[str, AttrValue],
    names: Sequence[str] = (),
    source: str = "",
    width: int | None = None,
    case_id: str = "",
) -> str:
    """``names`` where the case has them, else its first four attributes, leaving out
    one that repeats the source's file name or most of the case's id (a survey's
    respondent "NEAS 17" of case "NEAS 17 - Q1"); within ``width`` characters, as many
    whole attributes as fit (a first one too long is cut)."""
    keys = [n for n in names if values.get(n) not in (None, "")]
    if not keys:
        given = [k for k in values if values[k] not in (None, "")]
        keys = [k for k in given if not _shown(str(values[k]), source, case_id)][:4]
    said = [attribute_said(k, values[k]) for k in keys]
    if width is None:
        return ", ".join(said)
    out = ""
    for part in said:
        longer = f"{out}, {part}" if out else part
        if len(longer) > width:
            break
        out = longer
    if not out and said:
        out = said[0][: width - 1] + "…"
    return out


def _shown(value: str, source: str, case_id: str) -> bool:
    """Whether the title shows ``value`` already: as the file name, or as the most of
    the case id it begins (a short prefix such as a trust's "NEAS" still tells)."""
    if value == source:
        return True
    return case_id.startswith(value) and 2 * len(value) >= len(case_id)


def attribute_said(name: str, value: object) -> str:
    """The value alone where it has letters, else "name value"."""
    text = str(value)
    return text if _HAS_LETTER.search(text) else f"{name} {text}"
