"""The HTML report of the shipped ledger, rendered by a real browser (headless Chromium)."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import REPO, Run

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
    # The shipped ledger: five lead units and the 20 unassigned measures.
    assert found["chart-owners"]["g.owner-bar"] == 6
    assert found["chart-owners"]["rect.overdue"] == 6  # nothing done yet: all late
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
