"""Make the .ods and .xls copies of the test task table, tests/files/, with LibreOffice.

    python scripts/make_test_files.py

The table is the one tests/test_readers.py writes as an .xlsx; LibreOffice
converts it, as an office's own LibreOffice or Excel would save it. Run it again
only when that table changes; the files are committed so that the tests need
no LibreOffice (a slow test converts afresh where it is installed).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.make_examples import convert, steady_zip  # noqa: E402
from tests.test_readers import FILES, write_xlsx  # noqa: E402


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("LibreOffice (soffice) is needed: apt-get install libreoffice-calc")
    FILES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        source = write_xlsx(Path(work) / "任务分解表.xlsx")
        for suffix in ("ods", "xls"):
            made = convert(source, suffix, Path(work))
            data = made.read_bytes()
            (FILES / made.name).write_bytes(steady_zip(data) if suffix == "ods" else data)
            print(FILES / made.name)


if __name__ == "__main__":
    main()
