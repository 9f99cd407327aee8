"""The text shown in the read & code workspace, laid out as screen rows.

Pure Python (no Textual), so that layout, motions and hit-testing are unit-tested and
fast: a 60,000-word transcript is laid out in a few milliseconds. One or more
*blocks* (a transcript, or one survey answer per respondent) are joined into one
virtual text; every position here is an offset into it, mapped back to (source,
offset) with :meth:`Document.to_source`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.domain.quoting import sentence_spans

SEPARATOR = "\n\n"  # between blocks: one blank row


@dataclass(frozen=True)
class Block:
    source: str
    case: str
    text: str
    title: str | None = None  # drawn on a header row above the block (survey answers)


@dataclass(frozen=True)
class Unit:
    """A segment (speaker turn) in document offsets."""

    segment: str
    start: int
    end: int
    role: str
    speaker: str | None
    block: int
    time: str | None = None  # the turn's timestamp in the transcript, as written


@dataclass(frozen=True)
class Row:
    start: int
    end: int
    line: int | None  # the source line number, on the first row of each line
    block: int
    header: str | None = None  # a header row holds no text


@dataclass(frozen=True)
class Mark:
    """A coding in document offsets."""

    coding: int
    start: int
    end: int
    theme: str
    coder: str = ""  # whose coding (named in the side panel when not the user's)


@dataclass(frozen=True)
class UnitSpec:
    """A segment as the services give it: offsets local to its block's source."""

    segment: str
    source: str
    start: int
    end: int
    role: str
    speaker: str | None
    time: str | None = None


