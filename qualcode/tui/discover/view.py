"""How discovery looks: the rows of its three tables and the passages beside them,
and the choices of scope and comparison offered in pickers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll

from qualcode.domain.framework import FrameworkTree, natural_key
from qualcode.domain.model import Case, Theme
from qualcode.services.discover import CandidateTheme, Discovery, KeyPhrase, Passage
from qualcode.services.suggest_review import VectorCache
from qualcode.tui.review.view import cut
from qualcode.tui.shared.picker import PickItem, case_item

if TYPE_CHECKING:
    from qualcode.services.discover import TermContrast  # a type the service returns

GROUPED = 12  # attributes with at most this many values are offered as groups
SIGNIFICANT = 1.96


DISCOVER_CSS = """
    #discover-status { height: 1; padding: 0 1; color: $text-muted; }
    #discover-tabs { height: 1fr; }
    #discover-tabs TabPane { padding: 0; }
    .discover-pane { height: 1fr; }
    #discover-phrases { width: 56; }
    #discover-themes { width: 64; }
    #discover-contrast { height: auto; padding: 0 1; }
    #discover-terms { height: 1fr; }
    .discover-side {
        width: 1fr;
        padding: 0 1;
        border-left: vkey $primary 50%;
        background: $panel;
    }
    """


COLUMNS = {  # table -> (label, width) of each column
    "phrases": (("phrase", 30), ("uses", 5), ("passages", 8), ("cases", 5)),
    "terms": (
        ("term", 32),
        ("z", 7),
        ("group", 6),
        ("per 1,000", 9),
        ("other", 6),
        ("per 1,000", 9),
    ),
    "themes": (("candidate theme", 50), ("passages", 8)),
}


class Side(VerticalScroll, can_focus=False):
    """The passages beside a table: the table keeps the focus (the wheel scrolls it)."""


def count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


@dataclass(frozen=True)
class Scope:
    """What discovery reads: the study, one case, or a group of cases; and the group
    its distinctive terms are compared with."""

    case: str | None = None
    by: str | None = None
    group: str | None = None
    against: str | None = None
    kind: str | None = None  # "transcript", "survey" or None for both

    def said(self) -> str:
        if self.case:
            where = f"case {self.case}"
        elif self.by and self.group is not None:
            where = f"{self.by} = {self.group}"
        else:
            where = "the whole study"
        return where

    def compared(self) -> str:
        if not (self.by and self.group is not None):
            return "none"
        other = f"{self.by} = {self.against}" if self.against else "every other case"
        return f"{self.by} = {self.group} vs {other}"


@dataclass(frozen=True)
class Setting:
    """What the pickers offer and marks need: cases, the framework, cached vectors."""

    cases: tuple[Case, ...]
    tree: FrameworkTree
    vectors: VectorCache


def status_line(
    scope: Scope,
    result: Discovery | None,
    embeddings: bool,
    vectors: VectorCache | None,
    running: bool = False,
) -> str:
    parts = [f"scope: {scope.said()} (s)"]
    if scope.by and scope.group is not None:
        parts.append(f"vs {scope.compared().split(' vs ', 1)[1]} (g)")
    else:
        parts.append("compare: none (g)")
    if result is not None and not running:
        parts.append(f"{count(result.segments, 'passage')} in {count(result.cases, 'case')}")
    parts.append(f"{scope.kind + 's' if scope.kind else 'all sources'} (k)")
    mode = "embeddings" if embeddings else "lexical"
    if embeddings and vectors is not None and not vectors.ready:
        mode += ", computing sentence vectors first"
    parts.append(f"{mode} (m)")
    return " · ".join(parts)


def attribute_values(cases: Sequence[Case]) -> dict[str, Counter[str]]:
    """Each attribute's values with how many cases have them."""
    out: dict[str, Counter[str]] = {}
    for case in cases:
        for name, value in case.attributes.items():
            out.setdefault(name, Counter())[str(value)] += 1
    return out


