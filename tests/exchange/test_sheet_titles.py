"""Excel sheet names made from theme titles: 31 characters, readable."""

from __future__ import annotations


def test_sheet_names_are_cut_at_a_word_with_one_space_for_a_colon() -> None:
    """serdif's sheets read "querying Requirement 1  Queryin" (':' as two spaces, cut
    mid-word at Excel's 31 characters)."""
    from qualcode.exchange.matrix_xlsx import sheet_title

    taken: set[str] = set()
    assert sheet_title("querying Requirement 1: Querying", taken) == (
        "querying Requirement 1 Querying"
    )
    assert sheet_title("understanding Requirement 2: Understanding", taken) == (
        "understanding Requirement 2\u2026"
    )
    assert sheet_title("understanding Requirement 2: Understanding", taken) == (
        "understanding Requirement 2 (2)"
    )
    assert all(len(t) <= 31 for t in taken)
