"""The case filter of Cases and Search: ``sector=CSD "role=Head of service" london``
keeps the cases whose attributes hold those values and whose id or values hold the
words; the hint under the input is made of the study's own attributes."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

from qualcode.domain.model import Case

FILTER_HINT = "filter: {}, or any words (/ to focus)"


def parse_filter(text: str) -> tuple[dict[str, str], list[str]]:
    """``sector=CSD "role=Head of service" london`` -> ({sector: CSD, role: ...}, [london])."""
    try:
        terms = shlex.split(text)
    except ValueError:
        terms = text.split()
    wanted: dict[str, str] = {}
    words: list[str] = []
    for term in terms:
        term = term.lstrip("/")  # a "/" typed while the filter already had the focus
        if "=" in term:
            name, _, value = term.partition("=")
            wanted[name.strip().casefold()] = value.strip().casefold()
        elif term.strip():
            words.append(term.casefold())
    return wanted, words


def example_filter(names: Sequence[str], cases: Sequence[Case]) -> str:
    """A filter made of this study's own attributes, for the input's placeholder: up to
    two of the first case's values without spaces ("trust=NEAS fft_score=1"), else
    the form of one."""
    first = cases[0].attributes if cases else {}
    terms = [
        f"{name}={value}"
        for name in names
        if (value := str(first.get(name, "") or "")) and " " not in value and len(value) <= 20
    ][:2]
    return " ".join(terms) or "attribute=value"


def matches(case: Case, wanted: Mapping[str, str], words: Sequence[str]) -> bool:
    attrs = {k.casefold(): str(v).casefold() for k, v in case.attributes.items()}
    for name, value in wanted.items():
        if name == "case":
            if value not in case.id.casefold():
                return False
        elif value not in attrs.get(name, "\0"):
            return False
    haystack = " ".join([case.id.casefold(), *attrs.values()])
    return all(w in haystack for w in words)
