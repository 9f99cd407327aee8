"""What the Anonymise workspace shows, as Rich renderables built from frozen data: a
proposal's row, and excerpts of where its name occurs with how it will read.

Nothing here writes anywhere: the mapping stays on the screen and in the study.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text

from qualcode.domain.anonymise import ACCEPTED, PROPOSED, REJECTED, Proposal, matcher, name_key
from qualcode.domain.model import Segment
from qualcode.domain.wording import counted

STATUS_STYLE = {
    ACCEPTED: ("✓ accepted", "bold green"),
    REJECTED: ("✗ rejected", "red"),
    PROPOSED: ("? proposed", "yellow"),
}
FILTERS: tuple[str | None, ...] = (None, PROPOSED, ACCEPTED, REJECTED)


def row_cells(p: Proposal) -> list[Text]:
    """status, original, placeholder, kind, occurrences, origin."""
    word, style = STATUS_STYLE.get(p.status, (p.status, ""))
    dim = "dim" if p.status == REJECTED else ""
    return [
        Text(word, style=style),
        Text(p.original, style=f"bold {dim}"),
        Text(p.placeholder, style="strike dim" if p.status == REJECTED else "cyan"),
        Text(p.kind, style=dim),
        Text(str(p.occurrences).rjust(5)),
        Text(p.origin, style="dim"),
    ]


def counts_line(proposals: Sequence[Proposal], shown: int, status: str | None) -> Text:
    n = dict.fromkeys(STATUS_STYLE, 0)
    for p in proposals:
        n[p.status] = n.get(p.status, 0) + 1
    out = Text()
    out.append(counted(len(proposals), "name"), style="bold")
    out.append(" · ")
    out.append(f"{n[PROPOSED]} to review", style="bold yellow" if n[PROPOSED] else "dim")
    out.append(f" · {n[ACCEPTED]} accepted", style="green")
    out.append(f" · {n[REJECTED]} rejected", style="red")
    which = "all" if status is None else f"{shown} {status}"
    out.append(f"   showing {which} (s)", style="bold" if status else "dim")
    out.append("   accepted names are replaced in --anonymised exports", style="dim italic")
    return out


def _clip(text: str, start: int, end: int, width: int) -> tuple[str, int, int]:
    """``text`` on one line, cut to about ``width`` characters around ``start:end``;
    returns the cut text and the name's place in it."""
    flat = " ".join(text[:start].split())
    name = " ".join(text[start:end].split())
    rest = " ".join(text[end:].split())
    if text[:start][-1:].isspace() and flat:
        flat += " "
    if text[end:][:1].isspace() and rest:
        rest = " " + rest
    room = max(width - len(name), 10)
    left_room = room // 2
    left = flat[-left_room:] if len(flat) > left_room else flat
    right = rest[: room - len(left)]
    prefix = "…" if len(left) < len(flat) else ""
    suffix = "…" if len(right) < len(rest) else ""
    line = prefix + left + name + right + suffix
    a = len(prefix) + len(left)
    return line, a, a + len(name)


def excerpts(
    p: Proposal,
    segments: Sequence[Segment],
    limit: int = 3,
    width: int = 100,
    stop: Callable[[], bool] = lambda: False,
) -> Text:
    """Up to ``limit`` places where the name occurs (the name highlighted), and how the
    first of them reads with the placeholder. ``stop`` is asked now and then, so that a
    worker whose result is no longer wanted ends early."""
    out = Text()
    out.append(p.original, style="bold")
    out.append("  →  ")
    out.append(p.placeholder, style="bold cyan")
    out.append(f"   {p.kind} · found by {p.origin}\n", style="dim")
    found = matcher({p.original: p.placeholder})
    key = name_key(p.original)
    hits: list[tuple[Segment, int, int]] = []
    total = 0
    cases: set[str] = set()
    speaker_in: list[str] = []
    for n, seg in enumerate(segments):
        if n % 2000 == 0 and stop():
            break
        if seg.speaker and name_key(seg.speaker) == key and seg.case not in speaker_in:
            speaker_in.append(seg.case)
        reps = found.replacements(seg.text)
        if reps:
            total += len(reps)
            cases.add(seg.case)
            hits.extend((seg, r.start, r.end) for r in reps[: limit - len(hits)])
    if speaker_in:
        out.append(f"speaker label in {', '.join(speaker_in[:6])}\n", style="italic")
    if not hits:
        if not speaker_in:
            out.append("not in the transcripts or answers (in memos or summaries)", style="dim")
        return out
    out.append(f"{total} in the text of {len(cases)} case{'s' if len(cases) != 1 else ''}\n")
    for seg, start, end in hits:
        line = seg.line + seg.text.count("\n", 0, start)
        where = f"{seg.case} l.{line}"
        clip, a, z = _clip(seg.text, start, end, width - len(where) - 2)
        out.append(f"{where:<12}", style="dim")
        text = Text(clip)
        text.stylize("bold reverse", a, z)
        out.append_text(text)
        out.append("\n")
    seg, start, end = hits[0]
    clip, a, z = _clip(seg.text, start, end, width - 12)
    reads = clip[:a] + p.placeholder + clip[z:]
    out.append(f"{'reads as':<12}", style="dim")
    shown = Text(reads)
    if p.status == REJECTED:
        shown = Text(clip, style="dim")
        shown.append("  (rejected: stays as it is)", style="italic")
    else:
        shown.stylize("bold cyan", a, a + len(p.placeholder))
        if p.status == PROPOSED:
            shown.append("  (once accepted)", style="dim italic")
    out.append_text(shown)
    return out
