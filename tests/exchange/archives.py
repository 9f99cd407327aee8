"""Building .qdpx archives inside tests: crafted exports and hostile ones."""

from __future__ import annotations

import zipfile
from pathlib import Path

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
NS = 'xmlns="urn:QDA-XML:project:1.0"'

USER = "AD68FBE7-E1EE-4A82-A279-23CC698C89EB"
CODE_A = "0F8A1907-7E42-4739-8610-A676B4D1B69F"
CODE_B = "{85D17F60-7BB0-481E-B742-B4861DD669DF}"


def qdpx(
    path: Path,
    qde: str,
    files: dict[str, str | bytes] | None = None,
    qde_name: str = "project.qde",
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        archive.writestr(qde_name, qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def project(body: str, name: str = "Crafted", origin: str = "Crafted tool 1.0") -> str:
    head = f'<Project {NS} name="{name}" origin="{origin}" creatingUserGUID="{USER}">'
    return f"{HEAD}{head}{body}</Project>"


def codebook() -> str:
    return (
        f'<Users><User guid="{USER}" name="Dana"/></Users>'
        f'<CodeBook><Codes><Code guid="{CODE_A}" name="Workload" isCodable="true">'
        "<Description>Caseloads and hours</Description>"
        f'<Code guid="{CODE_B}" name="Caseload weighting" isCodable="true"/></Code>'
        "</Codes></CodeBook>"
    )
