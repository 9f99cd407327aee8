"""WebVTT and SRT subtitle files from recording software, read as transcripts.

Cues become turns: consecutive cues by one speaker merge, and the stored text has one
line per turn (``Speaker: words``), turns separated by a blank line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator
from pathlib import Path

from qualcode.domain.documents import ParsedTranscript, Turn
from qualcode.domain.turns import match_label, speaker_role
from qualcode.errors import InputError
from qualcode.ingest.encoding import decode_bytes, read_bytes, windows_1252_note
from qualcode.ingest.text import normalise_newlines, read_text_transcript

_TIME = r"(?:\d+:)?[0-5]?\d:[0-5]\d[.,]\d{1,3}"
_TIMING = re.compile(rf"[ \t]*(?P<start>{_TIME})[ \t]*-->[ \t]*{_TIME}(?:[ \t].*)?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
# Only the tags subtitle formats define, so that "<inaudible>" survives as text.
_TAG = re.compile(
    r"</?(?:c|i|b|u|v|ruby|rt|lang|font|span)(?:[.\s][^>]*)?>|<\d+:[\d:.]+>",
    re.IGNORECASE,
)
_ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")  # "{\an8}" positioning codes in SRT
_VTT_SKIPPED = ("NOTE", "STYLE", "REGION")
_DIALOGUE_DASH = re.compile(r"[ \t]*[-\u2013\u2014][ \t]*(?=\S)")
# Cues with no known speaker merge into paragraphs of about this size, not one huge turn.
UNLABELLED_TURN_CHARS = 1000

Line = tuple[int, str]  # (1-based line number, text)


def _blocks(lines: list[str]) -> Iterator[list[Line]]:
    """Runs of non-blank lines, each line with its number."""
    block: list[Line] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _timing_index(block: list[Line], path: Path) -> int | None:
    """Where the block's timing line is (0, or 1 after a cue id); None if it has none."""
    for index, (number, line) in enumerate(block[:2]):
        if _TIMING.fullmatch(line):
            return index
        if "-->" in line:
            raise InputError(f"malformed cue timing {line.strip()!r}", path, number)
    if block[0][1].strip().isdigit():
        number = block[1][0] if len(block) > 1 else block[0][0]
        example = "'00:00:01,000 --> 00:00:04,000'"
        raise InputError(f"expected a timing line like {example}", path, number)
    return None


Cue = tuple[str | None, list[str]]  # (start time without milliseconds, text lines)


def _cue_texts(text: str, path: Path, vtt: bool) -> list[Cue]:
    """The start time and text lines of each cue, in order."""
    lines = text.split("\n")
    if vtt and not lines[0].startswith("WEBVTT"):
        raise InputError("not a WebVTT file (the first line must be WEBVTT)", path, 1)
    cues: list[Cue] = []
    blocks = list(_blocks(lines))
    if vtt:  # drop the WEBVTT header, but keep a cue that follows it without a blank line
        header = blocks.pop(0)
        rest = header[1:]
        if any("-->" in line for _number, line in rest):
            blocks.insert(0, rest)
    for block in blocks:
        if vtt and block[0][1].split(" ", 1)[0] in _VTT_SKIPPED:
            continue
        index = _timing_index(block, path)
        body = [line for _number, line in block[(index or 0) + 1 :]]
        if index is not None:
            timing = _TIMING.fullmatch(block[index][1])
            start = timing.group("start") if timing else None
            cues.append((re.split(r"[.,]", start)[0] if start else None, body))
        elif cues:  # a stray blank line inside a cue's text: keep the words
            cues[-1][1].extend(line for _number, line in block)
        else:
            raise InputError("expected a cue number or a timing line", path, block[0][0])
    return cues


def _clean(text: str) -> str:
    text = _ASS_OVERRIDE.sub("", _TAG.sub("", text))
    return " ".join(html.unescape(text).split())


def _fragments(lines: list[str], speaker: str | None) -> Iterator[tuple[str | None, str, bool]]:
    """(speaker, words, opens a turn) pieces of one cue; ``speaker`` carries over from
    the last cue. In a cue of two or more lines that open with a dash (``- Did you?`` /
    ``- I did.``), the subtitle way of showing two people in one caption, each such line
    opens a turn of its own, by an unnamed speaker unless it names one."""
    dialogue = sum(1 for line in lines if _DIALOGUE_DASH.match(line)) >= 2
    for line in lines:
        dash = _DIALOGUE_DASH.match(line) if dialogue else None
        if dash:
            line, speaker = line[dash.end() :], None
        pieces = _VOICE.split(line)  # [text, voice, text, voice, text, ...]
        for position, piece in enumerate(pieces):
            if position % 2:
                speaker = " ".join(piece.split()) or None
                continue
            words = _clean(piece)
            label = match_label(words) if position == 0 else None
            if label is not None:  # "Name: words" at the start of a line
                speaker, words = label[0], words[label[1] :].strip()
            if words:
                yield speaker, words, bool(dash) and position == 0
                dash = None


