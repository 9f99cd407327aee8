"""The read & code layout on its own: rows, line numbers, sentences, motions, marks."""

from __future__ import annotations

from qualcode.tui.read.document import Block, Document, Mark, UnitSpec

TEXT = (
    "Interviewer: Hello there. How are you?\n"
    "\n"
    "Respondent: Fine thanks. We have lots of agency staff, which is costly! Really.\n"
    "\n"
    "Interviewer: Why?\n"
    "\n"
    "Respondent: Budgets."
)


def _units(text: str = TEXT) -> list[UnitSpec]:
    out = []
    start = 0
    for n, line in enumerate(text.split("\n")):
        if line:
            label, _, _ = line.partition(": ")
            a = start + len(label) + 2
            role = "interviewer" if label == "Interviewer" else "respondent"
            out.append(UnitSpec(f"s:{n}", "s", a, start + len(line), role, label))
        start += len(line) + 1
    return out


def doc(width: int = 30) -> Document:
    return Document([Block("s", "c1", TEXT)], _units(), width)


def test_rows_wrap_at_spaces_and_number_source_lines() -> None:
    d = doc(30)
    assert all(r.end - r.start <= 30 for r in d.rows)
    shown = [d.text[r.start : r.end] for r in d.rows]
    assert " ".join(s for s in shown if s) == " ".join(TEXT.split())
    assert [r.line for r in d.rows if r.line is not None] == list(range(1, 8))
    d.layout(200)
    assert len(d.rows) == 7


def test_sentences_stay_inside_turns() -> None:
    d = doc()
    found = [d.text[a:b] for a, b in d.sentences]
    assert found == [
        "Hello there.",
        "How are you?",
        "Fine thanks.",
        "We have lots of agency staff, which is costly!",
        "Really.",
        "Why?",
        "Budgets.",
    ]
    inside = d.text.index("agency")
    a, b = d.sentence_at(inside) or (0, 0)
    assert d.text[a:b].startswith("We have")
    nxt = d.next_sentence(inside)
    assert nxt is not None
    assert d.text[nxt[0] : nxt[1]] == "Really."
    prev = d.next_sentence(inside, -1)
    assert prev is not None
    assert d.text[prev[0] : prev[1]] == "We have lots of agency staff, which is costly!"


def test_turns_and_next_uncoded() -> None:
    d = doc()
    first = d.next_unit(-1)
    assert first is not None
    assert first.speaker == "Interviewer"
    resp = d.next_uncoded(0)
    assert resp is not None
    assert d.text[resp.start :].startswith("Fine thanks")
    d.set_marks([Mark(1, resp.start, resp.start + 4, "1.1")])
    later = d.next_uncoded(0)
    assert later is not None
    assert d.text[later.start : later.end] == "Budgets."
    back = d.next_unit(later.start, -1)
    assert back is not None
    assert d.text[back.start : back.end] == "Why?"


def test_word_motions_and_trim() -> None:
    d = doc()
    at = d.text.index("agency")
    assert d.text[d.word_right(at) :].startswith("staff")
    assert d.word_end(at) == at + len("agency")
    assert d.word_left(at + 3) == at
    assert d.trim(at - 1, at + 7) == (at, at + 6)
    assert d.trim(at - 1, at - 1) == (at - 1, at - 1)


def test_marks_are_indexed_per_row() -> None:
    d = doc(30)
    at = d.text.index("lots")
    d.set_marks([Mark(7, at, d.text.index("Really."), "1.3")])
    rows = [i for i in range(len(d.rows)) if d.row_marks(i)]
    assert len(rows) >= 2
    for i in rows:
        row = d.rows[i]
        assert row.start < d.text.index("Really.")
        assert row.end > at
    assert [m.coding for m in d.marks_at(at)] == [7]
    assert d.marks_at(at - 2) == []


def test_several_blocks_map_back_to_their_sources() -> None:
    blocks = [Block("R1/q", "R1", "First answer. Two.", "R1"), Block("R2/q", "R2", "Second.", "R2")]
    units = [
        UnitSpec("R1/q:1", "R1/q", 0, 18, "respondent", None),
        UnitSpec("R2/q:1", "R2/q", 0, 7, "respondent", None),
    ]
    d = Document(blocks, units, 40)
    assert [r.header for r in d.rows if r.header] == ["R1", "R2"]
    second = d.to_doc("R2/q", 0)
    assert second is not None
    assert d.text[second:].startswith("Second")
    assert d.to_source(second, second + 6) == ("R2/q", 0, 6)
    # a range running past its block is clipped to the block of its start
    assert d.to_source(0, second + 3) == ("R1/q", 0, 18)
    header_row = next(i for i, r in enumerate(d.rows) if r.header == "R2")
    assert d.offset_at(header_row, 3) == second + 3


