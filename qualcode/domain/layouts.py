"""How a transcript marks its speakers, judged from the whole document, and its turns.

Transcription services each export their own way: ``Name  12:34`` on a line of its own
with the words below, ``[00:01:02] Name: words``, diarised ``[SPEAKER_01]``, or only
the interviewer labelled (``MODERATOR: ...``) with the participant's lines bare. Reading
line by line cannot tell these apart (``Name  12:34`` looks like a label ``Name  12``),
so every line is classified first and the layout that explains most of the document
wins. Timestamps become turn metadata, never part of a turn's words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace

from qualcode.domain.documents import INTERVIEWER, OTHER, RESPONDENT, Turn
from qualcode.domain.service_header import footer, header
from qualcode.domain.service_header import numbered_lines as _lines
from qualcode.domain.turns import (
    RESPONDENT_LABELS,
    TIME,
    is_label,
    is_lower_pseudonym,
    match_label_time,
    paragraph_spans,
    speaker_role,
    strip_span,
)

SPEAKER_LINE = "speaker and time on their own line"
NAME_LINE = "speaker on their own line"
BRACKETED = "[Name] words"
SEPARATED = "Name - words"
# layouts read from lines that ordinary text can take too: said as a warning
GUESSED = {
    NAME_LINE: "names alone on their lines",
    SEPARATED: "labels set off by a dash, a tab or a full stop",
    BRACKETED: "names in square brackets",
}
DIARISED = "diarised [SPEAKER_n]"
LABELLED = "Name: words"
ONE_SIDE = "one side labelled"
UNLABELLED = "no speaker structure"

_EMPH = r"(?:\*\*|__)?"
_ANY_TIME = rf"(?:\[(?P<b>{TIME})\]|\((?P<p>{TIME})\)|(?P<t>{TIME}))"
_DASH = r"(?:[-\u2013|][ \t]*)?"
STAMP_LINE = re.compile(rf"[ \t]*{_ANY_TIME}[ \t]*")
# a cue's timing as Microsoft Teams writes it into .docx and .txt: "0:0:5.590 --> 0:0:8.20"
_CUE = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
_CUE_LINE = re.compile(rf"[ \t]*(?P<t>{_CUE})[ \t]*-->[ \t]*{_CUE}[ \t]*")
# a name alone on its line, next to a line that is only its time (Word-style exports)
# "Bob Jones (Interviewer)": a role or organisation in brackets after the name (never
# a time: "Name (00:01:02)" is a name and its time)
_NOTE = r"(?:[ \t]*\([^\W\d_][^()\n:]{0,29}\))?"
_NAME_ONLY = re.compile(rf"[ \t]*{_EMPH}(?P<name>[^\W\d_][^\n:\[(]*?{_NOTE}){_EMPH}[ \t]*:?[ \t]*")
# "Speaker Name  12:34", "Name - 1:02:03", "Name (00:01:02):" alone on their line
_NAME_TIME = re.compile(
    rf"[ \t]*{_EMPH}(?P<name>[^\W\d_][^\n\[(:]*?{_NOTE}){_EMPH}[ \t]*{_DASH}{_ANY_TIME}"
    rf"[ \t]*:?[ \t]*{_EMPH}[ \t]*"
)
# "[00:01:02] Speaker 1" or "00:01:02 Name" alone on their line
_TIME_NAME = re.compile(
    rf"[ \t]*{_ANY_TIME}[ \t]*{_DASH}{_EMPH}(?P<name>[^\W\d_][^\n:]*?){_EMPH}[ \t]*"
)
# "Name [00:01:02] words..." on one line
_NAME_STAMP_WORDS = re.compile(
    rf"[ \t]*{_EMPH}(?P<name>[^\W\d_][^\n\[(:]*?{_NOTE}){_EMPH}[ \t]*"
    rf"(?:\[(?P<b>{TIME})\]|\((?P<p>{TIME})\))[ \t]*{_EMPH}[ \t]*(?=[^\s:])"
)
_BRACKET_SPEAKER = re.compile(
    rf"[ \t]*\[(?P<name>SPEAKER_\d+|Speaker \d+)\][ \t]*(?:\[(?P<b>{TIME})\][ \t]*)?:?[ \t]*",
    re.IGNORECASE,
)
# "[Interviewer] words", "[Jane Smith]: words", "[Jane Smith] 10:02:03" with the words on
# the next line (Zoom's saved chat and transcript): a name in square brackets
_BRACKET_NAME = re.compile(
    rf"[ \t]*\[(?P<name>[^\]\n]{{1,40}})\][ \t]*"
    rf"(?:[\[(]?(?P<t>{TIME})[\])]?[ \t]*)?:?[ \t]*"
)
# what typists put in brackets at the start of a line that is no speaker
_ANNOTATIONS = frozenset(
    [
        "laughs", "laughter", "laughing", "inaudible", "crosstalk", "cross talk", "pause",
        "pauses", "long pause", "short pause", "silence", "unclear", "overlapping",
        "overtalk", "coughs", "cough", "sighs", "sigh", "music", "noise", "background noise",
        "redacted", "name redacted", "interruption", "break", "recording starts",
        "recording ends", "start of recording", "end of recording",
    ]
)  # fmt: skip
# "1 Read the 'Home' tab.", "  3.a Please explain...": a numbered task or guide question
_PROMPT = re.compile(r"[ \t]*\d{1,2}(?:\.\d{1,2}|\.?[a-z])*\.?[ \t]+[A-Z\u2018\u201c'\"]")
# an item under a lettered one ("      c.iii Full Metadata Exploration", "a.i Which ...?")
_ITEM = re.compile(r"[ \t]*[a-z]\.(?:i{1,3}|iv|vi{0,3}|ix|x)\.?[ \t]+(?=[A-Z\u2018\u201c'\"])")
_ASKING = frozenset(
    ("which", "what", "who", "whom", "whose", "where", "when", "why", "how", "do", "does")
    + ("did", "is", "are", "was", "were", "can", "could", "would", "should", "will", "have")
    + ("has",)
)
ITEM_WORDS = 5  # an item heading ("Data Lineage"); longer lines are items only as a question


def is_prompt(line: str) -> bool:
    """A task sheet's numbered line, or one of its lettered items: a heading of a few
    words or a question. A transcriber who ran the participant's words on after an item
    ("c.ii Data Lineage I do not see any difference ...") leaves a line that is neither,
    and it stays the participant's."""
    if _PROMPT.match(line):
        return True
    item = _ITEM.match(line)
    if item is None:
        return False
    words = line[item.end() :].split()
    if len(words) <= ITEM_WORDS:
        return True
    return line.rstrip().endswith("?") and words[0].lower() in _ASKING


