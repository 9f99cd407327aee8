"""Proposals in the study, the researcher's review, and anonymised exports."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from qualcode.cli import cli
from qualcode.domain.anonymise import ACCEPTED, PERSON, PLACE, PROPOSED, REJECTED
from qualcode.errors import InputError
from qualcode.services import anonymise, codings, exchange, framework, importing, memos, queries
from qualcode.services.demo import sample_root
from qualcode.services.study import Study
from qualcode.store import models as m
from tests.exchange.planting import ALL_NAMES, planted_transcripts


@pytest.fixture
def planted(study: Study, tmp_path: Path) -> Study:
    importing.import_transcripts(study, planted_transcripts(tmp_path / "t"))
    framework.import_framework(study, sample_root() / "frameworks" / "interviews.yaml")
    for seg in queries.list_segments(study):
        if any(name in seg.text for name in ALL_NAMES):
            codings.code_segment(study, seg.id, "1")
    memos.set_memo(study, "case", "int01", "Ask Tamsin Ravenhill for the exit data.")
    return study


def _by_original(study: Study) -> dict[str, anonymise.Proposal]:
    return {p.original: p for p in anonymise.list_proposals(study)}


@pytest.mark.slow
def test_names_are_proposed_with_consistent_placeholders(planted: Study) -> None:
    report = anonymise.find_names(planted)
    assert report.added == len(report.proposals) > 0
    found = _by_original(planted)
    for name in ALL_NAMES:
        assert name in found or any(name in o for o in found), name
    assert found["Mowbray"].kind == PERSON
    assert found["Mowbray"].placeholder == found["Mrs Mowbray"].placeholder
    assert found["J. Mowbray"].placeholder == found["Mowbray"].placeholder
    assert found["Eastwickham"].kind == PLACE
    assert found["Kingsmere College"].placeholder == "[X] college"
    assert all(p.status == PROPOSED for p in found.values())
    assert found["Mowbray"].occurrences >= 3
    assert not {"Director", "Interviewer", "Respondent", "CSD"} & set(found)


@pytest.mark.slow
def test_a_second_run_keeps_placeholders_and_decisions(planted: Study) -> None:
    anonymise.find_names(planted)
    found = _by_original(planted)
    anonymise.decide(planted, found["Eastwickham"].id, status=REJECTED)
    anonymise.decide(planted, found["Mowbray"].id, status=ACCEPTED, placeholder="[the manager]")
    before = _by_original(planted)
    again = anonymise.find_names(planted)
    assert again.added == 0
    assert _by_original(planted) == before
    # and in lower case, as a rare word that is mostly a name
    assert anonymise.accepted_mapping(planted) == {
        "Mowbray": "[the manager]",
        "mowbray": "[the manager]",
    }
    text = "We asked Mowbray and Mrs Mowbray."
    assert anonymise.anonymiser(planted)(text) == "We asked [the manager] and Mrs [the manager]."


@pytest.mark.slow
def test_a_names_list_is_accepted_at_once(planted: Study, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("# people and places\nJane Quorley\nplace: Eastwickham\n", "utf-8")
    anonymise.find_names(planted, names)
    found = _by_original(planted)
    assert found["Jane Quorley"].status == ACCEPTED
    assert found["Jane Quorley"].origin == "list"
    assert found["Eastwickham"].kind == PLACE
    assert found["Eastwickham"].status == ACCEPTED
    table = tmp_path / "names.csv"
    table.write_text("name,kind,placeholder\nKingsmere College,organisation,[a college]\n")
    anonymise.find_names(planted, table)
    assert _by_original(planted)["Kingsmere College"].placeholder == "[a college]"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nX Y,alien\n")
    with pytest.raises(InputError, match=r"bad.csv, row 2: unknown kind"):
        anonymise.find_names(planted, bad)


@pytest.mark.slow
def test_review_through_a_csv(planted: Study, tmp_path: Path) -> None:
    anonymise.find_names(planted)
    review = tmp_path / "review.csv"
    n = anonymise.export_review(planted, review)
    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert len(rows) == n
    for row in rows:
        row["status"] = "accept"
        if row["original"] == "Eastwickham":
            row["status"] = "reject"
        if row["original"] == "Kingsmere College":
            row["placeholder"] = "[a college nearby]"
    rows.append({"original": "Quorley", "placeholder": "[Person 99]", "kind": "person"})
    with review.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = anonymise.import_review(planted, review)
    assert result == {"changed": n, "added": 1}
    found = _by_original(planted)
    assert found["Eastwickham"].status == REJECTED
    assert found["Kingsmere College"].placeholder == "[a college nearby]"
    assert found["Quorley"].status == ACCEPTED


@pytest.mark.slow
def test_a_kind_changed_gets_a_placeholder_of_its_kind(planted: Study, tmp_path: Path) -> None:
    """walk47e: Wexford, proposed as a person and made a place, still read "[Person 2]"
    in the report. Its variants follow it; a placeholder the researcher wrote stays."""
    anonymise.find_names(planted)
    found = _by_original(planted)
    shared = found["Mowbray"].placeholder
    assert shared.startswith("[Person ")
    variants = [o for o, p in found.items() if p.placeholder == shared]
    assert len(variants) > 1
    anonymise.decide(planted, found["Mowbray"].id, kind=PLACE)
    after = _by_original(planted)
    new = after["Mowbray"].placeholder
    assert new.startswith("[Place ")
    assert new not in {p.placeholder for p in found.values()}
    assert {after[o].placeholder for o in variants} == {new}
    assert {after[o].kind for o in variants} == {PLACE}
    # a review file that changes the kind and leaves the placeholder as it was
    anonymise.decide(planted, found["Eastwickham"].id, placeholder="[our town]")
    review = tmp_path / "review.csv"
    college = found["Kingsmere College"].placeholder
    review.write_text(
        f"original,placeholder,kind,status\nKingsmere College,{college},place,accepted\n"
        "Eastwickham,[our town],organisation,accepted\n",
        "utf-8",
    )
    anonymise.import_review(planted, review)
    after = _by_original(planted)
    assert after["Kingsmere College"].placeholder.startswith("[Place ")
    assert after["Eastwickham"].placeholder == "[our town]"  # written, so kept
    assert after["Eastwickham"].kind == "organisation"


@pytest.mark.slow
def test_a_bad_review_file_changes_nothing(planted: Study, tmp_path: Path) -> None:
    anonymise.find_names(planted)
    before = _by_original(planted)
    review = tmp_path / "review.csv"
    review.write_text("original,status\nMowbray,accepted\nEastwickham,maybe\n", "utf-8")
    with pytest.raises(InputError, match=r"review.csv, row 3: unknown status 'maybe'"):
        anonymise.import_review(planted, review)
    assert _by_original(planted) == before


def _archive_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())


@pytest.mark.slow
def test_anonymised_export_holds_none_of_the_planted_names(
    planted: Study, project_schema: object, tmp_path: Path
) -> None:
    anonymise.find_names(planted)
    anonymise.accept_all(planted)
    plain, anon = tmp_path / "plain.qdpx", tmp_path / "anon.qdpx"
    exchange.export_qdpx(planted, plain)
    report = exchange.export_qdpx(planted, anon, anonymised=True)
    assert any("accepted names replaced" in w for w in report.warnings)
    assert all(name in _archive_text(plain) for name in ALL_NAMES)  # the test can fail
    assert "[Person" not in _archive_text(plain)  # the mapping itself is never exported
    everything = _archive_text(anon)
    for name in ALL_NAMES:
        assert not re.search(rf"\b{name}\b", everything, re.IGNORECASE), name
    with zipfile.ZipFile(anon) as archive:
        project_schema.validate(archive.read("project.qde").decode("utf-8"))  # type: ignore[attr-defined]
    # the codings still cover their passages, now with placeholders in them
    imported = tmp_path / "back.qualcode"
    runner = CliRunner()
    runner.invoke(cli, ["init", "--study", str(imported)])
    result = runner.invoke(cli, ["import", "qdpx", str(anon), "--study", str(imported)])
    assert result.exit_code == 0, result.output
    from qualcode.services.study import open_study
    from qualcode.store.engine import sqlite_url

    back = open_study(sqlite_url(imported))
    texts = [
        queries.source_text(back, c.source)[c.start : c.end] for c in codings.list_codings(back)
    ]
    back.close()
    assert len(texts) == len(codings.list_codings(planted))
    assert any("[Person" in t for t in texts)
    with planted.read() as s:  # the mapping stays in the study, the texts unchanged
        assert s.scalar(select(m.AnonymisationRow.id).limit(1)) is not None
    assert "Mowbray" in queries.source_text(planted, "int01")


@pytest.mark.slow
def test_spacy_entities_join_when_a_trained_pipeline_is_there(
    planted: Study, tmp_path: Path
) -> None:
    """A pipeline with entity recognition (here an entity ruler saved to a folder; no
    download) adds names the heuristics cannot tell from ordinary words."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Hope"}])  # type: ignore[attr-defined]
    model = tmp_path / "pipeline"
    nlp.to_disk(model)
    transcript = tmp_path / "int77.txt"
    transcript.write_text("Respondent: I asked Hope, our team clerk, to chase it.\n", "utf-8")
    importing.import_transcripts(planted, [transcript])
    without = anonymise.find_names(planted, use_spacy=False)
    assert "Hope" not in {p.original for p in without.proposals}
    report = anonymise.find_names(planted, model=str(model))
    assert report.pipeline == str(model)
    assert _by_original(planted)["Hope"].origin == "spacy"


