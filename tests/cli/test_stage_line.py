"""The stage line of long suggestion runs on stderr: drawn in place for a person at a
terminal, cleared when done, and never written where no one is watching."""

from __future__ import annotations

import io

import pytest

from qualcode.cli.stage_line import StageLine


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_stage_rewritten_in_place_then_cleared() -> None:
    out = Terminal()
    line = StageLine("checking the suggestions", out)
    line("reading", 30_000, 30_000)
    line("learning", 92, 92)  # a stage's end is always drawn, however soon
    line.close()
    text = out.getvalue()
    assert "\rchecking the suggestions: reading passages 30,000/30,000" in text
    assert "\rchecking the suggestions: learning from your codings 92/92" in text
    assert "\n" not in text
    # the last line is blanked, and the cursor left at its start
    assert text.endswith(
        "\r" + " " * len("checking the suggestions: learning from your codings 92/92") + "\r"
    )


def test_scripts_and_logs_see_nothing() -> None:
    out = io.StringIO()
    line = StageLine("suggesting", out)
    line("learning", 1, 92)
    line.close()
    assert out.getvalue() == ""


def test_a_log_sees_a_first_embedding_every_tenth_and_nothing_else() -> None:
    out = io.StringIO()
    with StageLine("suggesting", out) as progress:
        for done in range(0, 1001, 50):
            progress("embedding", done, 1000)
        progress("learning", 5, 92)
    notes = out.getvalue().splitlines()
    assert len(notes) == 11  # 0%, 10%, ... 100%
    assert notes[-1] == "embedding segments (cached for next time): 1000/1000"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_long_stage_says_about_how_long_it_has_left(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out, clock = Terminal(), Clock()
    line = StageLine("suggesting", out, clock=clock)
    line("embedding", 0, 6000)
    assert out.getvalue().endswith("6,000 (once: kept for next time)")  # no pace yet
    clock.now += 20  # loading the model: not the pace of the stage (it doubled the guess)
    line("embedding", 600, 6000)
    clock.now += 30  # 600 more in 30 s: 4,800 to go at that pace is 4 minutes
    line("embedding", 1200, 6000)
    assert out.getvalue().endswith(
        "computing sentence vectors 1,200/6,000 · about 4 min left (once: kept for next time)"
    )
    clock.now += 1
    line("learning", 0, 92)
    clock.now += 1  # too soon to guess from
    line("learning", 40, 92)
    assert out.getvalue().endswith("learning from your codings 40/92")
    clock.now += 4  # 40 more in 5 s: 12 to go is about 2 s, shown as "about 5 s"
    line("learning", 80, 92)
    assert out.getvalue().endswith("learning from your codings 80/92 · about 5 s left")
    # In a terminal narrower than the line it is cut: a wrapped line is not rewritten.
    monkeypatch.setenv("COLUMNS", "40")
    line("learning", 92, 92)
    assert out.getvalue().endswith("\rsuggesting: learning from your codings…")


def test_a_log_of_a_first_embedding_says_how_long_it_has_left() -> None:
    out, clock = io.StringIO(), Clock()
    with StageLine("suggesting", out, clock=clock) as progress:
        progress("embedding", 0, 1000)
        clock.now += 30
        progress("embedding", 100, 1000)
        clock.now += 60
        progress("embedding", 200, 1000)
    assert out.getvalue().splitlines()[-1] == (
        "embedding segments (cached for next time): 200/1000 · about 8 min left"
    )


def test_a_stage_announced_then_counted_takes_its_pace_from_the_count() -> None:
    """walk49a: "learning" was announced (0 of 1), coded spans were embedded for 45 s,
    and the count that followed read "about 3 min left" with 3 s to go."""
    out, clock = Terminal(), Clock()
    line = StageLine("suggesting", out, clock=clock)
    line("learning", 0, 1)
    clock.now += 1
    line("coded passages", 64, 700)
    assert out.getvalue().endswith("reading the passages you coded 64/700")
    clock.now += 45
    line("learning", 17, 88)
    clock.now += 5  # 40 more models in 5 s: 31 to go is about 4 s, not minutes
    line("learning", 57, 88)
    assert out.getvalue().endswith("learning from your codings 57/88 · about 5 s left")