MIN_PROMPTS = 3
STRAY_STAMP_SHARE = 0.05
DOMINANT_SHARE = 0.9
# one turn with over half of all the words: turn boundaries were missed
MERGED_TURN_SHARE = 0.5
ONE_SIDE_LABEL_SHARE = 0.8
# words before the first speaker line read as a title or notes, not as speech
MAX_LEAD_WORDS = 40
# names alone on their lines start turns only when they are at least this share of the
# runs of text, and recur: a heading ("Background") is said once, a speaker many times
NAME_LINE_SHARE = 0.3


@dataclass(frozen=True)
class Layout:
    """A document's turns, the layout they were read with, and what to warn about."""

    name: str
    turns: tuple[Turn, ...]
    attributes: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Start:
    line: int  # offset of the line that starts the turn
    words: int  # offset of the spoken words
    speaker: str
    time: str | None
    weak: bool = False  # a form ordinary lines can take too; counts only if it recurs


def _time(found: re.Match[str]) -> str | None:
    groups = found.groupdict()
    return next((groups[g] for g in ("b", "p", "t") if groups.get(g)), None)


def _head(line: str, known: Collection[str]) -> tuple[str, int, str | None, bool] | None:
    """(speaker, offset of the words, time) for a speaker line with a timestamp."""
    for pattern, whole in ((_NAME_TIME, True), (_TIME_NAME, True), (_NAME_STAMP_WORDS, False)):
        found = pattern.fullmatch(line) if whole else pattern.match(line)
        if found is None:
            continue
        name = found.group("name").strip()
        if not is_label(name, known):
            continue
        words = found.end() if not whole else len(line) + 1
        return name, words, _time(found), pattern is _TIME_NAME
    return None