def scope_items(cases: Sequence[Case]) -> list[PickItem]:
    """The whole study, each group of cases (``sector=CSD``), then each case."""
    items = [PickItem("", "(the whole study)")]
    for name, values in sorted(attribute_values(cases).items()):
        if len(values) <= GROUPED:
            for value, n in sorted(values.items(), key=lambda v: natural_key(v[0])):
                items.append(PickItem(f"{name}={value}", "", count(n, "case")))
    ids = {c.id for c in cases}
    items = [i for i in items if i.key not in ids]  # a case id always means the case
    items += [case_item(c, 56) for c in cases]
    return items


def pick_scope(key: str, cases: Sequence[Case], kind: str | None) -> Scope:
    if any(c.id == key for c in cases):
        return Scope(case=key, kind=kind)
    if "=" in key:
        by, _, group = key.partition("=")
        return Scope(by=by, group=group, kind=kind)
    return Scope(kind=kind)


def value_items(values: Counter[str], skip: str | None = None) -> list[PickItem]:
    return [
        PickItem(value, "", count(n, "case"))
        for value, n in sorted(values.items(), key=lambda v: natural_key(v[0]))
        if value != skip
    ]


# --- tables ----------------------------------------------------------------------------


def phrase_cells(p: KeyPhrase) -> list[Text | str]:
    return [cut(p.phrase, 30), str(p.count), str(p.segments), str(p.cases)]


def term_cells(t: TermContrast) -> list[Text | str]:
    style = "bold" if abs(t.z) > SIGNIFICANT else "dim"
    return [
        Text(cut(t.term, 32), style=style),
        Text(f"{t.z:+.2f}", style=style),
        str(t.group_count),
        f"{t.group_rate:.2f}",
        str(t.other_count),
        f"{t.other_rate:.2f}",
    ]


def adopted_as(candidate: CandidateTheme, themes: Sequence[Theme]) -> str | None:
    """The framework theme made from this candidate, if there is one."""
    for theme in themes:
        if theme.keywords == candidate.terms:
            return theme.id
    return None


def candidate_cells(c: CandidateTheme, adopted: str | None) -> list[Text | str]:
    label = Text(cut(c.label, 44))
    if adopted:
        label.append(f"  → {adopted}", style="bold green")
    return [label, str(c.size)]


# --- the passages beside them ------------------------------------------------------------


def _highlight(text: str, terms: Sequence[str]) -> Text:
    out = Text(text)
    words = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if words:
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\w*", re.IGNORECASE)
        for m in pattern.finditer(text):
            out.stylize("bold underline", m.start(), m.end())
    return out


def _passages(out: Text, passages: Sequence[Passage], terms: Sequence[str]) -> None:
    for p in passages:
        out.append(f"\n{p.case}", style="bold")
        out.append(f"  ({p.segment})\n", style="dim")
        out.append_text(_highlight(p.text, terms))
        out.append("\n")


def phrase_text(p: KeyPhrase) -> Text:
    out = Text(p.phrase, style="bold")
    said = f"{count(p.count, 'use')} in {count(p.segments, 'passage')} of {count(p.cases, 'case')}"
    out.append(f"\n{said}\n", style="dim")
    _passages(out, p.examples, [p.phrase])
    out.append("\nenter opens the first passage in Read & code", style="dim")
    return out


def candidate_text(c: CandidateTheme, adopted: str | None) -> Text:
    out = Text(c.label, style="bold")
    out.append(f"\n{count(c.size, 'passage')} · terms: {', '.join(c.terms)}\n", style="dim")
    if adopted:
        out.append(f"In the framework as {adopted}\n", style="green")
    else:
        out.append("a adds it to the framework, A under a theme you choose\n", style="dim")
    _passages(out, c.passages, c.terms)
    return out


def contrast_title(d: Discovery, scope: Scope) -> Text:
    if d.distinctive is None:
        return Text(
            "Choose two groups to compare with g (an attribute, then two of its values), "
            "or a group as the scope with s.",
            style="dim",
        )
    group = f"{scope.by} = {scope.group}"
    out = Text(f"Terms used more in {group} than in {d.against}", style="bold")
    out.append(
        f" - weighted log-odds z; |z| > {SIGNIFICANT} (bold) marks a real difference; "
        "the most under-used terms follow with negative z. Rates per 1,000 words.",
        style="dim",
    )
    return out
