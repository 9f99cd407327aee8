"""CSV/TSV/XLSX tables: encodings, delimiters, row numbers, cell types and bad headers."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest

from qualcode.domain.documents import Table
from qualcode.errors import InputError
from qualcode.ingest import read_table
from qualcode.ingest.sheet_rows import cell_text

SURVEY = (
    "id,sector,q1\r\n"
    '101,CSD,"Supervision is “reflective”, costs £0"\r\n'
    "102,DASS, keep my  spaces \r\n"
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _values(table: Table) -> list[dict[str, str]]:
    return [dict(row.values) for row in table.rows]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("cp1252", b""),
    ],
)
def test_csv_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    table = read_table(_write(tmp_path, "survey.csv", bom + SURVEY.encode(encoding)))
    assert table.name == "survey.csv"
    assert table.columns == ("id", "sector", "q1")
    assert _values(table) == [
        {"id": "101", "sector": "CSD", "q1": "Supervision is “reflective”, costs £0"},
        {"id": "102", "sector": "DASS", "q1": " keep my  spaces "},
    ]
    assert [row.row for row in table.rows] == [2, 3]
    # the one encoding guessed is said, so that a file from another code page is checked
    guessed = [n for n in table.notes if "read as Windows-1252" in n]
    assert len(guessed) == (encoding == "cp1252")
    assert all(n.startswith("survey.csv: not UTF-8") for n in guessed)


def test_csv_undefined_cp1252_bytes(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown text encoding \(not UTF-8, UTF-16"):
        read_table(_write(tmp_path, "odd.csv", b"id,q\n1,caf\xe9 \x8f\n"))


def test_an_excel_workbook_named_csv_says_what_it_is(tmp_path: Path) -> None:
    """An .xlsx renamed .csv was only "binary file, not text"."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "id"  # type: ignore[index]
    book.save(tmp_path / "survey.csv")
    with pytest.raises(InputError, match=r"an Excel workbook, not text: save it as \.xlsx"):
        read_table(tmp_path / "survey.csv")


def test_csv_binary_and_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="binary file, not text"):
        read_table(_write(tmp_path, "bin.csv", b"\x00\x01\x02\x03\xff\xfe" * 20 + os.urandom(64)))
    for data in (b"", b"\n\n  \n", b",,,\n,,\n"):
        with pytest.raises(InputError, match="empty file"):
            read_table(_write(tmp_path, "empty.csv", data))


def test_multiline_fields_count_records(tmp_path: Path) -> None:
    data = b'id,comment\n1,"line one\r\nline two"\n\n,\n2,"a\nb\nc"\n3,plain\n'
    table = read_table(_write(tmp_path, "multi.csv", data))
    assert [row.row for row in table.rows] == [2, 5, 6]  # blank record 3, empty record 4
    assert _values(table)[0]["comment"] == "line one\nline two"
    assert _values(table)[1]["comment"] == "a\nb\nc"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("semi.csv", b"id;comment\n1;yes, really\n"),
        ("tabs.tsv", b"id\tcomment\n1\tyes, really\n"),
        ("tabs.csv", b"id\tcomment\n1\tyes, really\n"),
        ("hint.csv", b"sep=;\nid;comment\n1;yes, really\n"),
    ],
)
def test_delimiters(tmp_path: Path, name: str, data: bytes) -> None:
    table = read_table(_write(tmp_path, name, data))
    assert table.columns == ("id", "comment")
    assert _values(table) == [{"id": "1", "comment": "yes, really"}]


def test_header_is_stripped_and_a_short_row_refused(tmp_path: Path) -> None:
    table = read_table(_write(tmp_path, "pad.csv", b" id , Q1 text ,\n1,\n2,b,\n"))
    assert table.columns == ("id", "Q1 text")
    assert _values(table) == [{"id": "1", "Q1 text": ""}, {"id": "2", "Q1 text": "b"}]
    # a CSV row cut short (a truncated export) used to come in with its answer blank
    with pytest.raises(InputError, match="1 values but the header has 2 columns") as raised:
        read_table(_write(tmp_path, "cut.csv", b"id,Q1 text\n1,a\n2\n3,c\n"))
    assert raised.value.line == 3  # the file's row, named in the one error line


@pytest.mark.parametrize(
    ("data", "message", "row"),
    [
        (b"id,,q\n1,2,3\n", r"empty column name in the header \(column 2\)", 1),
        (b"\nid,q,id\n1,2,3\n", "duplicate column name 'id'", 2),
        (b"id,\n1,oops\n", r"empty column name in the header \(column 2\)", 1),
        (b"id,q\n1,2\n3,4,5\n", "3 values but the header has 2 columns", 3),
        # Python's "field larger than field limit (131072)" said nothing of why
        (
            b"id,q\n1,ok\n2," + b"x" * 140_000 + b"\n",
            "a cell longer than 131,072 characters, more than any answer",
            3,
        ),
    ],
)
def test_bad_tables_name_the_row(tmp_path: Path, data: bytes, message: str, row: int) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_table(_write(tmp_path, "bad.csv", data))
    assert info.value.line == row
    assert f"bad.csv, row {row}: " in str(info.value)


