"""Writing QDA-XML: ``project.qde`` inside a .qdpx archive, and .qdc codebooks.

Element order follows the schemas' sequences exactly (validators and some tools
insist). Source texts go to ``sources/<guid>.txt`` as UTF-8 without a BOM and with
``\\n`` line endings, referenced as ``internal://<guid>.txt`` - the form QualCoder,
NVivo and ATLAS.ti all read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

from qualcode.exchange.files import replacing
from qualcode.exchange.refi import CODEBOOK_NS, PROJECT_NS
from qualcode.exchange.refi.model import (
    BOOLEAN,
    FLOAT,
    INTEGER,
    Case,
    Code,
    Coding,
    Note,
    Project,
    Selection,
    TextSource,
    Value,
    Variable,
    xml_datetime,
)
from qualcode.exchange.xml_text import clean

_RGB = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def source_file(source: TextSource) -> str:
    return f"{source.guid}.txt"


def _set(el: Element, name: str, value: object) -> None:
    if value is None or value == "":
        return
    el.set(name, clean(str(value)))


def _text_child(parent: Element, tag: str, text: str | None) -> None:
    if text:
        SubElement(parent, tag).text = clean(text)


def _note_refs(parent: Element, targets: Sequence[str]) -> None:
    for target in targets:
        SubElement(parent, "NoteRef", targetGUID=target)


def _code(parent: Element, code: Code, with_notes: bool) -> None:
    el = SubElement(parent, "Code")
    _set(el, "guid", code.guid)
    _set(el, "name", code.name)
    el.set("isCodable", "true")
    if code.color and _RGB.fullmatch(code.color):
        el.set("color", code.color)
    _text_child(el, "Description", code.description)
    if with_notes:
        _note_refs(el, code.notes)
    for child in code.children:
        _code(el, child, with_notes)


def _value(parent: Element, value: Value, kind: str) -> None:
    el = SubElement(parent, "VariableValue")
    SubElement(el, "VariableRef", targetGUID=value.variable)
    raw = value.value
    if kind == INTEGER:
        SubElement(el, "IntegerValue").text = str(int(raw))
    elif kind == FLOAT:
        # xsd:decimal has no exponent: 1e-05 must be written 0.00001; a whole number
        # of a mixed column is written whole ("2", as the study holds it, not "2.0")
        number = float(raw)
        shown = str(int(number)) if number.is_integer() else format(Decimal(repr(number)), "f")
        SubElement(el, "FloatValue").text = shown
    elif kind == BOOLEAN:
        SubElement(el, "BooleanValue").text = "true" if raw else "false"
    else:
        SubElement(el, "TextValue").text = clean(str(raw))


def _coding(parent: Element, coding: Coding) -> None:
    el = SubElement(parent, "Coding")
    _set(el, "guid", coding.guid)
    _set(el, "creatingUser", coding.creator)
    _set(el, "creationDateTime", xml_datetime(coding.created))
    SubElement(el, "CodeRef", targetGUID=coding.code)  # QualCoder wants it first
    _note_refs(el, coding.notes)


def _selection(parent: Element, sel: Selection) -> None:
    el = SubElement(parent, "PlainTextSelection")
    _set(el, "guid", sel.guid)
    _set(el, "name", sel.name)
    el.set("startPosition", str(sel.start))
    el.set("endPosition", str(sel.end))
    _set(el, "creatingUser", sel.creator)
    _set(el, "creationDateTime", xml_datetime(sel.created))
    _text_child(el, "Description", sel.description)
    for coding in sel.codings:
        _coding(el, coding)
    _note_refs(el, sel.notes)


def _source(parent: Element, source: TextSource, types: dict[str, str]) -> None:
    el = SubElement(parent, "TextSource")
    _set(el, "guid", source.guid)
    _set(el, "name", source.name)
    el.set("plainTextPath", f"internal://{source_file(source)}")
    _set(el, "creatingUser", source.creator)
    _set(el, "creationDateTime", xml_datetime(source.created))
    _set(el, "modifiedDateTime", xml_datetime(source.modified))
    _text_child(el, "Description", source.description)
    for sel in source.selections:
        _selection(el, sel)
    _note_refs(el, source.notes)
    for value in source.values:
        _value(el, value, types.get(value.variable, "Text"))


def _case(parent: Element, case: Case, types: dict[str, str]) -> None:
    el = SubElement(parent, "Case")
    _set(el, "guid", case.guid)
    _set(el, "name", case.name)
    _text_child(el, "Description", case.description)
    for value in case.values:
        _value(el, value, types.get(value.variable, "Text"))
    for target in case.sources:
        SubElement(el, "SourceRef", targetGUID=target)


def _note(parent: Element, note: Note) -> None:
    el = SubElement(parent, "Note")
    _set(el, "guid", note.guid)
    _set(el, "name", note.name)
    _set(el, "creatingUser", note.creator)
    _set(el, "creationDateTime", xml_datetime(note.created))
    _set(el, "modifiedDateTime", xml_datetime(note.modified))
    _text_child(el, "Description", note.description)
    SubElement(el, "PlainTextContent").text = clean(note.text)


def project_xml(project: Project) -> bytes:
    root = Element("Project", xmlns=PROJECT_NS)
    _set(root, "name", project.name or "Untitled")
    _set(root, "origin", project.origin)
    _set(root, "creatingUserGUID", project.creator)
    _set(root, "creationDateTime", xml_datetime(project.created))
    _set(root, "modifiedDateTime", xml_datetime(project.modified))
    if project.users:
        users = SubElement(root, "Users")
        for user in project.users:
            SubElement(users, "User", guid=user.guid, name=clean(user.name))
    if project.codes:
        codes = SubElement(SubElement(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code(codes, code, with_notes=True)
    types = {v.guid: v.type for v in project.variables}
    if project.variables:
        variables = SubElement(root, "Variables")
        for var in project.variables:
            _variable(variables, var)
    if project.cases:
        cases = SubElement(root, "Cases")
        for case in project.cases:
            _case(cases, case, types)
    if project.sources:
        sources = SubElement(root, "Sources")
        for source in project.sources:
            _source(sources, source, types)
    if project.notes:
        notes = SubElement(root, "Notes")
        for note in project.notes:
            _note(notes, note)
    if project.links:
        links = SubElement(root, "Links")
        for link in project.links:
            el = SubElement(links, "Link", guid=link.guid)
            _set(el, "name", link.name)
            _set(el, "direction", link.direction)
            el.set("originGUID", link.origin)
            el.set("targetGUID", link.target)
    if project.sets:
        sets = SubElement(root, "Sets")
        for group in project.sets:
            el = SubElement(sets, "Set", guid=group.guid, name=clean(group.name))
            _text_child(el, "Description", group.description)
            for guid in group.codes:
                SubElement(el, "MemberCode", targetGUID=guid)
            for guid in group.sources:
                SubElement(el, "MemberSource", targetGUID=guid)
    _text_child(root, "Description", project.description)
    _note_refs(root, project.project_notes)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _variable(parent: Element, var: Variable) -> None:
    SubElement(parent, "Variable", guid=var.guid, name=clean(var.name), typeOfVariable=var.type)


def codebook_xml(codes: Sequence[Code], origin: str) -> bytes:
    root = Element("CodeBook", xmlns=CODEBOOK_NS, origin=origin)
    parent = SubElement(root, "Codes")
    for code in codes:
        _code(parent, code, with_notes=False)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def write_qdpx(path: Path, project: Project) -> None:
    """Write the archive beside ``path`` and move it into place when complete."""
    with (
        replacing(path) as tmp,
        zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr("project.qde", project_xml(project))
        for source in project.sources:
            archive.writestr(f"sources/{source_file(source)}", (source.text or "").encode())


def write_qdc(path: Path, codes: Sequence[Code], origin: str) -> None:
    with replacing(path, private=False) as tmp:
        tmp.write_bytes(codebook_xml(codes, origin))


def write_project(project: Project, path: Path) -> None:
    """:func:`write_qdpx` in the export registry's order (what it holds, then the path)."""
    write_qdpx(path, project)


def write_codebook(codes: Sequence[Code], origin: str, path: Path) -> None:
    """:func:`write_qdc` in the export registry's order."""
    write_qdc(path, codes, origin)
