"""Quotes picked by a case attribute: a case without a value gets its own heading, not
the one before it (P15, with no cohort, was printed under "pilot")."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from qualcode.domain.matrix import Quote
from qualcode.exchange.quotes_writers import render_md, write_docx


def quote(case: str, group: str | None) -> Quote:
    return Quote("T1", f"{case}:1", case, f"Words of {case}.", f"[{case}]", group, 1,
                 case, 1, False, f"{case} l.1")  # fmt: skip


QUOTES = [quote("P1", "pilot"), quote("P2", "pilot"), quote("P15", None)]


def test_a_case_without_the_value_is_under_not_recorded_in_markdown() -> None:
    md = render_md(QUOTES, {"T1": "Exporting"})
    assert md.index("### pilot") < md.index("P2") < md.index("### (not recorded)") < md.index("P15")


def test_a_case_without_the_value_is_under_not_recorded_in_word(tmp_path: Path) -> None:
    write_docx(QUOTES, {"T1": "Exporting"}, tmp_path / "q.docx")
    paras = [p.text for p in Document(str(tmp_path / "q.docx")).paragraphs]
    heads = [p for p in paras if p in ("pilot", "(not recorded)")]
    assert heads == ["pilot", "(not recorded)"]
    assert paras.index("(not recorded)") < next(i for i, p in enumerate(paras) if "P15" in p)


def test_quotes_not_grouped_have_no_group_headings() -> None:
    md = render_md([quote("P1", None), quote("P2", None)], {"T1": "Exporting"})
    assert "###" not in md


def test_a_group_heading_names_its_attribute() -> None:
    """walk47e: quotes by fft_score were headed "### 1", "### 2": a bare value."""
    from dataclasses import replace

    scored = [
        replace(quote("P1", "1"), grouped_by=("fft_score",)),
        replace(quote("P15", None), grouped_by=("fft_score",)),
    ]
    md = render_md(scored, {"T1": "Exporting"})
    assert "### fft_score: 1\n" in md
    assert "### fft_score: (not recorded)\n" in md
    both = replace(quote("P2", "CSD / North"), grouped_by=("sector", "region"))
    assert both.group_heading() == "sector: CSD \u00b7 region: North"
