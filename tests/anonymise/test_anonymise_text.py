"""Replacing names in text, mapping offsets, generalising job titles (pure functions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.anonymise.titles import load_rules
from qualcode.domain.anonymise import (
    TitleRule,
    anonymise_attributes,
    anonymise_text,
    anonymise_with_offsets,
    generalise_title,
)
from qualcode.errors import InputError

MAPPING = {
    "Jane Mowbray": "[Person 1]",
    "Mowbray": "[Person 1]",
    "J. Mowbray": "[Person 1]",
    "O'Rourke": "[Person 2]",
    "Kingsmere College": "[X] college",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Mowbray said so.", "[Person 1] said so."),
        ("Jane\n  Mowbray said so.", "[Person 1] said so."),
        ("Mowbray's team", "[Person 1]'s team"),
        ("Mowbray\u2019s team", "[Person 1]\u2019s team"),
        ("J. Mowbray wrote", "[Person 1] wrote"),
        ("MOWBRAY wrote", "[Person 1] wrote"),
        ("O\u2019Rourke agreed", "[Person 2] agreed"),
        ("at Kingsmere College.", "at [X] college."),
        ("Mowbrays and Mowbrayville", "Mowbrays and Mowbrayville"),
        ("a mowbray is not a name here", "a mowbray is not a name here"),
        # a name of two words in any capitals: "jane mowbray" as a transcript had it
        ("jane mowbray and Jane MOWBRAY", "[Person 1] and [Person 1]"),
        ("kingsmere college", "[X] college"),
    ],
)
def test_names_are_replaced_as_whole_words(text: str, expected: str) -> None:
    assert anonymise_text(text, MAPPING) == expected


def test_an_empty_mapping_leaves_text_alone() -> None:
    assert anonymise_text("Jane Mowbray", {}) == "Jane Mowbray"


def test_offsets_follow_the_replacements() -> None:
    text = "I told Jane Mowbray about supervision at Kingsmere College yesterday."
    new, offsets = anonymise_with_offsets(text, MAPPING)
    span = text.index("supervision"), text.index("supervision") + len("supervision")
    a, b = offsets.span(*span)
    assert new[a:b] == "supervision"
    # a span that starts or ends inside a name covers its whole placeholder
    inside = text.index("Mowbray") + 2, text.index("yesterday")
    a, b = offsets.span(*inside)
    assert new[a:b] == "[Person 1] about supervision at [X] college "
    whole = offsets.span(0, len(text))
    assert new[whole[0] : whole[1]] == new


RULES = [
    TitleRule(r"(assistant|associate) director\b.*", "Assistant director"),
    TitleRule(r"head of .*", "Head of service"),
]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Head of Safeguarding and Quality Assurance", "Head of service"),
        ("Assistant Director,  Early Help", "Assistant director"),
        ("Director", "Director"),
    ],
)
def test_job_titles_are_generalised_by_the_first_matching_rule(title: str, expected: str) -> None:
    assert generalise_title(title, RULES) == expected


def test_attributes_for_an_attribution() -> None:
    values = {"role": "Head of Children in Care", "authority": "Kingsmere College", "size": 3}
    out = anonymise_attributes(
        values,
        lambda t: anonymise_text(t, MAPPING),
        lambda t: generalise_title(t, RULES),
        ["role"],
    )
    assert out == {"role": "Head of service", "authority": "[X] college", "size": 3}


def test_the_shipped_rules_and_an_edited_copy(tmp_path: Path) -> None:
    shipped = load_rules()
    assert "role" in shipped.attributes
    assert generalise_title("Head of Children's Social Care", shipped.rules) == "Head of service"
    mine = tmp_path / "titles.yaml"
    mine.write_text("attributes: job\nrules:\n  - match: 'senior .*'\n    title: Senior staff\n")
    rules = load_rules(mine)
    assert rules.attributes == ("job",)
    assert generalise_title("Senior practitioner", rules.rules) == "Senior staff"
    mine.write_text("rules:\n  - match: '(unclosed'\n    title: X\n")
    with pytest.raises(InputError, match="rule 1: bad regular expression"):
        load_rules(mine)


def test_each_word_of_a_persons_name_is_replaced_in_text() -> None:
    """ "Aoife" of a listed "Aoife Kelly" went out in every anonymised export."""
    from qualcode.anonymise.identifiers import AcceptedName
    from qualcode.domain.anonymise import PERSON, PLACE
    from qualcode.services.anonymise import text_mapping

    names = [
        AcceptedName("Aoife Kelly", "[Person 1]", PERSON),
        AcceptedName("Dr Ola Johansson", "[Person 2]", PERSON),
        AcceptedName("Kelly", "[Person 1]", PERSON),
        AcceptedName("Wexcombe Borough", "[Place 1]", PLACE),
    ]
    mapping = text_mapping(names)
    said = "I'm Aoife. Dr Ola told me. Johansson agreed; Wexcombe Borough is big, Wexcombe too."
    assert anonymise_text(said, mapping) == (
        "I'm [Person 1]. Dr [Person 2] told me. [Person 2] agreed; [Place 1] is big, "
        "Wexcombe too."  # a place's words are not a person's: only the whole name
    )
    assert "Dr" not in mapping
    # walk48c: an everyday word opening a name found by the heuristics is no given name
    found = text_mapping(
        [
            AcceptedName("Access Aldenshaw", "[Person 5]", PERSON),
            AcceptedName("Sarah Brown", "[Person 6]", PERSON),
        ]
    )
    said = "Access to training is poor. Brown agreed, and Aldenshaw too."
    assert anonymise_text(said, found) == (
        "Access to training is poor. [Person 6] agreed, and [Person 5] too."
    )


def test_a_name_typed_in_lower_case_is_replaced_unless_it_is_an_ordinary_word() -> None:
    """walk47e: "dublin", typed in a summary, went out in the anonymised report, as a
    one-word name was matched only as written. Ordinary words stay ("rose", "cork")."""
    from qualcode.anonymise.identifiers import AcceptedName
    from qualcode.anonymise.lexicon import ordinary_words
    from qualcode.domain.anonymise import PERSON, PLACE
    from qualcode.services.anonymise import text_mapping

    if ordinary_words() is None:
        pytest.skip("spacy-lookups-data's word table is not installed")
    names = [
        AcceptedName("Dublin", "[Place 1]", PLACE),
        AcceptedName("Cork", "[Place 2]", PLACE),
        AcceptedName("Rose Pilling", "[Person 1]", PERSON),
        AcceptedName("Sandra", "[Person 2]", PERSON),
    ]
    mapping = text_mapping(names)
    said = "moved from dublin; sandra and rose said the cork was loose. Rose and Cork too."
    assert anonymise_text(said, mapping) == (
        "moved from [Place 1]; [Person 2] and rose said the cork was loose. "
        "[Person 1] and [Place 2] too."
    )
    # walk48c: words of accepted names that are also ordinary words stay as typed
    people = [
        AcceptedName("Frank Turner", "[Person 3]", PERSON),
        AcceptedName("Dean Fisher", "[Person 4]", PERSON),
        AcceptedName("Peter Holly", "[Person 5]", PERSON),
        AcceptedName("Riverside", "[Place 3]", PLACE),
    ]
    said = "To be frank, the dean saw it peter out by the riverside. Frank Turner agreed."
    assert anonymise_text(said, text_mapping(people)) == (
        "To be frank, the dean saw it peter out by the riverside. [Person 3] agreed."
    )


def test_a_name_is_found_whichever_way_its_accents_are_stored() -> None:
    """walk48a: a transcript from a Mac stores "ë" as "e" and a combining mark; the
    accepted "Zoë Brontë" was found 0 times and went out whole in the .qdpx."""
    import unicodedata

    from qualcode.anonymise.identifiers import AcceptedName
    from qualcode.domain.anonymise import PERSON
    from qualcode.services.anonymise import text_mapping

    mapping = text_mapping([AcceptedName("Zoë Brontë", "[Person 1]", PERSON)])
    said = unicodedata.normalize("NFD", "I asked Zoë Brontë, and Brontë agreed.")
    assert anonymise_text(said, mapping) == "I asked [Person 1], and [Person 1] agreed."
    said = "Zoë said so."  # and as typed
    assert anonymise_text(said, mapping) == "[Person 1] said so."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 07700900123", "call [Phone 1]"),
        ("call 07700-900-123.", "call [Phone 1]."),
        ("call +44 7700 900123", "call [Phone 1]"),
        ("call +44 (0)7700 900123", "call [Phone 1]"),
        ("or +447700900456", "or [Phone 2]"),
        ("at RM47QT and rm4 7qt", "at [Postcode 1] and [Postcode 1]"),
        ("year 2024, 0161 496 0000", "year 2024, 0161 496 0000"),
    ],
)
def test_contacts_are_replaced_in_any_spacing(text: str, expected: str) -> None:
    """Accepted as "07700 900123" and "RM4 7QT", they went out as typed later in a summary:
    "07700-900-123", "+447700900456", "RM47QT"."""
    mapping = {
        "07700 900123": "[Phone 1]",
        "+44 7700 900456": "[Phone 2]",
        "RM4 7QT": "[Postcode 1]",
    }
    assert anonymise_text(text, mapping) == expected


def test_an_id_made_from_a_file_name_with_accents_is_anonymised() -> None:
    """walk48a: "Interview Zoë Brontë.txt" gave the id "Interview-Zo-Bront" (accented
    letters dropped), which no accepted name matched: it went out in the .qdpx."""
    from qualcode.anonymise.identifiers import AcceptedName, Identifiers
    from qualcode.domain.anonymise import PERSON
    from qualcode.domain.ids import slug

    case = slug("Interview Zoë Brontë")
    assert case == "Interview-Zoe-Bronte"
    idents = Identifiers([AcceptedName("Zoë Brontë", "[Person 1]", PERSON)])
    idents.learn([case])
    assert idents(case) == "Interview-[Person 1]"


def test_a_file_name_with_decomposed_accents_leaves_no_mark_behind() -> None:
    """walk48c: "Interview Zoë Brontë.txt" named on a Mac (accents stored as marks)
    read "Interview [Person 1]\u0308.txt" in the anonymised project."""
    import unicodedata

    from qualcode.anonymise.identifiers import AcceptedName, Identifiers
    from qualcode.domain.anonymise import PERSON

    idents = Identifiers([AcceptedName("Zoë Brontë", "[Person 1]", PERSON)])
    name = unicodedata.normalize("NFD", "Interview Zoë Brontë.txt")
    assert idents(name) == "Interview [Person 1].txt"
    assert idents.found(name) == ["[Person 1]"]
