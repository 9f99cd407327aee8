"""What real exports do that the standard does not say: all of it imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import InputError
from qualcode.services import codings, exchange, framework, memos, queries
from qualcode.services.study import Study
from tests.exchange.archives import CODE_A, CODE_B, USER, codebook, project, qdpx

SOURCE = "2F24EA88-C6A7-482B-8F89-893EF66D7A21"
OTHER = "EC0A7242-65E1-457C-B7D1-310DAE603FAB"
LOST = "57C6099B-934F-4C86-90F2-CC6C2F2A3CC3"

CRLF_TEXT = (
    "Interviewer: How is supervision?\r\n\r\n"
    "Respondent: Monthly, if we are lucky.\r\nMostly case management.\r\n"
)


def _selection(start: int, end: int, code: str | None, name: str = "", extra: str = "") -> str:
    coding = ""
    if code:
        coding = (
            f'<Coding guid="{_guid(start, end)}" creatingUser="{USER}">'
            f'<CodeRef targetGUID="{code}"/></Coding>'
        )
    return (
        f'<PlainTextSelection guid="{_guid(end, start)}" name="{name}" startPosition="{start}" '
        f'endPosition="{end}" creatingUser="{USER}">{extra}{coding}</PlainTextSelection>'
    )


def _guid(a: int, b: int) -> str:
    return f"{a:08d}-0000-4000-8000-{b:012d}"


def _raw_offsets(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.mark.slow_postgresql
def test_tolerant_import(study: Study, tmp_path: Path) -> None:
    """A .qde named after the project, a capitalised Sources/, CRLF text with offsets
    counted in the file as given, a selection with a description and no coding, an
    unnamed case, a missing source file and upper-case braced GUIDs."""
    a, b = _raw_offsets(CRLF_TEXT, "Mostly case management.")
    c, d = _raw_offsets(CRLF_TEXT, "Monthly, if we are lucky.")
    sources = (
        f'<Sources><TextSource guid="{SOURCE}" name="Mabel.txt" plainTextPath="internal://{SOURCE}.txt">'
        + _selection(a, b, CODE_B)
        + _selection(c, d, None, extra="<Description>Ask about cover for leave.</Description>")
        + f'</TextSource><TextSource guid="{LOST}" name="Gone.txt" plainTextPath="internal://{LOST}.txt">'
        + _selection(0, 5, CODE_A)
        + "</TextSource></Sources>"
    )
    cases = f'<Cases><Case guid="{{{OTHER}}}"><SourceRef targetGUID="{SOURCE}"/></Case></Cases>'
    body = codebook() + cases + sources
    path = qdpx(
        tmp_path / "export.qdpx",
        project(body),
        {f"Sources/{SOURCE}.txt": CRLF_TEXT.encode("utf-8")},
        qde_name="Breakfast study.qde",
    )
    result = exchange.import_qdpx(study, path)
    assert any("Gone.txt" in w and "missing" in w for w in result.warnings)
    assert any("unnamed case" in w for w in result.warnings)
    (source,) = queries.list_sources(study)
    assert source.case == "case-1"
    text = queries.source_text(study, source.id)
    assert "\r" not in text
    (coding,) = codings.list_codings(study)
    assert text[coding.start : coding.end] == "Mostly case management."
    assert coding.coder == "Dana"
    (note,) = memos.list_memos(study, kind="segment") or memos.list_memos(study, kind="source")
    assert "cover for leave" in note.text


@pytest.mark.slow_postgresql
def test_offsets_counted_after_normalising_are_recognised(study: Study, tmp_path: Path) -> None:
    """Some tools count CRLF as one character; their selection names (the selected text)
    show which counting a file uses."""
    normalised = CRLF_TEXT.replace("\r\n", "\n")
    spans = [_raw_offsets(normalised, p) for p in ("Mostly case management.", "Monthly, if we")]
    body = codebook() + (
        f'<Sources><TextSource guid="{SOURCE}" name="int.txt" plainTextPath="internal://{SOURCE}.txt">'
        + _selection(*spans[0], CODE_B, name="Mostly case management.")
        + _selection(*spans[1], CODE_A, name="Monthly, if we")
        + "</TextSource></Sources>"
    )
    path = qdpx(tmp_path / "x.qdpx", project(body), {f"sources/{SOURCE}.txt": CRLF_TEXT})
    exchange.import_qdpx(study, path)
    text = queries.source_text(study, "int")
    got = sorted(text[c.start : c.end] for c in codings.list_codings(study))
    assert got == ["Monthly, if we", "Mostly case management."]


@pytest.mark.slow_postgresql
def test_inline_text_paths_without_scheme_and_whole_source_codings(
    study: Study, tmp_path: Path
) -> None:
    body = codebook() + (
        f'<Sources><TextSource guid="{SOURCE}" plainTextPath="notes.txt">'
        f'<Coding guid="{_guid(1, 1)}"><CodeRef targetGUID="{CODE_A}"/></Coding></TextSource>'
        f'<TextSource guid="{OTHER}" name="inline">'
        "<PlainTextContent>Short answer.</PlainTextContent>"
        "</TextSource></Sources>"
    )
    path = qdpx(tmp_path / "x.qdpx", project(body), {"sources/notes.txt": "A note.\n"})
    result = exchange.import_qdpx(study, path)
    assert result.report.sources_added == 2
    whole = codings.list_codings(study, source="notes")
    assert [(c.start, c.end) for c in whole] == [(0, len("A note.\n"))]
    assert queries.source_text(study, "inline") == "Short answer."


@pytest.mark.slow_postgresql
def test_a_bare_qde_finds_its_sources_folder_beside_it(study: Study, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "Sources").mkdir(parents=True)
    (folder / "Sources" / f"{SOURCE}.txt").write_text("Respondent: We cope.\n", "utf-8")
    body = codebook() + (
        f'<Sources><TextSource guid="{SOURCE}" name="a.txt" '
        f'plainTextPath="internal://{SOURCE}.txt"/>'
        f'<TextSource guid="{OTHER}" name="b.txt" plainTextPath="internal://../../secret.txt"/>'
        "</Sources>"
    )
    (tmp_path / "secret.txt").write_text("do not read", "utf-8")
    qde = folder / "Project.qde"
    qde.write_text(project(body), "utf-8")
    result = exchange.import_qdpx(study, qde)
    assert [s.name for s in queries.list_sources(study)] == ["a.txt"]
    assert any("b.txt" in w for w in result.warnings)  # never read from above the folder


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (  # a nameless parent took its named children with it, unseen
            f'<Code guid="{CODE_A}" isCodable="true">'
            f'<Code guid="{CODE_B}" name="Caseload weighting" isCodable="true"/></Code>',
            f"code 1 at the top level has no name \\(guid '{CODE_A}'\\)",
        ),
        (
            f'<Code guid="{CODE_A}" name="Workload"><Code name="Hours" isCodable="true"/></Code>',
            "code 1 under 'Workload', 'Hours', has no valid guid",
        ),
        (  # the second was dropped and called "already in the study"
            f'<Code guid="{CODE_A}" name="Housing"/><Code guid="{CODE_A}" name="Health"/>',
            f"the codes 'Housing' and 'Health' have the same guid {CODE_A.lower()}",
        ),
    ],
)
def test_a_codebook_that_breaks_the_schema_is_refused_whole(
    study: Study, tmp_path: Path, codes: str, message: str
) -> None:
    path = tmp_path / "bad.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>',
        encoding="utf-8",
    )
    before = framework.list_themes(study)
    with pytest.raises(InputError, match=message):
        exchange.import_qdc(study, path)
    assert framework.list_themes(study) == before


def test_a_theme_of_another_qualcode_study_keeps_its_own_meaning(tmp_path: Path) -> None:
    """Another study's "2.3 Pets" went under this study's "2.3 Supervision" (its
    codings too), and the import said "0 new themes"."""
    from qualcode.services.study import init_study
    from qualcode.store.engine import sqlite_url

    def study_with(name: str, themes: str) -> Study:
        study = init_study(sqlite_url(tmp_path / f"{name}.qualcode"), name, coder="dave")
        (tmp_path / f"{name}.yaml").write_text(f"title: {name}\nthemes:\n{themes}", "utf-8")
        framework.import_framework(study, tmp_path / f"{name}.yaml")
        return study

    pets = study_with(
        "pets",
        '  - id: "2"\n    label: Animals\n    children:\n      - id: "2.3"\n        label: Pets\n',
    )
    talk = tmp_path / "talk.txt"
    talk.write_text("Interviewer: Any pets?\n\nRespondent: Yes, a dog called Rex.\n", "utf-8")
    from qualcode.services import importing

    importing.import_transcripts(pets, [talk])
    segment = queries.list_segments(pets)[-1]
    codings.code_segment(pets, segment.id, "2.3")
    exchange.export_qdpx(pets, tmp_path / "pets.qdpx")
    pets.close()
    work = study_with(
        "work",
        '  - id: "2"\n    label: Practice\n    children:\n'
        '      - id: "2.3"\n        label: Supervision\n',
    )
    report = exchange.import_qdpx(work, tmp_path / "pets.qdpx")
    # its parent was renumbered first, and Pets follows it (3.3 under 3 Animals)
    assert "the file's theme 2 'Animals' is not this study's 2 ('Practice'): added as 3" in (
        " ".join(report.warnings)
    )
    themes = {t.id: t.label for t in framework.list_themes(work)}
    assert themes["2.3"] == "Supervision"
    (pets_id,) = [tid for tid, label in themes.items() if label == "Pets"]
    assert pets_id == "3.3"
    assert [c.theme for c in codings.list_codings(work)] == [pets_id]
    work.close()
    # the same through a codebook, on the command line: the renumbering is said
    from click.testing import CliRunner

    from qualcode.cli import cli

    fresh = study_with(
        "fresh",
        '  - id: "2"\n    label: Practice\n    children:\n'
        '      - id: "2.3"\n        label: Supervision\n',
    )
    fresh.close()
    pets = init_study(sqlite_url(tmp_path / "pets2.qualcode"), "pets2", coder="dave")
    framework.import_framework(pets, tmp_path / "pets.yaml")
    exchange.export_qdc(pets, tmp_path / "pets.qdc")
    pets.close()
    result = CliRunner().invoke(
        cli,
        ["import", "qdc", str(tmp_path / "pets.qdc"), "--study", str(tmp_path / "fresh.qualcode")],
    )
    assert result.exit_code == 0, result.output
    assert "warning: the file's theme 2 'Animals' is not this study's 2" in result.stderr


def test_two_sources_of_one_guid_are_refused(study: Study, tmp_path: Path) -> None:
    """Both came in, and an export then wrote both texts to one file: a re-import put
    one source's text in the other's place, and a coding was lost."""
    sources = (
        f'<Sources><TextSource guid="{SOURCE}" name="P01.txt" plainTextPath="internal://a.txt"/>'
        f'<TextSource guid="{SOURCE}" name="P02.txt" plainTextPath="internal://b.txt"/>'
        "</Sources>"
    )
    path = qdpx(tmp_path / "twice.qdpx", project(codebook() + sources), {
        "sources/a.txt": "Respondent: the first.", "sources/b.txt": "Respondent: the second.",
    })  # fmt: skip
    with pytest.raises(InputError, match="the sources 'P01.txt' and 'P02.txt' have the same guid"):
        exchange.import_qdpx(study, path)
    assert queries.list_sources(study) == []


def test_another_tools_note_keeps_its_title_as_the_memos_first_line(
    study: Study, tmp_path: Path
) -> None:
    """NVivo and MAXQDA memos have titles ("Reflections on the pilot"): the memo came
    in as its body alone, and the title was lost."""
    note = "1B0C8A7E-3D7B-4B0E-9F1A-2A6C0C5D7E11"
    untitled = "1B0C8A7E-3D7B-4B0E-9F1A-2A6C0C5D7E12"
    body = (
        codebook()
        + f'<Notes><Note guid="{note}" name="Reflections on the pilot" creatingUser="{USER}">'
        "<PlainTextContent>Supervision came up in every interview.</PlainTextContent></Note>"
        f'<Note guid="{untitled}" name="Supervision" creatingUser="{USER}">'
        "<PlainTextContent>Supervision is the thread.</PlainTextContent></Note></Notes>"
        f'<NoteRef targetGUID="{note}"/><NoteRef targetGUID="{untitled}"/>'
    )
    exchange.import_qdpx(study, qdpx(tmp_path / "notes.qdpx", project(body)))
    (memo,) = memos.list_memos(study, kind="study")  # one a coder: the notes join
    assert memo.text == (
        "Reflections on the pilot\n\nSupervision came up in every interview.\n\n"
        "Supervision is the thread."  # a title the text opens with is not repeated
    )


TEXT = "Interviewer: How is supervision?\nRespondent: Monthly, if we are lucky.\n"


def test_descriptions_notes_and_codings_without_a_user_are_kept_or_said(
    study: Study, tmp_path: Path
) -> None:
    """walk48a: a Case's and a TextSource's Description (NVivo's and MAXQDA's case and
    document memos) were dropped; a note whose words appear inside another's was
    dropped; notes joined into one memo and codings naming no user were not said."""
    a, b = _raw_offsets(TEXT, "Monthly, if we are lucky.")
    first = "1B0C8A7E-3D7B-4B0E-9F1A-2A6C0C5D7E21"
    inside = "1B0C8A7E-3D7B-4B0E-9F1A-2A6C0C5D7E22"
    anonymous = (
        f'<PlainTextSelection guid="{_guid(1, 2)}" startPosition="{a}" endPosition="{b}">'
        f'<Coding guid="{_guid(3, 4)}"><CodeRef targetGUID="{CODE_A}"/></Coding>'
        "</PlainTextSelection>"
    )
    body = (
        codebook() + f'<Cases><Case guid="{OTHER}" name="P1"><Description>Director, met borough'
        f'</Description><SourceRef targetGUID="{SOURCE}"/></Case></Cases>'
        + f'<Sources><TextSource guid="{SOURCE}" name="P1.txt" plainTextPath="internal://'
        f'{SOURCE}.txt"><Description>Second interview</Description>{anonymous}'
        "</TextSource></Sources>"
        + f'<Notes><Note guid="{first}" creatingUser="{USER}"><PlainTextContent>Follow up on '
        "supervision next week.</PlainTextContent></Note>"
        f'<Note guid="{inside}" creatingUser="{USER}"><PlainTextContent>supervision'
        "</PlainTextContent></Note></Notes>"
        f'<NoteRef targetGUID="{first}"/><NoteRef targetGUID="{inside}"/>'
    )
    path = qdpx(
        tmp_path / "desc.qdpx",
        project(body).replace(f'creatingUserGUID="{USER}"', ""),
        {f"sources/{SOURCE}.txt": TEXT.encode("utf-8")},
    )
    result = exchange.import_qdpx(study, path)
    (case_memo,) = memos.list_memos(study, kind="case")
    assert (case_memo.target, case_memo.text) == ("P1", "Director, met borough")
    (source_memo,) = memos.list_memos(study, kind="source")
    assert source_memo.text == "Second interview"
    (study_memo,) = memos.list_memos(study, kind="study")
    assert study_memo.text == "Follow up on supervision next week.\n\nsupervision"
    assert any(w.startswith("1 note(s) added to a memo") for w in result.warnings)
    assert any(w.startswith("1 coding(s) name no user") for w in result.warnings)
    # a second import adds nothing and joins nothing
    again = exchange.import_qdpx(study, path)
    assert not any("note(s) added" in w or "name no user" in w for w in again.warnings)
    assert len(memos.list_memos(study)) == 3


def test_a_source_that_is_not_utf8_is_said(study: Study, tmp_path: Path) -> None:
    """walk48a: `import transcripts` warns of a file that is not UTF-8; a .qdpx source
    of one was decoded without a word ("café" came in as "cafŽ" from Mac Roman)."""
    body = codebook() + (
        f'<Sources><TextSource guid="{SOURCE}" name="P1.txt" plainTextPath="internal://'
        f'{SOURCE}.txt"></TextSource></Sources>'
    )
    text = "Interviewer: And the café?\nRespondent: It helps.\n"
    path = qdpx(
        tmp_path / "enc.qdpx", project(body), {f"sources/{SOURCE}.txt": text.encode("cp1252")}
    )
    result = exchange.import_qdpx(study, path)
    assert any("'P1.txt': its file is not UTF-8" in w for w in result.warnings)
    assert "café" in queries.source_text(study, queries.list_sources(study)[0].id)


def test_another_tools_transcript_gets_its_interviewer_proposed(
    study: Study, tmp_path: Path
) -> None:
    """walk48a: `import transcripts` proposes the interviewer where no label names one;
    the same file in a .qdpx made every turn a respondent's, the questions too."""
    from qualcode.services import speakers

    text = (
        "Max Bigman:   How did you join the team, and when?\n\nadmin-1:   At the start, "
        "when it was only four of us in one room.\n\nMax Bigman:   Background?\n\n"
        "admin-1:   Languages, then a long while in publishing before this.\n"
    )
    body = codebook() + (
        f'<Sources><TextSource guid="{SOURCE}" name="admin-1.txt" plainTextPath="internal://'
        f'{SOURCE}.txt"></TextSource></Sources>'
    )
    files: dict[str, str | bytes] = {f"sources/{SOURCE}.txt": text.encode("utf-8")}
    result = exchange.import_qdpx(study, qdpx(tmp_path / "qc.qdpx", project(body), files))
    roles = {r.speaker: r.role for r in speakers.list_speakers(study)}
    assert roles == {"Max Bigman": "interviewer", "admin-1": "respondent"}
    assert "Max Bigman taken as the interviewer in 1 of 1 transcripts" in result.warnings[0]


