"""Word knowledge for telling names from ordinary capitalised words.

Word frequencies come from the English lexeme probabilities shipped in the
``spacy-lookups-data`` package (no model, no download): a word written capitalised
far more often than in lower case ("Smith", "London") is a name; a word that is
common in lower case ("Director", "Supervision") is not. Without the package the
study's own text decides (a word seen in lower case is an ordinary word).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _words("mr mrs ms miss mx dr prof professor sir dame lord lady cllr councillor rev revd")

# Capitalised words that are never worth anonymising in this field: calendar words,
# nationalities, national bodies and regions (the sampling strata, not identifying),
# and the ordinal adverbs that open a sentence ("Thirdly" was proposed in the demo).
_STOP = """
monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december christmas easter
english british welsh scottish irish european asian african caribbean polish romanian
indian pakistani bangladeshi chinese american australian french german spanish
england britain scotland wales ireland europe uk gb eu usa london
north south east west northern southern eastern western midlands yorkshire humber
ofsted nhs dfe dcsf dfes dh doh dwp gov government parliament whitehall westminster
cabinet minister ministers secretary treasury department court courts
cafcass skills care council councils authority authorities local
africa zimbabwe australia canada zealand india philippines nigeria ghana america romania
poland spain portugal germany france italy
laming munro climbie climbié covid brexit google microsoft excel word outlook zoom
skype facebook twitter youtube internet email
i ok okay yes no
firstly secondly thirdly fourthly fifthly lastly finally
"""
STOP = _words(_STOP)

# Words that end an organisation's or a place's name.
ORG_SUFFIXES = _words(
    """council college university trust hospital school academy agency partnership
    foundation centre center institute group ltd limited plc consortium board charity
    association society housing"""
)
PLACE_SUFFIXES = _words(
    """county borough city town village road street lane avenue green rise end hill park
    estate bridge vale valley heath cross common square gardens court way fields moor
    marsh wood forest"""
)
PLACE_ENDINGS = (
    "shire", "ton", "ford", "bury", "ham", "by", "wick", "chester", "cester", "mouth",
    "field", "bridge", "port", "ley", "leigh", "worth", "stead", "caster", "minster",
    "borough", "brough", "pool", "well", "combe", "mere", "dale", "thorpe", "thwaite",
    "hurst", "stow", "don", "wich", "holme", "haven", "cliffe", "ness",
)  # fmt: skip
CONNECTORS = _words("of upon on de van von le la du da")
FUNCTION = _words(
    """the a an so and but then when if yes no well oh our my we they he she it this that
    these those their his her its there here what why how where who which also because
    however after before at in on of for to from by with as like just actually basically
    obviously frankly honestly sure right now anyway okay ok dear"""
)
# Job words that come before a name ("Director Jane Mowbray") but never start one.
ROLES = _words(
    """director directors deputy assistant head heads manager managers chief officer lead
    leader member members chair principal senior service services team teams colleague
    colleagues councillor worker social acting interim"""
)

_GIVEN = """
aaron abigail adam adrian aisha alan alex alexander alice alison amanda amelia amy andrew
angela anita ann anna anne anthony barbara ben benjamin beth bethany bill bob brian carol
caroline catherine charles charlotte chloe chris christine claire colin craig daniel
david dawn debbie deborah denise diane donna dylan edward eleanor elizabeth ella emily
emma eric fatima fiona frances frank gary gavin george georgia gillian graham grace
hannah harry heather helen ian imran isabel jack jackie jacqueline james jane janet
jason jennifer jessica jill jo joanne john jon jonathan joseph josh joshua judith julia
julie karen kate katherine kathryn kelly kevin kim laura lauren lee leo lesley lewis
linda lisa liz louise lucy luke lynn maria mark martin mary matthew megan melanie michael
michelle mike mohammed muhammad nadia natalie neil nicholas nicola nigel oliver olivia
owen pamela patricia paul pauline peter philip priya rachel rebecca richard rob robert
ruth ryan sally samantha samuel sandra sarah scott sharon simon sophie stephen steve
steven stuart sue susan suzanne thomas tim timothy tom tony tracy valerie vanessa
victoria wendy william yasmin zoe
"""
GIVEN_NAMES = _words(_GIVEN)


def _lexeme_file() -> Path | None:
    try:
        import spacy_lookups_data  # a data package: JSON tables, no code run
    except ImportError:
        return None
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    return path if path.is_file() else None


def _all_probabilities() -> dict[str, float]:
    """The whole table (a million words): read, subset by :class:`Lexicon`, dropped."""
    path = _lexeme_file()
    if path is None:
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data: dict[str, float] = json.load(fh)
    return data


class Lexicon:
    """Log-probabilities of the words a study holds, as written and in lower case."""

    def __init__(
        self, words: Iterable[str], lowercase_seen: Iterable[str], mid_capitalised: Iterable[str]
    ) -> None:
        wanted = set()
        for word in words:
            wanted.add(word)
            wanted.add(word.lower())
        table = _all_probabilities()
        self.available = bool(table)
        self._prob = {w: float(table[w]) for w in wanted if w in table}
        self._seen_lower = set(lowercase_seen)
        self._mid = set(mid_capitalised)

    def prob(self, word: str) -> float | None:
        return self._prob.get(word)

    def is_proper(self, word: str, mid_sentence: bool) -> bool:
        """Is this capitalised word a name rather than an ordinary word?

        At the start of a sentence any word is capitalised, so a word seen there only
        needs stronger evidence than one seen capitalised mid-sentence.
        """
        low = word.lower()
        if low in STOP or low in TITLES or low in FUNCTION:
            return False
        mid_sentence = mid_sentence or word in self._mid
        cap_p, low_p = self._prob.get(word), self._prob.get(low)
        margin = cap_p - low_p if cap_p is not None and low_p is not None else None
        if low in self._seen_lower:  # written in lower case in this study
            return margin is not None and margin >= 2.5
        if not self.available or low_p is None:
            return True
        if margin is not None and margin >= (1.0 if mid_sentence else 2.5):
            return True
        # a rare word, capitalised at least as often as not ("Tollgate End", "Thornbury")
        if mid_sentence:
            return low_p < -15.5 and (cap_p is None or cap_p >= low_p)
        return low_p < -15.5 and cap_p is not None and cap_p >= low_p

    def is_common(self, word: str) -> bool:
        """Frequent enough in lower case that it does not start a name on its own."""
        low = word.lower()
        if low in FUNCTION or low in STOP or low in ROLES:
            return True
        p = self._prob.get(low)
        return p is not None and p > _COMMON_FROM and low not in GIVEN_NAMES


# A word at least this frequent in lower case (a log-probability, as in :class:`Lexicon`)
# is an ordinary word that a writer may mean as such, however often it is also a name:
# "frank", "dean", "peter", "carol", "riverside" (about -15.5 and up) stay as typed, and
# "dublin" (-15.9), "leeds", "sandra" are names. Tested on the demo study's summaries.
_ORDINARY_FROM = -15.5


_COMMON_FROM = -11.0  # and this frequent, too common to be taken for a name alone


@lru_cache(maxsize=1)
def _lower_case_words() -> tuple[frozenset[str], frozenset[str]] | None:
    """(ordinary, everyday) lower-case words, from one read of the word table (about
    a second, once a process); None without the table."""
    table = _all_probabilities()
    if not table:
        return None
    ordinary = frozenset(w for w, p in table.items() if p >= _ORDINARY_FROM and w.islower())
    everyday = frozenset(w for w in ordinary if table[w] > _COMMON_FROM and w not in GIVEN_NAMES)
    return ordinary, everyday


def ordinary_words() -> frozenset[str] | None:
    """Lower-case words common enough to be meant as ordinary words ("rose", "frank",
    "march"); None without the word table."""
    words = _lower_case_words()
    return words[0] if words else None


def everyday_words() -> frozenset[str]:
    """Lower-case words so common that one alone is not taken for a name ("access",
    "will"), given names aside ("mark", "bill"): as :meth:`Lexicon.is_common` judges."""
    words = _lower_case_words()
    return words[1] if words else frozenset()


def written_in_lower_case(name: str) -> bool:
    """Whether a one-word name is worth finding in lower case too ("dublin" typed in a
    summary): it is not an ordinary word that a writer would mean as such."""
    low = name.lower()
    if low == name or " " in name.strip() or low in STOP or low in FUNCTION or low in TITLES:
        return False
    ordinary = ordinary_words()
    return ordinary is not None and low not in ordinary
