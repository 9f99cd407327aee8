"""A theme is named by id and label only where the id says something the label does not."""

from qualcode.domain.framework import id_repeats_label


def test_a_slug_id_repeats_its_label_and_a_numbering_does_not() -> None:
    assert id_repeats_label("parking", "Parking")
    assert id_repeats_label("simple-export", "Simple export")
    assert id_repeats_label(
        "staff-manner-personal-attributes", "Staff manner & personal attributes"
    )
    assert not id_repeats_label("1.3", "Agency staff")
    assert not id_repeats_label("S5", "Pay and grading")
    assert not id_repeats_label("park", "Parking")  # an abbreviation says it shorter
    assert not id_repeats_label("", "")


def test_the_reliability_report_names_short_slugs_as_it_names_long_ones() -> None:
    from qualcode.services.suggest_reliability import _name

    assert _name("parking", "Parking") == "Parking"  # was "parking Parking"
    assert _name("admission", "Admission") == "Admission"
    assert _name("1.3", "Agency staff") == "1.3 Agency staff"