def test_selections_that_read_otherwise_than_their_name_are_said(
    study: Study, tmp_path: Path
) -> None:
    """walk48a: a tool counting UTF-16 units put every span after an emoji one place
    off ("onthly, and it is good."), imported without a word."""
    text = (
        "Interviewer: How is it? \U0001f600\nRespondent: Monthly, and it is good.\n"
        "Interviewer: And? \nRespondent: Well\u2026 good.\n"
    )
    a, b = _raw_offsets(text, "Monthly, and it is good")
    body = codebook() + (
        f'<Sources><TextSource guid="{SOURCE}" name="P1.txt" plainTextPath="internal://'
        f'{SOURCE}.txt">'
        + _selection(a + 1, b + 1, CODE_A, name="Monthly, and it is good")
        + _selection(0, 11, CODE_A, name="line:100")  # QualCoder's names are no text
        + _selection(*_raw_offsets(text, "Well\u2026 good"), CODE_A, name="Well\u2026 good")
        + "</TextSource></Sources>"
    )
    files: dict[str, str | bytes] = {f"sources/{SOURCE}.txt": text.encode("utf-8")}
    result = exchange.import_qdpx(study, qdpx(tmp_path / "u16.qdpx", project(body), files))
    (warning,) = [w for w in result.warnings if "read otherwise" in w]
    assert "'P1.txt': 1 of 2 selections read otherwise" in warning  # not 'Well… good'
    assert "reads 'onthly, and it is good.'" in warning


