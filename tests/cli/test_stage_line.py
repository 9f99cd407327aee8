"""The stage line of long suggestion runs on stderr: drawn in place for a person at a
terminal, cleared when done, and never written where no one is watching."""

from __future__ import annotations

import io

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
