"""Render a ledger's HTML report in headless Chromium: a screenshot, and the charts checked.

    python scripts/report_screenshot.py             # data/measures.toml -> docs/report.png
    python scripts/report_screenshot.py LEDGER PNG [--height N]

Exits 1 if the rendered page lacks either chart or its bars and lines, and 2 if
no Chromium is found (Debian: `apt-get install chromium`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TIMEOUT_SECONDS = 120  # a guard against a hung browser, not a measurement


def find_chromium() -> str | None:
    """Debian's /usr/bin/chromium, else `chromium` on PATH."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def chromium(browser: str, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the browser once on `page`, with a fresh profile that is thrown away after."""
    with tempfile.TemporaryDirectory(prefix="measures-chromium-") as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )


class ChartElements(HTMLParser):
    """Counts, inside each chart's <svg>, the elements by tag and class."""

    def __init__(self) -> None:
        super().__init__()
        self.chart: str | None = None
        self.depth = 0
        self.found: dict[str, Counter[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "svg" and (named.get("id") or "").startswith("chart-"):
            self.chart, self.depth = named["id"], 0
            self.found[self.chart or ""] = Counter()
        if self.chart is None:
            return
        self.depth += 1
        for css in (named.get("class") or "").split():
            self.found[self.chart][f"{tag}.{css}"] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.chart is None:
            return
        self.depth -= 1
        if tag == "svg" and self.depth == 0:
            self.chart = None


def chart_elements(dom: str) -> dict[str, Counter[str]]:
    parser = ChartElements()
    parser.feed(dom)
    return parser.found


def problems(found: dict[str, Counter[str]]) -> list[str]:
    """What the rendered page lacks: both charts, bars in one, lines in the other."""
    wanted = {
        "chart-owners": ("g.owner-bar", "rect.track"),
        "chart-burnup": ("path.due", "path.done", "path.verified"),
    }
    missing = []
    for chart, elements in wanted.items():
        if chart not in found:
            missing.append(f"no <svg id={chart!r}>")
            continue
        missing += [f"{chart}: no {e}" for e in elements if not found[chart][e]]
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger", nargs="?", default=str(REPO / "data" / "measures.toml"))
    parser.add_argument("png", nargs="?", default=str(REPO / "docs" / "report.png"))
    parser.add_argument("--height", type=int, default=1090, help="window height in pixels")
    options = parser.parse_args()
    browser = find_chromium()
    if browser is None:
        print("No Chromium found: install it (Debian: apt-get install chromium).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="measures-report-") as folder:
        page = Path(folder) / "report.html"
        made = subprocess.run(
            [sys.executable, "-m", "measures", "--file", options.ledger, "report",
             "--format", "html", "--output", str(page)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if made.returncode != 0:
            print(made.stderr, end="", file=sys.stderr)
            return 1
        dom = chromium(browser, page, "--dump-dom")
        missing = problems(chart_elements(dom.stdout))
        if dom.returncode != 0 or missing:
            print("; ".join(missing) or dom.stderr, file=sys.stderr)
            return 1
        shot = chromium(
            browser, page, f"--screenshot={options.png}", f"--window-size=1080,{options.height}"
        )
        if shot.returncode != 0 or not Path(options.png).is_file():
            print(shot.stderr, file=sys.stderr)
            return 1
    print(f"Charts rendered; screenshot in {options.png}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
