"""Anonymised copies of what exports write: quotes and matrix books (pure functions).

Every string an anonymised export writes passes through one :class:`Anonymiser`:

- free text (passages, summaries, syntheses, titles, theme labels) through ``text``,
  which replaces the accepted names as written (and in capitals);
- identifiers (case ids, source and file names, segment ids and so line references,
  coders) and attribute values (so group labels too) through ``ident``, which
  replaces them whatever their case or separators
  (:mod:`qualcode.anonymise.identifiers`); job titles in the title attributes are
  generalised first.

:meth:`Anonymiser.check` then looks at every string of the result once more and
raises :class:`~qualcode.errors.InputError` if an accepted name is still there, so an
export stops rather than leaks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from qualcode.domain.anonymise import anonymise_attributes
from qualcode.domain.mapping import Association, MappingBook, Typology
from qualcode.domain.matrix import (
    GROUP_SEP,
    MISSING,
    Cell,
    Group,
    MatrixBook,
    MatrixRow,
    MatrixSheet,
    Passage,
    Quote,
    Summary,
    Synthesis,
    ThemeCount,
)
from qualcode.domain.model import AttrValue, Theme
from qualcode.errors import InputError


def _same(value: str) -> str:
    return value


def _nothing(value: str, identifier: bool) -> list[str]:
    del value, identifier
    return []


# Fields holding identifiers or attribute values: checked whatever the case of a name.
IDENTIFIER_FIELDS = frozenset(
    {"case", "source", "segment", "ref", "refs", "group", "key", "value", "coder",
     "attributes", "quotes"}
)  # fmt: skip


@dataclass(frozen=True)
class Anonymiser:
    text: Callable[[str], str]
    title: Callable[[str], str]
    title_attributes: frozenset[str]
    ident: Callable[[str], str] = _same
    # the placeholders of the accepted names a string (free text, or an identifier
    # when the flag is set) still holds
    leaks: Callable[[str, bool], list[str]] = _nothing
    # attributes holding personal details (an email, a name, an IP address): left out
    withheld: frozenset[str] = frozenset()
    # each group value given so far -> its label, and back: two values that read the
    # same once replaced ("Jane Mowbray", "jane_mowbray") are told apart with "(2)"
    _labels: dict[str, str] = dataclasses.field(default_factory=dict, compare=False)
    _values: dict[str, str] = dataclasses.field(default_factory=dict, compare=False)

    def attributes(self, values: Mapping[str, AttrValue]) -> dict[str, AttrValue]:
        kept = {k: v for k, v in values.items() if k not in self.withheld}
        out = anonymise_attributes(kept, self.text, self.title, self.title_attributes)
        return {
            k: self.ident(v) if isinstance(v, str) else v
            for k, v in out.items()
            if isinstance(v, str | int | float)
        }

    def quote(self, quote: Quote) -> Quote:
        """A quote whose attribution was built from :meth:`attributes` already."""
        return replace(
            quote,
            text=self.text(quote.text),
            attribution=self.text(quote.attribution),
            case=self.ident(quote.case),
            source=self.ident(quote.source),
            segment=None if quote.segment is None else self.ident(quote.segment),
            group=self._value(quote.group),
            ref=self.ident(quote.ref),
        )

    def book(self, book: MatrixBook) -> MatrixBook:
        return replace(
            book,
            title=self.text(book.title),
            sheets=tuple(self.sheet(s) for s in book.sheets),
            quotes={
                (key[0], self.ident(key[1])): tuple(map(self.quote, qs))
                for key, qs in book.quotes.items()
            },
            dimension_counts={
                (key[0], self.ident(key[1])): tuple(
                    replace(c, group=self._value(c.group), sentence=self.text(c.sentence))
                    for c in counts
                )
                for key, counts in book.dimension_counts.items()
            },
            key_issues={tid: self.text(text) for tid, text in book.key_issues.items()},
            extra_paragraphs={
                tid: tuple(map(self.text, paras)) for tid, paras in book.extra_paragraphs.items()
            },
            mapping=None if book.mapping is None else self.mapping(book.mapping),
        )

    def mapping(self, book: MappingBook) -> MappingBook:
        """The mapping sheets: labels and sentences as text, group labels as attribute
        values (job titles generalised first), the typology's members as case ids."""
        table = book.cooccurrence
        return replace(
            book,
            title=self.text(book.title),
            cooccurrence=replace(table, labels={t: self.text(x) for t, x in table.labels.items()}),
            associations=tuple(self._association(a) for a in book.associations),
            typology=None if book.typology is None else self._typology(book.typology),
        )

    def _association(self, a: Association) -> Association:
        named = {
            g.group: self._value(self.title(g.group) if a.attribute in self.title_attributes
                                 else g.group) or ""
            for g in a.groups
        }  # fmt: skip
        sentence = a.sentence
        for raw, shown in named.items():  # the sentence names groups as "in GROUP (n of N)"
            sentence = sentence.replace(f"in {raw} (", f"in {shown} (")
        return replace(
            a,
            label=self.text(a.label),
            values=tuple(self.text(v) for v in a.values),
            groups=tuple(replace(g, group=named[g.group]) for g in a.groups),
            sentence=self.text(sentence),
        )

    def _typology(self, t: Typology) -> Typology:
        return replace(
            t,
            labels={k: self.text(v) for k, v in t.labels.items()},
            types=tuple(
                replace(x, name=self.text(x.name), members=tuple(map(self.ident, x.members)))
                for x in t.types
            ),
        )

    def sheet(self, sheet: MatrixSheet) -> MatrixSheet:
        return replace(
            sheet,
            title=self.text(sheet.title),
            themes=tuple(self._theme(t) for t in sheet.themes),
            groups=tuple(self._group(g, sheet.by) for g in sheet.groups),
            counts=tuple(self._count(c, sheet.by) for c in sheet.counts),
        )

    def _theme(self, theme: Theme) -> Theme:
        return replace(
            theme,
            label=self.text(theme.label),
            definition=None if theme.definition is None else self.text(theme.definition),
            inclusion=None if theme.inclusion is None else self.text(theme.inclusion),
            exclusion=None if theme.exclusion is None else self.text(theme.exclusion),
            keywords=tuple(self.text(k) for k in theme.keywords),
        )

    def _count(self, count: ThemeCount, by: tuple[str, ...] = ()) -> ThemeCount:
        """A count's group as its group's label reads (value by value, a job title
        generalised), so that the two still match: with two --by they did not."""
        group = self.group_label(count.group, by)
        return replace(count, group=group, wording=self.text(count.wording))

    def group_label(self, group: str | None, by: Sequence[str]) -> str | None:
        """A group of cases (its value of each --by, as written) as the anonymised
        sheets label it: counts and quotes use this, so each finds its group."""
        if group is None:
            return None
        values = group.split(GROUP_SEP) if len(by) > 1 else [group]
        shown = [
            v
            if v == MISSING
            else self._value(self.title(v) if name in self.title_attributes else v) or ""
            for v, name in zip(values, (*by, *[""] * len(values)), strict=False)
        ]
        return GROUP_SEP.join(shown)

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
        """A group's value (an attribute value, or a label joining several): the same
        label wherever the value appears, and never one another value already has, so
        that two groups never read as one (the rows of each stay apart, as case ids do)."""
        if value is None:
            return None
        known = self._labels.get(value)
        if known is not None:
            return known
        label = base = self.ident(self.text(value))
        n = 1
        while self._values.get(label, value) != value:
            n += 1
            label = f"{base} ({n})"
        self._labels[value], self._values[label] = label, value
        return label

    def _row(self, row: MatrixRow) -> MatrixRow:
        return replace(
            row,
            case=self.ident(row.case),
            attributes=self.attributes(row.attributes),
            cells=self._cells(row.cells),
        )

    def _cells(self, cells: Iterable[Cell]) -> tuple[Cell, ...]:
        return tuple(
            replace(
                c,
                case=self.ident(c.case),
                passages=tuple(self._passage(p) for p in c.passages),
                summary=self._summary(c.summary),
            )
            for c in cells
        )

    def _passage(self, passage: Passage) -> Passage:
        return replace(
            passage,
            text=self.text(passage.text),
            case=self.ident(passage.case),
            source=self.ident(passage.source),
            segment=None if passage.segment is None else self.ident(passage.segment),
            question=None if passage.question is None else self.text(passage.question),
            coder=self.ident(passage.coder),
        )

    def _summary(self, summary: Summary) -> Summary:
        return replace(
            summary,
            text=self.text(summary.text),
            case=self.ident(summary.case),
            coder=None if summary.coder is None else self.ident(summary.coder),
        )

    def _synthesis(self, synthesis: Synthesis) -> Synthesis:
        return replace(
            synthesis,
            text=self.text(synthesis.text),
            value=self._value(synthesis.value) or "",
            coder=None if synthesis.coder is None else self.ident(synthesis.coder),
        )

    def check(self, value: Any, what: str = "the export", field: str = "") -> None:
        """Raise if any string in ``value`` (a book, sheet, quotes...) holds a name;
        ``field`` names what ``value`` itself is (``"case"`` for a list of ids)."""
        for name, text in strings(value, field):
            found = self.leaks(text, name in IDENTIFIER_FIELDS)
            if found:
                raise InputError(
                    f"{what} would still hold the accepted name replaced by {found[0]} "
                    "(in an identifier or label that could not be anonymised); nothing "
                    "was written"
                )


def strings(value: Any, field: str = "") -> Iterable[tuple[str, str]]:
    """Every string inside ``value`` with the name of the field holding it: dataclass
    fields, mappings, sequences, and the properties writers print (line references)."""
    stack: list[tuple[str, Any]] = [(field, value)]
    while stack:
        name, item = stack.pop()
        if isinstance(item, str):
            yield name, item
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend((f.name, getattr(item, f.name)) for f in dataclasses.fields(item))
            for prop in ("ref", "refs"):
                if isinstance(getattr(type(item), prop, None), property):
                    stack.append((prop, getattr(item, prop)))
        elif isinstance(item, Mapping):
            stack.extend((name, k) for k in item)
            stack.extend((name, v) for v in item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend((name, v) for v in item)
