"""When each transcript turn starts, in and out of a REFI-QDA project: a Note per
transcript, referenced by its TextSource (see :mod:`qualcode.exchange.refi.conventions`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.anonymise import OffsetMap
from qualcode.exchange.refi import conventions as cv
from qualcode.exchange.refi import model as r
from qualcode.store.queries import speakers as speakers_q


def timed_turns(s: Session) -> dict[str, list[cv.TurnTime]]:
    """Source id -> its turns that have a time. A turn's segments (paragraphs of one
    speaker) share its time, so consecutive segments with the same speaker, role and
    time are one turn."""
    out: dict[str, list[cv.TurnTime]] = {}
    previous: tuple[str, str | None, str, str | None] | None = None
    for seg in speakers_q.segments_of_timed_sources(s):
        key = (seg.source_id, seg.speaker, seg.role, seg.time)
        turns = out.setdefault(seg.source_id, [])
        if seg.time is not None and key == previous and turns:
            turns[-1] = replace(turns[-1], end=seg.end)
        elif seg.time is not None:
            turns.append(cv.TurnTime(seg.time, seg.start, seg.end, seg.speaker, seg.role))
        previous = key
    return {source: turns for source, turns in out.items() if turns}


def turn_note(
    namespace: str,
    source_guid: str,
    name: str,
    turns: Sequence[cv.TurnTime],
    offsets: OffsetMap,
    text: Callable[[str | None], str | None],
) -> r.Note | None:
    """The Note of one source's turn times (None: it has none); ``offsets`` and ``text``
    move offsets into an anonymised text and replace names in speakers."""
    if not turns:
        return None
    moved = []
    for turn in turns:
        start, end = offsets.span(turn.start, turn.end)
        moved.append(replace(turn, start=start, end=end, speaker=text(turn.speaker)))
    # Named by its source alone, so that a re-export from the study it was imported
    # into gives the same GUID (the study's own namespace differs there).
    key = f"qualcode turn times {source_guid}"
    guid = str(uuid.uuid5(uuid.NAMESPACE_URL, key)) if source_guid else None
    return r.Note(
        guid=guid or r.derived_guid(namespace, f"turn times {name}"),
        name=f"Turn times: {name}",
        text=cv.turn_times_text(moved),
        description=cv.TURN_TIMES,
    )


def is_turn_note(note: r.Note) -> bool:
    return note.description == cv.TURN_TIMES


def apply_turn_times(
    project: r.Project,
    new_sources: Mapping[str, str],
    segment_rows: Iterable[MutableMapping[str, Any]],
) -> None:
    """Give the segments of the sources imported now (``new_sources``: source GUID ->
    source id) the times their project's notes hold: a segment gets the time of the
    turn it starts in."""
    notes = {note.guid: note for note in project.notes if is_turn_note(note)}
    times: dict[str, list[cv.TurnTime]] = {}
    for source in project.sources:
        source_id = new_sources.get(source.guid)
        if source_id is None:
            continue
        for ref in source.notes:
            if ref in notes:
                times.setdefault(source_id, []).extend(cv.parse_turn_times(notes[ref].text))
    for row in segment_rows:
        for turn in times.get(row["source_id"], ()):
            if turn.start <= row["start"] < turn.end:
                row["time"] = turn.time
                break
