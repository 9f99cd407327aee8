"""Anonymisation recall: invented names planted into the sample transcripts.

People, places and organisations go in varied forms - full names, titles ("Mrs
Mowbray", "Dr Quillfeather"), initials ("J. Mowbray"), possessives ("Mowbray's"),
bare surnames, "<Place> College", "<Place> Borough Council" - into sentences added
to respondent turns of copies of the 16 sample interviews. Then `qualcode anonymise`
runs with its default settings (no names list) and every proposal is applied.

Printed: recall (planted mentions whose name words all disappear; target >= 0.95),
by kind and by form, and the share of proposals that are not planted names (most of
them are the names the sample transcripts already hold). Beside them, measured in the
same run, a naive baseline that proposes every capitalised word not starting a
sentence.

    python benchmarks/anonymise_recall.py [--per-transcript 8] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from qualcode.domain.anonymise import Replacement, matcher
from qualcode.domain.documents import INTERVIEWER
from qualcode.domain.turns import match_label, speaker_role
from qualcode.services import anonymise, importing, queries
from qualcode.services.demo import sample_root
from qualcode.services.study import init_study
from qualcode.store.engine import sqlite_url

FIRST = [
    "Tamsin",
    "Orla",
    "Bram",
    "Ines",
    "Cormac",
    "Delphine",
    "Ewan",
    "Hattie",
    "Jory",
    "Kit",
    "Lowri",
    "Magnus",
    "Nell",
    "Perpetua",
    "Rufus",
    "Saskia",
    "Tobias",
    "Wilhelmina",
    "Zeb",
    "Anouk",
]
SURNAMES = [
    "Mowbray",
    "Quillfeather",
    "Ravenhill",
    "Penhallow",
    "Vellacott",
    "Strudwick",
    "Fenwright",
    "Kilbride",
    "Thackeray",
    "Wolstenholme",
    "Cattermole",
    "Duckmanton",
    "Gatenby",
    "Hebblethwaite",
    "Inchbald",
    "Lusby",
    "Pargeter",
    "Scrivenor",
    "Twelvetrees",
    "Yeardley",
]
PLACES = """Eastwickham Marlcombe Ashbyfold Pennistow Wrayfield Corringdon Sallowby
Brackley Heath|Thornbury Vale|Lowther Bridge|Kelmscott End""".replace("|", "\n").split("\n")
PLACES = [p.strip() for line in PLACES for p in ([line] if " " in line.strip() else line.split())]
ORG_KINDS = ["College", "Borough Council", "County Council", "NHS Trust", "University"]
TITLES = ["Mrs", "Mr", "Ms", "Dr", "Councillor"]

# a slot per form; {x} is replaced by the name in that form
PERSON_TEMPLATES = {
    "full": [
        "I raised it with {x} at the time.",
        "{x} chaired the panel that week.",
        "Then {x} left and everything changed.",
        "We appointed {x} as team manager, which helped.",
    ],
    "title": [
        "I went to see {x} about the rota.",
        "Even {x} agreed it was unworkable.",
        "{x} from the council rang me about it.",
    ],
    "initial": [
        "{x} signed it off in the end.",
        "The memo came from {x}, our deputy.",
        "I'd copied in {x} as well.",
    ],
    "possessive": [
        "{x} team picked up the referrals.",
        "We borrowed {x} spreadsheet.",
        "It ended up on {x} desk, as these things do.",
    ],
    "surname": [
        "Honestly, I think {x} saw it coming.",
        "It was {x} who pushed for it.",
        "{x} said we should wait and see.",
        "I told {x}, and nothing happened.",
    ],
}
PLACE_TEMPLATES = [
    "Most of our agency staff commute in from {x}.",
    "Compare that with {x}, where thresholds are lower.",
    "{x} is where the pressure really is.",
    "We recruit a lot from {x} and around there.",
    "There's a big estate in {x} with real needs.",
]
ORG_TEMPLATES = [
    "We lost two seniors to {x} last year.",
    "The course at {x} sends us good students.",
    "We share an out-of-hours service with {x}.",
    "{x} has been poaching our staff.",
    "Half of them trained at {x}, funnily enough.",
]


@dataclass(frozen=True)
class Mention:
    kind: str  # person, place, organisation
    form: str
    sentence: str
    words: tuple[str, ...]  # what must disappear


def mentions(rng: random.Random, count: int, taken: set[str]) -> list[Mention]:
    people = [(f, s) for f, s in zip(FIRST, SURNAMES, strict=True) if s not in taken]
    places = [p for p in PLACES if p.split()[0] not in taken]
    out: list[Mention] = []
    for n in range(count):
        pick = n % 5
        if pick <= 2:
            first, surname = rng.choice(people)
            form = rng.choice(list(PERSON_TEMPLATES))
            x, words = {
                "full": (f"{first} {surname}", (first, surname)),
                "title": (f"{rng.choice(TITLES)} {surname}", (surname,)),
                "initial": (f"{first[0]}. {surname}", (f"{first[0]}.", surname)),
                "possessive": (f"{surname}'s", (surname,)),
                "surname": (surname, (surname,)),
            }[form]
            template = rng.choice(PERSON_TEMPLATES[form])
            out.append(Mention("person", form, template.format(x=x), words))
        elif pick == 3:
            place = rng.choice(places)
            x = place
            out.append(
                Mention(
                    "place", "place", rng.choice(PLACE_TEMPLATES).format(x=x), (place.split()[0],)
                )
            )
        else:
            place = rng.choice(places).split()[0]
            org = f"{place} {rng.choice(ORG_KINDS)}"
            out.append(
                Mention(
                    "organisation",
                    "organisation",
                    rng.choice(ORG_TEMPLATES).format(x=org),
                    (place,),
                )
            )
    return out


def plant(folder: Path, per_transcript: int, rng: random.Random) -> list[Mention]:
    originals = sorted((sample_root() / "transcripts").glob("int*.txt"))
    corpus = " ".join(p.read_text("utf-8") for p in originals)
    taken = set(re.findall(r"[A-Z][a-z]+", corpus))
    planted = mentions(rng, per_transcript * len(originals), taken)
    it = iter(planted)
    for path in originals:
        lines = path.read_text("utf-8").split("\n")
        turns = [i for i, line in enumerate(lines) if _respondent_paragraph(line)]
        for i in sorted(rng.sample(turns[1:], min(per_transcript, len(turns) - 1))):
            lines[i] = f"{lines[i]} {next(it).sentence}"
        (folder / path.name).write_text("\n".join(lines), "utf-8")
    return planted


def _respondent_paragraph(line: str) -> bool:
    """A long line that is not the interviewer speaking."""
    if len(line) < 80:
        return False
    label = match_label(line)
    return label is None or speaker_role(label[0]) != INTERVIEWER


def covered(reps: list[Replacement], start: int, end: int) -> bool:
    return any(r.start <= start and end <= r.end for r in reps)


def recall(
    texts: list[str], planted: list[Mention], mapping: dict[str, str]
) -> dict[str, list[bool]]:
    """Per kind and form, whether each planted mention's name words were all replaced."""
    match = matcher(mapping)
    unique = {m.sentence: m for m in planted}
    results: dict[str, list[bool]] = {}
    for text in texts:
        reps = match.replacements(text)
        for sentence, m in unique.items():
            pos = text.find(sentence)
            while pos != -1:
                ok = True
                for word in m.words:
                    w = re.search(
                        rf"(?<!\w){re.escape(word)}(?!\w)", text[pos : pos + len(sentence)]
                    )
                    ok = ok and w is not None and covered(reps, pos + w.start(), pos + w.end())
                for key in {"all", m.kind, m.form}:
                    results.setdefault(key, []).append(ok)
                pos = text.find(sentence, pos + 1)
    return results