@pytest.mark.slow
def test_the_cli(planted: Study, tmp_path: Path) -> None:
    url = planted.url
    runner = CliRunner()
    result = runner.invoke(cli, ["anonymise", "--json", "--db", _full_url(planted)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"id", "original", "placeholder", "kind", "status", "origin", "occurrences"} == set(
        data[0]
    )
    review = tmp_path / "r.csv"
    result = runner.invoke(
        cli, ["anonymise", "review", "--csv", str(review), "--db", _full_url(planted)]
    )
    assert result.exit_code == 0
    assert "delete it" in result.stderr
    review.write_text(review.read_text("utf-8").replace(",proposed,", ",accepted,"), "utf-8")
    result = runner.invoke(
        cli, ["anonymise", "apply-review", str(review), "--db", _full_url(planted)]
    )
    assert result.exit_code == 0, result.output
    listed = runner.invoke(
        cli, ["anonymise", "list", "--status", "accepted", "--db", _full_url(planted)]
    )
    assert "Mowbray" in listed.stdout
    review.write_text("original,status\nMowbray,perhaps\n", "utf-8")
    bad = runner.invoke(cli, ["anonymise", "apply-review", str(review), "--db", _full_url(planted)])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error:")
    assert "row 2" in bad.stderr
    titles = runner.invoke(cli, ["anonymise", "titles", "--db", _full_url(planted)])
    assert titles.exit_code == 0
    assert url


def _full_url(study: Study) -> str:
    return study.engine.url.render_as_string(hide_password=False)


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _xlsx_text(path: Path) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True)
        for value in row if value is not None
    )  # fmt: skip