def test_an_unnamed_column_with_no_values_is_left_out_wherever_it_is(tmp_path: Path) -> None:
    """A spreadsheet's spacer column between blocks: left out with a note, in the middle
    as at the end. One with values is still refused (above): its meaning is unknown."""
    table = read_table(_write(tmp_path, "gap.csv", b"id,,q, ,r,\n1,,a, ,b,\n2,,c,,d, \n"))
    assert table.columns == ("id", "q", "r")
    assert _values(table) == [{"id": "1", "q": "a", "r": "b"}, {"id": "2", "q": "c", "r": "d"}]
    assert "gap.csv: columns 2, 4 of the header, with no name and no values, left out" in (
        table.notes
    )
    assert not read_table(_write(tmp_path, "end.csv", b"id,q,\n1,a,\n")).notes


def test_cells_merged_down_give_each_row_their_value(tmp_path: Path) -> None:
    """A team typed once and merged over its three respondents: the spreadsheet shows
    it on each row, the file keeps it on the first, and two of the three lost it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "team", "comment", "extra"])
    for row in [
        [1, "North", "a", "x"],
        [2, None, "b", None],
        [3, None, "c", None],
        [4, "South", "d", None],
    ]:
        sheet.append(row)
    sheet.merge_cells("B2:B4")
    sheet.merge_cells("C5:D5")  # across columns: left alone, not copied into "extra"
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert [row["team"] for row in _values(table)] == ["North", "North", "North", "South"]
    assert [row["extra"] for row in _values(table)] == ["x", "", "", ""]
    assert "merged.xlsx: merged cells B2:B4 read as their value on each row they cover" in (
        table.notes
    )


def test_unsupported_table_types(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"old \.xls format"):
        read_table(_write(tmp_path, "old.xls", b"x"))
    with pytest.raises(InputError, match="unsupported table file type"):
        read_table(_write(tmp_path, "data.json", b"{}"))
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "missing.csv")


def test_xlsx_cell_types(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([" id ", "score", "ratio", "when", "at", "ok", "comment"])
    sheet.append([1, 3.0, 0.1, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 9, 30), True, None])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append([2, -4, 1.25, None, None, False, "multi\r\nline  "])
    sheet["K10"] = None  # formatting far away widens the sheet without adding data
    second = workbook.create_sheet("ignored")
    second.append(["not", "read"])
    path = tmp_path / "survey.xlsx"
    workbook.save(path)

    table = read_table(path)
    assert table.columns == ("id", "score", "ratio", "when", "at", "ok", "comment")
    assert [row.row for row in table.rows] == [2, 4]
    assert _values(table) == [
        {
            "id": "1",
            "score": "3",
            "ratio": "0.1",
            "when": "2024-03-01",
            "at": "2024-03-01 09:30:00",
            "ok": "TRUE",
            "comment": "",
        },
        {
            "id": "2",
            "score": "-4",
            "ratio": "1.25",
            "when": "",
            "at": "",
            "ok": "FALSE",
            "comment": "multi\nline  ",
        },
    ]


def test_an_id_formatted_with_leading_zeros_reads_as_shown(tmp_path: Path) -> None:
    """walk48b: ids stored as numbers formatted "000" (Excel shows 007) read "7", and
    a cases sheet's "007" then made a new, empty case."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["resp_id", "score", "answer"])
    for n, (rid, score) in enumerate([(7, 3), (12, 4), (123, 5)], start=2):
        sheet.append([rid, score, "Some words."])
        sheet.cell(row=n, column=1).number_format = "000"
    sheet.cell(row=2, column=2).number_format = "0.0"  # not padding: as before
    path = tmp_path / "ids.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert [r["resp_id"] for r in _values(table)] == ["007", "012", "123"]
    assert [r["score"] for r in _values(table)] == ["3", "4", "5"]


def test_xlsx_header_below_blank_rows(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A3"], sheet["B3"] = "id", "q"
    sheet["A4"], sheet["B4"] = "x1", "answer"
    workbook.save(tmp_path / "low.xlsx")
    table = read_table(tmp_path / "low.xlsx")
    assert [(row.row, dict(row.values)) for row in table.rows] == [(4, {"id": "x1", "q": "answer"})]


def test_xlsx_duplicate_header(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "id"])
    workbook.save(tmp_path / "dup.xlsx")
    with pytest.raises(InputError, match=r"dup\.xlsx, row 1: duplicate column name 'id'"):
        read_table(tmp_path / "dup.xlsx")


