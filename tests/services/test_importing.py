"""Importing transcripts, surveys and case attributes through the services."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from qualcode.errors import ConflictError, InputError
from qualcode.services import importing, queries, undo_log
from qualcode.services.study import Study, study_info

TRANSCRIPT = """Interviewer: Thank you for making the time. Could you describe your role?

Respondent: I'm the Director of Children's Services. We've got about ninety social workers.

We use agency staff in the referral team, which is expensive.

Interviewer: And supervision?

Respondent: Monthly, mostly case management, to be honest.
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_transcript_segments_point_into_the_stored_text(study: Study, tmp_path: Path) -> None:
    path = write(tmp_path / "int01.txt", TRANSCRIPT)
    report = importing.import_transcripts(study, [path], attributes={"Sector": "CSD"})
    assert (report.sources_added, report.cases_added) == (1, 1)
    [source] = queries.list_sources(study)
    assert (source.id, source.case, source.name, source.kind) == (
        "int01",
        "int01",
        "int01.txt",
        "transcript",
    )
    text = queries.source_text(study, "int01")
    segs = queries.list_segments(study, include_interviewer=True)
    assert [g.role for g in segs] == ["interviewer", "respondent", "interviewer", "respondent"]
    for g in segs:
        assert text[g.start : g.end] == g.text
        assert not g.text.startswith(("Interviewer", "Respondent"))
    respondent = queries.list_segments(study)
    assert len(respondent) == 2
    assert respondent[0].text.endswith("which is expensive.")
    assert respondent[0].speaker == "Respondent"
    assert respondent[0].line == 3
    [case] = queries.list_cases(study)
    assert case.attributes == {"sector": "CSD"}


def test_crlf_is_normalised(study: Study, tmp_path: Path) -> None:
    path = write(tmp_path / "win.txt", TRANSCRIPT.replace("\n", "\r\n"))
    importing.import_transcripts(study, [path])
    assert "\r" not in queries.source_text(study, "win")


def test_reimport_unchanged_is_a_noop_and_changed_is_refused(study: Study, tmp_path: Path) -> None:
    path = write(tmp_path / "int02.txt", TRANSCRIPT)
    importing.import_transcripts(study, [path])
    again = importing.import_transcripts(study, [path])
    assert (again.sources_added, again.sources_unchanged) == (0, 1)
    write(path, TRANSCRIPT + "\nRespondent: One more thing.\n")
    with pytest.raises(InputError, match=r"int02\.txt.*sources remove int02"):
        importing.import_transcripts(study, [path])
    assert study_info(study).sources == 1


def test_the_same_text_under_another_name_is_refused(study: Study, tmp_path: Path) -> None:
    first = write(tmp_path / "int01.txt", TRANSCRIPT)
    copy = write(tmp_path / "int01 (1).txt", TRANSCRIPT)
    with pytest.raises(
        InputError, match=r"int01 \(1\)\.txt: the same text as int01\.txt \(source 'int01'\)"
    ):
        importing.import_transcripts(study, [first, copy])
    assert study_info(study).sources == 0  # nothing half-written
    importing.import_transcripts(study, [first])
    with pytest.raises(InputError, match="a copy would count its case twice"):
        importing.import_transcripts(study, [copy])
    assert study_info(study).sources == 1