@dataclass
class _Census:
    heads: list[_Start] = field(default_factory=list)
    brackets: list[_Start] = field(default_factory=list)
    named_brackets: list[_Start] = field(default_factory=list)  # "[Jane] words"
    labels: list[_Start] = field(default_factory=list)
    stamps: int = 0
    prompts: int = 0
    text_lines: int = 0
    nonblank: int = 0
    bold: int = 0  # labels in Markdown bold
    bare: list[int] = field(default_factory=list)  # offsets of unlabelled, unnumbered lines
    blank_lines: int = 0


def _paired(lines: list[tuple[int, str]], i: int, labels: Collection[str]) -> _Start | None:
    """A speaker's name and its time on two lines of their own, in either order."""
    if i + 1 >= len(lines):
        return None
    (offset, first), (next_offset, second) = lines[i], lines[i + 1]
    for stamp, name in ((first, second), (second, first)):
        timed = STAMP_LINE.fullmatch(stamp) or _CUE_LINE.fullmatch(stamp)
        named = _NAME_ONLY.fullmatch(name)
        who = named.group("name").strip() if named else ""
        if timed and who and not who.endswith((".", "?", "!", ",")) and is_label(who, labels):
            words = next_offset + len(second) + 1
            return _Start(offset, words, who, _time(timed), weak=True)
    return None


def _census(lines: list[tuple[int, str]], labels: Collection[str]) -> _Census:
    census = _Census()
    skip = -1
    for i, (offset, line) in enumerate(lines):
        if i == skip:
            continue
        if not line.strip():
            census.blank_lines += i + 1 < len(lines)  # not the empty end after a last \n
            continue
        census.nonblank += 1
        paired = _paired(lines, i, labels)
        if paired is not None:
            census.heads.append(paired)
            census.nonblank += 1
            skip = i + 1
            continue
        if STAMP_LINE.fullmatch(line):
            census.stamps += 1
            continue
        head = _head(line, labels)
        if head is not None:
            census.heads.append(_Start(offset, offset + head[1], head[0], head[2], head[3]))
        found = _BRACKET_SPEAKER.match(line)
        if found is not None:
            census.brackets.append(
                _Start(offset, offset + found.end(), found.group("name"), _time(found))
            )
        elif (named := _bracket_name(line, labels)) is not None:
            census.named_brackets.append(_Start(offset, offset + named[1], named[0], named[2]))
        label = match_label_time(line, labels)
        if label is not None:
            census.labels.append(_Start(offset, offset + label[1], label[0], label[2]))
            census.bold += line.lstrip().startswith(("**", "__"))
        elif head is None and found is None:
            census.text_lines += 1
            if is_prompt(line):
                census.prompts += 1
            else:
                census.bare.append(offset)
    # a lower-case id ("admin-1:") is a speaker where it recurs: "covid-19:" or "year-2:"
    # opening one line of an answer was cut from the answer's words
    once = Counter(start.speaker for start in census.labels if is_lower_pseudonym(start.speaker))
    lone = {name for name, count in once.items() if count < 2}
    if lone:
        for start in census.labels:
            if start.speaker in lone:
                census.text_lines += 1
                census.bare.append(start.line)
        census.labels = [start for start in census.labels if start.speaker not in lone]
    # "[00:05:00] Okay" or "Yeah" beside a stray time is a speaker only in a document
    # where such a speaker line recurs with the same name
    names = Counter(start.speaker for start in census.heads if start.weak)
    if not any(count > 1 for count in names.values()):
        census.heads = [h for h in census.heads if not h.weak]
    return census


