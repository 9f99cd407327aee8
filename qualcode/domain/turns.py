"""Split a transcript's normalised text into speaker turns (standard library only).

A turn starts at a line such as ``[00:03:12] Interviewer: ...`` or ``Margaret: ...``;
lines that start no turn continue the current one.  Offsets always point at the
spoken words: never at a label, a timestamp or surrounding whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from qualcode.domain.documents import INTERVIEWER, RESPONDENT

# "IR"/"IV" and "IE" (interviewer, interviewee), "Int"/"Part": UK transcribers' styles
INTERVIEWER_LABELS = frozenset(
    {"interviewer", "i", "q", "int", "ir", "iv", "researcher", "facilitator", "moderator"}
)
RESPONDENT_LABELS = frozenset(
    {"respondent", "r", "a", "resp", "interviewee", "ie", "participant", "part", "p"}
)
# "Interviewer 2", "Researcher JS": a role word followed by a number or initials.
_ROLE_PREFIXES = frozenset({"interviewer", "researcher", "facilitator", "moderator"})

MAX_LABEL_CHARS = 40
_MAX_LABEL_WORDS = 4

# Capitalised words that begin ordinary lines ("Note: ...", "Section 2: ...") rather
# than name a speaker; any of them anywhere in a label rules the label out.
_NOT_SPEAKER_WORDS = """
    note notes nb ps p.s n.b eg e.g ie i.e etc example examples update updated subject
    date time duration location place venue source summary comment comments topic
    topics theme themes section part chapter page appendix table figure title heading
    re fwd fyi tip warning important caution transcript transcription recording file
    interview agenda question questions prompt prompts probe aside edit todo http https
    www dear yes no ok okay well so and or but the a an this that these those my our
    your their his her its in on at of for to from by with as if when what why how
    where who which there here then also because however
    right yeah yep yup sure fine great good thanks thank sorry exactly absolutely
    definitely indeed honestly really actually basically anyway alright mm mmm mhm hmm
    um umm uh erm er ah oh wow true agreed perhaps maybe probably obviously
    firstly secondly thirdly fourthly fifthly lastly finally first second third fourth
    next overall also additionally furthermore moreover besides conclusion
