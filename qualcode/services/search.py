"""Keyword-in-context search across a study: words, phrases or a regular expression,
filtered by case attributes and by theme; coding the hits' segments in one go."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qualcode.domain.model import TRANSCRIPT, Coding
from qualcode.errors import InputError, NotFoundError
from qualcode.services import codings as coding_service
from qualcode.services import framework
from qualcode.services.queries import list_cases, list_segments, list_sources
from qualcode.services.study import Study
from qualcode.services.theme_errors import no_theme_in_study, no_theme_in_tree
from qualcode.services.theme_scope import check_applies
from qualcode.store import audit, convert, states
from qualcode.store import models as m
from qualcode.store.queries import codings as codings_q

MODES = ("words", "phrase", "regex")
DEFAULT_CONTEXT = 60


@dataclass(frozen=True)
class Hit:
    """One match: offsets point into the source text, like every passage in qualcode."""

    source: str
    case: str
    segment: str
    start: int
    end: int
    line: int
    left: str
    match: str
    right: str
    role: str
    kind: str = TRANSCRIPT  # the source's, so that a picker offers the right themes
    question: str | None = None


_QUOTED = re.compile(r'"([^"]*)"|(\S+)')  # a "quoted phrase", or one word


def _variants() -> dict[str, str]:
    """Each unaccented letter (and the apostrophe) -> every way transcripts write it:
    "Sean" finds "Seán", "Zurich" "Zürich", "dont" no, but "don't" finds "don’t"."""
    out: dict[str, set[str]] = {"'": {"'", "\u2019", "\u2018"}}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii() and base.isalpha() and base != ch:
            out.setdefault(base.lower(), {base.lower()}).add(ch.lower())
    return {k: "".join(sorted(v)) for k, v in out.items()}


_FOLD = _variants()


def folded(text: str) -> str:
    """``text`` as a pattern that matches it with or without accents, and with
    either apostrophe."""
    out = []
    for ch in text.replace("\u2019", "'").replace("\u2018", "'"):  # either apostrophe
        base = "".join(
            c for c in unicodedata.normalize("NFD", ch.lower()) if not unicodedata.combining(c)
        )
        same = _FOLD.get(base) if len(base) == 1 else None
        out.append(f"[{re.escape(same)}]" if same else re.escape(ch))
    return "".join(out)


def compile_query(query: str, mode: str = "words") -> re.Pattern[str]:
    """``words``: any of the words (``recruit*`` matches word beginnings), a "quoted
    phrase" among them counting as one; ``phrase``:
    the words in order, any spacing; ``regex``: a Python regular expression. Case is
    ignored in every mode, and accents and the kind of apostrophe in the first two."""
    query = query.strip()
    if not query:
        raise InputError("type something to search for")
    if mode == "regex":
        try:
            return re.compile(query, re.IGNORECASE)
        except re.error as exc:
            raise InputError(f"not a valid regular expression ({exc})") from exc
    if mode not in MODES:
        raise InputError(f"unknown search mode {mode!r} (one of: {', '.join(MODES)})")

    def word(w: str) -> str:
        if w.endswith("*") and len(w) > 1:
            return folded(w[:-1]) + r"\w*"
        return folded(w)

    def phrase(text: str) -> str:
        return r"\s+".join(word(w) for w in (w.strip("\"'") for w in text.split()) if w)

    if mode == "phrase":
        parts = [phrase(query)]
    else:  # any of the words; a "quoted phrase" among them is one, as in a web search
        parts = [phrase(quoted or bare) for quoted, bare in _QUOTED.findall(query)]
    parts = [p for p in parts if p]
    if not parts:
        raise InputError("type something to search for")
    body = "|".join(sorted(set(parts), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _attribute_match(attrs: Mapping[str, Any], wanted: Mapping[str, str]) -> bool:
    for name, value in wanted.items():
        have = attrs.get(name)
        if have is None or str(have).casefold() != str(value).casefold():
            return False
    return True


def _one_line(text: str) -> str:
    return " ".join(text.split())


def search(
    study: Study,
    query: str,
    mode: str = "words",
    attributes: Mapping[str, str] | None = None,
    theme: str | None = None,
    include_interviewer: bool = False,
    context: int = DEFAULT_CONTEXT,
    limit: int | None = None,
) -> list[Hit]:
    """Every match in reading order, with ``context`` characters either side (kept
    within the segment). ``theme`` keeps hits in segments coded with it or a sub-theme."""
    pattern = compile_query(query, mode)
    allowed_cases: set[str] | None = None
    if attributes:
        cases = list_cases(study)
        known = {n.casefold(): n for c in cases for n in c.attributes}
        unknown = sorted(n for n in attributes if n.casefold() not in known)
        if unknown:
            raise InputError(f"no case attribute {', '.join(unknown)}")
        wanted_attrs = {known[n.casefold()]: v for n, v in attributes.items()}
        allowed_cases = {c.id for c in cases if _attribute_match(c.attributes, wanted_attrs)}
    coded: dict[str, set[str]] | None = None
    wanted: set[str] = set()
    if theme is not None:
        tree = framework.framework_tree(study)
        if theme not in tree.themes:
            raise no_theme_in_tree(tree, theme)
        wanted = set(tree.with_descendants(theme))
        coded = coding_service.segment_themes(study)
    hits: list[Hit] = []
    kinds = {src.id: (src.kind, src.question) for src in list_sources(study)}
    for seg in list_segments(study, include_interviewer=include_interviewer):
        if allowed_cases is not None and seg.case not in allowed_cases:
            continue
        if coded is not None and not (coded.get(seg.id, set()) & wanted):
            continue
        for found in pattern.finditer(seg.text):
            if found.end() == found.start():
                continue  # an empty regex match codes nothing
            a, b = found.start(), found.end()
            hits.append(
                Hit(
                    source=seg.source,
                    case=seg.case,
                    segment=seg.id,
                    start=seg.start + a,
                    end=seg.start + b,
                    line=seg.line + seg.text.count("\n", 0, a),
                    left=_one_line(seg.text[max(0, a - context) : a]),
                    match=_one_line(found.group(0)),
                    right=_one_line(seg.text[b : b + context]),
                    role=seg.role,
                    kind=kinds.get(seg.source, (TRANSCRIPT, None))[0],
                    question=kinds.get(seg.source, (TRANSCRIPT, None))[1],
                )
            )
            if limit is not None and len(hits) >= limit:
                return hits
    return hits


def code_hits(
    study: Study, hits: Iterable[Hit], theme: str, coder: str | None = None
) -> list[Coding]:
    """Code the segment of each hit with ``theme`` in one transaction; returns only the
    codings that are new (a segment already coded with the theme is left alone)."""
    coder = coder or study.coder
    hits = list(hits)
    segment_ids = list(dict.fromkeys(h.segment for h in hits))
    new: list[Coding] = []
    with study.write() as s:
        if s.get(m.ThemeRow, theme) is None:
            raise no_theme_in_study(s, theme)
        check_applies(s, theme, {h.source for h in hits})
        for seg_id in segment_ids:
            seg = s.get(m.SegmentRow, seg_id)
            if seg is None:
                raise NotFoundError(f"no segment {seg_id!r}")
            exists = codings_q.coding_at(s, seg.source_id, seg.start, seg.end, theme, coder)
            if exists is not None:
                continue
            span = (seg.source_id, seg.start, seg.end, theme)
            row = m.CodingRow(**codings_q.coding_values(*span, coder, "search"))
            s.add(row)
            s.flush()
            coding = convert.coding(row)
            new.append(coding)
            audit.record(s, coder, "add", "coding", row.id, after=states.coding(coding))
    return new


__all__ = ["MODES", "Hit", "code_hits", "compile_query", "search"]