def _bracket_name(line: str, labels: Collection[str]) -> tuple[str, int, str | None] | None:
    """(speaker, offset of the words, time) for ``[Jane Smith] words`` or ``[Jane Smith]
    10:02:03`` with the words below; None for a bracketed note such as ``[laughs]``."""
    found = _BRACKET_NAME.match(line)
    if found is None:
        return None
    name = found.group("name").strip()
    if " ".join(name.casefold().split()) in _ANNOTATIONS or not is_label(name, labels):
        return None
    return name, found.end(), found.group("t")


def _recurring_speakers(starts: list[_Start], labels: Collection[str]) -> bool:
    """Two speakers or more who each come back, or an interviewer: what tells labels
    from notes that happen to look like them."""
    counts = Counter(start.speaker for start in starts)
    if any(speaker_role(name, labels) == INTERVIEWER for name in counts):
        return len(counts) >= 2
    return sum(1 for n in counts.values() if n > 1) >= 2


def _name_alone(line: str, labels: Collection[str]) -> str | None:
    """The speaker a line names when it holds nothing but a name or role."""
    named = _NAME_ONLY.fullmatch(line)
    if named is None or ":" in line:
        return None
    who = named.group("name").strip()
    if who.endswith((".", "?", "!", ",")) or not is_label(who, labels):
        return None
    return who


# "Interviewer – words", "RESPONDENT - words", "Jo<tab>words"; "Q. words" for the short
# role labels only (a sentence may start "Yes. ..." or "Mostly. ...")
_SEPARATED = re.compile(
    rf"[ \t]*{_EMPH}(?P<name>[^\W\d_][^\n\t:]{{0,45}}?){_EMPH}"
    r"(?:[ \t]+[-\u2013\u2014][ \t]+|[ \t]*\t[ \t]*)(?=\S)"
)
_DOTTED = re.compile(r"[ \t]*(?P<name>[A-Za-z]{1,4})\.[ \t]+(?=\S)")
_DOTTED_ROLES = frozenset({"q", "a", "i", "r", "int", "resp"})


def _separated_labels(lines: list[tuple[int, str]], labels: Collection[str]) -> list[_Start]:
    """Turn starts for labels set off by a dash or a tab, or "Q." / "A.", instead of
    a colon; [] unless two speakers or more come back (see ``_recurring_speakers``)
    and labelled lines are a good share of the document's lines."""
    starts: list[_Start] = []
    nonblank = 0
    for offset, line in lines:
        if not line.strip():
            continue
        nonblank += 1
        found = _SEPARATED.match(line)
        if found is None or not is_label(found.group("name").strip(), labels):
            found = _DOTTED.match(line)
            if found is None or found.group("name").casefold() not in _DOTTED_ROLES:
                continue
        starts.append(_Start(offset, offset + found.end(), found.group("name").strip(), None))
    if len(starts) < max(3, NAME_LINE_SHARE * nonblank):
        return []
    return starts if _recurring_speakers(starts, labels) else []


def _name_lines(lines: list[tuple[int, str]], labels: Collection[str]) -> list[_Start]:
    """Turn starts for a document that names each speaker alone on a line, the words
    on the lines below ("Interviewer" / "What do you do?" / "Jane Smith" / ...), as
    typists lay transcripts out in Word; [] when the document does not read that way."""
    found: list[_Start] = []
    texts = 0  # runs of text lines that are not names
    previous_name = True
    for i, (offset, line) in enumerate(lines):
        if not line.strip():
            continue
        who = _name_alone(line, labels)
        following = next((text for _, text in lines[i + 1 :] if text.strip()), "")
        if who and following and not _name_alone(following, labels):
            found.append(_Start(offset, offset + len(line) + 1, who, None))
            previous_name = True
            continue
        texts += previous_name
        previous_name = False
    # a name said once is a heading, unless it is a role ("Interviewer", "Respondent")
    counts = Counter(start.speaker for start in found)
    kept = {
        name
        for name, n in counts.items()
        if n > 1
        or name.casefold() in RESPONDENT_LABELS
        or speaker_role(name, labels) == INTERVIEWER
    }
    starts = [start for start in found if start.speaker in kept]
    if len(starts) < max(3, NAME_LINE_SHARE * max(texts, 1)):
        return []
    return starts if _recurring_speakers(starts, labels) else []


