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
) -> str:
    """``names`` where the case has them, else its first four attributes, leaving out
    one that repeats the source's file name; within ``width`` characters, as many whole
    attributes as fit (a first one too long is cut)."""
    keys = [n for n in names if values.get(n) not in (None, "")]
    if not keys:
        given = [k for k in values if values[k] not in (None, "")]
        keys = [k for k in given if not source or str(values[k]) != source][:4]
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


def attribute_said(name: str, value: object) -> str:
    """The value alone where it has letters, else "name value"."""
    text = str(value)
    return text if _HAS_LETTER.search(text) else f"{name} {text}"
