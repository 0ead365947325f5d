"""Render a ledger's HTML report in headless Chromium: a screenshot, and the charts checked.

    python scripts/report_screenshot.py             # data/measures.toml -> docs/report.png
    python scripts/report_screenshot.py LEDGER PNG [--width N] [--height N | --full-page]
    python scripts/report_screenshot.py data/measures.toml docs/report-390.png \
        --width 390 --full-page                     # a phone's width, the whole page

Exits 1 if the rendered page lacks either chart or its bars and lines, and 2 if
no Chromium is found (Debian: `apt-get install chromium`).
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

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


# Measures the laid-out page: its scroll width and height, the boxes of the units
# table's names and of every chart text, with the font size it is drawn at in px.
LAYOUT_SCRIPT = """
(() => {
function box(e) { const r = e.getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height, right: r.right, bottom: r.bottom}; }
function texts(svg) {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => ({
    cls: t.getAttribute('class') || '', text: t.textContent, box: box(t),
    font: parseFloat(getComputedStyle(t).fontSize) * scale}));
}
const root = document.documentElement;
return JSON.stringify({
  viewport: window.innerWidth,
  scrollWidth: root.scrollWidth,
  height: root.scrollHeight,
  units: [...document.querySelectorAll('#table-owners td.unit')].map(td => ({
    text: td.textContent, box: box(td), line: parseFloat(getComputedStyle(td).lineHeight)})),
  charts: Object.fromEntries([...document.querySelectorAll('svg.chart')].map(
    svg => [svg.id, {box: box(svg), texts: texts(svg)}])),
});
})()
"""


class Browser:
    """One headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4): a
    page at any viewport width (a window cannot be narrower than 500 px), measured,
    photographed or printed.

        with Browser(path) as browser:
            browser.open(page, width=390)
            found = browser.layout()
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.ids = 0
        self.session: str | None = None
        self.buffer = b""
        self.events: list[str] = []  # the DevTools events seen since the last page opened

    def __enter__(self) -> Browser:
        self.profile = tempfile.TemporaryDirectory(prefix="measures-chromium-")
        commands_read, self.commands = os.pipe()
        self.replies, replies_write = os.pipe()

        def pipes_at_3_and_4() -> None:
            # Copies above 4 first: either pipe may itself be 3 or 4.
            read, write = (
                fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, replies_write)
            )
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [self.path, *FLAGS, f"--user-data-dir={self.profile.name}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # Closing other descriptors would close 3 and 4 after the dup2: every other
            # descriptor of ours is close-on-exec anyway (Python's default).
            preexec_fn=pipes_at_3_and_4, close_fds=False,
        )  # fmt: skip
        os.close(commands_read)
        os.close(replies_write)
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.send("Page.enable")
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.session = None
            self.send("Browser.close")
            self.process.wait(timeout=TIMEOUT_SECONDS)
        except (OSError, RuntimeError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self.commands)
            os.close(self.replies)
            self.profile.cleanup()

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            chunk = os.read(self.replies, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        found: dict[str, Any] = json.loads(message)
        return found

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and wait for its reply (events before it are noted)."""
        self.ids += 1
        call: dict[str, Any] = {"id": self.ids, "method": method, "params": params}
        if self.session:
            call["sessionId"] = self.session
        os.write(self.commands, json.dumps(call).encode() + b"\0")
        while True:
            message = self._message()
            if message.get("method"):
                self.events.append(message["method"])
            elif message.get("id") == self.ids:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def wait_for(self, event: str) -> None:
        while event not in self.events:
            message = self._message()
            if message.get("method"):
                self.events.append(message["method"])

    def open(self, page: Path, width: int, height: int = 900) -> None:
        """Show `page` in a viewport `width` x `height` CSS px, once it has loaded."""
        self.resize(width, height)
        self.events = []
        self.send("Page.navigate", url=page.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def resize(self, width: int, height: int) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width, height=height, deviceScaleFactor=1, mobile=width < 500,
        )  # fmt: skip

    def layout(self) -> dict[str, Any]:
        """What LAYOUT_SCRIPT finds on the page shown."""
        result = self.send("Runtime.evaluate", expression=LAYOUT_SCRIPT, returnByValue=True)
        found: dict[str, Any] = json.loads(result["result"]["value"])
        return found

    def screenshot(self, png: Path, full_page: bool = False) -> None:
        """The viewport, or with `full_page` the whole page, as a PNG."""
        if full_page:
            found = self.layout()
            self.resize(found["viewport"], found["height"])
        shot = self.send("Page.captureScreenshot", format="png")
        png.write_bytes(base64.b64decode(shot["data"]))

    def pdf(self, pdf: Path) -> None:
        """The page printed as the browser prints it, on the paper its style asks for."""
        printed = self.send("Page.printToPDF", preferCSSPageSize=True, printBackground=False)
        pdf.write_bytes(base64.b64decode(printed["data"]))


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
    parser.add_argument("--width", type=int, default=1080, help="window width in pixels")
    parser.add_argument("--height", type=int, default=1090, help="window height in pixels")
    parser.add_argument(
        "--full-page", action="store_true", help="as tall as the page (instead of --height)"
    )
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
        with Browser(browser) as driven:
            driven.open(page, options.width, options.height)
            driven.screenshot(Path(options.png), full_page=options.full_page)
    print(f"Charts rendered; screenshot in {options.png}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