def _turns_from_starts(
    text: str, bounds: tuple[int, int], starts: list[_Start], labels: Collection[str]
) -> list[Turn]:
    turns: list[Turn] = []
    lead = strip_span(text, bounds[0], starts[0].line)
    if lead is not None:
        # a few lines before the first of several speakers are a title or notes
        # ("Interview 4 - Director", "Date: 12 May"): context, not anyone's words
        brief = len(starts) >= 2 and len(text[lead[0] : lead[1]].split()) <= MAX_LEAD_WORDS
        turns.append(Turn(lead[0], lead[1], None, OTHER if brief else RESPONDENT))
    for index, start in enumerate(starts):
        stop = starts[index + 1].line if index + 1 < len(starts) else bounds[1]
        span = strip_span(text, min(start.words, stop), stop)
        if span is not None:  # a label with nothing said is not a turn
            role = speaker_role(start.speaker, labels)
            turns.append(Turn(span[0], span[1], start.speaker, role, start.time))
    return turns


def _units(
    lines: list[tuple[int, str]],
    by_paragraph: bool,
    breaks: Callable[[str], bool],
    alone: Callable[[str], bool],
) -> list[tuple[int, int]]:
    """Line runs (start, end offsets): paragraphs between blank lines, or single lines;
    a line for which ``breaks`` is true starts a new run, one for which ``alone`` is
    true is a run of its own."""
    units: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    closed = False  # the current run may take no more lines
    for offset, line in lines:
        if not line.strip():
            if start is not None:
                units.append((start, end))
            start = None
            continue
        if start is None or not by_paragraph or closed or breaks(line) or alone(line):
            if start is not None:
                units.append((start, end))
            start = offset
        end = offset + len(line)
        closed = alone(line)
    if start is not None:
        units.append((start, end))
    return units


def _sided_turns(
    text: str,
    lines: list[tuple[int, str]],
    side: set[str],
    labels: Collection[str],
    prompts: bool,
    by_paragraph: bool,
) -> list[Turn]:
    """Labelled paragraphs are the labelled side's; bare ones the participant's; numbered
    prompts are context (role OTHER). A label in mid-line ("(reads) MODERATOR: ...")
    starts the labelled side's words there."""
    mid = (
        re.compile(r"(?<=\S)[ \t]+(" + "|".join(map(re.escape, side)) + r"):[ \t]*")
        if side
        else None
    )

    def breaks(line: str) -> bool:
        found = match_label_time(line, labels)
        return bool(found and found[0] in side)

    def alone(line: str) -> bool:
        return bool(prompts and is_prompt(line))

    turns: list[Turn] = []
    units = _units(lines, by_paragraph, breaks, alone)
    for start, end in units:
        chunk = text[start:end]
        found = match_label_time(chunk, labels)
        if found is not None and found[0] in side:
            span = strip_span(text, start + found[1], end)
            if span:
                role = speaker_role(found[0], labels)
                turns.append(Turn(span[0], span[1], found[0], role, found[2]))
            continue
        split = mid.search(chunk) if mid else None
        before = strip_span(text, start, start + split.start() if split else end)
        if before:
            role = OTHER if prompts and is_prompt(chunk) else RESPONDENT
            turns.append(Turn(before[0], before[1], None, role))
        if split:
            after = strip_span(text, start + split.end(), end)
            if after:
                speaker = split.group(1)
                turns.append(Turn(after[0], after[1], speaker, speaker_role(speaker, labels)))
    return turns