def test_a_code_renamed_in_the_other_tool_is_said_and_clashing_sub_themes_follow(
    study: Study, tmp_path: Path
) -> None:
    """walk48a: a re-import of a colleague's project with a code renamed said nothing;
    a qualcode file whose theme 1 became this study's 2 put its 1.1 under 2."""
    body = codebook()
    exchange.import_qdpx(study, qdpx(tmp_path / "a.qdpx", project(body)))
    renamed = body.replace('name="Workload"', 'name="Workload (renamed)"')
    result = exchange.import_qdpx(study, qdpx(tmp_path / "b.qdpx", project(renamed)))
    assert any(
        w.startswith("code 'Workload (renamed)' is theme 1 'Workload' here")
        for w in result.warnings
    )
    # another qualcode study's 1 / 1.1, where this study's 1 is another theme
    other = (
        f'<Users><User guid="{USER}" name="Dana"/></Users><CodeBook><Codes>'
        '<Code guid="11111111-1111-4111-8111-111111111111" name="1 Pets" isCodable="true">'
        '<Code guid="11111111-1111-4111-8111-111111111112" name="1.1 Cats" isCodable="true"/>'
        "</Code></Codes></CodeBook>"
    )
    exchange.import_qdpx(study, qdpx(tmp_path / "c.qdpx", project(other, origin="qualcode 1.0")))
    tree = framework.framework_tree(study)
    pets = next(t for t in tree.themes.values() if t.label == "Pets")
    cats = next(t for t in tree.themes.values() if t.label == "Cats")
    assert cats.parent == pets.id
    assert cats.id == f"{pets.id}.1"


