"""Reading .qdpx archives, bare .qde files and .qdc codebooks into plain values.

Tolerant of what real exports do: a .qde named after the project, ``Sources/``
capitalised, paths without ``internal://``, Windows line endings, selections without
a coding, unnamed cases and missing source files (each a warning, the rest read).
Hostile input is refused by :mod:`qualcode.exchange.refi.safety`.
"""

from __future__ import annotations

import uuid
import zipfile
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import Element

from qualcode.domain.text_encoding import decode_bytes
from qualcode.domain.wording import counted
from qualcode.errors import InputError
from qualcode.exchange.refi import model as r
from qualcode.exchange.refi.elements import (
    child,
    children,
    codings_of,
    local,
    read_codes,
    read_values,
    refs,
    text_of,
)
from qualcode.exchange.refi.safety import (
    DEFAULT_LIMITS,
    Limits,
    SafeArchive,
    entry_problem,
    parse_xml,
    read_capped,
)


class _Files:
    """Where a project's internal files come from: the archive, or a folder beside a
    bare .qde (never above it)."""

    def __init__(self, archive: SafeArchive | None, folder: Path | None, limits: Limits) -> None:
        self.archive = archive
        self.folder = folder
        self.limits = limits

    def read(self, name: str) -> bytes | None:
        if entry_problem(name):
            return None
        candidates = [f"sources/{name}", name]
        if self.archive is not None:
            for candidate in candidates:
                found = self.archive.find(candidate)
                if found is not None:
                    return self.archive.read(found)
            return None
        if self.folder is None:
            return None
        for candidate in candidates:
            path = _find_ignoring_case(self.folder, candidate)
            if path is not None:
                return read_capped(path, self.limits.max_file_bytes)
        return None


def _find_ignoring_case(folder: Path, relative: str) -> Path | None:
    here = folder
    for part in relative.replace("\\", "/").split("/"):
        if not here.is_dir():
            return None
        match = next((p for p in here.iterdir() if p.name.lower() == part.lower()), None)
        if match is None or match.is_symlink():
            return None
        here = match
    return here if here.is_file() else None


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return decode_bytes(data, where).removeprefix("\ufeff")


def _offset_mapper(raw: str, selections: list[Element]) -> tuple[str, Callable[[int], int]]:
    """The text with ``\\n`` line endings, and how offsets given by the exporting tool
    map into it. The standard counts code points of the file as given (``\\r\\n`` is
    two); some tools count the text after normalising (one). The selections' names,
    which tools fill with the selected text, decide; otherwise the standard wins."""
    if "\r" not in raw:
        return raw, lambda p: p
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    crlf = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]

    def from_raw(p: int) -> int:
        return p - bisect_left(crlf, p)

    votes_raw = votes_norm = 0
    for sel in selections:
        try:
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
        except ValueError:
            continue
        if len(text) < end <= len(raw):
            votes_raw += 100  # only the raw reading fits
        name = " ".join((sel.get("name") or "").replace("\u2026", " ").split())
        if len(name) < 8:
            continue
        as_raw = " ".join(text[from_raw(start) : from_raw(end)].split())
        as_norm = " ".join(text[start:end].split())
        probe = name[: min(len(name), 40)]
        votes_raw += as_raw.startswith(probe)
        votes_norm += as_norm.startswith(probe)
    if votes_norm > votes_raw:
        return text, lambda p: p
    return text, from_raw


