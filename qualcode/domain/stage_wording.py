"""What each stage of a long run is called where a person watches it: the progress
lines of the workbench and of the command line (services report the stage's key)."""

from __future__ import annotations

STAGES = {
    "reading": "reading passages",
    "embedding": "computing sentence vectors",
    "coded passages": "reading the passages you coded",
    "learning": "learning from your codings",
    "curve": "refitting on part of your codings",
    "suggesting": "scoring passages",
    "key phrases": "finding key phrases",
    "distinctive terms": "comparing the groups",
    "themes": "clustering candidate themes",
}


def stage_words(stage: str) -> str:
    return STAGES.get(stage, stage)
