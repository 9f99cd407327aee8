"""The matrix, quote and summary modules load pandas, matplotlib, openpyxl and
python-docx only when an export or a count needs them (CLI start-up stays quick)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "matplotlib", "openpyxl", "xlsxwriter", "docx", "numpy")


def test_importing_the_matrix_services_and_commands_loads_no_heavy_library() -> None:
    code = (
        "import qualcode.cli, qualcode.services.matrix, qualcode.services.quotes, "
        "qualcode.services.summaries, qualcode.services.matrix_export, "
        "qualcode.services.drafts, qualcode.exchange.formats, qualcode.services.export_formats, "
        "qualcode.exchange.quotes_writers, qualcode.services.quote_export\n"
        "import sys\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