def test_bad_file_in_a_folder_writes_nothing(study: Study, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    write(folder / "a.txt", TRANSCRIPT)
    (folder / "b.docx").write_bytes(b"PK\x03\x04 not really a docx")
    with pytest.raises(InputError, match=r"b\.docx"):
        importing.import_transcripts(study, [folder])
    info = study_info(study)
    assert (info.cases, info.sources, info.segments) == (0, 0, 0)


def test_docx_transcript_and_one_case_for_several_files(study: Study, tmp_path: Path) -> None:
    doc = Document()
    for para in TRANSCRIPT.split("\n"):
        doc.add_paragraph(para)
    doc.save(tmp_path / "part1.docx")
    write(tmp_path / "part2.txt", "I: Anything else?\n\nR: Recruitment is the big one.\n")
    importing.import_transcripts(
        study, [tmp_path / "part1.docx", tmp_path / "part2.txt"], case="dept7"
    )
    assert {s.case for s in queries.list_sources(study)} == {"dept7"}
    texts = [g.text for g in queries.list_segments(study)]
    assert "Recruitment is the big one." in texts


def survey_rows() -> list[dict[str, str]]:
    return [
        {"id": "R1", "sector": "CSD", "years": "3", "q1": "More admin support, please.", "q2": ""},
        {"id": "R2", "sector": "DASS", "years": "12", "q1": "", "q2": "Pay £ and “workload”"},
        {"id": "R3", "sector": "CSD", "years": "7", "q1": "Line one,\nline two", "q2": "Nothing"},
    ]


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_survey_csv_in_each_encoding(sqlite_study: Study, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "survey.csv", survey_rows(), encoding)
    report = importing.import_survey(sqlite_study, path, "id", ["q1", "q2"])
    assert (report.cases_added, report.sources_added, report.segments_added) == (3, 4, 4)
    assert any("read as Windows-1252" in w for w in report.warnings) == (encoding == "cp1252")
    text = queries.source_text(sqlite_study, "R2/q2")
    assert text == "Pay £ and “workload”"
    assert queries.source_text(sqlite_study, "R3/q1") == "Line one,\nline two"
    cases = {c.id: c.attributes for c in queries.list_cases(sqlite_study)}
    assert cases["R2"] == {"sector": "DASS", "years": 12}
    [src] = [s for s in queries.list_sources(sqlite_study) if s.id == "R1/q1"]
    assert (src.kind, src.question, src.name) == ("survey", "q1", "survey.csv")


def test_survey_on_each_database(study: Study, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "survey.csv", survey_rows())
    importing.import_survey(study, path, "id", ["q1", "q2"])
    segs = queries.list_segments(study)
    assert sorted(g.id for g in segs) == ["R1/q1:1", "R2/q2:1", "R3/q1:1", "R3/q2:1"]
    again = importing.import_survey(study, path, "id", ["q1", "q2"])
    assert again.sources_added == 0


def test_a_second_forms_survey_on_the_same_row_numbers_is_warned_about(
    study: Study, tmp_path: Path
) -> None:
    """walk48b: Microsoft Forms numbers its rows 1, 2, 3 in every form; a second form
    joined the first form's respondents (a social worker became a manager), said only
    as "3 cases updated"."""
    q = "What would help?"
    staff = [
        {"ID": "1", "role": "Social worker", q: "More admin support for the team."},
        {"ID": "2", "role": "Senior practitioner", q: "A caseload I could manage."},
    ]
    managers = [
        {"ID": "1", "role": "Manager", q: "Fewer reorganisations every year."},
        {"ID": "2", "role": "Senior practitioner", q: "Less agency churn."},
    ]
    importing.import_survey(study, write_csv(tmp_path / "staff.csv", staff), "ID", [q])
    report = importing.import_survey(
        study, write_csv(tmp_path / "managers.csv", managers), "ID", [q]
    )
    assert len(report.warnings) == 1
    warning = report.warnings[0]
    assert warning.startswith("managers.csv: 1 value of 1 case the study had was replaced")
    assert "row 2, case '1', role 'Social worker' -> 'Manager'" in warning
    assert "the rows' numbers" in warning
    assert "qualcode undo" in warning
    # a file that adds answers without changing anyone's values says nothing
    more = [{"ID": "1", "role": "Manager", "later": "Still fewer reorganisations please."}]
    again = importing.import_survey(study, write_csv(tmp_path / "more.csv", more), "ID", ["later"])
    assert again.warnings == ()


def test_survey_xlsx_and_guessed_text_columns(study: Study, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Respondent ID", "Sector", "Comments"])
    ws.append([101, "CSD", "I would like far more time for direct work with families."])
    ws.append([102, "PVI", "Better IT, the recording system crashes every afternoon."])
    wb.save(tmp_path / "s.xlsx")
    report = importing.import_survey(study, tmp_path / "s.xlsx", "respondent_id")
    assert report.sources_added == 2
    assert any("Comments" in m for m in report.messages)
    assert {c.id for c in queries.list_cases(study)} == {"101", "102"}


def test_a_column_of_mostly_short_answers_with_some_sentences_is_warned_about(
    study: Study, tmp_path: Path
) -> None:
    rows = [
        ["id", "sector", "What helps you most?", "Anything else?"],
        ["1", "CSD", "More time for direct work with the families on my caseload.", "No"],
        ["2", "DASS", "A manager who protects supervision from the daily crises.", "No"],
        ["3", "CSD", "Fewer forms: the recording system doubles every visit.", "N/a"],
        ["4", "PVI", "Peer support, and a team that stays long enough to know.", ""],
        ["5", "CSD", "Pay that keeps up with the agencies down the road.", "The survey was long."],
        [
            "6",
            "DASS",
            "Reasonable caseloads, and cover when people are off sick.",
            ("Please pass on that the duty rota has broken three of us this year alone."),
        ],
    ]
    path = tmp_path / "s.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    report = importing.import_survey(study, path, "id")
    assert report.sources_added == 6  # only the question that averages long answers
    assert report.warnings == (
        "s.csv: kept as case attributes, though some of their answers are sentences: "
        "'Anything else?' (1 of 5 answers are sentences); to code them as answers, name "
        "every question with --text-column",
    )
    # the same bytes under another name are refused: every answer would come in twice
    copy = tmp_path / "s (1).csv"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(
        InputError, match=r"s \(1\)\.csv: the same file was already imported as s\.csv"
    ):
        importing.import_survey(study, copy, "id", ["What helps you most?", "Anything else?"])
    assert len(queries.list_sources(study)) == 6


def test_survey_duplicate_ids_name_the_row(study: Study, tmp_path: Path) -> None:
    rows = survey_rows()
    rows[2]["id"] = "R1"
    path = write_csv(tmp_path / "dup.csv", rows)
    with pytest.raises(
        InputError,
        match=r"dup\.csv, row 4: duplicate 'id' 'R1' \(first at row 2\): a table of cases has "
        "one row a case; a survey of one row an answer is read with --question-column",
    ):
        importing.import_survey(study, path, "id", ["q1"])
    assert study_info(study).cases == 0


def test_two_columns_of_one_attribute_name_are_refused_naming_both(
    study: Study, tmp_path: Path
) -> None:
    """ "Team" and "team" (a column added by hand beside the tool's own) used to end in
    the database's UNIQUE constraint, naming no file or column."""
    rows = [{**row, "Job Title": "manager", "job title": "lead"} for row in survey_rows()]
    path = write_csv(tmp_path / "twice.csv", rows)
    said = (
        r"twice\.csv: the columns 'Job Title' and 'job title' would both be the attribute "
        r"'job_title' \(names are compared without capitals and punctuation\): rename one"
    )
    with pytest.raises(InputError, match=said):
        importing.import_survey(study, path, "id", ["q1"])
    with pytest.raises(InputError, match=said):
        importing.import_cases(study, path, "id")
    assert study_info(study).cases == 0


def test_values_that_differ_only_in_capitals_are_warned_about(study: Study, tmp_path: Path) -> None:
    """ "Children's" and " children's " became two groups of the matrix, unsaid."""
    rows = survey_rows()
    rows[2]["sector"] = " csd "
    path = write_csv(tmp_path / "caps.csv", rows)
    report = importing.import_survey(study, path, "id", ["q1"])
    assert (
        "caps.csv: column 'sector' has values that differ only in capitals, kept apart as "
        "groups: 'CSD' (row 2) and 'csd' (row 4) (make them the same to group them)"
    ) in report.warnings
    report = importing.import_cases(study, path, "id")
    assert any("column 'sector' has values that differ only" in w for w in report.warnings)


def test_survey_missing_column(study: Study, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", survey_rows())
    with pytest.raises(InputError, match=r"s\.csv: no column 'respondent' for --id-column"):
        importing.import_survey(study, path, "respondent", ["q1"])
    with pytest.raises(InputError, match="no column 'q9' for --text-column"):
        importing.import_survey(study, path, "id", ["q9"])


@pytest.mark.slow_postgresql
def test_cases_create_and_update(study: Study, tmp_path: Path) -> None:
    importing.import_transcripts(study, [write(tmp_path / "int01.txt", TRANSCRIPT)])
    path = write_csv(
        tmp_path / "cases.csv",
        [
            {"case": "int01", "sector": "CSD", "Authority type": "London borough"},
            {"case": "int02", "sector": "DASS", "Authority type": ""},
        ],
    )
    report = importing.import_cases(study, path, "case")
    assert (report.cases_added, report.cases_updated) == (1, 1)
    cases = {c.id: dict(c.attributes) for c in queries.list_cases(study)}
    assert cases == {
        "int01": {"sector": "CSD", "authority_type": "London borough"},
        "int02": {"sector": "DASS"},
    }
    write_csv(path, [{"case": "int02", "sector": "PVI", "Authority type": ""}])
    assert importing.import_cases(study, path, "case").cases_updated == 1
    assert {c.id: c.attributes["sector"] for c in queries.list_cases(study)}["int02"] == "PVI"


def test_front_matter_sets_case_and_attributes(study: Study, tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.md",
        "---\ncase: dept9\nAuthority type: county council\n---\n" + TRANSCRIPT,
    )
    importing.import_transcripts(study, [path], attributes={"role": "Director"})
    [case] = queries.list_cases(study)
    assert case.id == "dept9"
    assert case.attributes == {"authority_type": "county council", "role": "Director"}
    assert queries.source_text(study, "x").startswith("Interviewer:")


def test_qualtrics_survey_takes_its_questions_wording_and_no_header_respondents(
    study: Study, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "qualtrics.csv",
        "ResponseId,Q1,Q2_TEXT,Q3\n"
        "Response ID,What is your role?,What helps you most?,Any other comments?\n"
        '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}",'
        '"{""ImportId"":""QID2_TEXT""}","{""ImportId"":""QID3""}"\n'
        "R_1abc,Manager,Good supervision and a manageable caseload.,The IT is slow.\n",
    )
    report = importing.import_survey(study, path, "ResponseId", ["Q2_TEXT", "Any other comments?"])
    assert report.cases_added == 1
    assert report.warnings == (
        "qualtrics.csv: a Qualtrics export: rows 2 and 3 hold each column's question "
        "wording and import ids, read as headers",
    )
    assert "Q2_TEXT = 'What helps you most?'" in report.messages[0]
    sources = queries.list_sources(study)
    assert {(s.id, s.question) for s in sources} == {
        ("R_1abc/Q2_TEXT", "What helps you most?"),
        ("R_1abc/Q3", "Any other comments?"),
    }
    assert [c.id for c in queries.list_cases(study)] == ["R_1abc"]


def test_a_case_sheet_says_which_cases_it_leaves_out_and_finds_zero_padded_ids(
    study: Study, tmp_path: Path
) -> None:
    """walk48b: a sheet for 2 of 5 cases said nothing of the other 3 (each "(not
    recorded)" in every comparison by its attributes); "007" for the study's "7" was
    not pointed out, as "012" for "12" was."""
    folder = tmp_path / "t"
    folder.mkdir()
    for name in ("int01", "int02", "int03", "7"):
        write(folder / f"{name}.txt", TRANSCRIPT + f"\nRespondent: And in {name}, more.\n")
    importing.import_transcripts(study, [folder])
    sheet = write(tmp_path / "cases.csv", "case,sector\nint01,CSD\n007,DASS\n")
    report = importing.import_cases(study, sheet, "case")
    assert report.messages == (
        "cases.csv gives no row for 3 of the study's 4 cases with sources: 7, int02, int03",
    )
    assert "row 3 '007' (the study has '7')" in report.warnings[0]


def test_two_files_whose_names_give_one_case_are_warned_about(study: Study, tmp_path: Path) -> None:
    """walk48c: "Zoë.txt" and "Zoe.txt" (or "int 1" and "int-1") became one case, two
    people's interviews counted once, without a word."""
    first = write(tmp_path / "Zoë.txt", TRANSCRIPT)
    second = write(tmp_path / "Zoe.txt", TRANSCRIPT + "\nRespondent: Someone else.\n")
    importing.import_transcripts(study, [first])
    report = importing.import_transcripts(study, [second])
    assert report.warnings == (
        "Zoe.txt: its name gives the case 'Zoe', which holds Zoë.txt already: both are one "
        "case now. If they are two people, `qualcode undo` and import it again with --case",
    )
    # a case made by a cases sheet, with no source yet, is the match meant
    importing.import_cases(study, write(tmp_path / "c.csv", "case,sector\nP9,CSD\n"), "case")
    again = importing.import_transcripts(study, [write(tmp_path / "P9.txt", TRANSCRIPT + "x.\n")])
    assert again.warnings == ()


def test_a_file_stored_with_decomposed_accents_before_is_still_the_same_file(
    study: Study, tmp_path: Path
) -> None:
    """Files are now read with accents composed (NFC); one imported before, its text
    stored as the file had it, must not read "a different version" on a re-import."""
    import unicodedata

    from qualcode.domain.ids import checksum
    from qualcode.store import models as m

    text = unicodedata.normalize("NFD", "Interviewer: Zoë?\nRespondent: Yes, the café.\n")
    path = tmp_path / "int01.txt"
    path.write_text(text, encoding="utf-8")
    importing.import_transcripts(study, [path])
    with study.write() as s:  # as an older qualcode stored it
        row = s.get(m.SourceRow, "int01")
        assert row is not None
        row.text, row.checksum = text, checksum(text)
    again = importing.import_transcripts(study, [path])
    assert (again.sources_added, again.sources_unchanged) == (0, 1)


def test_case_attributes_for_ids_the_transcripts_do_not_have_are_warned_about(
    study: Study, tmp_path: Path
) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    write(folder / "Interview with Kamala Oduya.txt", TRANSCRIPT)
    write(folder / "int02.txt", TRANSCRIPT + "\nRespondent: Another interview.\n")
    importing.import_transcripts(study, [folder])
    sheet = write(tmp_path / "cases.csv", "case,sector\nKamala Oduya,CSD\nINT02,DASS\n")
    report = importing.import_cases(study, sheet, "case")
    assert report.warnings == (
        "cases.csv: ids read as the study's cases, whose capitals differ: row 3 'INT02' as 'int02'",
        "cases.csv: 1 of 2 rows name cases the study had not got, now added with no sources: "
        "row 2 'Kamala Oduya' (the study has 'Interview-with-Kamala-Oduya'); if they were "
        "meant to be the study's cases, `qualcode undo` takes this import back; correct "
        "their ids in the file and import it again",
    )
    cases = {c.id: dict(c.attributes) for c in queries.list_cases(study)}
    assert cases["int02"] == {"sector": "DASS"}
    assert "INT02" not in cases
    assert cases["Kamala Oduya"] == {"sector": "CSD"}
    # undo takes the whole import back: the new case goes, int02's value too; redo too
    undone = undo_log.revert(study, undo_log.last_action(study, study.coder) or "")
    cases = {c.id: dict(c.attributes) for c in queries.list_cases(study)}
    assert set(cases) == {"Interview-with-Kamala-Oduya", "int02"}
    assert cases["int02"] == {}
    undo_log.revert(study, undone.batch)
    cases = {c.id: dict(c.attributes) for c in queries.list_cases(study)}
    assert cases["Kamala Oduya"] == {"sector": "CSD"}
    assert cases["int02"] == {"sector": "DASS"}


def test_two_rows_for_one_case_whose_capitals_differ_are_refused(
    study: Study, tmp_path: Path
) -> None:
    importing.import_transcripts(study, [write(tmp_path / "int02.txt", TRANSCRIPT)])
    sheet = write(tmp_path / "cases.csv", "case,sector\nINT02,DASS\nint02,PVI\n")
    with pytest.raises(
        InputError, match=r"cases\.csv, row 3: 'int02' and row 2's 'INT02' both name .* 'int02'"
    ):
        importing.import_cases(study, sheet, "case")
    assert {c.id: dict(c.attributes) for c in queries.list_cases(study)} == {"int02": {}}


def test_undoing_a_case_import_keeps_a_case_that_got_a_source_since(
    study: Study, tmp_path: Path
) -> None:
    importing.import_transcripts(study, [write(tmp_path / "int01.txt", TRANSCRIPT)])
    importing.import_cases(study, write(tmp_path / "c.csv", "case,sector\nint02,DASS\n"), "case")
    batch = undo_log.last_action(study, study.coder) or ""
    other = write(tmp_path / "x.txt", TRANSCRIPT + "\nRespondent: Another interview.\n")
    importing.import_transcripts(study, [other], case="int02")
    with pytest.raises(ConflictError, match="case 'int02' has sources since; undo refused"):
        undo_log.revert(study, batch)
    assert {c.id for c in queries.list_cases(study)} == {"int01", "int02"}


def test_case_attributes_before_any_source_make_cases_without_a_warning(
    study: Study, tmp_path: Path
) -> None:
    sheet = write(tmp_path / "cases.csv", "case,sector\nint01,CSD\n")
    assert importing.import_cases(study, sheet, "case").warnings == ()


def test_the_first_case_is_the_lists_first_without_reading_them_all(
    study: Study, tmp_path: Path
) -> None:
    assert queries.first_case(study) is None
    sheet = write(tmp_path / "cases.csv", "case,sector\nint10,CSD\nint9,DASS\nint2,PVI\n")
    importing.import_cases(study, sheet, "case")
    first = queries.first_case(study)
    assert first is not None
    assert first.id == queries.list_cases(study)[0].id == "int2"
    assert dict(first.attributes) == {"sector": "PVI"}


LONG = (
    "row,respondent,question,answer,sector,date\n"
    "1,R1,What helps?,Good supervision and a manageable caseload every month.,CSD,2024-01-01\n"
    "2,R1,What hinders?,Too much recording on the new system.,CSD,2024-01-02\n"
    "3,R2,What helps?,Peer support from colleagues in the duty team.,,2024-01-01\n"
    "4,R2,What hinders?,,DASS,2024-01-01\n"
    "5,R2,What hinders?,Vacancies that never get filled however often we advertise.,DASS,"
    "2024-01-01\n"
)


def test_a_long_survey_one_row_an_answer(study: Study, tmp_path: Path) -> None:
    path = write(tmp_path / "long.csv", LONG)
    report = importing.import_survey(
        study, path, "respondent", ["answer"], question_column="question"
    )
    assert (report.cases_added, report.sources_added) == (2, 4)
    assert report.messages == (
        "column 'row' differs between one respondent's answers (first: 'R1', row 2 '1', "
        "row 3 '2'): kept with each answer (`sources --json`), not as a case attribute",
        "column 'date' differs between one respondent's answers (first: 'R1', row 2 "
        "'2024-01-01', row 3 '2024-01-02'): kept with each answer (`sources --json`), not "
        "as a case attribute",
        "5 rows read as the answers of 2 respondents to 2 questions (question)",
    )
    cases = {c.id: dict(c.attributes) for c in queries.list_cases(study)}
    assert cases == {"R1": {"sector": "CSD"}, "R2": {"sector": "DASS"}}
    sources = {(s.id, s.case, s.question) for s in queries.list_sources(study)}
    assert sources == {
        ("R1/What-helps", "R1", "What helps?"),
        ("R1/What-hinders", "R1", "What hinders?"),
        ("R2/What-helps", "R2", "What helps?"),
        ("R2/What-hinders", "R2", "What hinders?"),
    }
    kept = {s.id: dict(s.attributes) for s in queries.list_sources(study)}
    assert kept["R1/What-hinders"] == {"row": "2", "date": "2024-01-02"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (LONG.replace("4,R2,What hinders?,,", "4,R2,,Something said,"),
         r"long\.csv, row 5: an answer with an empty 'question'"),
        (LONG.replace("3,R2,", "3,,"), r"long\.csv, row 4: empty 'respondent'"),
        (LONG + "6,Total,What helps?,,,\n",
         r"long\.csv, row 7: 'respondent' is 'Total': a spreadsheet's summary row, not a case"),
    ],
)  # fmt: skip
def test_a_long_survey_refuses_rows_it_cannot_place(
    sqlite_study: Study, tmp_path: Path, body: str, message: str
) -> None:
    path = write(tmp_path / "long.csv", body)
    with pytest.raises(InputError, match=message):
        importing.import_survey(
            sqlite_study, path, "respondent", ["answer"], question_column="question"
        )
    assert study_info(sqlite_study).cases == 0


def test_a_value_typed_in_other_capitals_on_one_respondents_rows_stays_an_attribute(
    sqlite_study: Study, tmp_path: Path
) -> None:
    """One "dass" among "DASS"es used to take the sector off every case, so the matrix
    could not be grouped by it at all."""
    path = write(tmp_path / "long.csv", LONG.replace("advertise.,DASS,", "advertise.,dass ,"))
    report = importing.import_survey(
        sqlite_study, path, "respondent", ["answer"], question_column="question"
    )
    cases = {c.id: dict(c.attributes) for c in queries.list_cases(sqlite_study)}
    assert cases == {"R1": {"sector": "CSD"}, "R2": {"sector": "DASS"}}
    assert (
        "column 'sector': 'DASS' and 'dass' on the rows of 'R2' differ only in capitals, "
        "taken as one value (the first one given)"
    ) in report.messages


def test_a_summary_row_of_a_wide_survey_is_refused_naming_the_row(
    study: Study, tmp_path: Path
) -> None:
    """A "Total" row below the respondents used to be a case in every n of N."""
    rows = [*survey_rows(), {"id": "Grand total", "sector": "", "years": "22", "q1": "", "q2": ""}]
    path = write_csv(tmp_path / "totals.csv", rows)
    with pytest.raises(InputError, match=r"totals\.csv, row 5: 'id' is 'Grand total': a"):
        importing.import_survey(study, path, "id", ["q1"])
    with pytest.raises(InputError, match=r"totals\.csv, row 5: 'id' is 'Grand total': a"):
        importing.import_cases(study, path, "id")
    assert study_info(study).cases == 0


def test_a_long_survey_with_two_columns_of_free_text_asks_which(
    sqlite_study: Study, tmp_path: Path
) -> None:
    note = "a note the interviewer typed beside the answer and long enough to be free text"
    body = LONG.replace("row,", "note,")
    body = "\n".join(
        line if i == 0 else f"{note}{line[line.index(',') :]}"
        for i, line in enumerate(body.strip().split("\n"))
    )
    path = write(tmp_path / "long.csv", body + "\n")
    with pytest.raises(InputError, match=r"--text-column \(free text in: note, answer\)"):
        importing.import_survey(sqlite_study, path, "respondent", question_column="question")


def test_two_transcripts_of_one_name_in_two_folders_are_refused_before_anything(
    study: Study, tmp_path: Path
) -> None:
    for site in ("a", "b"):
        (tmp_path / site).mkdir()
        write(tmp_path / site / "int01.txt", TRANSCRIPT.replace("ninety", site))
    with pytest.raises(InputError, match=r"two files are called int01\.txt: .*a/int01\.txt and "):
        importing.import_transcripts(study, [tmp_path / "a", tmp_path / "b"])
    assert study_info(study).sources == 0


def test_what_a_folder_holds_that_is_not_read_is_said(study: Study, tmp_path: Path) -> None:
    folder = tmp_path / "interviews"
    (folder / "Site B").mkdir(parents=True)
    write(folder / "int01.txt", TRANSCRIPT)
    write(folder / "Site B" / "int02.txt", TRANSCRIPT)
    (folder / "consent.pdf").write_bytes(b"%PDF-1.4")
    (folder / "~$int01.docx").write_bytes(b"lock")  # Word's lock file: not worth a word
    (folder / ".DS_Store").write_bytes(b"x")
    report = importing.import_transcripts(study, [folder])
    assert report.sources_added == 1
    [note] = [w for w in report.warnings if "not read" in w]
    assert note.startswith(
        f"{folder}: not read: subfolders Site B; files of other kinds consent.pdf"
    )
    assert "lock" not in note
    assert "DS_Store" not in note


def test_short_answers_are_not_guessed_and_the_refusal_names_the_varied_columns(
    sqlite_study: Study, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "short.csv",
        "id,sector,Cause 1,Effect 1,score\n1,CSD,Pay,Stress,3\n2,DASS,Caseloads,Leaving,4\n"
        "3,CSD,Management,Sickness,5\n",
    )
    with pytest.raises(InputError) as caught:
        importing.import_survey(sqlite_study, path, "id")
    message = str(caught.value)
    assert "no free-text columns found" in message
    assert "the most varied columns: Cause 1 (3 different, 7 characters on average), " in message
    assert "score" not in message  # numbers are not answers
    assert study_info(sqlite_study).cases == 0
    # named, they import
    report = importing.import_survey(sqlite_study, path, "id", ["Cause 1", "Effect 1"])
    assert report.sources_added == 6


def test_a_copy_with_a_line_changed_is_warned_about(study: Study, tmp_path: Path) -> None:
    from qualcode.services.demo import sample_root

    sample = sample_root() / "transcripts"
    original = (sample / "int01.txt").read_text(encoding="utf-8")
    lines = original.splitlines()
    lines[6] = lines[6] + " (corrected)"
    final = write(tmp_path / "int01 final.txt", "\n".join(lines) + "\n")
    report = importing.import_transcripts(study, [sample / "int01.txt", sample / "int02.txt"])
    assert not [w for w in report.warnings if "another version" in w]
    report = importing.import_transcripts(study, [final, sample / "int03.txt"])
    [warning] = [w for w in report.warnings if "another version" in w]
    assert warning.startswith("int01 final.txt: ")
    assert "of its text is in int01.txt (source 'int01')" in warning
    assert "% of its text is in int01.txt (source 'int01')" in warning
    assert "100%" not in warning  # not the same text: one line differs
    assert "`qualcode sources remove int01-final` or `qualcode sources remove int01`" in warning
    assert study_info(study).sources == 4  # warned, not refused: the researcher keeps one


def test_the_sample_interviews_are_not_copies_of_each_other(study: Study) -> None:
    from qualcode.services.demo import sample_root

    files = sorted((sample_root() / "transcripts").glob("int*.txt"))
    report = importing.import_transcripts(study, files)
    assert report.sources_added == 16
    assert not [w for w in report.warnings if "another version" in w]
