"""Theme order and colours shared by every workspace.

Top-level themes sort by id ("1".."7" before "S1".."S10"): a study often holds two
frameworks whose positions start at 0 alike; sub-themes keep their framework order.
"""

from __future__ import annotations

from collections.abc import Iterator

from qualcode.domain.framework import FrameworkTree, natural_key
from qualcode.domain.model import Theme
from qualcode.tui.colours import theme_colours


def walk(tree: FrameworkTree) -> Iterator[tuple[Theme, int]]:
    """(theme, depth) in display order."""
    for top in sorted(tree.children.get(None, ()), key=natural_key):
        yield tree.themes[top], 0
        for tid, depth in tree.walk(top, 1):
            yield tree.themes[tid], depth


def ordered(tree: FrameworkTree) -> list[Theme]:
    return [theme for theme, _ in walk(tree)]


def top_level(tree: FrameworkTree) -> list[str]:
    return sorted(tree.children.get(None, ()), key=natural_key)


def colours(tree: FrameworkTree) -> dict[str, tuple[str, str]]:
    return theme_colours(t.id for t in ordered(tree))
