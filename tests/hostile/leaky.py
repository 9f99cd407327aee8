"""A study whose identifiers are made of participants' names: case ids, file names,
front matter, attributes, group values, memos and summaries."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner, Result

from qualcode.cli import cli
from qualcode.services.demo import sample_root

# Names a leak check looks for, whatever their case (every word of a person's name).
PEOPLE = ("Jane Mowbray", "Tamsin Ravenhill", "Peter Quince", "Olwen Tregarth")
ORGANISATIONS = ("Acme Holdings", "Bramblecote Trust")
NAMES_FILE = "".join(f"person: {n}\n" for n in PEOPLE) + "".join(
    f"organisation: {n}\n" for n in ORGANISATIONS
)


def words_to_hide() -> list[str]:
    return [w for n in PEOPLE for w in n.split()] + list(ORGANISATIONS)


def run(db: str, *args: str) -> Result:
    result = CliRunner().invoke(cli, [*args, "--db", db])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def ok(db: str, *args: str) -> Result:
    result = run(db, *args)
    assert result.exit_code == 0, (args, result.output)
    return result


def build(db: str, folder: Path) -> None:
    """Import, code, summarise and accept every name (the CLI a researcher uses)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Jane_Mowbray.txt").write_text(
        textwrap.dedent(
            """\
            ---
            case: Mowbray
            interviewer: Peter Quince
            employer: Acme Holdings
            ---
            Interviewer: How is supervision organised?
            R: Jane Mowbray sorts supervision for us at Acme Holdings, every month.

            R: Supervision is reflective and Peter Quince sits in sometimes.
            """
        ),
        "utf-8",
    )
    (folder / "int03.txt").write_text(
        "---\ninterviewer: PETER QUINCE\nemployer: bramblecote trust\n---\n"
        "Interviewer: Tell me about supervision.\n"
        'R: Supervision is weekly; =HYPERLINK("http://x") happens rarely.\n',
        "utf-8",
    )
    (folder / "ravenhill-notes.txt").write_text(
        "Interviewer: And supervision?\nR: Supervision here is patchy, Olwen Tregarth says.\n",
        "utf-8",
    )
    ok(db, "import", "transcripts", str(folder / "Jane_Mowbray.txt"))
    ok(db, "import", "transcripts", str(folder / "int03.txt"))
    ok(
        db, "import", "transcripts", str(folder / "ravenhill-notes.txt"),
        "--case", "Tamsin Ravenhill", "--attr", "interviewer=Peter Quince",
        "--attr", "employer=Acme Holdings",
    )  # fmt: skip
    ok(db, "framework", "import", str(sample_root() / "frameworks" / "interviews.yaml"))
    segments = ok(db, "segments", "--json").stdout
    import json

    rows = ["segment,theme"] + [f"{s['id']},2.3" for s in json.loads(segments)]
    (folder / "codings.csv").write_text("\n".join(rows) + "\n", "utf-8")
    ok(db, "codings", "import", str(folder / "codings.csv"))
    ok(db, "summary", "set", "Mowbray", "2.3", "Mowbray gets monthly supervision at Acme Holdings.")
    names = folder / "names.txt"
    names.write_text(NAMES_FILE, "utf-8")
    ok(db, "anonymise", "--names", str(names), "--accept", "--no-spacy")


def refused(result: Result, *words: str) -> str:
    """Exit 2 with exactly one ``error:`` line (no traceback, no bug report) naming
    ``words``."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:"), result.stderr
    assert "unexpected failure" not in lines[0], lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]