Merged = tuple[str | None, str, str | None]  # (speaker, words, time of the first cue)


def _turns(cues: list[Cue]) -> list[Merged]:
    merged: list[Merged] = []
    current: str | None = None
    for time, lines in cues:
        for speaker, words, opens in _fragments(lines, current):
            current = speaker
            if merged and merged[-1][0] == speaker and not opens:
                previous = merged[-1][1]
                if speaker is not None or len(previous) < UNLABELLED_TURN_CHARS:
                    merged[-1] = (speaker, f"{previous} {words}", merged[-1][2])
                    continue
            merged.append((speaker, words, time))
    return merged


def _layout(text: str, merged: list[Merged], vtt: bool) -> str:
    kind = "WebVTT" if vtt else "SRT"
    if _VOICE.search(text):
        return f"{kind} with voice tags"
    if any(speaker for speaker, _words, _time in merged):
        return f"{kind} with Name: labels"
    return f"{kind} without speakers"


_RANGED_LINE = re.compile(rf"[ \t]*\[(?P<start>{_TIME})[ \t]*-->[ \t]*{_TIME}\][ \t]*(?P<text>.*)")
RANGED_SHARE = 0.8  # of the non-blank lines


def ranged_cues(text: str) -> list[Cue] | None:
    """The cues of a text file whose lines open with a time range, as Whisper and the
    tools built on it write them (``[00:00.000 --> 00:04.000]  Okay, ...``); None when
    fewer than most lines do. The ranges stayed inside the words."""
    lines = [line for line in text.split("\n") if line.strip()]
    found = [_RANGED_LINE.fullmatch(line) for line in lines]
    if not lines or sum(1 for f in found if f) < RANGED_SHARE * len(lines):
        return None
    cues: list[Cue] = []
    for line, f in zip(lines, found, strict=True):
        if f is not None:
            cues.append((re.split(r"[.,]", f.group("start"))[0], [f.group("text")]))
        elif cues:
            cues[-1][1].append(line)
    return cues


def transcript_of_cues(
    path: Path, data: bytes, text: str, cues: list[Cue], kind: str, labels: Collection[str]
) -> ParsedTranscript:
    """A transcript of time-ranged lines (``kind``: how the layout is named)."""
    merged = _turns(cues)
    if not merged:
        raise InputError("no lines with words found", path)
    return _parsed(path, data, merged, f"{kind} time ranges", labels)


def _read_subtitles(path: Path, vtt: bool, labels: Collection[str]) -> ParsedTranscript:
    data = read_bytes(path)
    text = normalise_newlines(decode_bytes(data, path))
    merged = _turns(_cue_texts(text, path, vtt))
    if not merged:
        raise InputError("no subtitle cues with text found", path)
    return _parsed(path, data, merged, _layout(text, merged, vtt), labels)


def _parsed(
    path: Path, data: bytes, merged: list[Merged], layout: str, labels: Collection[str]
) -> ParsedTranscript:
    parts: list[str] = []
    turns: list[Turn] = []
    position = 0
    for speaker, words, time in merged:
        if parts:
            position += 2  # the blank line between turns
        prefix = f"{speaker}: " if speaker else ""
        start = position + len(prefix)
        role = speaker_role(speaker, labels)
        turns.append(Turn(start, start + len(words), speaker, role, time))
        parts.append(prefix + words)
        position = start + len(words)
    warnings: tuple[str, ...] = ()
    if not any(speaker for speaker, _words, _time in merged):
        warnings = ("no speaker structure found: the cues carry no speaker names",)
    return ParsedTranscript(
        name=path.name,
        text="\n\n".join(parts) + "\n",
        turns=tuple(turns),
        layout=layout,
        warnings=tuple(w for w in (windows_1252_note(data),) if w) + tuple(warnings),
    )


def read_vtt_transcript(path: Path, interviewer_labels: Collection[str] = ()) -> ParsedTranscript:
    """A WebVTT (.vtt) file; speakers from ``<v Name>`` voice tags or ``Name:``."""
    return _read_subtitles(path, vtt=True, labels=interviewer_labels)


def read_srt_transcript(path: Path, interviewer_labels: Collection[str] = ()) -> ParsedTranscript:
    """A SubRip (.srt) file; speakers from a leading ``Name:`` in the cue text."""
    return _read_subtitles(path, vtt=False, labels=interviewer_labels)


def read_plain_transcript(path: Path, interviewer_labels: Collection[str] = ()) -> ParsedTranscript:
    """A .txt or .md transcript: lines that open with a time range (Whisper) read as
    cues, anything else as text (:func:`qualcode.ingest.text.read_text_transcript`)."""
    data = read_bytes(path)
    text = normalise_newlines(decode_bytes(data, path))
    cues = ranged_cues(text)
    if cues is None:
        return read_text_transcript(path, interviewer_labels)
    return transcript_of_cues(path, data, text, cues, "[start --> end]", interviewer_labels)
