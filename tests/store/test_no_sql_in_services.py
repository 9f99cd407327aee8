"""Services keep the use cases; SQL lives in qualcode.store (queries, attributes, ...)."""

from __future__ import annotations

import re
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "qualcode" / "services"
# SQL builders (not methods such as session.delete or dict.update), execution, old-style queries
SQL = re.compile(r"(?<![.\w])(select|insert|update|delete)\(|\.execute\(|\.query\(")

# Not moved yet: remove a name when its queries go to qualcode.store.
NOT_YET_MOVED: set[str] = set()


def sql_lines(path: Path) -> list[str]:
    return [
        f"{path.name}:{n}: {line.strip()}"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if SQL.search(line) and not line.lstrip().startswith("#")
    ]


def test_services_build_no_sql() -> None:
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        if path.name not in NOT_YET_MOVED:
            found += sql_lines(path)
    assert not found, "SQL in services (add a named query in qualcode.store.queries):\n" + (
        "\n".join(found)
    )


def test_allow_list_names_only_modules_that_still_need_it() -> None:
    for name in NOT_YET_MOVED:
        assert sql_lines(SERVICES / name), f"{name} has no SQL left: drop it from NOT_YET_MOVED"


def test_the_check_sees_sql() -> None:
    for line in ("rows = s.scalars(select(m.CodingRow))", "s.execute(update(m.X))",
                 "session.query(Row)", "s.execute(insert(m.SegmentRow), rows)"):  # fmt: skip
        assert SQL.search(line), line
    for line in ("s.delete(row)", "merged.update(x)", "warnings.insert(0, note)",
                 "codings_q.coding_rows(s, theme=t)"):  # fmt: skip
        assert not SQL.search(line), line
