"""Theme order and colours shared by every workspace: the framework's own order.

A study's second framework is imported after the first (its top-level themes get
the positions after the first's), so the framework order is also the order in which
the frameworks came in; sub-themes keep their order within their parent.
"""

from __future__ import annotations

from collections.abc import Iterator

from qualcode.domain.framework import FrameworkTree, id_repeats_label
from qualcode.domain.model import Theme
from qualcode.tui.shared.colours import theme_colours


def walk(tree: FrameworkTree) -> Iterator[tuple[Theme, int]]:
    """(theme, depth) in framework order."""
    for tid, depth in tree.walk():
        yield tree.themes[tid], depth


def ordered(tree: FrameworkTree) -> list[Theme]:
    return tree.ordered()


def top_level(tree: FrameworkTree) -> list[str]:
    return [t.id for t in tree.top_level()]


def colours(tree: FrameworkTree) -> dict[str, tuple[str, str]]:
    return theme_colours(t.id for t in ordered(tree))


def fitted(theme: str, label: str, room: int) -> tuple[str, str]:
    """A theme's id and label cut to ``room`` characters with a space between: the id
    whole and as much of the label as fits, or, where a long id ("query-inputs-and-
    elements-useful") leaves the label too little, the id alone, cut if it must be; an
    id that only spells its label ("simple-export Simple export") alone too."""
    if id_repeats_label(theme, label):
        label = ""
    if len(theme) + 1 + min(len(label), 8) <= room:
        rest = room - len(theme) - 1
        return theme, label if len(label) <= rest else label[: rest - 1] + "…"
    return (theme if len(theme) <= room else theme[: room - 1] + "…"), ""