def naive_baseline(texts: list[str]) -> dict[str, str]:
    """Every capitalised word that does not start a sentence or a turn."""
    names: set[str] = set()
    for text in texts:
        for m in re.finditer(r"(?<=[a-z,;] )([A-Z][a-z]+(?:'s)?)", text):
            names.add(m.group(1).removesuffix("'s"))
    return dict.fromkeys(names, "[Name]")


def not_planted_share(originals: list[str], planted: list[Mention]) -> tuple[int, float]:
    words = {w for m in planted for w in m.words if len(w) > 1}
    other = [o for o in originals if not any(w in o.split() or f"{w}'s" in o for w in words)]
    return len(other), len(other) / max(len(originals), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-transcript", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "transcripts"
        folder.mkdir()
        planted = plant(folder, args.per_transcript, rng)
        before = init_study(sqlite_url(Path(tmp) / "before.qualcode"), "unplanted", "bench")
        importing.import_transcripts(
            before, sorted((sample_root() / "transcripts").glob("int*.txt"))
        )
        existing = {p.original for p in anonymise.find_names(before).proposals}
        before.close()
        study = init_study(sqlite_url(Path(tmp) / "bench.qualcode"), "planted", "bench")
        importing.import_transcripts(study, [folder])
        t0 = time.perf_counter()
        report = anonymise.find_names(study)
        seconds = time.perf_counter() - t0
        texts = [queries.source_text(study, s.id) for s in queries.list_sources(study)]
        study.close()
    mapping = {p.original: p.placeholder for p in report.proposals}
    ours = recall(texts, planted, mapping)
    naive_map = naive_baseline(texts)
    naive = recall(texts, planted, naive_map)
    n_other, share = not_planted_share(list(mapping), planted)
    naive_other, naive_share = not_planted_share(list(naive_map), planted)
    already = sum(1 for o in mapping if o in existing)

    def rate(values: list[bool]) -> str:
        return f"{sum(values) / len(values):.3f} ({sum(values)}/{len(values)})" if values else "-"

    print(
        f"planted mentions: {len(ours['all'])} in 16 transcripts "
        f"(seed {args.seed}, {args.per_transcript} per transcript)"
    )
    print(f"{'':28}{'qualcode anonymise':>26}{'naive baseline':>26}")
    for key in ("all", "person", "place", "organisation", *PERSON_TEMPLATES):
        label = "recall" if key == "all" else f"  recall, {key}"
        print(f"{label:28}{rate(ours.get(key, [])):>26}{rate(naive.get(key, [])):>26}")
    print(f"{'proposals':28}{len(mapping):>26}{len(naive_map):>26}")
    print(f"{'share not planted names':28}{share:>26.3f}{naive_share:>26.3f}")
    print(
        f"  of which already proposed on the unplanted sample: {already} of {n_other} "
        "(its own invented names: Haverleigh, Priya Lal, ...)"
    )
    print(f"time to find names: {seconds:.2f} s (heuristics; spaCy pipeline: {report.pipeline})")
    verdict = "meets" if sum(ours["all"]) / len(ours["all"]) >= 0.95 else "MISSES"
    print(f"target recall >= 0.95: {verdict}")


if __name__ == "__main__":
    main()