class ProjectReader:
    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def read(self) -> r.Project:
        if zipfile.is_zipfile(self.path):
            with SafeArchive(self.path, self.limits) as archive:
                data, where = self._qde(archive)
                root = parse_xml(data, f"{self.path}: {where}")
                return self._project(root, _Files(archive, None, self.limits))
        data = read_capped(self.path, self.limits.max_file_bytes)
        _refuse_broken_zip(data, self.path)
        root = parse_xml(data, self.path)
        return self._project(root, _Files(None, self.path.parent, self.limits))

    def _qde(self, archive: SafeArchive) -> tuple[bytes, str]:
        top = [n for n in archive.names() if "/" not in n.strip("/") and n.lower().endswith(".qde")]
        if not top:
            raise InputError("no project.qde in the archive: not a REFI-QDA project", self.path)
        chosen = next((n for n in top if n.lower() == "project.qde"), sorted(top)[0])
        if len(top) > 1:
            self.warn(f"the archive holds {len(top)} .qde files; read {chosen}")
        return archive.read(chosen), chosen

    def _project(self, root: Element, files: _Files) -> r.Project:
        if local(root.tag) != "Project":
            hint = (
                ": a codebook, for `qualcode import qdc`" if local(root.tag) == "CodeBook" else ""
            )
            raise InputError(
                f"not a REFI-QDA project (the root element is <{local(root.tag)}>){hint}",
                self.path,
            )
        users = []
        for el in children(child(root, "Users"), "User"):
            guid = r.norm_guid(el.get("guid"))
            if guid:
                users.append(r.User(guid, el.get("name") or el.get("id") or f"user-{guid[:8]}"))
        codes = read_codes(child(child(root, "CodeBook"), "Codes"), self.path)
        variables = []
        for el in children(child(root, "Variables"), "Variable"):
            guid = r.norm_guid(el.get("guid"))
            kind = el.get("typeOfVariable") or r.TEXT
            if guid and el.get("name"):
                variables.append(r.Variable(guid, el.get("name", ""), kind))
        cases = [self._case(el) for el in children(child(root, "Cases"), "Case")]
        sources = self._sources(child(root, "Sources"), files)
        notes = [n for el in children(child(root, "Notes"), "Note") if (n := self._note(el, files))]
        links = []
        for el in children(child(root, "Links"), "Link"):
            guid, origin, target = (
                r.norm_guid(el.get(k)) for k in ("guid", "originGUID", "targetGUID")
            )
            if guid and origin and target:
                links.append(r.Link(guid, origin, target, el.get("name"), el.get("direction")))
        sets = []
        for el in children(child(root, "Sets"), "Set"):
            guid = r.norm_guid(el.get("guid")) or str(uuid.uuid4())
            sets.append(
                r.Set(guid, el.get("name") or "", text_of(child(el, "Description")),
                      refs(el, "MemberCode"), refs(el, "MemberSource"))
            )  # fmt: skip
        if child(root, "Graphs") is not None:
            self.warn("graphs are not read (qualcode has no such construct)")
        return r.Project(
            name=root.get("name") or self.path.stem,
            origin=root.get("origin"),
            creator=r.norm_guid(root.get("creatingUserGUID")),
            created=r.parse_datetime(root.get("creationDateTime")),
            modified=r.parse_datetime(root.get("modifiedDateTime")),
            users=tuple(users),
            codes=codes,
            variables=tuple(variables),
            cases=tuple(cases),
            sources=tuple(sources),
            notes=tuple(notes),
            links=tuple(links),
            sets=tuple(sets),
            project_notes=refs(root, "NoteRef"),
            description=text_of(child(root, "Description")),
            warnings=tuple(self.warnings),
        )

    def _case(self, el: Element) -> r.Case:
        guid = r.norm_guid(el.get("guid")) or str(uuid.uuid4())
        return r.Case(
            guid=guid,
            name=(el.get("name") or "").strip() or None,
            description=text_of(child(el, "Description")),
            values=read_values(el),
            sources=refs(el, "SourceRef"),
        )

    def _sources(self, parent: Element | None, files: _Files) -> list[r.TextSource]:
        out = []
        skipped: dict[str, int] = {}
        lost: dict[str, int] = {}  # codings on the skipped sources, by kind
        for el in list(parent) if parent is not None else []:
            kind = local(el.tag)
            if kind != "TextSource":
                skipped[kind] = skipped.get(kind, 0) + 1
                lost[kind] = lost.get(kind, 0) + sum(
                    1 for c in el.iter() if local(c.tag) == "Coding"
                )
                continue
            source = self._source(el, files)
            if source is not None:
                out.append(source)
        seen: dict[str, str] = {}
        for source in out:  # one guid, two texts: the second overwrote the first's file
            if source.guid in seen:
                raise InputError(
                    f"the sources {seen[source.guid]!r} and {source.name!r} have the same guid "
                    f"{source.guid}: each source needs its own",
                    self.path,
                )
            seen[source.guid] = source.name
        for kind, n in sorted(skipped.items()):
            with_ = f", with {counted(lost[kind], 'coding')}" if lost[kind] else ""
            self.warn(f"{n} {kind} element(s) skipped{with_}: qualcode imports text sources only")
        return out

    def _source(self, el: Element, files: _Files) -> r.TextSource | None:
        guid = r.norm_guid(el.get("guid"))
        if guid is None:
            self.warn("a TextSource without a guid was skipped")
            return None
        path = el.get("plainTextPath") or ""
        file_name = path.split("://", 1)[-1].lstrip("/")
        name = el.get("name") or Path(file_name).name or guid
        raw: str | None = text_of(child(el, "PlainTextContent"))
        selections = children(el, "PlainTextSelection")
        # a source skipped takes its codings with it: the warning says how many
        coded = sum(len(codings_of(sel)) for sel in selections) + len(codings_of(el))
        skipped = f"skipped, with {counted(coded, 'coding')}" if coded else "skipped"
        if raw is None and "://" in path and not path.startswith("internal://"):
            self.warn(f"source {name!r}: its text lies outside the archive ({path}); {skipped}")
        elif raw is None and file_name:
            data = files.read(file_name)
            if data is None:
                self.warn(f"source {name!r}: its file {file_name!r} is missing; {skipped}")
            else:
                raw = _decode(data, f"{self.path}: {file_name}")
                if not _utf8(data):
                    self.warn(
                        f"source {name!r}: its file is not UTF-8, as REFI-QDA's are: read as "
                        "UTF-16 or Windows-1252; check that accented letters and quotation "
                        "marks came through, and the codings' spans"
                    )
        elif raw is None:
            self.warn(f"source {name!r} has no plain text; {skipped}")
        text, to_text = (None, None) if raw is None else _offset_mapper(raw, selections)
        read: list[r.Selection] = []
        if text is not None and to_text is not None:
            read = [s for sel in selections if (s := self._selection(sel, text, to_text, name))]
            self._check_spans(name, text, read)
            whole = codings_of(el)
            if whole and text:
                whole_guid = r.derived_guid(guid, "whole source")
                read.append(r.Selection(whole_guid, 0, len(text), codings=tuple(whole)))
        return r.TextSource(
            guid=guid,
            name=name,
            text=text,
            creator=r.norm_guid(el.get("creatingUser")),
            created=r.parse_datetime(el.get("creationDateTime")),
            modified=r.parse_datetime(el.get("modifiedDateTime")),
            description=text_of(child(el, "Description")),
            selections=tuple(read),
            notes=refs(el, "NoteRef"),
            values=read_values(el),
        )

    def _check_spans(self, source: str, text: str, read: list[r.Selection]) -> None:
        """A warning when selections whose name gives their text (as ATLAS.ti and
        QualCoder write it) read otherwise at their positions: a tool that counts
        positions in other units (UTF-16, a line break as one) shifts every span."""
        named = off = 0
        first = ""
        for sel in read:
            name = " ".join((sel.name or "").replace("\u2026", " ").split())
            if len(name) < 8 or " " not in name:
                continue  # not words: QualCoder names a selection "line:100"
            named += 1
            # "…" read as a space on both sides: a tool ends a long name with it
            here = " ".join(text[sel.start : sel.end].replace("\u2026", " ").split())
            if not here.startswith(name[:40]) and not name.startswith(here[:40]):
                off += 1
                if not first:
                    first = f"{name[:30]!r} at {sel.start}-{sel.end} reads {here[:30]!r}"
        if off:
            self.warn(
                f"source {source!r}: {off} of {named} selections read otherwise at their "
                f"positions than their own text says (first: {first}); the tool may count "
                "positions differently: check those codings"
            )

    def _selection(
        self, el: Element, text: str, to_text: Callable[[int], int], source: str
    ) -> r.Selection | None:
        guid = r.norm_guid(el.get("guid"))
        try:
            start, end = int(el.get("startPosition", "")), int(el.get("endPosition", ""))
        except ValueError:
            self.warn(f"source {source!r}: a selection without whole-number positions was skipped")
            return None
        start, end = to_text(start), to_text(end)
        if guid is None or not 0 <= start < end <= len(text):
            codings = len(codings_of(el))
            self.warn(
                f"source {source!r}: selection {el.get('guid')} at {start}-{end} lies "
                f"outside its text (0-{len(text)}); skipped"
                + (f", with {counted(codings, 'coding')}" if codings else "")
            )
            return None
        return r.Selection(
            guid=guid,
            start=start,
            end=end,
            name=el.get("name"),
            description=text_of(child(el, "Description")),
            creator=r.norm_guid(el.get("creatingUser")),
            created=r.parse_datetime(el.get("creationDateTime")),
            codings=tuple(codings_of(el)),
            notes=refs(el, "NoteRef"),
        )

    def _note(self, el: Element, files: _Files) -> r.Note | None:
        guid = r.norm_guid(el.get("guid"))
        if guid is None:
            return None
        text = text_of(child(el, "PlainTextContent"))
        path = el.get("plainTextPath") or ""
        if text is None and path.startswith("internal://"):
            data = files.read(path.split("://", 1)[1])
            text = _decode(data, path) if data is not None else None
        if text is not None:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return r.Note(
            guid=guid,
            name=el.get("name"),
            text=text or "",
            creator=r.norm_guid(el.get("creatingUser")),
            created=r.parse_datetime(el.get("creationDateTime")),
            modified=r.parse_datetime(el.get("modifiedDateTime")),
            description=text_of(child(el, "Description")),
        )


