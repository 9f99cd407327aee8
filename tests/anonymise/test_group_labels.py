"""An anonymised matrix never shows two groups under one label: interviewer values
"Jane Mowbray" and "jane_mowbray" both became "[Person 62] (1 case)", and the
associations compared "[Person 62]" with "[Person 62]"."""

from __future__ import annotations

import re

from qualcode.anonymise.outputs import Anonymiser
from qualcode.domain.matrix import Group, MatrixSheet, ThemeCount
from qualcode.domain.model import Theme


def anonymiser() -> Anonymiser:
    def ident(value: str) -> str:  # as identifiers are read: any case, any separator
        return re.sub(r"(?i)jane[\W_]*mowbray", "[Person 62]", value)

    return Anonymiser(
        text=lambda t: t.replace("Jane Mowbray", "[Person 62]"),
        title=lambda t: t,
        title_attributes=frozenset(),
        ident=ident,
    )


def test_two_values_that_read_the_same_once_replaced_stay_two_groups() -> None:
    theme = Theme("1.3", "Agency staff")
    groups = tuple(Group((v,), ()) for v in ("Jane Mowbray", "jane_mowbray", "Ravi Shah"))
    counts = tuple(
        ThemeCount("1.3", v, 1, 1, "all") for v in ("Jane Mowbray", "jane_mowbray", "Ravi Shah")
    )
    sheet = MatrixSheet("1 Staffing", (theme,), ("interviewer",), groups, (), counts)
    anon = anonymiser()
    out = anon.sheet(sheet)
    labels = [g.label for g in out.groups]
    assert labels == ["[Person 62]", "[Person 62] (2)", "Ravi Shah"]
    # the counts name the same groups as the rows do
    assert [c.group for c in out.counts] == labels
    # and a value seen again (a quote's group) gets the label it got before
    assert anon._value("jane_mowbray") == "[Person 62] (2)"
    assert anon._value(None) is None


def test_an_initial_before_a_persons_name_in_an_identifier_goes_with_it() -> None:
    """`J. Mowbray` as an interviewer became `J. [Person 62]`, initial kept, in group
    labels and quote attributions."""
    from qualcode.anonymise.identifiers import AcceptedName, Identifiers

    ident = Identifiers(
        [
            AcceptedName("Jane Mowbray", "[Person 62]", "person"),
            AcceptedName("Leeds", "[Place 1]", "place"),
        ]
    )
    assert ident("J. Mowbray") == "[Person 62]"
    assert ident("J Mowbray") == "[Person 62]"
    assert ident("Dr J. Mowbray") == "Dr [Person 62]"
    assert ident("int03-MOWBRAY") == "int03-[Person 62]"  # a case id keeps its own part
    assert ident("A Leeds") == "A [Place 1]"  # a place has no initials
    assert ident("Team A") == "Team A"
