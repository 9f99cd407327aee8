"""Which themes go together: over cases and over passages, with counts and Jaccard.

Cases: two themes co-occur in a case that has a coding of each (a theme counts its
sub-themes' codings, as in the matrix). The Jaccard index is cases with both over
cases with either.

Passages: the unit is the segment (a turn of a transcript, a survey answer). A theme
is on every segment its codings overlap. With ``within=N``, a segment of theme A
co-occurs with B when a segment of B lies at most N segments away in the same source
(N=0: the same segment, so overlapping codings always count). The count is the
segments of either theme that co-occur with the other, and the passage Jaccard is
that count over the segments of either theme - for N=0 exactly the Jaccard index of
the two themes' segment sets.

Both matrices come from sparse products (themes x segments), so 20,000 codings on a
few thousand segments take milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from qualcode.analysis.counts import case_theme_pairs, rollup
from qualcode.domain.framework import FrameworkTree, natural_key
from qualcode.domain.mapping import CoOccurrence, CoOccurrenceTable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# (case, source, start, end, coded theme)
CodedSpan = tuple[str, str, int, int, str]
# source -> its segments as (start, end, segment id), in reading order
Segments = Mapping[str, Sequence[tuple[int, int, str]]]
_SPAN = 1 << 40  # keeps sources apart on one axis of character offsets


class SegmentIndex:
    """Every segment of the study at one position; sources follow each other."""

    def __init__(self, segments: Segments) -> None:
        import numpy as np

        self.sources = sorted(segments, key=natural_key)
        self.number = {source: n for n, source in enumerate(self.sources)}
        ids: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        lo: list[int] = []
        hi: list[int] = []
        for n, source in enumerate(self.sources):
            rows = sorted(segments[source])
            first = len(ids)
            ids.extend(r[2] for r in rows)
            starts.extend(n * _SPAN + r[0] for r in rows)
            ends.extend(n * _SPAN + r[1] for r in rows)
            lo.extend([first] * len(rows))
            hi.extend([len(ids)] * len(rows))
        self.ids = ids
        self.size = len(ids)
        self.starts = np.array(starts, dtype=np.int64)
        self.ends = np.array(ends, dtype=np.int64)
        # the first and one-past-last position of each position's source
        self.lo = np.array(lo, dtype=np.int64)
        self.hi = np.array(hi, dtype=np.int64)

    def hits(self, spans: pd.DataFrame) -> pd.DataFrame:
        """(theme, pos) for every segment a span of ``spans`` (source, start, end,
        theme) overlaps; spans outside every segment are left out."""
        import numpy as np
        import pandas as pd

        number = spans["source"].map(self.number)
        known = number.notna().to_numpy()
        base = number[known].to_numpy(dtype=np.int64) * _SPAN
        s = spans["start"].to_numpy(dtype=np.int64)[known]
        e = np.maximum(spans["end"].to_numpy(dtype=np.int64)[known], s + 1)
        # segments of one source are in order and do not overlap, so both searches
        # land inside the span's own source
        first = np.searchsorted(self.ends, base + s, side="right")  # first ending after s
        last = np.searchsorted(self.starts, base + e, side="left") - 1  # last starting before e
        width = np.maximum(last - first + 1, 0)
        keep = width > 0
        width, first = width[keep], first[keep]
        themes = spans["theme"].to_numpy()[known][keep]
        step = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width)
        pos = np.repeat(first, width) + step
        frame = pd.DataFrame({"theme": np.repeat(themes, width), "pos": pos})
        return frame.drop_duplicates()

    def reach(self, pos: np.ndarray, within: int) -> tuple[np.ndarray, np.ndarray]:
        """Every position within ``within`` of each of ``pos``, in the same source:
        (index into ``pos``, reached position)."""
        import numpy as np

        steps = np.arange(-within, within + 1)
        reached = pos[:, None] + steps[None, :]
        inside = (reached >= self.lo[pos][:, None]) & (reached < self.hi[pos][:, None])
        which = np.broadcast_to(np.arange(len(pos))[:, None], reached.shape)
        return which[inside], reached[inside]


def _spans_frame(spans: Iterable[CodedSpan], tree: FrameworkTree, themes: Sequence[str]) -> Any:
    """Spans rolled up to the requested themes (one row per span and target theme)."""
    import pandas as pd

    frame = pd.DataFrame(
        list(spans), columns=["case", "source", "start", "end", "coded"], dtype=object
    )
    frame["theme"] = frame["coded"].map(rollup(tree, themes))
    frame = frame.dropna(subset=["theme"]).explode("theme")
    return frame.drop_duplicates(subset=["source", "start", "end", "theme"])


def _binary(rows: Any, cols: Any, shape: tuple[int, int]) -> Any:
    import numpy as np
    from scipy import sparse

    code = np.unique(rows.astype(np.int64) * shape[1] + cols.astype(np.int64))
    ones = np.ones(len(code), dtype=np.int64)
    return sparse.csr_matrix((ones, (code // shape[1], code % shape[1])), shape=shape)


def cooccurrence(
    cases: Iterable[str],
    spans: Iterable[CodedSpan],
    segments: Segments,
    tree: FrameworkTree,
    themes: Sequence[str],
    within: int = 0,
) -> CoOccurrenceTable:
    """The co-occurrence of every pair of ``themes`` (and of each theme with itself).

    ``cases`` is the universe: spans of other cases are ignored.
    """
    import numpy as np

    if within < 0:
        raise ValueError("within must be 0 or more segments")
    universe = list(dict.fromkeys(cases))
    members = set(universe)
    spans = [s for s in spans if s[0] in members]
    n = len(themes)
    where = {t: i for i, t in enumerate(themes)}
    case_at = {c: i for i, c in enumerate(universe)}
    pairs = case_theme_pairs(((s[0], s[4]) for s in spans), tree, themes)
    case_m = _binary(
        pairs["theme"].map(where).to_numpy(),
        pairs["case"].map(case_at).to_numpy(),
        (n, max(len(universe), 1)),
    )
    both = (case_m @ case_m.T).toarray()
    index = SegmentIndex(segments)
    hits = index.hits(_spans_frame(spans, tree, themes))
    theme_rows = hits["theme"].map(where).to_numpy(dtype=np.int64)
    pos = hits["pos"].to_numpy(dtype=np.int64)
    width = max(index.size, 1)
    seg_m = _binary(theme_rows, pos, (n, width))
    which, reached = index.reach(pos, within)
    reach_m = _binary(theme_rows[which], reached, (n, width))
    same = (seg_m @ seg_m.T).toarray()
    near = (seg_m @ reach_m.T).toarray()  # [a, b]: segments of a within reach of b
    linked = near + near.T - same
    own_cases = np.diag(both)
    own_segs = np.diag(same)
    out: list[CoOccurrence] = []
    for i in range(n):
        for j in range(i, n):
            either_cases = own_cases[i] + own_cases[j] - both[i, j]
            either_segs = own_segs[i] + own_segs[j] - same[i, j]
            out.append(
                CoOccurrence(
                    themes[i],
                    themes[j],
                    int(both[i, j]),
                    _ratio(both[i, j], either_cases),
                    int(linked[i, j]),
                    _ratio(linked[i, j], either_segs),
                )
            )
    return CoOccurrenceTable(
        themes=tuple(themes),
        within=within,
        theme_cases={t: int(own_cases[i]) for i, t in enumerate(themes)},
        theme_passages={t: int(own_segs[i]) for i, t in enumerate(themes)},
        pairs=tuple(out),
    )


def _ratio(part: Any, whole: Any) -> float:
    return round(float(part) / float(whole), 4) if whole else 0.0


def linked_segments(
    cases: Iterable[str],
    spans: Iterable[CodedSpan],
    segments: Segments,
    tree: FrameworkTree,
    a: str,
    b: str,
    within: int = 0,
) -> list[str]:
    """The segments behind a pair's passage count, in reading order (the drill-down)."""
    themes = [a] if a == b else [a, b]
    members = set(cases)
    spans = [s for s in spans if s[0] in members]
    index = SegmentIndex(segments)
    hits = index.hits(_spans_frame(spans, tree, themes))
    own = {t: set(hits.loc[hits["theme"] == t, "pos"].astype(int)) for t in themes}
    if a == b:
        found = own[a]
    else:
        found = set()
        for x, y in ((a, b), (b, a)):
            for p in own[x]:
                lo, hi = int(index.lo[p]), int(index.hi[p])
                if any(q in own[y] for q in range(max(lo, p - within), min(hi, p + within + 1))):
                    found.add(p)
    return [index.ids[p] for p in sorted(found)]