def _labelled_layout(census: _Census, labels: Collection[str]) -> str:
    names = {s.speaker.casefold() for s in census.labels}
    if names <= {"q", "a"}:
        return "Q: / A:"
    if all(re.fullmatch(r"speaker_\d+", name) for name in names):
        return "diarised SPEAKER_n: words"
    if census.bold * 2 > len(census.labels):
        return "**Name:** words (Markdown bold)"
    timed = [s for s in census.labels if s.time]
    return f"{LABELLED} with timestamps" if timed else LABELLED


def _one_side(census: _Census, labels: Collection[str]) -> set[str]:
    """The labels of the one labelled side, when only the interviewer is labelled."""
    counts = Counter(s.speaker for s in census.labels)
    side = {name for name in counts if speaker_role(name, labels) == INTERVIEWER}
    labelled = sum(counts[name] for name in side)
    if any(name.casefold() in RESPONDENT_LABELS for name in counts):
        return set()
    if not labelled or labelled < ONE_SIDE_LABEL_SHARE * sum(counts.values()):
        return set()
    first = min(s.line for s in census.labels if s.speaker in side)
    if sum(1 for offset in census.bare if offset > first) < labelled:
        return set()  # nothing unlabelled follows the labelled side: ordinary labels
    return side


def parse_layout(text: str, interviewer_labels: Collection[str] = ()) -> Layout:
    """The turns of ``text``, read with the layout that explains most of the document."""
    if not text.strip():
        return Layout(UNLABELLED, ())
    begin, attributes = header(text)
    end = footer(text, attributes)
    labels = list(interviewer_labels)
    named = [n.strip() for n in attributes.get("speakers", "").split(",") if n.strip()]
    lines = _lines(text, begin, end)
    census = _census(lines, [*labels, *named])
    prompts = census.prompts >= MIN_PROMPTS
    by_paragraph = census.blank_lines >= 0.3 * max(census.nonblank, 1)
    if census.heads and len(census.heads) >= max(2, len(census.labels)):
        # what comes before the first speaker line of a service export is its title
        lead = text[begin : census.heads[0].line].split()
        if lead:
            attributes.setdefault("title", " ".join(lead))
        name = SPEAKER_LINE
        turns = _turns_from_starts(text, (census.heads[0].line, end), census.heads, labels)
    elif len(census.brackets) >= max(2, len(census.labels)):
        name, turns = DIARISED, _turns_from_starts(text, (begin, end), census.brackets, labels)
    elif len(census.named_brackets) >= max(2, len(census.labels)) and _recurring_speakers(
        census.named_brackets, labels
    ):
        starts = census.named_brackets
        name, turns = BRACKETED, _turns_from_starts(text, (begin, end), starts, labels)
    elif census.labels and (side := _one_side(census, labels)):
        name = f"{ONE_SIDE} ({', '.join(sorted(side))}:)"
        turns = _sided_turns(text, lines, side, labels, prompts, by_paragraph)
    elif census.labels:
        name = _labelled_layout(census, labels)
        turns = _turns_from_starts(text, (begin, end), census.labels, labels)
    elif named_lines := _name_lines(lines, labels):
        name = NAME_LINE
        turns = _turns_from_starts(text, (begin, end), named_lines, labels)
    elif dashed := _separated_labels(lines, labels):
        name = SEPARATED
        turns = _turns_from_starts(text, (begin, end), dashed, labels)
    else:
        name = UNLABELLED
        if prompts:
            turns = _sided_turns(text, lines, set(), labels, prompts, True)
        else:
            turns = [Turn(a, b, None) for a, b in paragraph_spans(text, begin, end)]
    if prompts and name != SPEAKER_LINE and not name.startswith((LABELLED, "Q:", DIARISED)):
        name += " with numbered prompts"
    turns = _one_spelling(turns)
    warnings = _warnings(text, name, turns, census, census.nonblank)
    return Layout(name, tuple(turns), attributes, warnings)


