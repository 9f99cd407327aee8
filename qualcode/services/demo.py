"""The sample study: interview transcripts, case attributes, a survey and two frameworks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qualcode.config import data_dir
from qualcode.domain.model import StudyInfo
from qualcode.domain.wording import counted
from qualcode.errors import InputError, StudyError
from qualcode.services import dimension_import, framework_files, importing
from qualcode.services.study import Study, init_study, study_info
from qualcode.store.engine import sqlite_path, sqlite_title, sqlite_url

DEMO_TITLE = "Social work workforce study (sample)"
SURVEY_QUESTIONS = ("q_supervision", "q_help", "q_cease", "q_other")


def sample_root() -> Path:
    """The folder holding ``transcripts/`` and ``frameworks/``: the project checkout, or
    the copy packed into the wheel."""
    here = Path(__file__).resolve().parent
    for root in (here.parents[1], here.parent / "sample"):
        if (root / "transcripts").is_dir() and (root / "frameworks").is_dir():
            return root
    raise StudyError("the sample study's files are missing from this installation")


def build_demo(
    url: str, coder: str | None = None, say: Callable[[str], None] | None = None
) -> Study:
    """Create the sample study at ``url`` from the shipped files."""
    root = sample_root()
    say = say or (lambda _msg: None)
    study = init_study(url, DEMO_TITLE, coder)
    transcripts = sorted((root / "transcripts").glob("int*.txt"))
    say(f"importing {len(transcripts)} interview transcripts")
    importing.import_transcripts(study, transcripts)
    importing.import_cases(study, root / "transcripts" / "cases.csv", "case")
    say("importing the staff survey")
    importing.import_survey(
        study, root / "transcripts" / "survey.csv", "respondent_id", SURVEY_QUESTIONS
    )
    for name in ("interviews.yaml", "survey.yaml"):
        framework_files.import_framework(study, root / "frameworks" / name)
    values = root / "transcripts" / "dimensions.csv"
    if values.exists():  # the interviews placed on the supervision theme's dimensions
        say("placing the interviews on the dimensions of supervision")
        dimension_import.import_values(study, values)
    return study


def default_demo_url() -> str:
    """Where the sample study lives when no study is chosen: the user data folder."""
    return sqlite_url(data_dir() / "demo.qualcode")


def demo_needs_building(url: str, fresh: bool) -> bool:
    """Whether the sample study at ``url`` must be built; ``fresh`` deletes a SQLite one
    first (with its -wal and -shm files), but only the sample study, and only while no
    one has it open. A database URL is always built into."""
    path = sqlite_path(url)
    if path is None:
        return True
    if fresh and path.exists() and path.stat().st_size > 0:
        _check_replaceable(path)
        for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            extra.unlink(missing_ok=True)
    return not path.exists() or path.stat().st_size == 0


def _check_replaceable(path: Path) -> None:
    """Refuse to delete anything but a sample study that nothing has open: a real
    study given by mistake was replaced without a word, and one open in a colleague's
    workbench went on taking codings into the deleted file."""
    wal = Path(f"{path}-wal")
    if wal.exists():
        raise InputError(
            f"the study looks open in another qualcode ({wal.name} exists): close it "
            "first; nothing was changed",
            path,
        )
    title = sqlite_title(path)
    if title != DEMO_TITLE:
        what = f"the study {title!r}" if title is not None else "not a qualcode study"
        raise InputError(
            f"--fresh rebuilds only the sample study, and this is {what}: nothing was "
            "changed (give --study a new file for the sample)",
            path,
        )


def readable_url(url: str) -> str:
    """A study's URL as a person reads it: a SQLite file's path as typed, not with its
    spaces and accents percent-encoded ("sp ace %C3%A9")."""
    path = sqlite_path(url)
    return f"sqlite:///{path}" if path is not None else url


def describe(info: StudyInfo) -> str:
    return (
        f"{info.title}\n  {readable_url(info.url)}\n  {counted(info.cases, 'case')}, "
        f"{counted(info.sources, 'source')}, {counted(info.segments, 'segment')}, "
        f"{counted(info.themes, 'theme')}, {counted(info.codings, 'coding')}"
    )


__all__ = [
    "build_demo",
    "readable_url",
    "default_demo_url",
    "demo_needs_building",
    "describe",
    "sample_root",
    "study_info",
]
