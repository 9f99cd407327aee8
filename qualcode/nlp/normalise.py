"""Turn a passage into canonical content tokens, remembering where each came from.

Steps: blank out speaker labels ("R:", "Interviewer:"), editorial brackets
("[laughs]", "[X] college") and stage directions ("(The participant reads the
task)"); split into words; map abbreviations as written (NQSWs, ICS) and informal
shorthand (mgr, sw) to one form; map American spellings to British; lemmatise with
spaCy's lookup table; fold multi-word expansions into their abbreviation ("newly
qualified social workers" -> nqsw); drop stop words but keep negations and the few
that carry meaning here ("front door", "part time").

The same function normalises theme keywords, so matching is consistent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, count, repeat
from operator import itemgetter, not_
from typing import cast

from qualcode.nlp import lexicon
from qualcode.nlp.language import english_stop_words, lemma

WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|£")
LABEL = re.compile(
    r"^[ \t]*(?:[A-Z][\w.'\u2019-]*(?:[ \t][A-Z][\w.'\u2019-]*){0,3}|[IRQA]|Int)[ \t]*:[ \t]",
    re.MULTILINE,
)
BRACKET = re.compile(r"\[[^\]\n]{0,60}\]")
# a transcriber's note of what someone does, in round brackets: "(The participant reads
# the task again)", "(laughs)"; a clarification such as "(referring to the filename)"
# says what the words are about, and stays
STAGE = re.compile(
    r"\((?:the\s+)?(?:participant|interviewee|respondent|interviewer|moderator)\b[^()\n]{0,120}\)"
    r"|\((?:laughs?|laughter|laughing|joking|jokes|inaudible|unclear|pauses?|silence|crosstalk"
    r"|sighs?|coughs?)\)",
    re.IGNORECASE,
)
CONTRACTION_BASE = {"ca": "can", "wo": "will", "sha": "shall"}
LEMMA_MERGE = {"practise": "practice"}
# Lookup-table slips: "does" is not the plural of "doe" here.
LEMMA_FIX = {"does": "do", "doing": "do", "data": "data", "staff": "staff", "media": "media"}
Span = tuple[int, int]


@dataclass(frozen=True)
class Analysed:
    """Content tokens of a passage and the character span each was read from."""

    tokens: tuple[str, ...]
    spans: tuple[Span, ...]

    @property
    def joined(self) -> str:
        return " ".join(self.tokens)

    def surface(self, text: str, start: int, length: int) -> str:
        """The original words behind ``tokens[start:start + length]``."""
        a = self.spans[start][0]
        b = self.spans[start + length - 1][1]
        return " ".join(text[a:b].split())


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def clean(text: str) -> str:
    """Blank out speaker labels, editorial brackets and stage directions, keeping every
    offset."""
    return STAGE.sub(_blank, BRACKET.sub(_blank, LABEL.sub(_blank, text)))


_OR_PREFIXES = tuple(lexicon.OR_TO_OUR)


def _british(word: str) -> str:
    if word in lexicon.US_TO_UK:
        return lexicon.US_TO_UK[word]
    if "iz" in word and not word.endswith(lexicon.IZE_KEEP):
        for us, uk in (
            ("ization", "isation"),
            ("izing", "ising"),
            ("ized", "ised"),
            ("izes", "ises"),
            ("izer", "iser"),
            ("ize", "ise"),
        ):
            if us in word:
                return word.replace(us, uk)
    if "yz" in word:
        return word.replace("yze", "yse").replace("yzing", "ysing")
    if word.startswith(_OR_PREFIXES):  # a quick test before the loop
        for us, uk in lexicon.OR_TO_OUR.items():
            if word.startswith(us) and not word.startswith(uk):
                return uk + word[len(us) :]
    return word


_LOWER_ABBREV = {
    k.lower(): v for k, v in lexicon.ABBREVIATIONS.items() if k not in lexicon.CASE_SENSITIVE
}


@lru_cache(maxsize=100_000)
def word_tokens(raw: str) -> tuple[str, ...]:
    """Canonical tokens (stop words still in) of one word as written."""
    word = raw.replace("\u2019", "'")
    tail: tuple[str, ...] = ()
    if "'" in word:
        base, _, suffix = word.rpartition("'")
        if suffix.lower() == "t" and base.lower().endswith("n"):
            base = base[:-1]
            base = CONTRACTION_BASE.get(base.lower(), base)
            tail = ("not",)
        word = base
    if len(word) >= 2:
        key = word[:-1] if word.endswith("s") and word[:-1].isupper() and len(word) > 2 else word
        if key.isupper() and key in lexicon.ABBREVIATIONS:
            return (lexicon.ABBREVIATIONS[key], *tail)
    lower = word.lower()
    if lower in _LOWER_ABBREV:
        return (_LOWER_ABBREV[lower], *tail)
    if lower in lexicon.SHORTHAND:
        return (*lexicon.SHORTHAND[lower], *tail)
    base_form = LEMMA_FIX.get(lower) or lemma(_british(lower))
    return (LEMMA_MERGE.get(base_form, base_form), *tail)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = english_stop_words()
    return frozenset(w for w in words if w not in lexicon.KEEP_STOP) | {"s", "'s"}


@lru_cache(maxsize=1)
def _expansions() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, abbrev in lexicon.EXPANSIONS.items():
        toks = tuple(t for m in WORD.finditer(phrase) for t in word_tokens(m.group(0)))
        table.setdefault(toks[0], []).append((toks, abbrev))
    for options in table.values():
        options.sort(key=lambda o: -len(o[0]))
    return table


# What analyse needs, worked out once per word as written and per space-free piece of
# text ("answer.", "it's", ...). The two tables are emptied when full; the head words (a
# few spellings of ~20 words) are never dropped, so a concurrent caller that finds a
# table emptied works its entries out again but never misses an expansion.
_KEPT: dict[str, tuple[str, ...]] = {}  # word -> its content tokens
_HEAD_WORDS: set[str] = set()  # words with a token that starts an expansion
_NEXT: dict[str, frozenset[str] | None] = {}  # head word -> see _next_needed
# piece -> (content tokens, each one's span in the piece, length + 1, words, any head word,
# each word's span in the piece)
_Piece = tuple[tuple[str, ...], tuple[Span, ...], int, tuple[str, ...], bool, tuple[Span, ...]]
_PIECES: dict[str, _Piece] = {}
_TABLE_LIMIT = 100_000
_PIECE_MAX = 100  # longer pieces (text without spaces) are not kept
_tokens_of, _spans_of, _width_of, _words_of, _has_head, _word_spans_of = map(itemgetter, range(6))
_group = re.Match.group
_span = re.Match.span


def _content(word: str) -> tuple[str, ...]:
    """The content tokens of one word as written."""
    kept = _KEPT.get(word)
    if kept is None:
        toks = word_tokens(word)
        stops, heads = stop_words(), _expansions()
        kept = tuple(t for t in toks if t not in stops and (len(t) > 1 or t == "£"))
        if any(t in heads for t in toks):
            _NEXT[word] = _next_needed(toks, heads)
            _HEAD_WORDS.add(word)
        if len(_KEPT) >= _TABLE_LIMIT:
            _KEPT.clear()
        _KEPT[word] = kept
    return kept


def _next_needed(
    toks: tuple[str, ...], heads: dict[str, list[tuple[tuple[str, ...], str]]]
) -> frozenset[str] | None:
    """The tokens one of a head word's expansions needs right after the word, when only
    its last token starts one; else None (look closer)."""
    if any(t in heads for t in toks[:-1]):
        return None
    phrases = [phrase for phrase, _ in heads[toks[-1]]]
    if any(len(phrase) < 2 for phrase in phrases):
        return None
    return frozenset(phrase[1] for phrase in phrases)


def _piece(piece: str) -> _Piece:
    """The words of a piece of text with no space in it, and their content tokens."""
    first = WORD.search(piece)
    if first is None:
        found: _Piece = ((), (), len(piece) + 1, (), False, ())
    elif WORD.search(piece, first.end()) is None:  # one word, the usual case
        word = first[0]
        kept = _content(word)
        whole = (first.span(),)
        found = (kept, whole * len(kept), len(piece) + 1, (word,), word in _HEAD_WORDS, whole)
    else:
        matches = list(WORD.finditer(piece))
        words = tuple(map(_group, matches))
        word_spans = tuple(map(_span, matches))
        kept_each = list(map(_content, words))
        tokens = tuple(chain.from_iterable(kept_each))
        spans = tuple(chain.from_iterable(map(repeat, word_spans, map(len, kept_each))))
        head = not _HEAD_WORDS.isdisjoint(words)
        found = (tokens, spans, len(piece) + 1, words, head, word_spans)
    if len(piece) <= _PIECE_MAX:
        if len(_PIECES) >= _TABLE_LIMIT:
            _PIECES.clear()
        _PIECES[piece] = found
    return found


def analyse(text: str) -> Analysed:
    """The content tokens of ``text`` with their spans."""
    # clean() without the regex scans that cannot match
    if ":" in text:
        text = LABEL.sub(_blank, text)
    if "[" in text:
        text = BRACKET.sub(_blank, text)
    if "(" in text:
        text = STAGE.sub(_blank, text)
    # A word never holds a space, so the text's words are its pieces' words in turn (much
    # cheaper than scanning the whole text with WORD). Piece i starts at the sum of the
    # earlier pieces' lengths + 1.
    pieces = text.split(" ")
    try:
        found = list(map(_PIECES.__getitem__, pieces))
    except KeyError:
        known = list(map(_PIECES.get, pieces))
        for i in compress(count(), map(not_, known)):
            known[i] = _piece(pieces[i])
        found = cast("list[_Piece]", known)
    if any(map(_has_head, found)):
        words = list(chain.from_iterable(map(_words_of, found)))
        if _expands(words):
            return _folded(found, words)
    # No expansion anywhere (the common case): each word's content tokens, spanning it.
    tokens = tuple(chain.from_iterable(map(_tokens_of, found)))
    spans_in = list(map(_spans_of, found))
    starts = accumulate(map(_width_of, found), initial=0)  # one more than the pieces
    at = compress(zip(spans_in, starts, strict=False), spans_in)  # the pieces with content
    return Analysed(tokens, tuple([(s + a, s + b) for ab, s in at for a, b in ab]))


def _expands(words: list[str]) -> bool:
    """Whether the canonical tokens of ``words`` spell an expansion anywhere."""
    expansions = _expansions()
    for w in compress(count(), map(_HEAD_WORDS.__contains__, words)):
        need = _NEXT[words[w]]
        if need is not None:  # most heads fail here, without walking the phrases
            if w + 1 == len(words):
                continue
            after = word_tokens(words[w + 1])
            if after and after[0] not in need:
                continue
        for t, tok in enumerate(word_tokens(words[w])):
            for phrase, _ in expansions.get(tok, ()):
                if _phrase_end(words, w, t, phrase) is not None:
                    return True
    return False


def _phrase_end(
    words: list[str], w: int, t: int, phrase: tuple[str, ...]
) -> tuple[int, int] | None:
    """Word and token index of the last token of ``phrase`` where the canonical tokens
    from token ``t`` of word ``w`` on spell it (the first is known to), else None."""
    toks = word_tokens(words[w])
    for want in phrase[1:]:
        t += 1
        while t >= len(toks):
            w += 1
            if w == len(words):
                return None
            toks = word_tokens(words[w])
            t = 0
        if toks[t] != want:
            return None
    return w, t


def _folded(found: list[_Piece], words: list[str]) -> Analysed:
    """Like the common case, but each expansion folded into its abbreviation: word by
    word, token by token from each word where one may start."""
    starts = accumulate(map(_width_of, found), initial=0)
    each = zip(map(_word_spans_of, found), starts, strict=False)
    spans = [(s + a, s + b) for ab, s in each for a, b in ab]
    kept = list(map(_content, words))
    out: tuple[list[str], list[Span]] = ([], [])
    done = 0  # the words before this one are analysed
    for head in compress(count(), map(_HEAD_WORDS.__contains__, words)):
        if head >= done:
            _plain(spans[done:head], kept[done:head], out)
            done = _fold(spans, words, kept, head, out)
    _plain(spans[done:], kept[done:], out)
    return Analysed(tuple(out[0]), tuple(out[1]))


def _plain(
    spans: list[Span], kept: list[tuple[str, ...]], out: tuple[list[str], list[Span]]
) -> None:
    """Words where no expansion starts: each content token, spanning its word."""
    before = len(out[0])
    out[0].extend(chain.from_iterable(kept))
    found = list(compress(spans, kept))
    if len(out[0]) - before == len(found):
        out[1].extend(found)
    else:  # a word with several content tokens
        out[1].extend(chain.from_iterable(map(repeat, found, map(len, filter(None, kept)))))


def _fold(
    spans: list[Span],
    words: list[str],
    kept: list[tuple[str, ...]],
    w: int,
    out: tuple[list[str], list[Span]],
) -> int:
    """Token by token from word ``w``, folding expansions, until a word ends where no
    expansion goes on; the index of the next word."""
    expansions = _expansions()
    t = 0
    while True:
        toks = word_tokens(words[w])
        moved = False
        while t < len(toks) and not moved:
            tok = toks[t]
            for phrase, abbrev in expansions.get(tok, ()):
                end = _phrase_end(words, w, t, phrase)
                if end is not None:
                    out[0].append(abbrev)
                    out[1].append((spans[w][0], spans[end[0]][1]))
                    moved = end[0] != w
                    w, t = end[0], end[1] + 1
                    break
            else:
                if tok in kept[w]:
                    out[0].append(tok)
                    out[1].append(spans[w])
                t += 1
        if not moved:
            return w + 1


def analyse_all(texts: Iterable[str]) -> list[Analysed]:
    return [analyse(t) for t in texts]


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A keyword or label as canonical content tokens (for phrase matching)."""
    return analyse(phrase).tokens


def find_phrase(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> int:
    """Index of the first occurrence of ``phrase`` in ``tokens``, or -1."""
    k = len(phrase)
    if k == 0:
        return -1
    first = phrase[0]
    for i, tok in enumerate(tokens):
        if tok == first and tokens[i : i + k] == phrase:
            return i
    return -1