def _one_spelling(turns: list[Turn]) -> list[Turn]:
    """A speaker written in other capitals or spacing later in the file ("RESPONDENT",
    "Jane  Smith") under the first spelling, so one person is one speaker."""
    first: dict[str, str] = {}
    out = []
    for turn in turns:
        if turn.speaker is None:
            out.append(turn)
            continue
        key = " ".join(turn.speaker.split()).casefold()
        spelling = first.setdefault(key, " ".join(turn.speaker.split()))
        out.append(turn if spelling == turn.speaker else replace(turn, speaker=spelling))
    return out


def _warnings(
    text: str, name: str, turns: list[Turn], census: _Census, nonblank: int
) -> tuple[str, ...]:
    out: list[str] = []
    if name in GUESSED:
        out.append(
            f"speakers read from {GUESSED[name]}, a layout guessed from the whole file: "
            "check the turns with `qualcode speakers`"
        )
    if name.startswith(UNLABELLED):
        out.append(
            "no speaker structure found: each paragraph became a respondent turn "
            "(label turns like 'Interviewer: ...' or see README, Importing)"
        )
    if nonblank and census.stamps > STRAY_STAMP_SHARE * nonblank:
        share = round(100 * census.stamps / nonblank)
        out.append(
            f"{share}% of lines are bare timestamps ({census.stamps} lines): "
            "check the turns with `qualcode speakers`"
        )
    first = turns[0] if turns else None
    if (
        first
        and first.speaker is None
        and first.role == OTHER
        and not is_prompt(text[first.start : first.end])
    ):
        lead = text[first.start : first.end]
        shown = " ".join(lead.splitlines()[0].split())
        shown = shown if len(shown) <= 40 else shown[:39] + "\u2026"
        out.append(
            f"the {len(lead.split())} words before the first speaker ({shown!r}...) are "
            "kept as context, not for coding; if they are someone's words, `qualcode "
            "speakers set '(prompt)' --role respondent --source SOURCE` makes them codable"
        )
    dominant = _dominant_speaker(text, name, turns)
    if dominant is not None:
        speaker, share = dominant
        out.append(f"{speaker} holds {share}% of the words: check that turns were split by speaker")
    return tuple(out)


def _dominant_speaker(text: str, name: str, turns: list[Turn]) -> tuple[str, int] | None:
    """The speaker holding over 90% of the words, with that share, when the structure
    looks wrong too: the speaker is the only one, is the interviewer, or holds most of
    the words in one turn (turn boundaries missed). A respondent who gives long answers
    to short questions holds 90% of an ordinary interview, so the share alone says
    nothing. Not judged with one side labelled (the participant rightly holds most)."""
    if name.startswith((ONE_SIDE, UNLABELLED)):
        return None
    words: Counter[str] = Counter()
    longest: Counter[str] = Counter()
    interviewers: set[str] = set()
    for turn in turns:
        if turn.role == OTHER:
            continue
        who = turn.speaker or "(unlabelled)"
        said = len(text[turn.start : turn.end].split())
        words[who] += said
        longest[who] = max(longest[who], said)
        if turn.role == INTERVIEWER:
            interviewers.add(who)
    total = sum(words.values())
    if not total:
        return None
    speaker, count = words.most_common(1)[0]
    if count <= DOMINANT_SHARE * total:
        return None
    alone = len(words) == 1
    one_turn = longest[speaker] > MERGED_TURN_SHARE * total
    if alone or one_turn or speaker in interviewers:
        return speaker, round(100 * count / total)
    return None


def parse_turns(text: str, interviewer_labels: Collection[str] = ()) -> tuple[Turn, ...]:
    """Split ``text`` into speaker turns, the layout detected from the whole document."""
    return parse_layout(text, interviewer_labels).turns
