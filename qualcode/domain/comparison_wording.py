"""Report wording for comparisons between two groups, and the small-numbers caveat.

Pure and integer-exact: shares are compared by cross-multiplying (``a * B`` against
``b * A``), so equal shares such as 4 of 8 and 6 of 12 are never split by rounding.

"Fewer" and "More" are used when the counts go the same way as the shares; when they
do not (5 of 30 against 4 of 10) the sentence says "A smaller share" or "A larger
share" instead, so it never reads "fewer" beside a bigger number. Both counts are
always printed.
"""

from __future__ import annotations

SMALL_TOTAL = 20  # fewer cases than this in a comparison: say numbers are small
SMALL_GROUP = 10  # a group smaller than this: same
SMALL_EXPECTED = 5.0  # the usual rule of thumb for expected counts in a table


def comparison_sentence(
    what: str,
    a: tuple[str, int, int],
    b: tuple[str, int, int],
    noun: str = "cases",
) -> str:
    """ "Fewer cases in DASS (4 of 23) than in CSD (14 of 27) raised staffing."

    ``a`` and ``b`` are (group, cases, total); ``what`` finishes the sentence (a verb
    phrase such as "raised Agency staff" or "were mixed on supervision").
    """
    (ga, na, ta), (gb, nb, tb) = a, b
    for n, t in ((na, ta), (nb, tb)):
        if t <= 0 or n < 0 or n > t:
            raise ValueError(f"{n} of {t} is not a count of cases in a group")
    left, right = na * tb, nb * ta
    first = f"in {ga} ({na} of {ta})"
    second = f"in {gb} ({nb} of {tb})"
    if left == right:
        opening = f"As many {noun}" if na == nb else f"The same share of {noun}"
        return f"{opening} {first} as {second} {what}."
    if left < right:
        opening = f"Fewer {noun}" if na < nb else f"A smaller share of {noun}"
    else:
        opening = f"More {noun}" if na > nb else f"A larger share of {noun}"
    return f"{opening} {first} than {second} {what}."


def small_numbers_caveat(totals: list[int], expected: list[float]) -> str:
    """The caveat that goes with a test on a table of cases, in words.

    ``totals`` are the group sizes, ``expected`` the table's expected counts under
    independence (row total x column total / all).
    """
    whole = sum(totals)
    smallest = min(totals) if totals else 0
    under = sum(1 for e in expected if e < SMALL_EXPECTED)
    groups = f"{whole} cases in {len(totals)} groups (the smallest has {smallest})"
    if whole < SMALL_TOTAL or smallest < SMALL_GROUP or under:
        cells = f"{under} of {len(expected)} expected counts are under 5" if under else ""
        detail = f"; {cells}" if cells else ""
        return (
            f"Small numbers: {groups}{detail}. One or two cases either way would change "
            "this comparison, so read the p-value as a pointer to the passages, not as a "
            "finding."
        )
    return (
        f"{groups}. The cases were chosen, not sampled at random, so the p-value says how "
        "unusual this split would be by chance, not how far it holds beyond these cases."
    )