@pytest.mark.slow_postgresql
def test_every_anonymised_export_says_when_names_are_not_reviewed(
    planted: Study, tmp_path: Path
) -> None:
    """Only the .qdpx export said so: the matrix, quotes and codings went out silently,
    with every name in them, before `anonymise` was ever run."""
    runner = CliRunner()
    db = _full_url(planted)
    exports = [
        ["quotes", "--format", "md", "--anonymised"],
        ["codings", "export", str(tmp_path / "c.csv"), "--anonymised"],
        ["matrix", "export", str(tmp_path / "m.md"), "--anonymised"],
    ]
    for args in exports:
        result = runner.invoke(cli, [*args, "--db", db])
        assert result.exit_code == 0, result.output
        assert "warning: no accepted names: run `qualcode anonymise`" in result.stderr, args
    anonymise.find_names(planted)
    waiting = len(anonymise.list_proposals(planted, PROPOSED))
    for args in exports:
        result = runner.invoke(cli, [*args, "--db", db])
        assert f"warning: {waiting} proposed names are not reviewed and were NOT replaced" in (
            result.stderr
        ), args
    anonymise.accept_all(planted)
    for args in exports:
        assert "not reviewed" not in runner.invoke(cli, [*args, "--db", db]).stderr, args


def test_anonymised_quotes_and_matrix_exports(planted: Study, tmp_path: Path) -> None:
    from qualcode.services import quotes, summaries
    from qualcode.services.matrix_export import export_matrix

    roles = tmp_path / "roles.csv"
    roles.write_text(
        "case,role,authority_type\n"
        "int01,Head of Children in Care and Care Leavers,Thornbury Borough Council\n"
        "int02,Director,unitary authority\nint03,Director,county council\n",
        "utf-8",
    )
    importing.import_cases(planted, roles, "case")
    summaries.set_summary(planted, "int01", "1", "Mowbray's team covers the gaps; see Eastwickham.")
    anonymise.find_names(planted)
    anonymise.accept_all(planted)
    template = "[{role}, {authority_type}]"
    plain = quotes.quotes(planted, template=template)
    anon = quotes.quotes(planted, template=template, anonymised=True)
    assert len(plain) == len(anon)
    assert any("Mowbray" in q.text for q in plain)  # the test can fail
    assert any("[Head of Children in Care" in q.attribution for q in plain)
    shown = json.dumps([q.__dict__ for q in anon])
    for name in ALL_NAMES:
        assert not re.search(rf"\b{name}\b", shown), name
    assert any(q.attribution.startswith("[Head of service, ") for q in anon)
    runner = CliRunner()
    db = _full_url(planted)
    result = runner.invoke(cli, ["quotes", "--format", "md", "--anonymised", "--db", db])
    assert result.exit_code == 0, result.output
    for name in ALL_NAMES:
        assert not re.search(rf"\b{name}\b", result.stdout), name
    readers = {
        ".xlsx": _xlsx_text,
        ".docx": _docx_text,
        ".md": Path.read_text,
        ".csv": Path.read_text,
    }
    for suffix, read in readers.items():
        out = tmp_path / f"matrix{suffix}"
        export_matrix(planted, out, anonymised=True)
        text = read(out)
        assert "[Person" in text or suffix == ".docx", suffix
        for name in ALL_NAMES:
            assert not re.search(rf"\b{name}\b", text), (suffix, name)
        assert "Head of Children in Care" not in text, suffix
    # grouped by two attributes, one a job title and one holding a name: the report's
    # count sentences are looked up by the anonymised labels (a KeyError before)
    two = tmp_path / "two.docx"
    export_matrix(planted, two, by=["role", "authority_type"], anonymised=True)
    text = _docx_text(two)
    assert "Head of service / [" in text
    assert "Thornbury" not in text
    plain_md = tmp_path / "plain.md"
    export_matrix(planted, plain_md)
    assert "Mowbray" in plain_md.read_text()
    cli_out = tmp_path / "cli.xlsx"
    result = runner.invoke(cli, ["matrix", "export", str(cli_out), "--anonymised", "--db", db])
    assert result.exit_code == 0, result.output
    assert "Mowbray" not in _xlsx_text(cli_out)


