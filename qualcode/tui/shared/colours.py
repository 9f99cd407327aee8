"""Theme colours: a dark background for coded text and a bright one for labels.

Colours follow framework order, so neighbouring sub-themes differ and a theme keeps
its colour between sessions while the framework does not change.
"""

from __future__ import annotations

from collections.abc import Iterable

BACKGROUNDS = (
    "#1f4e79",
    "#6b2d5c",
    "#2e6b30",
    "#7a4a12",
    "#5b2a86",
    "#1d6363",
    "#7a1f2b",
    "#4d5b1a",
    "#3b3f8f",
    "#6e3b1f",
    "#245a46",
    "#6a2a6a",
)
FOREGROUNDS = (
    "#6fa8dc",
    "#d77fbf",
    "#7ccd7c",
    "#f0a848",
    "#b48ef0",
    "#5fd0d0",
    "#f07c8c",
    "#b9cc5a",
    "#8f94ff",
    "#e0915e",
    "#5fc79d",
    "#d98ad9",
)


def theme_colours(theme_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(background, foreground) for each theme id, in the order given."""
    return {
        tid: (BACKGROUNDS[i % len(BACKGROUNDS)], FOREGROUNDS[i % len(FOREGROUNDS)])
        for i, tid in enumerate(theme_ids)
    }
