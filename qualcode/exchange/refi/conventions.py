"""How qualcode's constructs sit inside QDA-XML, both ways (pure functions).

- A theme is a Code named ``"<id> <label>"`` (ids stay readable in other tools and
  names stay unique, as QualCoder needs); the definition is the Description, with
  inclusion, exclusion, keywords and dimensions as labelled paragraphs after it.
- A source's name is its qualcode id; its file name and survey question travel as
  source variables ``Imported from`` and ``Survey question``.
- A framework-matrix summary (no such construct in the standard) is a Note
  referenced by the theme's Code (NoteRef) and linked to the Case (a Link), its
  status in the Note's Description.
- When each transcript turn starts in the recording is a Note referenced by the
  TextSource, one line per turn (time, characters, speaker, role), its Description
  :data:`TURN_TIMES`. The standard's place for time (SyncPoint) belongs to audio and
  video sources' transcripts only, and qualcode's sources are text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qualcode.exchange.refi.model import Code

ORIGIN = "qualcode"
IMPORTED_FROM = "Imported from"
SURVEY_QUESTION = "Survey question"
SOURCE_VARIABLES = (IMPORTED_FROM, SURVEY_QUESTION)
SUMMARY_LINK = "Framework matrix summary"
CASE_MEMO_LINK = "Case memo"
SUMMARY_PREFIX = "Framework matrix summary; status: "

TURN_TIMES = "Turn times (qualcode)"
TURN_TIMES_HEAD = "When each turn starts in the recording: time · characters · speaker · role"
_SEP = " \u00b7 "
_TURN_LINE = re.compile(r"(?P<time>[^\u00b7]+?) \u00b7 (?P<start>\d+)-(?P<end>\d+) \u00b7 ")


@dataclass(frozen=True)
class TurnTime:
    time: str
    start: int
    end: int
    speaker: str | None = None
    role: str | None = None


def turn_times_text(turns: list[TurnTime]) -> str:
    """The text of a source's turn-times Note."""
    lines = [TURN_TIMES_HEAD]
    for t in turns:
        lines.append(_SEP.join((t.time, f"{t.start}-{t.end}", t.speaker or "-", t.role or "-")))
    return "\n".join(lines)


def parse_turn_times(text: str) -> list[TurnTime]:
    """The turns of a Note written by :func:`turn_times_text`; other lines are skipped."""
    out = []
    for line in text.splitlines():
        found = _TURN_LINE.match(line)
        if found is None:
            continue
        speaker, _, role = line[found.end() :].rpartition(_SEP)
        out.append(
            TurnTime(
                found.group("time").strip(),
                int(found.group("start")),
                int(found.group("end")),
                None if speaker in ("", "-") else speaker,
                None if role in ("", "-") else role,
            )
        )
    return out


_FIELDS = ("Inclusion", "Exclusion", "Keywords", "Dimensions", "Theme id")
_FIELD_START = re.compile(r"\n\n(?=(?:" + "|".join(_FIELDS) + r"): )")


def is_ours(origin: str | None) -> bool:
    return bool(origin) and str(origin).strip().lower().startswith(ORIGIN)


@dataclass(frozen=True)
class ThemeText:
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    keywords: tuple[str, ...] = ()
    theme_id: str | None = None  # only when the id cannot lead the code's name
    # declared dimensions: (name, values); "Dimensions: stance = a | b; mention = c | d"
    dimensions: tuple[tuple[str, tuple[str, ...]], ...] = ()


def code_name(theme_id: str, label: str) -> str:
    return f"{theme_id} {label}"


def needs_id_field(theme_id: str) -> bool:
    return not theme_id or any(ch.isspace() for ch in theme_id)


def describe(fields: ThemeText) -> str | None:
    parts = [fields.definition or ""]
    if fields.inclusion:
        parts.append(f"Inclusion: {fields.inclusion}")
    if fields.exclusion:
        parts.append(f"Exclusion: {fields.exclusion}")
    if fields.keywords:
        parts.append("Keywords: " + "; ".join(fields.keywords))
    if fields.dimensions:
        dims = "; ".join(f"{name} = {' | '.join(values)}" for name, values in fields.dimensions)
        parts.append(f"Dimensions: {dims}")
    if fields.theme_id is not None:
        parts.append(f"Theme id: {fields.theme_id}")
    text = "\n\n".join(parts).strip("\n")
    return text or None