def read_project(path: Path, limits: Limits = DEFAULT_LIMITS) -> r.Project:
    """A .qdpx archive or a bare .qde file, with warnings for what was skipped."""
    return ProjectReader(path, limits).read()


def _refuse_broken_zip(data: bytes, path: Path) -> None:
    """A file that starts as a ZIP archive but is no readable one was cut short (a
    copy or a download that stopped): said so, not read as bad XML on line 1."""
    if data.startswith(b"PK"):
        raise InputError(
            "not a complete .qdpx (ZIP) archive: truncated or damaged; copy it again", path
        )


def read_codebook(
    path: Path, limits: Limits = DEFAULT_LIMITS
) -> tuple[tuple[r.Code, ...], str | None]:
    """A .qdc codebook (or the codebook of a .qde/.qdpx): its codes and origin."""
    if zipfile.is_zipfile(path):
        project = read_project(path, limits)
        return project.codes, project.origin
    data = read_capped(path, limits.max_file_bytes)
    _refuse_broken_zip(data, path)
    root = parse_xml(data, path)
    if local(root.tag) == "Project":
        codes_el = child(child(root, "CodeBook"), "Codes")
    elif local(root.tag) == "CodeBook":
        codes_el = child(root, "Codes")
    else:
        raise InputError(f"not a REFI-QDA codebook (the root element is <{local(root.tag)}>)", path)
    return read_codes(codes_el, path), root.get("origin")
