"""The HTML report of the shipped ledger, rendered by a real browser (headless Chromium)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import PLAN_HEADER, REPO, Run, WriteLedger, measure_block
from .test_report_formats import PROGRESS, PROGRESS_AS_OF

pytestmark = pytest.mark.slow


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "report_screenshot", REPO / "scripts" / "report_screenshot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


shot = _script()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def browser() -> str:
    found = shot.find_chromium()
    if found is None:
        pytest.skip(
            "Chromium is not installed (no /usr/bin/chromium, none on PATH); "
            "`apt-get install chromium` to run this test (.ci/run installs it)."
        )
    return str(found)


def test_the_shipped_report_renders_both_charts(
    run: Run, ledger: Path, isolated: Path, browser: str
) -> None:
    page = isolated / "report.html"
    assert run("report", "--format", "html", "--output", str(page)).exit_code == 0
    dom = shot.chromium(browser, page, "--dump-dom")
    assert dom.returncode == 0, dom.stderr
    found = shot.chart_elements(dom.stdout)
    assert shot.problems(found) == []
    # Four inferred owners of the five reported measures, and the placeholders' none.
    assert found["chart-owners"]["g.owner-bar"] == 5
    assert found["chart-owners"]["rect.overdue"] == 5  # nothing done yet: all late
    assert found["chart-burnup"]["path.line"] == 3

    png = isolated / "report.png"
    taken = shot.chromium(browser, page, f"--screenshot={png}", "--window-size=1080,1180")
    assert taken.returncode == 0, taken.stderr
    assert png_size(png) == (1080, 1180)
    assert png.stat().st_size > 20_000  # a drawn page, not a blank one


def test_the_script_writes_a_screenshot(isolated: Path, browser: str) -> None:
    import subprocess

    png = isolated / "shot.png"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "report_screenshot.py"),
         str(REPO / "data" / "measures.toml"), str(png), "--height", "900"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert png_size(png) == (1080, 900)


def test_the_check_notices_a_missing_chart() -> None:
    only_bars = (
        '<svg id="chart-owners"><g class="owner-bar"><rect class="track"></rect></g></svg>'
        '<svg id="chart-burnup"><path class="line due"></path></svg>'
    )
    assert shot.problems(shot.chart_elements(only_bars)) == [
        "chart-burnup: no path.done",
        "chart-burnup: no path.verified",
    ]
    assert shot.problems(shot.chart_elements("<p>no charts</p>")) == [
        "no <svg id='chart-owners'>",
        "no <svg id='chart-burnup'>",
    ]


# --- a phone, a desktop and paper -------------------------------------------------------

PHONE, DESKTOP = 390, 1280


@pytest.fixture(scope="module")
def driven() -> Iterator[Any]:
    """One browser for the module's layout tests, driven over the DevTools protocol."""
    found = shot.find_chromium()
    if found is None:
        pytest.skip("Chromium is not installed: `apt-get install chromium` to run this test.")
    with shot.Browser(found) as browser:
        yield browser


def report_page(run: Run, folder: Path, which: str, lang: str) -> Path:
    """The HTML report of the shipped ledger or of PROGRESS (on its day), in `lang`."""
    if which == "shipped":
        shutil.copyfile(REPO / "data" / "measures.toml", folder / "measures.toml")
        as_of: tuple[str, ...] = ()
    else:
        (folder / "measures.toml").write_text(PROGRESS, encoding="utf-8")
        as_of = ("--as-of", PROGRESS_AS_OF)
    page = folder / f"{which}-{lang}.html"
    result = run("--lang", lang, "report", *as_of, "--format", "html", "--output", str(page))
    assert result.exit_code == 0, result.stderr
    return page


