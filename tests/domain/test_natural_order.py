"""Names sort as a person reads them: numbers by value, letters ignoring case."""

from qualcode.domain.framework import natural_key


def test_numbers_sort_by_value_and_letters_ignore_case() -> None:
    names = ["int10", "Int2", "int1", "1.10", "1.2", "P13", "p4"]
    assert sorted(names, key=natural_key) == ["1.2", "1.10", "int1", "Int2", "int10", "p4", "P13"]


def test_a_superscript_digit_is_read_as_a_letter() -> None:
    # str.isdigit() is true of "²" but int() cannot read it: a loop over characters
    # that trusted isdigit failed on such a source name.
    assert natural_key("int²") == ((1, "int²"),)
    assert sorted(["int²", "int2"], key=natural_key) == ["int2", "int²"]
