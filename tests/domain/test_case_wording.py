"""A case described by its attributes, as Read & code's and the Matrix's titles show it."""

from __future__ import annotations

from qualcode.domain.case_wording import describe_attributes


def test_numbers_and_dates_are_named_and_empty_values_left_out() -> None:
    values = {"sector": "CSD", "team": "", "years_in_post": 12, "interviewed": "2024-03-01"}
    assert describe_attributes(values) == "CSD, years_in_post 12, interviewed 2024-03-01"
    assert describe_attributes(values, ("team", "years_in_post")) == "years_in_post 12"


def test_within_a_width_only_whole_attributes_are_kept() -> None:
    values = {"sector": "CSD", "role": "team manager"}
    assert describe_attributes(values, width=10) == "CSD"
    assert describe_attributes({"role": "team manager"}, width=8) == "team ma…"


def test_a_value_repeating_the_file_name_or_most_of_the_case_id_is_left_out() -> None:
    values = {"respondent": "NEAS PTS 1734", "trust": "NEAS", "fft_score": 1}
    said = describe_attributes(values, case_id="NEAS PTS 1734 - Q1")
    assert said == "NEAS, fft_score 1"
    serdif = {"file": "P1_GMT20211118.txt", "tasks": 8}
    assert describe_attributes(serdif, source="P1_GMT20211118.txt", case_id="P1") == "tasks 8"
