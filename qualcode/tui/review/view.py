"""How a suggestion looks in the Review workspace: its table row and its context."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text

from qualcode.domain.framework import FrameworkTree, id_repeats_label
from qualcode.domain.frameworks import StudyFrameworks
from qualcode.domain.model import SURVEY, TRANSCRIPT, Case
from qualcode.domain.reason_wording import brief_list
from qualcode.domain.score_wording import shown_score
from qualcode.domain.wording import counted
from qualcode.services.suggest import COLD_START
from qualcode.services.suggest_review import ReviewItem
from qualcode.tui.shared import themes
from qualcode.tui.shared.picker import PickItem, case_item

REVIEW_CSS = """
    #review-status { height: 1; padding: 0 1; color: $text-muted; }
    #review-table { height: 1fr; }
    #review-context {
        height: 12;
        padding: 0 1;
        border-top: hkey $primary 50%;
        background: $panel;
    }
    """


def flat(text: str) -> str:
    return " ".join(text.split())


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# The table's columns at 120 cells; the case column widens for long case ids ("NEAS S&C
# 5013 - Q1") and the passage column gives up as much.
CASE_WIDTH = (8, 20)
PASSAGE_WIDTH = 46


def column_widths(items: Sequence[ReviewItem]) -> list[tuple[str, int]]:
    longest = max((len(i.segment.case) for i in items), default=0)
    case = min(max(longest, CASE_WIDTH[0]), CASE_WIDTH[1])
    passage = PASSAGE_WIDTH - (case - CASE_WIDTH[0])
    return [("score", 5), ("theme", 28), ("case", case), ("passage", passage), ("because", 18)]


def row_cells(item: ReviewItem, widths: Sequence[tuple[str, int]]) -> list[Text | str]:
    """The item's cells at the table's ``widths`` (:func:`column_widths`)."""
    s = item.suggestion
    width = dict(widths)
    # a keyword match (cold start) is a strength, not a probability: marked so
    mark = "" if s.calibrated else "*"
    score = Text(f"{shown_score(s.score)}{mark}", style="bold" if s.score >= 0.5 else "")
    shown, label = themes.fitted(s.theme, item.theme_label, width["theme"])
    theme = Text(shown, style="bold")
    if label:
        theme.append(" " + label)
    return [
        score,
        theme,
        cut(item.segment.case, width["case"]),
        cut(flat(item.segment.text), width["passage"]),
        cut(brief_list(s.because), width["because"]),
    ]


def _because_pattern(because: Sequence[str]) -> re.Pattern[str] | None:
    """Words of ``because`` as word beginnings, so "supervis" in "supervision" lights up."""
    words = sorted({w for phrase in because for w in phrase.split() if len(w) > 2}, key=len)
    if not words:
        return None
    stems = [re.escape(w[:-1] if len(w) > 4 and w.endswith("s") else w) for w in words]
    return re.compile(r"\b(?:" + "|".join(reversed(stems)) + r")\w*", re.IGNORECASE)


FEW_CODINGS = 3  # below it a theme's scores are flagged as resting on little


def learned_from(method: str, params: Mapping[str, Any] | None) -> str:
    """ "learned from 12 codings of the theme"; with fewer than FEW_CODINGS, a word that
    the score rests on little: on nhs-fft's quotes a theme coded once scored 0.23 on
    average among its best three and was right 8.6% of the time."""
    n = (params or {}).get("positives")
    if method == COLD_START or not isinstance(n, int) or n < 1:
        return ""
    said = f"learned from {counted(n, 'coding', grouped=True)} of the theme"
    return said + (": few to go on, read it first" if n < FEW_CODINGS else "")


def context_text(item: ReviewItem, others: Sequence[ReviewItem] = ()) -> Text:
    """Where the passage comes from, the passage with the words that drove the
    suggestion highlighted, and why it was suggested."""
    seg, s = item.segment, item.suggestion
    out = Text()
    where = [seg.case]
    if item.question:
        where.append(item.question)
    else:
        where.append(f"line {seg.line}")
    if seg.speaker:
        where.append(seg.speaker)
    out.append(" · ".join(where), style="bold")
    out.append(f"   ({seg.id})\n", style="dim")
    shown = [f"{name}: {value}" for name, value in item.attributes if len(value) <= 40][:6]
    if shown:  # a survey's question or rating tells praise from complaint in "Nothing."
        out.append(" · ".join(shown) + "\n", style="dim")
    passage = Text(seg.text.strip())
    pattern = _because_pattern(s.because)
    if pattern is not None:
        for m in pattern.finditer(passage.plain):
            passage.stylize("bold underline", m.start(), m.end())
    out.append_text(passage)
    out.append("\n\n")
    named = s.theme if id_repeats_label(s.theme, item.theme_label) else None
    out.append(named or f"{s.theme} {item.theme_label}", style="bold")
    out.append(f"  score {shown_score(s.score)}")
    if s.because:
        out.append("  because: ", style="dim")
        out.append(", ".join(s.because))
    how = (
        "cold-start: a keyword match, not a probability"
        if s.method == COLD_START
        else s.method
        if s.calibrated
        else f"{s.method}, a first guess: too few codings yet to check it on"
    )
    out.append(f"  ({how}", style="dim")
    learned = learned_from(s.method, s.params)
    if learned:
        # scores of a theme coded once or twice ran high on real survey quotes
        out.append(f"; {learned}", style="bold" if "few" in learned else "dim")
    out.append(")", style="dim")
    ceiling = (s.params or {}).get("validated_max")
    if s.method != COLD_START and isinstance(ceiling, float) and s.score > ceiling:
        # 0.84 on "Nothing." after 51 coded answers, where no held-out one reached 0.8
        out.append(
            f"\nabove any score cross-validation gave (its highest {shown_score(ceiling)}): "
            "the curve's reach beyond what it has seen, so read it first",
            style="bold",
        )
    if others:
        out.append("\nalso suggested: ", style="dim")
        out.append(
            ", ".join(f"{o.suggestion.theme} {shown_score(o.suggestion.score)}" for o in others)
        )
    return out


# --- what the pickers offer --------------------------------------------------------------


def theme_items(tree: FrameworkTree, any_label: str | None = None) -> list[PickItem]:
    """Every theme in framework order, optionally after an "(any theme)" item."""
    colours = themes.colours(tree)
    first = [PickItem("", any_label)] if any_label else []
    return first + [
        PickItem(t.id, t.label, indent=depth, colour=colours[t.id][1])
        for t, depth in themes.walk(tree)
    ]


def case_items(cases: Sequence[Case]) -> list[PickItem]:
    return [PickItem("", "(any case)")] + [case_item(c, 56) for c in cases]


def other_theme_items(
    tree: FrameworkTree,
    item: ReviewItem,
    also: Sequence[ReviewItem],
    frameworks: StudyFrameworks | None = None,
) -> list[PickItem]:
    """The passage's other suggestions first, then every theme but the suggested one
    whose framework applies to the passage (a survey answer or an interview turn)."""
    kind = SURVEY if item.question else TRANSCRIPT
    if frameworks is not None:
        also = [i for i in also if frameworks.applies(i.suggestion.theme, kind, item.question)]
    colours = themes.colours(tree)
    first = [
        PickItem(
            i.suggestion.theme,
            i.theme_label,
            f"also suggested {shown_score(i.suggestion.score)}",
            colour=colours[i.suggestion.theme][1] if i.suggestion.theme in colours else None,
        )
        for i in also
    ]
    skip = {item.suggestion.theme} | {p.key for p in first}
    return first + [
        p
        for p in theme_items(tree)
        if p.key not in skip
        and (frameworks is None or frameworks.applies(p.key, kind, item.question))
    ]