def test_a_name_only_in_the_file_name_is_found_and_kept_out_of_quotes(
    study: Study, tmp_path: Path
) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "Interview with Kamala Oduya 2023-04-01.txt").write_text(
        "Interviewer: How is supervision?\n"
        "Respondent: Supervision is monthly and it slips when we are short of staff.\n",
        encoding="utf-8",
    )
    importing.import_transcripts(study, [folder])
    framework.import_framework(study, sample_root() / "frameworks" / "interviews.yaml")
    [seg] = queries.list_segments(study)
    assert "Kamala-Oduya" in seg.case
    codings.code_segment(study, seg.id, "2.3")
    anonymise.find_names(study, use_spacy=False)
    found = _by_original(study)
    assert found["Kamala Oduya"].kind == PERSON
    assert not {"Interview", "Interviewer", "Respondent"} & set(found)
    for proposal in found.values():
        anonymise.decide(study, proposal.id, status=ACCEPTED)
    from qualcode.services import quotes

    [quote] = quotes.quotes(study, template="[{case}]", anonymised=True)
    shown = json.dumps(quote.__dict__, default=str)
    assert "Oduya" not in shown
    assert "Kamala" not in shown
    assert found["Kamala Oduya"].placeholder in quote.attribution


def test_identifiers_read_as_prose_for_the_name_finder() -> None:
    from qualcode.anonymise.identifiers import as_prose

    assert as_prose("Interview-with-Kamala-Oduya-2023-04-01") == (
        "Interview with Kamala Oduya 2023-04-01."
    )
    assert as_prose("interview_KamalaOduya.docx") == "interview Kamala Oduya."
    assert as_prose("int01") == "int01."
    # walk48b: a name in lower case after a title, as file names are often typed
    assert as_prose("mrs-k-wojcik-interview") == "Mrs K Wojcik interview."
    assert as_prose("dr_smith_notes.docx") == "Dr Smith notes."