def test_xlsx_empty_and_broken(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(InputError, match="empty file"):
        read_table(tmp_path / "empty.xlsx")
    with pytest.raises(InputError, match=r"not a readable \.xlsx file \(.+\)"):
        read_table(_write(tmp_path, "broken.xlsx", os.urandom(500)))
    whole = (tmp_path / "empty.xlsx").read_bytes()
    with pytest.raises(InputError, match=r"not a readable \.xlsx file"):
        read_table(_write(tmp_path, "cut.xlsx", whole[: len(whole) // 2]))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (7, "7"),
        (7.0, "7"),
        (2.5, "2.5"),
        (1e-05, "1e-05"),
        (dt.time(9, 5), "09:05:00"),
        ("a\rb", "a\nb"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


QUALTRICS = (
    "StartDate,ResponseId,Q1,Q2_TEXT\n"
    "Start Date,Response ID,What is your role?,What helps you most?\n"
    '"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}",'
    '"{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"\n'
    "2024-01-01,R_1abc,Manager,Good supervision.\n"
)


@pytest.mark.parametrize("import_ids", [True, False])
def test_qualtrics_wording_and_import_id_rows_are_headers(tmp_path: Path, import_ids: bool) -> None:
    data = QUALTRICS if import_ids else "\n".join(QUALTRICS.split("\n")[:2] + [""])
    if not import_ids:
        data += "2024-01-01,R_1abc,Manager,Good supervision.\n"
    table = read_table(_write(tmp_path, "export.csv", data.encode()))
    assert [(row.row, row.values["ResponseId"]) for row in table.rows] == [
        (4 if import_ids else 3, "R_1abc")
    ]
    assert table.wording["Q2_TEXT"] == "What helps you most?"
    [note] = table.notes
    assert note.startswith("export.csv: a Qualtrics export: row")
    assert ("rows 2 and 3" in note) is import_ids


def test_a_real_response_id_in_the_second_row_is_data(tmp_path: Path) -> None:
    data = b"ResponseId,Q1\nR_1abc,Fine.\nR_2def,Good.\n"
    table = read_table(_write(tmp_path, "plain.csv", data))
    assert [row.values["ResponseId"] for row in table.rows] == ["R_1abc", "R_2def"]
    assert table.notes == ()
    assert table.wording == {}


def test_surveymonkey_option_row_names_the_unnamed_columns(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Respondent ID", "Which services?", None, None, "What helps?"])
    sheet.append([None, "Duty", "Early help", "Other (please specify)", "Open-Ended Response"])
    sheet.append([11410, "Duty", None, "Youth club", "Good supervision."])
    workbook.save(tmp_path / "monkey.xlsx")
    table = read_table(tmp_path / "monkey.xlsx")
    assert table.columns == (
        "Respondent ID",
        "Which services? - Duty",
        "Which services? - Early help",
        "Which services? - Other (please specify)",
        "What helps?",
    )
    assert [(row.row, row.values["What helps?"]) for row in table.rows] == [
        (3, "Good supervision.")
    ]
    assert table.notes == (
        "monkey.xlsx: a SurveyMonkey export: row 2 names each column's answer options, "
        "read as a header",
    )


def test_a_cover_sheet_before_the_data_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Staff survey, exported 3 March 2024."])
    data = workbook.create_sheet("Responses")
    data.append(["id", "q"])
    data.append(["B1", "Good supervision."])
    workbook.save(tmp_path / "book.xlsx")
    table = read_table(tmp_path / "book.xlsx", needed="id")
    assert [dict(row.values) for row in table.rows] == [{"id": "B1", "q": "Good supervision."}]
    assert table.notes == (
        "book.xlsx: read the sheet 'Responses': the first sheet, 'Notes', has no column 'id'",
    )
    # without a column to look for, the first sheet is the table, as always
    assert read_table(tmp_path / "book.xlsx").columns == ("Staff survey, exported 3 March 2024.",)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_title_above_the_header(tmp_path: Path, suffix: str) -> None:
    rows = [
        ["Staff survey 2024 - free text"],
        [],
        ["id", "sector", "q"],
        ["B1", "CSD", "Good supervision."],
    ]
    path = tmp_path / f"titled{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    else:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    table = read_table(path, needed="id")
    assert table.columns == ("id", "sector", "q")
    assert [(row.row, row.values["q"]) for row in table.rows] == [(4, "Good supervision.")]
    [note] = table.notes
    assert note.startswith(f"titled{suffix}: the header is row 3; the rows above it are a title")


def test_a_wide_first_row_without_the_column_is_still_the_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "wide.csv", b"a,b,c\nid,x,y\n1,2,3\n")
    table = read_table(path, needed="id")
    assert table.columns == ("a", "b", "c")
    assert table.notes == ()
