"""Seeded mutations of valid inputs for every reader, and the CLI import that reads them."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

from qualcode.services.demo import sample_root

TOKENS = (
    b'"', b"'", b"---\n", b"\n", b"\r", b"\x00", b"\xff\xfe", b"<", b">", b"&", b"&amp;",
    b"&x;", b"<!DOCTYPE x [<!ENTITY x 'y'>]>", b"[[[[", b"]]", b"{", b"}", b"*a", b"&a ",
    b": ", b"- ", b"id: 9.10\n", b"label: {a: b}\n", b"-->", b"00:00:01.000 --> 00:00:00.500",
    b"=cmd|x", b"\t", b",", b";", b"\xe9", b"\xc3", b"R:", b"Interviewer:", b"<v Jane>",
)  # fmt: skip


def mutate_bytes(data: bytes, rng: random.Random, rounds: int = 4) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, rounds)):
        pos = rng.randint(0, len(out)) if out else 0
        how = rng.randrange(6)
        if how == 0 and out:
            out[min(pos, len(out) - 1)] = rng.randrange(256)
        elif how == 1:
            out[pos:pos] = rng.choice(TOKENS)
        elif how == 2 and out:
            del out[pos : pos + rng.randint(1, 64)]
        elif how == 3:
            out = out[: rng.randint(0, len(out))]
        elif how == 4 and out:
            chunk = out[pos : pos + rng.randint(1, 200)]
            out[pos:pos] = chunk * rng.randint(1, 20)
        else:
            out[pos:pos] = rng.choice(TOKENS) * rng.randint(1, 50)
    return bytes(out)


def mutate_zip(data: bytes, rng: random.Random) -> bytes:
    """Mutate one XML part inside the archive (and sometimes the archive's own bytes)."""
    if rng.random() < 0.2:
        return mutate_bytes(data, rng)
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    xml = [n for n in parts if n.endswith((".xml", ".qde", ".rels", ".txt"))]
    victim = rng.choice(xml)
    parts[victim] = mutate_bytes(parts[victim], rng)
    if rng.random() < 0.1:
        del parts[rng.choice(list(parts))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, part in parts.items():
            dst.writestr(name, part)
    return out.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for line in ("case: int99", "", "Interviewer: How is supervision?", "R: Monthly; it helps."):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["respondent_id", "q_help", "sector"])
    for i in range(5):
        sheet.append([f"r{i}", f"Answer {i}: supervision is what keeps me here.", "CSD"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>How is supervision?\n\n"
    "00:00:05.000 --> 00:00:09.000\n<v Jane>Monthly, and it helps.\n"
)
SRT = (
    "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: How is supervision?\n\n"
    "2\n00:00:05,000 --> 00:00:09,000\nR: Monthly, and it helps.\n"
)
CSV = "respondent_id,q_help,sector\n" + "".join(
    f'r{i},"Answer {i}: supervision, mostly, keeps me here.",CSD\n' for i in range(5)
)


def seeds(qdpx: bytes) -> dict[str, tuple[str, bytes, Callable[[bytes, random.Random], bytes]]]:
    """Reader -> (file suffix, a valid input, its mutator)."""
    root = sample_root()
    return {
        "text": (".txt", (root / "transcripts" / "int01.txt").read_bytes()[:4000], mutate_bytes),
        "docx": (".docx", _docx(), mutate_zip),
        "vtt": (".vtt", VTT.encode(), mutate_bytes),
        "srt": (".srt", SRT.encode(), mutate_bytes),
        "csv": (".csv", CSV.encode(), mutate_bytes),
        "xlsx": (".xlsx", _xlsx(), mutate_zip),
        "framework": (
            ".yaml",
            (root / "frameworks" / "interviews.yaml").read_bytes(),
            mutate_bytes,
        ),
        "qdpx": (".qdpx", qdpx, mutate_zip),
    }


def import_args(reader: str, path: Path) -> list[str]:
    if reader in ("text", "docx", "vtt", "srt"):
        return ["import", "transcripts", str(path)]
    if reader in ("csv", "xlsx"):
        return ["import", "survey", str(path), "--id-column", "respondent_id"]
    if reader == "framework":
        return ["framework", "import", str(path)]
    return ["import", "qdpx", str(path)]
