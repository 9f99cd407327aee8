"""The phrase a report uses for "n of N cases": pure, integer arithmetic, no I/O.

The rules, checked in this order (``n`` cases out of a group of ``total``):

===========================  =====================================================
phrase                       when
===========================  =====================================================
``none``                     n = 0 (also for an empty group)
``all``                      n = total
``only one``                 n = 1
``all but one``              n = total - 1 and total >= 4
``all but two``              n = total - 2 and total >= 8
``very few``                 n / total < 1/20 (only in groups of over 20: a survey's)
``a small minority``         n / total < 1/5
``about one in four``        1/5 <= n / total < 3/10
``about a third``            3/10 <= n / total < 2/5
``just under half``          2/5 <= n / total < 1/2
``half``                     n / total = 1/2
``just over half``           1/2 < n / total <= 3/5
``the majority``             n / total > 3/5
===========================  =====================================================

"All but one" needs a group of at least four (two of three is "the majority") and
"all but two" a group of at least eight, so that it always means three quarters or
more. Comparisons are done on whole numbers (``5 * n < total`` and so on), so a
boundary is never missed through rounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

NONE = "none"
ALL = "all"
ONLY_ONE = "only one"
ALL_BUT_ONE = "all but one"
ALL_BUT_TWO = "all but two"
VERY_FEW = "very few"
SMALL_MINORITY = "a small minority"
ONE_IN_FOUR = "about one in four"
A_THIRD = "about a third"
JUST_UNDER_HALF = "just under half"
HALF = "half"
JUST_OVER_HALF = "just over half"
MAJORITY = "the majority"

PHRASES = (
    NONE,
    ONLY_ONE,
    VERY_FEW,
    SMALL_MINORITY,
    ONE_IN_FOUR,
    A_THIRD,
    JUST_UNDER_HALF,
    HALF,
    JUST_OVER_HALF,
    MAJORITY,
    ALL_BUT_TWO,
    ALL_BUT_ONE,
    ALL,
)


def proportion_wording(cases: int, total: int) -> str:
    """The report phrase for ``cases`` out of ``total`` (see the module docstring)."""
    if cases < 0 or total < 0:
        raise ValueError(f"counts cannot be negative ({cases} of {total})")
    if cases > total:
        raise ValueError(f"{cases} cases cannot be more than the group's {total}")
    n, big = cases, total
    if n == 0:
        return NONE
    if n == big:
        return ALL
    if n == 1:
        return ONLY_ONE
    if n == big - 1 and big >= 4:
        return ALL_BUT_ONE
    if n == big - 2 and big >= 8:
        return ALL_BUT_TWO
    if 20 * n < big:  # 2 of 2,696 answers is not "a small minority", as 19% is
        return VERY_FEW
    if 5 * n < big:
        return SMALL_MINORITY
    if 10 * n < 3 * big:
        return ONE_IN_FOUR
    if 5 * n < 2 * big:
        return A_THIRD
    if 2 * n < big:
        return JUST_UNDER_HALF
    if 2 * n == big:
        return HALF
    if 5 * n <= 3 * big:
        return JUST_OVER_HALF
    return MAJORITY


def sentence(cases: int, total: int, noun: str = "cases", group: str | None = None) -> str:
    """ "Just over half of the CSD cases (5 of 9)": a report sentence opening."""
    phrase = proportion_wording(cases, total)
    who = f"the {group} {noun}" if group else f"the {noun}"
    text = f"{phrase} of {who}"
    return f"{text[0].upper()}{text[1:]} ({cases} of {total})"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``singular`` for one, otherwise ``plural_form`` (by default the English rule:
    "passage" -> "passages", "summary" -> "summaries", "match" -> "matches")."""
    if n == 1:
        return singular
    if plural_form is not None:
        return plural_form
    if singular.endswith("y") and singular[-2:-1] not in tuple("aeiou"):
        return singular[:-1] + "ies"
    if singular.endswith(("s", "x", "z", "ch", "sh")):
        return singular + "es"
    return singular + "s"


def counted(n: int, singular: str, plural_form: str | None = None, grouped: bool = False) -> str:
    """ "1 passage", "3 passages" (``grouped``: "1,200 passages")."""
    number = f"{n:,}" if grouped else str(n)
    return f"{number} {plural(n, singular, plural_form)}"


def first_few(items: Sequence[str], most: int, sep: str = ", ", say_rest: bool = False) -> str:
    """The first ``most`` of ``items`` joined by ``sep``; more are shown as "..." or,
    with ``say_rest``, as "and 3 more"."""
    shown = sep.join(items[:most])
    if len(items) <= most:
        return shown
    return shown + sep + (f"and {len(items) - most} more" if say_rest else "...")


def did_you_mean(wanted: str, labels: Mapping[str, str], most: int = 3) -> str:
    """ "; did you mean 1.3 (Agency staff)?" - the known ids closest to ``wanted`` by id,
    or by label when ``wanted`` reads like words ("" when nothing is close)."""
    import difflib

    ids = list(labels)
    found = difflib.get_close_matches(wanted, ids, n=most, cutoff=0.5)
    words = wanted.strip().lower()
    if len(found) < most and words:
        by_label = {labels[t].lower(): t for t in ids if labels[t]}
        inside = [t for label, t in by_label.items() if words in label]
        close = difflib.get_close_matches(words, list(by_label), n=most, cutoff=0.6)
        for t in [*inside, *(by_label[label] for label in close)]:
            if t not in found and len(found) < most:
                found.append(t)
    if not found:
        return ""
    named = [f"{t} ({labels[t]})" if labels.get(t) else t for t in found]
    return f"; did you mean {' or '.join(named)}?"


def settlement(after: Mapping[str, object]) -> str:
    """How a disagreement was settled, from its log entry: "kept bob's", "kept both"."""
    pair = [str(c) for c in after.get("coders") or ()]  # type: ignore[attr-defined]
    keep = str(after.get("keep"))
    if keep in ("a", "b") and len(pair) == 2:
        return f"kept {pair['ab'.index(keep)]}'s"
    return {"both": "kept both", "undone": "took a settlement back"}.get(keep, f"keep {keep}")
