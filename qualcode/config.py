"""Typed settings from ``QUALCODE_*`` environment variables and an optional TOML file.

Nothing is read or created at import time; call :func:`load_settings`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP = "qualcode"


@dataclass(frozen=True)
class Settings:
    study: str | None = None  # a SQLite study file
    db: str | None = None  # any SQLAlchemy URL; wins over ``study``
    coder: str | None = None
    nlp_model: str | None = None  # an installed spaCy pipeline, e.g. "en_core_web_sm"
    attribution: str = "[{role}, {authority_type}]"  # quotes from interviews
    survey_attribution: str = "[{sector} {job}, survey]"  # quotes from survey answers
    keymap: Mapping[str, str] = field(default_factory=dict)
    title_rules: Path | None = None  # the job-title rules file for anonymised exports
    backup_dir: Path | None = None  # archives written before a schema upgrade; None: backups_dir()


def config_file() -> Path:
    override = os.environ.get("QUALCODE_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def cache_dir(default: Path | None) -> Path | None:
    """Where derived data that can always be rebuilt is kept between runs:
    ``QUALCODE_CACHE_DIR`` when set (``off``: nowhere), else ``default``."""
    override = os.environ.get("QUALCODE_CACHE_DIR")
    if override is None:
        return default
    if override.strip().lower() in {"", "off", "none", "0"}:
        return None
    return Path(override)


def state_dir() -> Path | None:
    """Where the workbench keeps what must outlive a crash but is no one's data yet
    (typed drafts not saved): ``QUALCODE_STATE_DIR`` when set (``off``: nowhere), else
    the user's state folder."""
    override = os.environ.get("QUALCODE_STATE_DIR")
    if override is None:
        return Path(platformdirs.user_state_dir(APP))
    if override.strip().lower() in {"", "off", "none", "0"}:
        return None
    return Path(override)


def processes_setting() -> str | None:
    """``QUALCODE_PROCESSES``, as given: how many processes big model work may use
    (None: not set; qualcode.nlp.forked reads and checks it)."""
    return os.environ.get("QUALCODE_PROCESSES", "").strip() or None


def backups_dir() -> Path:
    """Where pre-upgrade archives go when ``backup_dir`` is not set."""
    return data_dir() / "backups"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from the config file, overridden by ``QUALCODE_*`` variables.

    Read once at the edge (a CLI command, the TUI's start) and passed down: lower
    layers take the values they need as parameters."""
    env = os.environ if env is None else env
    data: dict[str, object] = {}
    path = config_file()
    if path.is_file():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    nlp_raw, keymap_raw = data.get("nlp"), data.get("keymap")
    nlp: dict[str, object] = nlp_raw if isinstance(nlp_raw, dict) else {}
    keymap: dict[str, object] = keymap_raw if isinstance(keymap_raw, dict) else {}
    anonymise_raw = data.get("anonymise")
    anonymise: dict[str, object] = anonymise_raw if isinstance(anonymise_raw, dict) else {}
    title_rules = env.get("QUALCODE_TITLE_RULES") or _str(anonymise.get("title_rules"))
    backup_dir = env.get("QUALCODE_BACKUP_DIR") or _str(data.get("backup_dir"))
    return Settings(
        study=env.get("QUALCODE_STUDY") or _str(data.get("study")),
        db=env.get("QUALCODE_DB") or _str(data.get("db")),
        coder=env.get("QUALCODE_CODER") or _str(data.get("coder")),
        nlp_model=env.get("QUALCODE_NLP_MODEL") or _str(nlp.get("model")),
        attribution=env.get("QUALCODE_ATTRIBUTION")
        or _str(data.get("attribution"))
        or Settings.attribution,
        survey_attribution=env.get("QUALCODE_SURVEY_ATTRIBUTION")
        or _str(data.get("survey_attribution"))
        or Settings.survey_attribution,
        keymap={str(k): str(v) for k, v in keymap.items()},
        title_rules=Path(title_rules).expanduser() if title_rules else None,
        backup_dir=Path(backup_dir).expanduser() if backup_dir else None,
    )


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
