"""Anonymised copies of what exports write: quotes and matrix books (pure functions).

Names are replaced in every text a reader sees - passages, summaries, syntheses,
attributions, attribute values, titles - and job titles in the title attributes are
generalised before an attribution is built from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from qualcode.domain.anonymise import anonymise_attributes
from qualcode.domain.matrix import (
    Cell,
    Group,
    MatrixBook,
    MatrixRow,
    MatrixSheet,
    Passage,
    Quote,
    Summary,
    Synthesis,
)
from qualcode.domain.model import AttrValue


@dataclass(frozen=True)
class Anonymiser:
    text: Callable[[str], str]
    title: Callable[[str], str]
    title_attributes: frozenset[str]

    def attributes(self, values: Mapping[str, AttrValue]) -> dict[str, AttrValue]:
        out = anonymise_attributes(values, self.text, self.title, self.title_attributes)
        return {k: v for k, v in out.items() if isinstance(v, str | int | float)}

    def quote(self, quote: Quote) -> Quote:
        """A quote whose attribution was built from :meth:`attributes` already."""
        return replace(quote, text=self.text(quote.text), attribution=self.text(quote.attribution))

    def book(self, book: MatrixBook) -> MatrixBook:
        return replace(
            book,
            title=self.text(book.title),
            sheets=tuple(self.sheet(s) for s in book.sheets),
            quotes={key: tuple(map(self.quote, qs)) for key, qs in book.quotes.items()},
        )

    def sheet(self, sheet: MatrixSheet) -> MatrixSheet:
        return replace(
            sheet,
            title=self.text(sheet.title),
            groups=tuple(self._group(g, sheet.by) for g in sheet.groups),
            counts=tuple(
                replace(c, group=self.text(c.group) if c.group else c.group) for c in sheet.counts
            ),
        )

    def _group(self, group: Group, by: tuple[str, ...]) -> Group:
        key = tuple(
            self.title(v) if v is not None and name in self.title_attributes else v
            for v, name in zip(group.key, (*by, *[""] * len(group.key)), strict=False)
        )
        return replace(
            group,
            key=tuple(self._value(v) for v in key),
            rows=tuple(self._row(r) for r in group.rows),
            syntheses=tuple(self._synthesis(s) for s in group.syntheses),
        )

    def _value(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)

    def _row(self, row: MatrixRow) -> MatrixRow:
        return replace(
            row, attributes=self.attributes(row.attributes), cells=self._cells(row.cells)
        )

    def _cells(self, cells: Iterable[Cell]) -> tuple[Cell, ...]:
        return tuple(
            replace(
                c,
                passages=tuple(self._passage(p) for p in c.passages),
                summary=self._summary(c.summary),
            )
            for c in cells
        )

    def _passage(self, passage: Passage) -> Passage:
        return replace(passage, text=self.text(passage.text))

    def _summary(self, summary: Summary) -> Summary:
        return replace(summary, text=self.text(summary.text))

    def _synthesis(self, synthesis: Synthesis) -> Synthesis:
        return replace(synthesis, text=self.text(synthesis.text), value=self.text(synthesis.value))
