"""Which case attributes are personal details, left out of anonymised outputs."""

from __future__ import annotations

import pytest

from qualcode.domain.personal_details import is_personal, personal_attributes


@pytest.mark.parametrize(
    "name",
    ["Email", "Email Address", "RecipientEmail", "Recipient First Name", "IPAddress",
     "IP Address", "Name", "surname", "LocationLatitude", "Phone number", "Postcode",
     # a form's own wording: these went out in anonymised exports and attributions
     "Your name (optional)", "Interviewee", "Staff name", "Manager's name"],
)  # fmt: skip
def test_survey_tools_personal_columns_by_their_names(name: str) -> None:
    assert is_personal(name)


@pytest.mark.parametrize(
    "values",
    [
        ["jo@example.org", "sam.byrne@council.gov.uk", ""],
        ["192.168.0.1", "10.0.0.12"],
        ["07700 900123", "+44 20 7946 0958"],
    ],
)
def test_personal_details_by_their_values(values: list[str]) -> None:
    assert is_personal("contact", values)


def test_who_took_part_is_personal_when_it_holds_peoples_names() -> None:
    """walk48b: a Word details table's "Participant | Mary Whitfield" went out in the
    anonymised quotes, matrix and project; "Participant | P07" is a code to keep."""
    assert is_personal("Participant", ["Mary Whitfield", "Jan van der Berg", "P09"])
    assert is_personal("respondent", ["Dr Ann O'Neill-Hart"])
    assert is_personal("Participant", ["Whitfield, Mary"])  # walk48c: surname first
    assert not is_personal("Participant", ["P07", "P08"])
    assert not is_personal("participant", ["Director of services", "Team manager"])
    assert not is_personal("role", ["Mary Whitfield"])  # a name there is the finder's


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("sector", ["CSD", "DASS"]),
        ("Start time", ["3/1/24 10:00:00", "10:05:00"]),
        ("date", ["2024-01-01"]),
        ("Respondent ID", ["12345678901", "12345678902"]),
        ("Collector ID", ["432187654"]),
        ("income", ["35000"]),
        ("authority name", ["Eastwickham"]),  # a place is for the name finder
        ("Team name", ["Duty", "Assessment"]),  # groups, not people
        ("Manager", ["yes", "no"]),
        ("notes", ["jo@example.org", "called back", "no answer", "left a message"]),
    ],
)
def test_ordinary_attributes_are_not_personal(name: str, values: list[str]) -> None:
    assert not is_personal(name, values)


def test_personal_attributes_of_a_study() -> None:
    found = personal_attributes({"email": ["a@b.org"], "sector": ["CSD"], "x": ["10.0.0.1"]})
    assert found == {"email", "x"}


def test_identifiers_that_are_personal_details_read_as_numbered_cases() -> None:
    from qualcode.anonymise.identifiers import Identifiers

    idents = Identifiers([])
    idents.learn(["jo@example.org", "int01", "+44 20 7946 0958", "[Case 1]"])
    # "[Case 1]" is a case of the study already: the placeholders go around it
    assert idents("+44 20 7946 0958") == "[Case 1] (2)"
    assert idents("jo@example.org") == "[Case 2]"
    assert idents("jo@example.org/q_help:1") == "[Case 2]/q_help:1"
    assert idents("jo@example.org What helps?") == "[Case 2] What helps?"
    assert idents("int01") == "int01"
    assert idents("[Case 1]") == "[Case 1]"
    idents.learn(["jo@example.org/q_help", "sam@example.org"])  # sources after cases
    assert idents("sam@example.org") == "[Case 3]"
    assert idents("jo@example.org/q_help") == "[Case 2]/q_help"