class Document:
    def __init__(self, blocks: Sequence[Block], units: Iterable[UnitSpec], width: int = 80):
        self.blocks = list(blocks)
        self.bases: list[int] = []
        pos = 0
        for block in self.blocks:
            self.bases.append(pos)
            pos += len(block.text) + len(SEPARATOR)
        self.text = SEPARATOR.join(b.text for b in self.blocks)
        index = {b.source: i for i, b in enumerate(self.blocks)}
        self.units = sorted(
            (
                Unit(
                    u.segment,
                    self.bases[index[u.source]] + u.start,
                    self.bases[index[u.source]] + u.end,
                    u.role,
                    u.speaker,
                    index[u.source],
                    u.time,
                )
                for u in units
                if u.source in index
            ),
            key=lambda u: u.start,
        )
        self._unit_starts = [u.start for u in self.units]
        self._sentence_list: list[tuple[int, int]] | None = None
        self._sentence_starts: list[int] = []
        self.marks: list[Mark] = []
        self.width = 0
        self.rows: list[Row] = []
        self.layout(width)

    # --- layout -------------------------------------------------------------------

    def layout(self, width: int) -> None:
        """Wrap every line at spaces to ``width`` cells (never less than 10)."""
        width = max(10, width)
        self.width = width
        rows: list[Row] = []
        for b, block in enumerate(self.blocks):
            base = self.bases[b]
            if block.title is not None:
                rows.append(Row(base, base, None, b, block.title))
            start = 0
            for line_no, line in enumerate(block.text.split("\n"), start=1):
                first = True
                for a, z in _wrap(line, width):
                    rows.append(
                        Row(base + start + a, base + start + z, line_no if first else None, b)
                    )
                    first = False
                start += len(line) + 1
            if b < len(self.blocks) - 1:
                gap = base + len(block.text) + 1
                rows.append(Row(gap, gap, None, b))
        if not rows:
            rows.append(Row(0, 0, None, 0))
        self.rows = rows
        self._text_rows = [i for i, r in enumerate(rows) if r.header is None]
        self._text_starts = [rows[i].start for i in self._text_rows]
        self._row_marks: dict[int, list[int]] = {}
        self._index_marks()

    def row_of(self, offset: int) -> int:
        """The index of the (text) row that holds ``offset``."""
        k = max(bisect_right(self._text_starts, offset) - 1, 0)
        return self._text_rows[k]

    def column_of(self, offset: int) -> int:
        row = self.rows[self.row_of(offset)]
        return min(offset, row.end) - row.start

    def offset_at(self, row_index: int, column: int) -> int:
        """The offset shown at ``column`` of a row (clamped to the row's text)."""
        row_index = min(max(row_index, 0), len(self.rows) - 1)
        row = self.rows[row_index]
        if row.header is not None:
            k = bisect_left(self._text_rows, row_index)
            row = self.rows[self._text_rows[min(k, len(self._text_rows) - 1)]]
        return row.start + min(max(column, 0), row.end - row.start)

    # --- blocks and units -----------------------------------------------------------

    def block_of(self, offset: int) -> int:
        return max(bisect_right(self.bases, offset) - 1, 0)

    def to_source(self, start: int, end: int) -> tuple[str, int, int]:
        """(source, start, end) of a document range, clipped to the block of ``start``."""
        b = self.block_of(start)
        base, n = self.bases[b], len(self.blocks[b].text)
        return self.blocks[b].source, min(start - base, n), min(max(end - base, 0), n)

    def to_doc(self, source: str, offset: int) -> int | None:
        for b, block in enumerate(self.blocks):
            if block.source == source:
                return self.bases[b] + min(offset, len(block.text))
        return None

    def unit_at(self, offset: int) -> Unit | None:
        k = bisect_right(self._unit_starts, offset) - 1
        if k >= 0 and offset < self.units[k].end:
            return self.units[k]
        return None

    def turn_at(self, offset: int) -> Unit | None:
        """The turn the cursor is on, for acting on it: the unit at ``offset``, or the one
        that starts later on the same line, when the cursor is on the speaker's label or
        on the spaces that indent the line (moving down a column of line starts lands
        on each turn)."""
        unit = self.unit_at(offset)
        if unit is not None:
            return unit
        k = bisect_right(self._unit_starts, offset)
        if k >= len(self.units):
            return None
        ahead = self.units[k]
        b = self.block_of(offset)
        if self.block_of(ahead.start) != b:
            return None
        base = self.bases[b]
        return (
            ahead if "\n" not in self.blocks[b].text[offset - base : ahead.start - base] else None
        )

    def unit_index(self, offset: int) -> int:
        """Index of the unit holding ``offset``, or of the last unit before it (-1: none)."""
        return bisect_right(self._unit_starts, offset) - 1

    def next_unit(self, offset: int, step: int = 1) -> Unit | None:
        k = self.unit_index(offset)
        if step < 0 and k >= 0 and self.units[k].start < offset:
            k += 1  # inside a unit: "previous" first goes to its own start
        k += step
        return self.units[k] if 0 <= k < len(self.units) else None

    def next_uncoded(self, offset: int, step: int = 1, role: str = "respondent") -> Unit | None:
        k = self.unit_index(offset) + step
        while 0 <= k < len(self.units):
            unit = self.units[k]
            if unit.role == role and not self.marks_in(unit.start, unit.end):
                return unit
            k += step
        return None

    # --- sentences and words --------------------------------------------------------

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans inside turns, found on first use (it costs ~30 ms on 60k words)."""
        if self._sentence_list is None:
            self._sentence_list = self._find_sentences()
            self._sentence_starts = [a for a, _ in self._sentence_list]
        return self._sentence_list

    def _find_sentences(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for unit in self.units:  # the quoting rules: "we had... four" is one sentence
            chunk = self.text[unit.start : unit.end]
            out.extend((unit.start + a, unit.start + z) for a, z in sentence_spans(chunk))
        return out

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        sentences = self.sentences
        k = bisect_right(self._sentence_starts, offset) - 1
        if k >= 0 and offset <= sentences[k][1]:
            return sentences[k]
        unit = self.unit_at(offset)
        if unit is not None and k + 1 < len(sentences):
            nxt = sentences[k + 1]
            if nxt[0] < unit.end:
                return nxt  # in the space before a sentence of the same unit
        return None

    def next_sentence(self, offset: int, step: int = 1) -> tuple[int, int] | None:
        sentences = self.sentences
        k = bisect_right(self._sentence_starts, offset) - 1
        if step < 0 and k >= 0 and sentences[k][0] < offset:
            k += 1
        k += step
        return sentences[k] if 0 <= k < len(sentences) else None

    def word_right(self, offset: int) -> int:
        """The start of the next word."""
        text, n = self.text, len(self.text)
        while offset < n and not text[offset].isspace():
            offset += 1
        while offset < n and text[offset].isspace():
            offset += 1
        return offset

    def word_end(self, offset: int) -> int:
        """The end of the word at or after ``offset``."""
        text, n = self.text, len(self.text)
        while offset < n and text[offset].isspace():
            offset += 1
        while offset < n and not text[offset].isspace():
            offset += 1
        return offset

    def word_left(self, offset: int) -> int:
        """The start of the word before ``offset``."""
        text = self.text
        while offset > 0 and text[offset - 1].isspace():
            offset -= 1
        while offset > 0 and not text[offset - 1].isspace():
            offset -= 1
        return offset

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """A range without surrounding whitespace (empty when only whitespace)."""
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    # --- codings --------------------------------------------------------------------

    def set_marks(self, marks: Iterable[Mark]) -> None:
        self.marks = sorted(marks, key=lambda k: (k.start, k.end, k.theme))
        self._index_marks()

    def _index_marks(self) -> None:
        # sparse: only rows that carry a coding get an entry
        per_row: dict[int, list[int]] = {}
        starts, text_rows, rows = self._text_starts, self._text_rows, self.rows
        for n, mark in enumerate(self.marks):
            k = max(bisect_right(starts, mark.start) - 1, 0)
            while k < len(text_rows):
                i = text_rows[k]
                row = rows[i]
                if row.start >= mark.end:
                    break
                if row.end > mark.start or (row.start == row.end == mark.start):
                    per_row.setdefault(i, []).append(n)
                k += 1
        self._row_marks = per_row
        self._mark_starts = [k.start for k in self.marks]

    def row_marks(self, row_index: int) -> list[Mark]:
        return [self.marks[n] for n in self._row_marks.get(row_index, ())]

    def marks_in(self, start: int, end: int) -> list[Mark]:
        """Codings overlapping [start, end) (at ``start`` when the range is empty)."""
        end = max(end, start + 1)
        hi = bisect_left(self._mark_starts, end)
        return [k for k in self.marks[:hi] if k.end > start]

    def marks_at(self, offset: int) -> list[Mark]:
        return self.marks_in(offset, offset + 1)


def _wrap(line: str, width: int) -> Iterable[tuple[int, int]]:
    """(start, end) of each screen row of one line, broken at spaces where possible."""
    n = len(line)
    if n <= width:
        yield 0, n
        return
    pos = 0
    while pos < n:
        if n - pos <= width:
            yield pos, n
            return
        cut = line.rfind(" ", pos + 1, pos + width + 1)
        if cut <= pos:
            yield pos, pos + width
            pos += width
        else:
            yield pos, cut
            pos = cut + 1
