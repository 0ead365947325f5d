"""Print a ledger's export sheet to PDF with LibreOffice and take its first page as a PNG.

    python scripts/screenshot_export.py             # data/measures.toml -> docs/export-sheet.png
    python scripts/screenshot_export.py LEDGER PNG [--lang zh|en] [--owner UNIT]

Prints the PDF's page count and size. Exits 2 if soffice or pdftoppm is missing
(Debian: `apt-get install libreoffice-calc fonts-noto-cjk poppler-utils`).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 180  # a guard against a hung LibreOffice, not a measurement


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger", nargs="?", default=str(REPO / "data" / "measures.toml"))
    parser.add_argument("png", nargs="?", default=str(REPO / "docs" / "export-sheet.png"))
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--owner", help="Only this unit's measures.")
    parser.add_argument("--resolution", type=int, default=80, help="Pixels per inch.")
    args = parser.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("needs soffice (libreoffice-calc) and pdftoppm (poppler-utils)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="measures-export-") as folder:
        work = Path(folder)
        sheet = work / "台账.xlsx"
        owner = ["--owner", args.owner] if args.owner else []
        export = [sys.executable, "-m", "measures", "--lang", args.lang, "--file", args.ledger]
        subprocess.run(
            [*export, "export", "--format", "xlsx", "-o", str(sheet), *owner], check=True
        )
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{work / 'profile'}",  # its own, thrown away
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(sheet),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
        )
        pdf = sheet.with_suffix(".pdf")
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            print("\n".join(line for line in info.splitlines() if line.startswith("Page")))
        first = work / "page"
        resolution = str(args.resolution)
        subprocess.run(
            ["pdftoppm", "-png", "-r", resolution, "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(first)],
            check=True,
        )  # fmt: skip
        shutil.copyfile(first.with_suffix(".png"), args.png)
    print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
