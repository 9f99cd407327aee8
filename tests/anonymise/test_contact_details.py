"""Email addresses and phone numbers in the study's text: found, one placeholder for
each whatever its capitals or spacing, and nothing else taken for one."""

from __future__ import annotations

import pytest

from qualcode.anonymise.finder import ListedName, NameFinder, contact_details
from qualcode.anonymise.placeholders import assign
from qualcode.domain.anonymise import CONTACT

SAID = (
    "Email me at Jo.Bloggs@haverleigh.gov.uk (or jo.bloggs@haverleigh.gov.uk), ring "
    "07700 900123 or +44 7700 900123, the office on 020-7946-0958 or +44 (0)20 7946 0958, "
    "at SW1A 1AA (SW1A1AA)."
)


def test_addresses_and_numbers_are_found_and_grouped() -> None:
    found = contact_details(SAID)
    assert [f.original for f in found] == [
        "Jo.Bloggs@haverleigh.gov.uk",
        "jo.bloggs@haverleigh.gov.uk",
        "07700 900123",
        "+44 7700 900123",
        "020-7946-0958",
        "+44 (0)20 7946 0958",
        "SW1A 1AA",
        "SW1A1AA",
    ]
    assert {f.kind for f in found} == {CONTACT}
    groups = {f.original: f.group for f in found}
    assert groups["Jo.Bloggs@haverleigh.gov.uk"] == groups["jo.bloggs@haverleigh.gov.uk"]
    assert groups["07700 900123"] == groups["+44 7700 900123"]
    assert groups["020-7946-0958"] == groups["+44 (0)20 7946 0958"]
    assert groups["SW1A 1AA"] == groups["SW1A1AA"]
    assert len(set(groups.values())) == 4
    placeholders = assign(
        {g: [(f.original, f.kind) for f in found if f.group == g] for g in groups.values()}, {}
    )
    assert sorted(set(placeholders.values())) == [
        "[Email 1]",
        "[Phone 1]",
        "[Phone 2]",
        "[Postcode 1]",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The budget for 2019-2020 was 1,200,000 and then 300 000 pounds.",
        "Case ref 0123 4567, page 12, 24/7 cover, 01/04/2023, 2023-04-01 10:00.",
        "We had 12 345 678 contacts last year; call 111 or 999.",
        "Look at www.gov.uk or the @team channel; foo@bar is no address.",
        "The CSD team, NHS 111, a B12 shortage, COVID-19 and the M25 or A1 roads.",
    ],
)
def test_numbers_and_at_signs_that_are_no_contact_details(text: str) -> None:
    assert contact_details(text) == []


def test_the_finder_adds_them_beside_the_names() -> None:
    finder = NameFinder([ListedName("Jane Mowbray")])
    found = finder.find(["Ask Jane Mowbray, jane.mowbray@example.org, 07700 900123."])
    kinds = {f.original: f.kind for f in found}
    assert kinds["jane.mowbray@example.org"] == CONTACT
    assert kinds["07700 900123"] == CONTACT
    assert "Jane Mowbray" in kinds


def test_a_name_found_again_in_another_spelling_keeps_its_placeholder() -> None:
    """A re-run gave "Jim McGregor" [Person 15] where "jim mcgregor" was [Person 13]:
    one man, two people in the report."""
    from qualcode.domain.anonymise import PERSON

    existing = {
        "jim mcgregor": "[Person 13]",
        "Dave O'Brien": "[Person 4]",
        "Zbigniew W\u00f3jcik": "[Person 5]",
        "Kwame Mensah-Boateng": "[Person 3]",
    }
    groups = {
        "a": [("Jim McGregor", PERSON)],
        "b": [("Dave O\u2019Brien", PERSON)],
        "c": [("Zbigniew Wojcik", PERSON)],
        "d": [("Kwame Mensah Boateng", PERSON)],
        "e": [("Bartholomew Fink", PERSON)],
    }
    assert assign(groups, existing) == {
        "Jim McGregor": "[Person 13]",
        "Dave O\u2019Brien": "[Person 4]",
        "Zbigniew Wojcik": "[Person 5]",
        "Kwame Mensah Boateng": "[Person 3]",
        "Bartholomew Fink": "[Person 14]",
    }