def test_a_span_past_the_end_and_an_undefined_code_are_skipped_naming_them(
    study: Study, tmp_path: Path
) -> None:
    """walk48a: both were skipped with a warning that named neither element, so the
    colleague could not find them in their project."""
    a, b = _raw_offsets(TEXT, "Monthly, if we are lucky.")
    missing = "99999999-9999-4999-8999-999999999999"
    body = codebook() + (
        f'<Sources><TextSource guid="{SOURCE}" name="P1.txt" plainTextPath="internal://'
        f'{SOURCE}.txt">'
        + _selection(a, b, CODE_A)
        + _selection(len(TEXT) - 3, len(TEXT) + 30, CODE_A)
        + _selection(0, 11, missing)
        + "</TextSource></Sources>"
    )
    files: dict[str, str | bytes] = {f"sources/{SOURCE}.txt": TEXT.encode("utf-8")}
    result = exchange.import_qdpx(study, qdpx(tmp_path / "bad.qdpx", project(body), files))
    past = _guid(len(TEXT) + 30, len(TEXT) - 3)
    assert any(f"selection {past} at " in w and "with 1 coding" in w for w in result.warnings)
    assert any(f"not in the codebook ({missing})" in w for w in result.warnings)
    assert len(codings.list_codings(study)) == 1
