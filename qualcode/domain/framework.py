"""The thematic framework as a tree: validation and traversal, no I/O."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from qualcode.domain.model import Theme


class FrameworkProblem(ValueError):
    """A framework that is not a tree; ``theme`` names the offending theme id."""

    def __init__(self, message: str, theme: str | None = None) -> None:
        super().__init__(message)
        self.theme = theme


@dataclass(frozen=True)
class FrameworkTree:
    """Themes indexed by id and by parent, in framework order."""

    themes: Mapping[str, Theme]
    children: Mapping[str | None, tuple[str, ...]]

    @classmethod
    def build(cls, themes: Iterable[Theme]) -> FrameworkTree:
        by_id: dict[str, Theme] = {}
        for theme in themes:
            if theme.id in by_id:
                raise FrameworkProblem(f"duplicate theme id {theme.id!r}", theme.id)
            by_id[theme.id] = theme
        kids: dict[str | None, list[Theme]] = defaultdict(list)
        for theme in by_id.values():
            if theme.parent is not None and theme.parent not in by_id:
                raise FrameworkProblem(
                    f"theme {theme.id!r} has unknown parent {theme.parent!r}", theme.id
                )
            kids[theme.parent].append(theme)
        children = {
            parent: tuple(t.id for t in sorted(ts, key=lambda t: (t.position, natural_key(t.id))))
            for parent, ts in kids.items()
        }
        tree = cls(by_id, children)
        tree._check_acyclic()
        return tree

    def _check_acyclic(self) -> None:
        reachable = {tid for tid, _ in self.walk()}
        for tid in self.themes:
            if tid not in reachable:
                raise FrameworkProblem(f"theme {tid!r} is part of a parent cycle", tid)

    def walk(self, root: str | None = None, depth: int = 0) -> Iterator[tuple[str, int]]:
        """Depth-first (theme id, depth) in framework order below ``root``."""
        for tid in self.children.get(root, ()):
            yield tid, depth
            yield from self.walk(tid, depth + 1)

    def ordered(self) -> list[Theme]:
        return [self.themes[tid] for tid, _ in self.walk()]

    def descendants(self, theme_id: str) -> list[str]:
        return [tid for tid, _ in self.walk(theme_id)]

    def with_descendants(self, theme_id: str) -> list[str]:
        return [theme_id, *self.descendants(theme_id)]

    def ancestors(self, theme_id: str) -> list[str]:
        out: list[str] = []
        parent = self.themes[theme_id].parent
        while parent is not None:
            out.append(parent)
            parent = self.themes[parent].parent
        return out

    def top_level(self) -> list[Theme]:
        return [self.themes[tid] for tid in self.children.get(None, ())]

    def would_cycle(self, theme_id: str, new_parent: str | None) -> bool:
        """True when re-parenting ``theme_id`` under ``new_parent`` makes a cycle."""
        return new_parent is not None and (
            new_parent == theme_id or new_parent in self.descendants(theme_id)
        )


_NATURAL_PARTS = re.compile(r"(\d+)|(\D+)")


_NOT_ALNUM = re.compile(r"[\W_]+")


def id_repeats_label(theme: str, label: str) -> bool:
    """Whether a theme's id only spells its label (a slug: "parking" of "Parking",
    "staff-manner" of "Staff manner"), so that writing both says it twice. A numbering
    ("1.2") or a code ("S5") says where the theme sits, and is worth writing."""
    said = _NOT_ALNUM.sub("", theme.casefold())
    return bool(said) and said == _NOT_ALNUM.sub("", label.casefold())


def theme_title(theme: str, label: str) -> str:
    """ "1.3 Agency staff" in headings; a slug id that spells its label, the label alone."""
    return label if id_repeats_label(theme, label) else f"{theme} {label}"


def natural_key(value: str) -> tuple[tuple[int, int | str], ...]:
    """Sort "int2" before "int10" and "1.2" before "1.10". A digit is a decimal digit,
    which ``int`` reads; ``str.isdigit`` also takes "²", which it cannot."""
    return tuple(
        (0, int(digits)) if digits else (1, text.lower())
        for digits, text in _NATURAL_PARTS.findall(value)
    )


def flatten_nested(
    nodes: Sequence[Mapping[str, object]], parent: str | None = None
) -> Iterator[tuple[Mapping[str, object], str | None, int]]:
    """Yield (node, parent id, position) for a nested ``children`` structure."""
    for position, node in enumerate(nodes):
        yield node, parent, position
        children = node.get("children")
        if isinstance(children, list):
            yield from flatten_nested(
                children,
                str(node.get("id")),
            )


def next_id(tree: FrameworkTree, parent: str | None) -> str:
    """A suggested id for a new theme: "1.5" after "1.4", "8" after "7"; none ("")
    where the ids beside it are names ("querying"), not numbers. Never an id taken
    elsewhere in the tree: a theme moved under another keeps its id, and Discover
    adopts candidates as D1, D2 under any parent."""
    kids = tree.children.get(parent, ())
    numbers = []
    for kid in kids:
        if parent is not None and not kid.startswith(f"{parent}."):
            continue  # moved here from elsewhere ("D2" under "U"): not this numbering
        last = kid.rsplit(".", 1)[-1]
        digits = "".join(ch for ch in last if ch.isdigit())
        if digits:
            numbers.append(int(digits))
    if kids and not numbers and not any(any(ch.isdigit() for ch in k) for k in kids):
        return ""  # named ids ("querying"): a number ("querying1") would mean nothing
    prefix = (
        "".join(ch for ch in (kids[0] if kids else "") if not ch.isdigit())
        if parent is None
        else f"{parent}."
    )
    n = max(numbers, default=0) + 1
    while f"{prefix}{n}" in tree.themes:
        n += 1
    return f"{prefix}{n}"
