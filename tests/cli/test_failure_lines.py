"""The last line of defence in the CLI: a database that fails part-way through a
command (the server stopped, the file gone) is reported as what it is, not as a bug."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from qualcode.cli.failures import UNEXPECTED, describe


def test_a_database_failing_mid_command_is_not_called_a_bug(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{tmp_path / 'gone' / 'study.qualcode'}")
    with pytest.raises(OperationalError) as raised:
        engine.connect()
    try:  # as a worker process or a thread hands it back: wrapped
        raise RuntimeError("the suggestion worker failed") from raised.value
    except RuntimeError as wrapped:
        line = describe(wrapped)
    assert "unable to open database file" in line
    assert "Nothing was changed by this step" in line
    assert UNEXPECTED not in line
    assert "bug" not in line
    assert describe(ValueError("odd")).startswith(f"{UNEXPECTED} (ValueError: odd)")
