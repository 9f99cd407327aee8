"""The sentence a report uses for the range of views on a dimension within a group.

"Of the 23 CSD interviewees with a recorded stance, the largest group (11 of 23) were
mixed, about a third (8 of 23) were very positive and a small minority (4 of 23) were
negative." Pure; the proportion phrases are those of :mod:`qualcode.domain.wording`.

The rules (``N`` = the group's cases with a value recorded):

- nobody has a value: "No CSD interviewees have a recorded stance."
- one case has one: "The only CSD interviewee with a recorded stance was mixed (1 of 1)."
- every case shares one value: "All 5 CSD interviewees with a recorded stance were mixed."
  ("Both ..." for two).
- otherwise values are listed from the most to the least common (ties in declared
  order). The most common value is "the majority" / "just over half" / "all but one" /
  "half" when it is at least half, else "the largest group"; values tied for the most
  share one clause, "equal numbers (6 of 20 each) were mixed and negative"; one case is
  "only one (1 of 23) was negative"; the rest take the proportion phrase; values nobody
  holds close the sentence, "none were very positive".
- a case may hold more than one value (its cell says one thing, a coding of the theme
  another): it counts once in ``N`` and under each of its values, and the sentence
  ends by saying so, "(1 case with conflicting values is counted under each)".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qualcode.domain.dimensions import Dimension, DimensionCount, ValueCount, value_order
from qualcode.domain.wording import proportion_wording

LARGEST = "the largest group"
EQUAL = "equal numbers"


def singular(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _join(items: Sequence[str], conjunction: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _clause(phrase: str, detail: str, values: Sequence[str], one: bool) -> str:
    return f"{phrase} ({detail}) {'was' if one else 'were'} {_join(values)}"


def leading_phrase(cases: int, rated: int) -> str:
    """The phrase of the most common value (held alone by ``cases`` of ``rated``)."""
    if 2 * cases >= rated:
        return proportion_wording(cases, rated)
    return LARGEST


def breakdown_sentence(
    counts: Sequence[tuple[str, int]],
    dimension: str,
    noun: str = "cases",
    group: str | None = None,
    rated: int | None = None,
    conflicting: int = 0,
) -> str:
    """The sentence for ``counts`` ((value, cases) in declared order) within a group.
    ``rated``: the cases with a value (default: the sum of the counts); ``conflicting``
    of them hold more than one value and are counted under each."""
    if any(n < 0 for _, n in counts) or conflicting < 0:
        raise ValueError("counts cannot be negative")
    who = f"{group} {noun}" if group else noun
    if conflicting:
        total = sum(n for _, n in counts) if rated is None else rated
        held = [(v, n) for v, n in counts if n]
        if total == 1:
            one = f"{group} {singular(noun)}" if group else singular(noun)
            return (
                f"The only {one} with a recorded {dimension} was counted under each of its "
                f"conflicting values, {_join([v for v, _ in held])} (1 of 1)."
            )
        one = f"{conflicting} {singular(noun) if conflicting == 1 else noun}"
        verb = "is" if conflicting == 1 else "are"
        return (
            f"{_listed(counts, held, total, dimension, who)} ({one} with conflicting "
            f"values {verb} counted under each)."
        )
    rated = sum(n for _, n in counts) if rated is None else rated
    if rated == 0:
        return f"No {who} have a recorded {dimension}."
    held = [(v, n) for v, n in counts if n]
    if rated == 1:
        one = f"{group} {singular(noun)}" if group else singular(noun)
        return f"The only {one} with a recorded {dimension} was {held[0][0]} (1 of 1)."
    if len(held) == 1:
        everyone = "Both" if rated == 2 else f"All {rated}"
        return f"{everyone} {who} with a recorded {dimension} were {held[0][0]}."
    return _listed(counts, held, rated, dimension, who) + "."


def _listed(
    counts: Sequence[tuple[str, int]],
    held: Sequence[tuple[str, int]],
    rated: int,
    dimension: str,
    who: str,
) -> str:
    order = sorted(held, key=lambda vn: -vn[1])  # stable: ties keep the declared order
    top = order[0][1]
    tied = [v for v, n in order if n == top]
    clauses: list[str] = []
    if len(tied) > 1:
        clauses.append(_clause(EQUAL, f"{top} of {rated} each", tied, False))
    else:
        phrase = leading_phrase(top, rated)
        clauses.append(_clause(phrase, f"{top} of {rated}", tied, top == 1))
    for value, n in order[len(tied) :]:
        phrase = "only one" if n == 1 else proportion_wording(n, rated)
        clauses.append(_clause(phrase, f"{n} of {rated}", [value], n == 1))
    listed = _join(clauses) if len(tied) == 1 or len(clauses) < 2 else ", ".join(clauses[:-1])
    if len(tied) > 1 and len(clauses) > 1:
        listed += f", and {clauses[-1]}"  # the tied clause has its own "and"
    text = f"Of the {rated} {who} with a recorded {dimension}, {listed}"
    nobody = [v for v, n in counts if n == 0]
    if nobody:
        text += f"; none were {_join(nobody, 'or')}"
    return text


def dimension_count(
    theme: str,
    dimension: str,
    declared: Sequence[str],
    group: str | None,
    cases: Sequence[str],
    values: Mapping[str, str | Sequence[str]],
    noun: str = "cases",
    label: str | None = None,
) -> DimensionCount:
    """Cases of a group per value: ``values`` maps case -> its value on this theme's
    dimension, or its values when its cell and codings disagree (cases outside the
    group are ignored). ``label`` names the group in the sentence (None: no group)."""
    held = [set((v,) if isinstance(v, str) else v) for v in (values.get(c) for c in cases) if v]
    order = value_order(Dimension(dimension, tuple(declared)), {v for h in held for v in h})
    tally = [(v, sum(1 for h in held if v in h)) for v in order]
    rated = len(held)
    conflicting = sum(1 for h in held if len(h) > 1)
    return DimensionCount(
        theme=theme,
        dimension=dimension,
        group=group,
        total=len(cases),
        rated=rated,
        values=tuple(ValueCount(v, n, proportion_wording(n, rated)) for v, n in tally),
        sentence=breakdown_sentence(tally, dimension, noun, label, rated, conflicting),
        conflicting=conflicting,
    )