FORMS = (
    "ID,Start time,Email,Name,sector,What helps you most in your work?\n"
    "1,3/1/24 10:00,kamala.oduya@example.org,Kamala Oduya,CSD,"
    "Good supervision and a manageable caseload; Kamala from the duty team agrees.\n"
    "2,3/1/24 11:00,anonymous,,DASS,Peer support from colleagues in the duty team.\n"
)


def test_personal_columns_of_a_survey_never_leave_in_an_anonymised_export(
    study: Study, tmp_path: Path
) -> None:
    path = tmp_path / "forms.csv"
    path.write_text(FORMS, encoding="utf-8")
    report = importing.import_survey(study, path, "ID")
    assert any(
        "columns of personal details (Email, Name)" in m and "--anonymised" in m
        for m in report.messages
    )
    anonymise.find_names(study, use_spacy=False)
    found = _by_original(study)
    assert found["Kamala Oduya"].kind == PERSON  # from the Name column
    for proposal in found.values():
        anonymise.decide(study, proposal.id, status=ACCEPTED)
    out = tmp_path / "anon.qdpx"
    result = exchange.export_qdpx(study, out, anonymised=True)
    assert "case attributes of personal details left out: email, name" in result.warnings
    with zipfile.ZipFile(out) as archive:
        project = archive.read("project.qde").decode("utf-8")
    assert "example.org" not in project
    assert "Kamala" not in project
    assert 'name="sector"' in project
    # the plain export keeps them: the study is the researcher's own
    plain = tmp_path / "plain.qdpx"
    exchange.export_qdpx(study, plain)
    with zipfile.ZipFile(plain) as archive:
        assert "kamala.oduya@example.org" in archive.read("project.qde").decode("utf-8")
    # the anonymised quotes have no email or name to attribute by
    from qualcode.services import quotes

    framework.import_framework(study, sample_root() / "frameworks" / "survey.yaml")
    seg = queries.list_segments(study)[0]
    codings.code_segment(study, seg.id, "S1")
    [quote] = quotes.quotes(study, template="[{email}, {sector}]", anonymised=True)
    assert "example.org" not in quote.attribution


GOOGLE_FORM = (
    "Timestamp,Email address,sector,What would most help you stay in your role?\n"
    "2024/03/04 10:12:01,jo.bloggs@example.org,CSD,"
    "Better pay and more flexible hours would make the biggest difference to me.\n"
    "2024/03/04 11:40:55,a.smith@example.org,DASS,"
    "Fewer cases: I have thirty families and cannot do the work properly for any.\n"
)


def test_a_survey_keyed_by_email_addresses_reads_case_placeholders_when_anonymised(
    study: Study, tmp_path: Path
) -> None:
    path = tmp_path / "form.csv"
    path.write_text(GOOGLE_FORM, encoding="utf-8")
    report = importing.import_survey(study, path, "Email address")
    assert any(
        "the ids in 'Email address' are personal details" in m and "[Case 1]" in m
        for m in report.messages
    )
    from qualcode.services import quotes

    framework.import_framework(study, sample_root() / "frameworks" / "survey.yaml")
    for seg in queries.list_segments(study):
        codings.code_segment(study, seg.id, "S1")
    out = tmp_path / "codings.csv"
    codings.export_codings(study, out, anonymised=True)
    exported = out.read_text(encoding="utf-8")
    assert "example.org" not in exported
    rows = list(csv.DictReader(exported.splitlines()))
    # sorted ids numbered in order; the source and segment ids start with the case's
    assert [(r["case"], r["source"].split("/")[0]) for r in rows] == [
        ("[Case 1]", "[Case 1]"),
        ("[Case 2]", "[Case 2]"),
    ]
    assert all(r["segment"].startswith(r["case"] + "/") for r in rows)
    shown = quotes.quotes(study, template="[{case}, {sector}]", anonymised=True)
    assert len(shown) == 2
    for quote in shown:
        assert "example.org" not in quote.attribution + quote.ref + quote.case + quote.source
    qdpx = tmp_path / "anon.qdpx"
    exchange.export_qdpx(study, qdpx, anonymised=True)
    assert "example.org" not in _archive_text(qdpx)
    # without --anonymised the study's own ids stay
    plain = tmp_path / "plain.csv"
    codings.export_codings(study, plain)
    assert "jo.bloggs@example.org" in plain.read_text(encoding="utf-8")


