"""``qualcode associations --dimension NAME``: each value of a dimension, within each
theme, against the groups of a case attribute.

The cases compared are those ``matrix --by ATTR --dimension NAME`` counts as rated:
of the rows of the theme's matrix sheet (``kind="auto"``), the ones whose cell or
codings of the theme carry a value. For each value, a case either holds it or not
(a case with conflicting values holds each), so a group's "n of N" is the matrix's
count of the value over its rated cases, and the test is Fisher's exact test on the
2 x groups table, with Benjamini-Hochberg q-values across the whole sweep.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.analysis import associations as assoc
from qualcode.analysis.counts import group_key
from qualcode.domain.dimensions import value_order
from qualcode.domain.mapping import Association
from qualcode.domain.matrix import noun
from qualcode.errors import InputError
from qualcode.services import matrix_data as data
from qualcode.services.dimension_counts import rated_themes
from qualcode.services.matrix_data import AUTO
from qualcode.services.study import Study


def dimension_associations(
    study: Study,
    by: str,
    dimension: str,
    themes: Sequence[str] | None = None,
    kind: str | None = AUTO,
    fdr: float | None = None,
) -> list[Association]:
    """Per theme with ``dimension`` (or each of ``themes``) and per value: the cases
    holding it against the groups of ``by``, strongest first. The subject is
    ``theme:dimension=value``."""
    if fdr is not None and not 0 < fdr < 1:
        raise InputError(f"--fdr must be between 0 and 1, not {fdr}")
    found: list[Association] = []
    with study.read() as s:
        snap = data.load(s)
        data.check_by(snap, [by])
        data.check_comparable(snap, by)
        for scope in rated_themes(s, snap, dimension, themes, kind):
            tid, name, kinds = scope.theme, scope.name, scope.kinds
            held = {
                case: set(v[name])
                for (case, t), v in scope.values.items()
                if t == tid and name in v and case in scope.universe
            }
            if not held:  # nobody rated on this theme: nothing to compare
                continue
            groups = {case: group_key(scope.universe[case], [by]) for case in held}
            label = snap.tree.themes[tid].label
            who = f"{noun(kinds)} with a recorded {name}"
            for value in value_order(scope.dimension, {v for h in held.values() for v in h}):
                found.append(
                    assoc.associate(
                        {case: value in h for case, h in held.items()},
                        groups,
                        subject=f"{tid}:{name}={value}",
                        label=f"{label}: {name} {value}",
                        attribute=by,
                        values=[True, False],
                        names={True: value, False: f"not {value}"},
                        what={True: f"were {value} on {label}"},
                        noun=who,
                        kind=kinds[0] if len(kinds) == 1 else None,
                    )
                )
    return assoc.by_strength(assoc.with_fdr(found, fdr))