def meet(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes overlap (touching edges do not)."""
    return (
        a["x"] < b["right"]
        and b["x"] < a["right"]
        and a["y"] < b["bottom"]
        and b["y"] < a["bottom"]
    )


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize(
    ("which", "lang"), [("shipped", "en"), ("progress", "en"), ("progress", "zh")]
)
def test_readable_at_a_phones_width_and_a_desktops(
    run: Run, isolated: Path, driven: Any, which: str, lang: str, width: int
) -> None:
    driven.open(report_page(run, isolated, which, lang), width)
    found = driven.layout()
    assert found["viewport"] == width
    # The page never scrolls sideways: a wide table scrolls in its own box.
    assert found["scrollWidth"] <= width
    # Whole unit names, in at most three lines (never a character a line).
    assert found["units"]
    for unit in found["units"]:
        lines = round(unit["box"]["height"] / unit["line"])
        assert lines <= 3 and unit["box"]["width"] >= 6 * 16, unit
    for name in ("chart-owners", "chart-burnup"):
        chart = found["charts"][name]
        assert chart["box"]["right"] <= width
        texts = chart["texts"]
        # Legible: 10 px at least as drawn (the charts scale with the page).
        assert min(t["font"] for t in texts) >= 10.5, name
        assert min(t["box"]["height"] for t in texts) >= 10, name
        # No two labels meet: the as-of label and the ticks least of all.
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                assert not meet(a["box"], b["box"]), (name, a["text"], b["text"])
    burnup = found["charts"]["chart-burnup"]["texts"]
    (as_of,) = [t for t in burnup if "as-of" in t["cls"].split()]
    ticks = [t for t in burnup if "tick" in t["cls"].split()]
    assert len(ticks) >= 2 and not any(meet(as_of["box"], t["box"]) for t in ticks)
    if which == "progress":
        # The axis keeps to the plan's year: 2027-12-31 is noted below, not drawn.
        assert not [t for t in ticks if "2027" in t["text"]]


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext, poppler-utils)."""
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed (no pdftotext, pdfinfo)")
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert sizes, info
    # A4: 595 x 842 pt.
    assert all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in sizes), sizes
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[: len(sizes)]


def test_printed_on_a4_with_the_header_row_on_every_page(
    run: Run, write_ledger: WriteLedger, isolated: Path, driven: Any
) -> None:
    # 45 units, one measure each, all done: the table by owner runs over pages.
    write_ledger(
        PLAN_HEADER
        + "".join(
            measure_block(n, owner=f"测试单位{n:02}", status="done", extra="done_on = 2020-12-10\n")
            for n in range(1, 46)
        )
    )
    page = isolated / "long.html"
    assert run("report", "--format", "html", "--output", str(page)).exit_code == 0
    driven.open(page, DESKTOP)
    pdf = isolated / "long.pdf"
    driven.pdf(pdf)
    pages = pdf_pages(pdf)
    # A row of the table (not a bar of the chart): the unit, then its numbers.
    row = re.compile(r"测试单位\d\d\s+1\s+1\s+1\s+0\s")
    with_rows = [text for text in pages if row.search(text)]
    assert len(with_rows) >= 2, "the table should run over a page"
    for text in with_rows:
        assert "Done %" in text and "Total" in text


def test_the_shipped_report_prints_on_a4_with_the_overdue_table_headed_on_each_page(
    run: Run, isolated: Path, driven: Any
) -> None:
    driven.open(report_page(run, isolated, "shipped", "en"), DESKTOP)
    pdf = isolated / "shipped.pdf"
    driven.pdf(pdf)
    pages = pdf_pages(pdf)
    # A row of the overdue table: days late, the id, the title.
    row = re.compile(r"^\s*\d+\s+\d+\s+[A-Z]", re.M)
    with_rows = [text for text in pages if row.search(text)]
    assert len(with_rows) >= 2
    for text in with_rows:
        assert "Days late" in text


def test_the_script_writes_a_phone_screenshot_of_the_whole_page(
    isolated: Path, browser: str
) -> None:
    png = isolated / "phone.png"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "report_screenshot.py"),
         str(REPO / "data" / "measures.toml"), str(png), "--width", "390", "--full-page"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    width, height = png_size(png)
    assert width == 390 and height > 3000