"""
# the second block: what a speaker says on a line of its own ("Right", "Honestly"), which
# in an unlabelled transcript recurs and would otherwise read as a name alone on a line
_NOT_SPEAKERS = frozenset(_NOT_SPEAKER_WORDS.split())
# lower-case particles inside a name: "Jan van der Berg", "Maria de la Cruz"
_NAME_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "la",
        "le",
        "du",
        "di",
        "da",
        "dos",
        "das",
        "bin",
        "ibn",
        "al",
        "el",
        "ter",
        "ten",
    ]
)

TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"


def _bracketed(square: str, round_: str) -> str:
    """A timestamp in brackets or parentheses, captured in the named group given."""
    return rf"(?:\[(?P<{square}>{TIME})\]|\((?P<{round_}>{TIME})\))"


_STAMP = rf"(?:{_bracketed('b1', 'p1')}|(?P<t1>{TIME})(?=[ \t]))"
_EMPHASIS = r"(?:\*\*|__)?"  # Markdown bold around a label: "**Interviewer:** ..."
_LABEL_LINE = re.compile(
    rf"[ \t]*(?:{_STAMP}[ \t]*(?:[-\u2013][ \t]*)?)?"
    rf"{_EMPHASIS}(?P<label>[^\W\d_][^:\n]{{0,{MAX_LABEL_CHARS + 5}}}?)[ \t]*"
    rf"(?:{_bracketed('b2', 'p2')}[ \t]*)?{_EMPHASIS}:{_EMPHASIS}[ \t]*"
    rf"(?:{_bracketed('b3', 'p3')}[ \t]*)?"
)
_TIME_GROUPS = ("b1", "p1", "t1", "b2", "p2", "b3", "p3")
# "SPEAKER_00" from diarisation tools: an underscore may join the parts of a name.
_NAME_WORD = re.compile(r"[^\W_](?:[^\W_]|['\u2019.\-]|_(?=[^\W_]))*")
# a participant's pseudonymised id, as some studies label turns: "admin-1", "teacher_2"
_PSEUDONYM = re.compile(r"[^\W\d_]+[-_]?\d{1,3}")
_BLANK_LINES = re.compile(r"\n\s*\n")
# "Bob Jones (Interviewer)", "Sarah Lee (Participant)": a name with its role or
# organisation in brackets after it, as meeting tools and some typists write them.
_NOTE = re.compile(r"(?P<name>.+?)[ \t]*\((?P<note>[^()\n]{1,30})\)")


def split_note(label: str) -> tuple[str, str | None]:
    """``(name, note)`` of a speaker label: "Bob Jones (Interviewer)" gives ("Bob
    Jones", "Interviewer"); a label without a bracketed note gives (label, None)."""
    found = _NOTE.fullmatch(label.strip())
    if found is None:
        return label.strip(), None
    return found.group("name"), found.group("note").strip()


def speaker_role(speaker: str | None, interviewer_labels: Collection[str] = ()) -> str:
    """INTERVIEWER for the usual interviewer labels and the given extra ones."""
    if speaker is None:
        return RESPONDENT
    key = speaker.strip().rstrip(".").casefold()
    extra = {label.strip().casefold() for label in interviewer_labels}
    if _is_interviewer(key, extra):
        return INTERVIEWER
    name, note = split_note(key)
    if note is not None and (_is_interviewer(note, extra) or _is_interviewer(name, extra)):
        return INTERVIEWER
    return RESPONDENT


def _is_interviewer(key: str, extra: Collection[str]) -> bool:
    words = key.split()
    return key in INTERVIEWER_LABELS or key in extra or bool(words and words[0] in _ROLE_PREFIXES)


def _is_label(label: str, interviewer_labels: Collection[str]) -> bool:
    if len(label) > MAX_LABEL_CHARS:
        return False
    name, note = split_note(label)
    if note is not None:
        # the name must read as one, and the note as a word or two of a role
        words = note.split()
        return (
            _is_label(name, interviewer_labels)
            and len(words) <= 3
            and all(_NAME_WORD.fullmatch(w) for w in words)
        )
    key = label.casefold()
    if key in INTERVIEWER_LABELS or key in RESPONDENT_LABELS:
        return True
    if key in {extra.strip().casefold() for extra in interviewer_labels}:
        return True
    surname, comma, given = label.partition(",")
    if comma:
        # "Carter, Alex": a directory's "Last, First", as Teams writes names
        parts = [surname.split(), given.split()]
        return (
            all(1 <= len(words) <= 2 for words in parts)
            and "," not in given
            and _is_label(surname.strip(), ())
            and _is_label(given.strip(), ())
        )
    words = label.split()
    if not 1 <= len(words) <= _MAX_LABEL_WORDS:
        return False
    for position, word in enumerate(words):
        particle = position > 0 and word in _NAME_PARTICLES
        if not _NAME_WORD.fullmatch(word):
            return False
        pseudonym = len(words) == 1 and _PSEUDONYM.fullmatch(word) is not None
        if not (word[0].isupper() or word[0].isdigit() or particle or pseudonym):
            return False
        # "Parent A", "Speaker A": a capital letter after a name tells speakers apart
        # (focus groups, diarisation), where "A" alone or first is the article
        letter = position > 0 and len(word) == 1 and word.isupper()
        if word.rstrip(".").casefold() in _NOT_SPEAKERS and not letter:
            return False
    return True


def is_lower_pseudonym(label: str) -> bool:
    """A label such as "admin-1": a speaker only where it recurs ("covid-19:" opening one
    line of an answer is the answer's words)."""
    return label[:1].islower() and _PSEUDONYM.fullmatch(label) is not None


def is_label(label: str, interviewer_labels: Collection[str] = ()) -> bool:
    """Whether ``label`` reads as a speaker's name or role, not the start of a sentence."""
    return _is_label(label, interviewer_labels)


def match_label_time(
    line: str, interviewer_labels: Collection[str] = ()
) -> tuple[str, int, str | None] | None:
    """``(speaker, offset of the spoken words, timestamp or None)`` when ``line`` starts
    a turn with ``Name: ...`` (a timestamp may come before, or before the colon)."""
    found = _LABEL_LINE.match(line)
    if found is None:
        return None
    label = found.group("label").strip()
    if not _is_label(label, interviewer_labels):
        return None
    time = next((found.group(g) for g in _TIME_GROUPS if found.group(g)), None)
    return label, found.end(), time


def match_label(line: str, interviewer_labels: Collection[str] = ()) -> tuple[str, int] | None:
    """``(speaker, offset of the spoken words in line)`` when ``line`` starts a turn."""
    found = match_label_time(line, interviewer_labels)
    return None if found is None else (found[0], found[1])


def strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` narrowed to exclude surrounding whitespace; None when blank."""
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return None
    start += len(chunk) - len(chunk.lstrip())
    return start, start + len(stripped)


def paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-blank paragraphs (separated by blank lines) of ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    pos = start
    for gap in _BLANK_LINES.finditer(text, start, end):
        span = strip_span(text, pos, gap.start())
        if span is not None:
            spans.append(span)
        pos = gap.end()
    span = strip_span(text, pos, end)
    if span is not None:
        spans.append(span)
    return spans