def test_picker_ranks_ids_and_specific_labels_first() -> None:
    from qualcode.tui.shared.picker import PickItem, rank

    items = [
        PickItem("1", "Agency background and staffing"),
        PickItem("1.3", "Agency staff"),
        PickItem("2.3", "Supervision"),
    ]
    assert rank(items, "agen")[0].key == "1.3"
    assert [i.key for i in rank(items, "1.3")] == ["1.3"]
    assert rank(items, "")[0].key == "1"
    assert rank(items, "zzz") == []


def test_an_ellipsis_inside_a_sentence_does_not_end_it() -> None:
    text = (
        "Interviewer: And staffing?\n"
        "\n"
        "Respondent: We had... four agency workers on the team. Then e.g. two left."
    )
    d = Document([Block("s", "c1", text)], _units(text), 40)
    found = [d.text[a:b] for a, b in d.sentences]
    assert found == [
        "And staffing?",
        "We had... four agency workers on the team.",
        "Then e.g. two left.",
    ]
    inside = d.text.index("agency")
    a, b = d.sentence_at(inside) or (0, 0)
    assert d.text[a:b] == "We had... four agency workers on the team."


def test_a_case_is_picked_by_its_attributes_named() -> None:
    from qualcode.domain.model import Case
    from qualcode.tui.shared.picker import case_item, rank

    case = Case("int05", {"sector": "CSD", "role": "team manager", "years": 12})
    item = case_item(case, 70)
    assert item.label == "sector: CSD · role: team manager · years: 12"
    assert case_item(case, 20).label == "sector: CSD · role:…"
    other = case_item(Case("int06", {"sector": "Adults", "role": "director"}), 70)
    assert [i.key for i in rank([other, item], "team manager")] == ["int05"]


def test_a_case_is_described_in_words_a_reader_can_place() -> None:
    from qualcode.domain.model import Case
    from qualcode.tui.read.data import describe_case

    demo = Case("int05", {"sector": "CSD", "role": "team manager"})
    assert describe_case(demo) == "CSD, team manager"
    serdif = Case(
        "P1",
        {"file": "P1_GMT20211118.txt", "session_date": "2021-11-18", "tasks_completed": 8},
    )
    # the file name is already in the title; bare numbers and dates get their names
    assert describe_case(serdif, source="P1_GMT20211118.txt") == (
        "session_date 2021-11-18, tasks_completed 8"
    )
    assert describe_case(serdif, ("tasks_completed",)) == "tasks_completed 8"


def test_a_case_described_within_a_width_keeps_whole_attributes() -> None:
    from qualcode.domain.model import Case
    from qualcode.tui.read.data import describe_case

    case = Case("P1", {"session_date": "2021-11-18", "tasks_completed": 8})
    assert describe_case(case, width=30) == "session_date 2021-11-18"
    assert describe_case(case, width=60) == "session_date 2021-11-18, tasks_completed 8"
    assert describe_case(case, width=10) == "session_d…"


def test_the_turn_at_a_speakers_label_or_an_indent_is_that_lines_turn() -> None:
    d = doc(80)
    fine = TEXT.index("Respondent: Fine")
    assert d.unit_at(fine) is None  # the label is not part of the turn...
    turn = d.turn_at(fine)  # ...but the cursor on it is on that turn
    assert turn is not None
    assert turn.segment == "s:2"
    assert d.turn_at(TEXT.index("\n\nInterviewer: Why") + 1) is None  # a blank line

    indented = "  Okay, yeah.\n    Yeah, I think so.\n\n  Fine."
    units = [
        UnitSpec("t:1", "t", 2, 13, "respondent", None),
        UnitSpec("t:2", "t", 18, 35, "respondent", None),
        UnitSpec("t:3", "t", 39, 44, "respondent", None),
    ]
    d = Document([Block("t", "P1", indented)], units, 80)
    starts = [r.start for r in d.rows if r.line is not None and r.end > r.start]
    assert [d.unit_at(a) for a in starts] == [None, None, None]
    assert [getattr(d.turn_at(a), "segment", None) for a in starts] == ["t:1", "t:2", "t:3"]


