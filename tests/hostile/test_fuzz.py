"""Random (seeded) mutations of valid inputs through every reader's CLI import: the
answer is always exit 0 or exit 2 with one `error:` line - never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.store.engine import sqlite_url
from tests.hostile.fuzzing import import_args, seeds
from tests.hostile.leaky import ok

READERS = ("text", "docx", "vtt", "srt", "csv", "xlsx", "framework", "qdpx")


@pytest.fixture(scope="module")
def qdpx_seed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("qdpx")
    study = sqlite_url(folder / "s.qualcode")
    ok(study, "init")
    (folder / "int01.txt").write_text("Interviewer: Supervision?\nR: Monthly, it helps.\n", "utf-8")
    ok(study, "import", "transcripts", str(folder / "int01.txt"))
    ok(
        study,
        "framework",
        "import",
        str(Path(__file__).parents[2] / "frameworks" / "interviews.yaml"),
    )
    ok(study, "export", "qdpx", str(folder / "seed.qdpx"))
    return (folder / "seed.qdpx").read_bytes()


def _fuzz(reader: str, runs: int, seed: int, qdpx: bytes, folder: Path) -> None:
    suffix, valid, mutate = seeds(qdpx)[reader]
    study = sqlite_url(folder / f"{reader}.qualcode")
    ok(study, "init")
    rng = random.Random(f"{reader}-{seed}")
    runner = CliRunner()
    for n in range(runs):
        data = mutate(valid, rng)
        path = folder / f"input{n}{suffix}"
        path.write_bytes(data)
        result = runner.invoke(cli, [*import_args(reader, path), "--db", study])
        context = f"{reader} seed={seed} run={n}: {path}"
        assert result.exit_code in (0, 2), (context, result.output, result.exception)
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), (context, result.exception)
        if result.exit_code == 2:
            lines = result.stderr.splitlines()
            assert len(lines) == 1, (context, result.stderr)
            assert lines[0].startswith("error:"), (context, result.stderr)
            assert "unexpected failure" not in lines[0], (context, lines[0])
        else:
            assert "Traceback" not in result.stderr, (context, result.stderr)
        path.unlink()


@pytest.mark.parametrize("reader", READERS)
def test_mutated_inputs_exit_0_or_2(reader: str, qdpx_seed: bytes, tmp_path: Path) -> None:
    _fuzz(reader, 12, seed=13, qdpx=qdpx_seed, folder=tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("seed", range(5))
def test_many_more_mutations(reader: str, seed: int, qdpx_seed: bytes, tmp_path: Path) -> None:
    _fuzz(reader, 60, seed=seed, qdpx=qdpx_seed, folder=tmp_path)
