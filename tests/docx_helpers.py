"""Reading a written .docx back, for the notice's and the bulletin's tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "docs" / "examples" / "示例台账.toml"
AS_OF = ("--as-of", "2026-03-02")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def sample(folder: Path) -> Path:
    """A copy of the sample ledger in `folder`."""
    copy = folder / "measures.toml"
    shutil.copyfile(SAMPLE, copy)
    return copy


def document(path: Path) -> Any:
    import docx

    return docx.Document(str(path))


def text_of(doc: Any) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def first_column(table: Any) -> list[str]:
    return [row.cells[0].text for row in table.rows[1:]]


def east_asian_fonts(doc: Any) -> set[str | None]:
    """The w:eastAsia font of every run with text, in the body and its tables."""
    found: set[str | None] = set()
    for run in doc.element.body.iter(f"{W}r"):
        if not "".join(t.text or "" for t in run.iter(f"{W}t")).strip():
            continue
        fonts = run.find(f"{W}rPr/{W}rFonts")
        found.add(None if fonts is None else fonts.get(f"{W}eastAsia"))
    return found


def check_page(doc: Any) -> None:
    """A4, and GB/T 9704's margins: top 37, bottom 35, left 28, right 26 mm."""
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def pdf_text(docx_path: Path) -> str:
    """The text of the document as LibreOffice prints it; skips without soffice or pdftotext."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        pytest.skip("needs LibreOffice (soffice) and poppler-utils (pdftotext)")
    folder = docx_path.parent
    profile = folder / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = docx_path.with_suffix(".pdf")
    out = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    )
    return out.stdout.decode("utf-8")