def parse_description(text: str | None) -> ThemeText:
    """The fields of a description written by :func:`describe`."""
    if not text:
        return ThemeText()
    pieces = _FIELD_START.split(text)
    definition = pieces[0].strip() or None
    if pieces[0].startswith(tuple(f"{f}: " for f in _FIELDS)):
        definition, pieces = None, ["", *pieces]
    found: dict[str, str] = {}
    for piece in pieces[1:]:
        name, _, value = piece.partition(": ")
        found[name] = value.strip()
    keywords = tuple(k.strip() for k in found.get("Keywords", "").split(";") if k.strip())
    return ThemeText(
        definition=definition,
        inclusion=found.get("Inclusion") or None,
        exclusion=found.get("Exclusion") or None,
        keywords=keywords,
        theme_id=found.get("Theme id") or None,
        dimensions=_dimensions(found.get("Dimensions", "")),
    )


def _dimensions(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for part in text.split(";"):
        name, sep, values = part.partition("=")
        listed = tuple(v.strip() for v in values.split("|") if v.strip())
        if sep and name.strip() and listed:
            out.append((name.strip(), listed))
    return tuple(out)


def split_code_name(name: str, fields: ThemeText) -> tuple[str, str]:
    """``(theme id, label)`` of a code that qualcode exported."""
    if fields.theme_id is not None:
        label = name[len(fields.theme_id) :].strip() if name.startswith(fields.theme_id) else name
        return fields.theme_id, label or name
    theme_id, _, label = name.partition(" ")
    return theme_id, label.strip() or theme_id


def summary_status(description: str | None) -> str | None:
    if description and description.startswith(SUMMARY_PREFIX):
        return description[len(SUMMARY_PREFIX) :].strip() or None
    return None


def nest_colon_codes(codes: tuple[Code, ...]) -> tuple[Code, ...]:
    """ATLAS.ti writes code groups as flat names ``Parent::child``: nest them."""
    out: list[Code] = []
    by_name: dict[str, int] = {}
    pending: list[tuple[str, Code]] = []
    for code in codes:
        code = replace(code, children=nest_colon_codes(code.children))
        head, sep, tail = code.name.partition("::")
        if sep and head.strip() and tail.strip():
            pending.append((head.strip(), replace(code, name=tail.strip())))
            continue
        by_name.setdefault(code.name, len(out))
        out.append(code)
    for head, code in pending:
        if head in by_name:
            parent = out[by_name[head]]
            out[by_name[head]] = replace(parent, children=(*parent.children, code))
        else:
            out.append(replace(code, name=f"{head}::{code.name}"))
    return tuple(out)


# A framework is a Set of its top-level theme codes (a code group in ATLAS.ti), with
# the sources it codes as members; its Description says what it applies to in lines
# qualcode reads back (one question a line: a question may hold a comma).
FRAMEWORK_SET = "Framework: "
FRAMEWORK_HEAD = "qualcode framework"


@dataclass(frozen=True)
class FrameworkText:
    name: str
    title: str | None = None
    kind: str | None = None  # None: every source
    questions: tuple[str, ...] = ()


def framework_set_name(framework: FrameworkText) -> str:
    return f"{FRAMEWORK_SET}{framework.title or framework.name}"


def framework_set_description(framework: FrameworkText) -> str:
    lines = [f"{FRAMEWORK_HEAD}: {framework.name}"]
    if framework.title:
        lines.append(f"Title: {framework.title}")
    lines.append(f"Applies to: {framework.kind or 'all'}")
    lines += [f"Question: {q}" for q in framework.questions]
    return "\n".join(lines)


def parse_framework_set(description: str | None) -> FrameworkText | None:
    """The framework a Set written by :func:`framework_set_description` stands for;
    None for any other Set (another tool's code or document group)."""
    lines = [line.strip() for line in (description or "").splitlines() if line.strip()]
    if not lines or not lines[0].startswith(f"{FRAMEWORK_HEAD}: "):
        return None
    name = lines[0][len(FRAMEWORK_HEAD) + 2 :].strip()
    fields: dict[str, str] = {}
    questions = []
    for line in lines[1:]:
        key, _, value = line.partition(": ")
        if key == "Question":
            questions.append(value.strip())
        else:
            fields[key] = value.strip()
    kind = fields.get("Applies to", "all").lower()
    return FrameworkText(
        name=name,
        title=fields.get("Title") or None,
        kind=None if kind in ("", "all") else kind,
        questions=tuple(q for q in questions if q),
    )
