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
