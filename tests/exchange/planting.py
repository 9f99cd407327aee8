"""Invented names planted into copies of the sample transcripts, in varied forms."""

from __future__ import annotations

from pathlib import Path

from qualcode.services.demo import sample_root

# (sentence with the name, the name's words that must disappear)
PLANTED = [
    ("I went to see Mrs Mowbray about the rota.", ["Mowbray"]),
    ("J. Mowbray signed it off in the end.", ["Mowbray"]),
    ("Mowbray's team picked up the referrals.", ["Mowbray"]),
    ("Our principal social worker, Dr Quillfeather, runs the forum.", ["Quillfeather"]),
    ("Most of the agency staff commute in from Eastwickham.", ["Eastwickham"]),
    ("We lost two seniors to Thornbury Borough Council last spring.", ["Thornbury"]),
    ("The Kingsmere College course sends us good students.", ["Kingsmere"]),
    ("Tamsin Ravenhill from the workforce team did the exit interviews.", ["Tamsin", "Ravenhill"]),
]
ALL_NAMES = sorted({w for _, words in PLANTED for w in words})


def planted_transcripts(folder: Path, count: int = 3) -> list[Path]:
    """Copies of the first ``count`` sample transcripts, each respondent turn after the
    first few with one planted sentence appended."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    n = 0
    for source in sorted((sample_root() / "transcripts").glob("int*.txt"))[:count]:
        lines = source.read_text("utf-8").split("\n")
        for i, line in enumerate(lines):
            if line.startswith("Respondent:") and i > 4 and n < len(PLANTED) * count:
                lines[i] = f"{line} {PLANTED[n % len(PLANTED)][0]}"
                n += 1
        target = folder / source.name
        target.write_text("\n".join(lines), "utf-8")
        out.append(target)
    return out