def test_email_addresses_and_phone_numbers_in_the_text_never_leave_an_anonymised_export(
    study: Study, tmp_path: Path
) -> None:
    path = tmp_path / "int09.txt"
    path.write_text(
        "Interviewer: Anything else?\n\nRespondent: Email me at Jo.Bloggs@haverleigh.gov.uk "
        "or ring 07700 900123; the budget was 1,200,000 in 2019-2020.\n",
        encoding="utf-8",
    )
    importing.import_transcripts(study, [path])
    anonymise.find_names(study, use_spacy=False)
    found = _by_original(study)
    # accepted at once: an address or a number always identifies
    assert (found["Jo.Bloggs@haverleigh.gov.uk"].placeholder, found["07700 900123"].status) == (
        "[Email 1]",
        ACCEPTED,
    )
    assert not [o for o in found if "2019" in o or "1,200" in o]
    framework.import_framework(study, sample_root() / "frameworks" / "interviews.yaml")
    [seg] = queries.list_segments(study)
    codings.code_segment(study, seg.id, "2.3")
    out = tmp_path / "codings.csv"
    codings.export_codings(study, out, anonymised=True)
    [row] = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert row["text"] == (
        "Email me at [Email 1] or ring [Phone 1]; the budget was 1,200,000 in 2019-2020."
    )
    qdpx = tmp_path / "anon.qdpx"
    exchange.export_qdpx(study, qdpx, anonymised=True)
    text = _archive_text(qdpx)
    assert "haverleigh.gov.uk" not in text
    assert "900123" not in text


def test_names_in_a_column_of_each_cases_own_values_are_found(
    planted: Study, tmp_path: Path
) -> None:
    """ "referred_by" values went into group labels and attributions of every anonymised
    export: attribute values were never looked in, unless the column was a name's."""
    from qualcode.services.matrix_export import export_matrix

    sheet = tmp_path / "referrals.csv"
    sheet.write_text(
        "case,referred_by,sector\n"
        "int01,Hannah Whitcombe,CSD\nint02,Rhys Penhaligon,CSD\nint03,Hannah Whitcombe,DASS\n",
        "utf-8",
    )
    importing.import_cases(planted, sheet, "case")
    anonymise.find_names(planted)
    found = {p.original for p in anonymise.list_proposals(planted)}
    assert {"Hannah Whitcombe", "Rhys Penhaligon"} <= found
    assert "CSD" not in found  # a grouping column, repeated, is not read for names
    anonymise.accept_all(planted)
    out = tmp_path / "by_referrer.md"
    export_matrix(planted, out, by=["referred_by"], anonymised=True)
    text = out.read_text()
    assert "Whitcombe" not in text
    assert "Penhaligon" not in text


def test_an_anonymised_case_reads_the_same_in_the_project_as_in_the_report(
    study: Study, tmp_path: Path
) -> None:
    """walk48b: "Interview with Peter Jones 2023-04-01.txt" was
    "Interview-with-[Person 2]-2023-04-01" in the quotes and
    "Interview-with-[Person 2]-[Person 2]-2023-04-01" in the .qdpx."""
    import zipfile

    path = tmp_path / "Interview with Peter Jones 2023-04-01.txt"
    path.write_text(
        "Jane Smith: How is supervision?\nPeter Jones: Supervision is every four weeks.\n"
        "Jane Smith: Reflective?\nPeter Jones: Very little.\n",
        encoding="utf-8",
    )
    importing.import_transcripts(study, [path])
    anonymise.find_names(study, use_spacy=False)
    anonymise.accept_all(study)
    case = queries.list_cases(study)[0].id
    out = tmp_path / "anon.qdpx"
    report = exchange.export_qdpx(study, out, anonymised=True)
    qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    idents = anonymise.output_anonymiser(study).ident
    assert idents(case) == "Interview-with-[Person 2]-2023-04-01"
    assert f'name="{idents(case)}"' in qde
    accepted = len(anonymise.list_proposals(study, "accepted"))
    assert f"anonymised: {accepted} accepted names replaced" in " ".join(report.warnings)