def test_a_long_theme_id_is_shown_alone_rather_than_overflowing() -> None:
    from qualcode.tui.shared.themes import fitted

    assert fitted("1.3", "Agency staff", 30) == ("1.3", "Agency staff")
    assert fitted("1.3", "Agency staff and the cost of cover", 20) == ("1.3", "Agency staff an…")
    long = "query-inputs-and-elements-useful"
    assert fitted(long, "Query inputs and elements useful", 30) == (long[:29] + "…", "")
    # an id that only spells its label is not followed by it
    assert fitted("navigation-complex", "Navigation complex", 30) == ("navigation-complex", "")
    assert fitted("parking", "Parking", 30) == ("parking", "")
    assert fitted("S5", "Pay and grading", 30) == ("S5", "Pay and grading")
    for theme, label in (("1.3", "Agency staff"), (long, "Query inputs"), ("a" * 25, "b" * 9)):
        shown, rest = fitted(theme, label, 30)
        assert len(shown) + (len(rest) + 1 if rest else 0) <= 30


def test_the_review_case_column_widens_for_long_case_ids() -> None:
    from types import SimpleNamespace

    from qualcode.tui.review.view import column_widths

    def item(case: str) -> SimpleNamespace:
        return SimpleNamespace(segment=SimpleNamespace(case=case))

    short = dict(column_widths([item("int05")]))  # type: ignore[list-item]
    assert (short["case"], short["passage"]) == (8, 46)
    long = dict(column_widths([item("NEAS S&C 5013 - Q1"), item("P1")]))  # type: ignore[list-item]
    assert (long["case"], long["passage"]) == (18, 36)
    huge = dict(column_widths([item("x" * 60)]))  # type: ignore[list-item]
    assert (huge["case"], huge["passage"]) == (20, 34)
    assert sum(w for _, w in column_widths([item("x" * 60)])) == sum(short.values())  # type: ignore[list-item]


def test_the_gutter_shows_the_start_of_a_long_theme_id_not_a_bare_plus() -> None:
    """Slug ids (the real corpora's "staff-manner-personal-attributes") are longer
    than the gutter: the first shows its start with an ellipsis, "+" says more follow."""
    from rich.style import Style

    from qualcode.tui.read.docview import RIGHT, DocumentView

    view = DocumentView()

    def gutter(*themes: str) -> str:
        marks = [Mark(n, 0, 5, t) for n, t in enumerate(themes)]
        text = "".join(s.text for s in view._theme_gutter(marks, Style()))
        assert len(text) == RIGHT
        return text.strip()

    assert gutter("1.2", "3.4") == "1.2 3.4"
    assert gutter("staff-manner-personal-attributes") == "staff-manner-p…"
    assert gutter("staff-manner-personal-attributes", "timeliness-of-care") == "staff-manner… +"
    assert gutter("1.2", "staff-manner-personal-attributes") == "1.2 +"


def test_a_respondents_header_holds_whole_attributes_within_the_line(
    sqlite_study: object, tmp_path: object
) -> None:
    """nhs-fft's respondents: "service_type_1 111" was cut to "service_type_1 11", a
    wrong value with no sign of the cut. Now only whole attributes that fit are shown."""
    from pathlib import Path

    from qualcode.services import importing
    from qualcode.services.study import Study
    from qualcode.tui.read.data import load_catalogue, open_document

    assert isinstance(sqlite_study, Study)
    assert isinstance(tmp_path, Path)
    sheet = tmp_path / "survey.csv"
    sheet.write_text(
        "id,trust,date,service_type_1,text\n"
        "NEAS 111 114 - Q1,NEAS,30/04/2021,111,Quick to answer the phone.\n",
        encoding="utf-8",
    )
    importing.import_survey(sqlite_study, sheet, "id", ["text"])
    catalogue = load_catalogue(sqlite_study)
    survey = next(e for e in catalogue.entries if e.key.startswith("q:"))
    width = 50
    opened = open_document(sqlite_study, survey.key, catalogue, width)
    (header,) = [b.title for b in opened.doc.blocks]
    assert header is not None
    assert len(header) <= width
    assert header == "NEAS 111 114 - Q1  NEAS, date 30/04/2021"  # not "service_type_1 11"
    wide = open_document(sqlite_study, survey.key, catalogue, 80).doc.blocks[0].title
    assert wide == "NEAS 111 114 - Q1  NEAS, date 30/04/2021, service_type_1 111"
