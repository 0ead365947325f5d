"""The terminal report written without rich, where rich would write plain text anyway.

To a pipe or a file rich's Console writes no escape codes, and the report is
then plain text that `plaintable.py` lays out the same, byte for byte, without
importing rich.console or rich.table (at 10,000 measures about 0.1 s of the
report's 0.27 s). Where rich would style the output (a terminal, FORCE_COLOR,
TTY_COMPATIBLE=1), draw in ASCII (an encoding not UTF), or lay out what
`plaintable.py` does not copy, the report is left to rich, unchanged.

`console_width` decides as `terminal.make_console`'s Console does (rich 15's
`is_terminal`, `encoding` and `size`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from measures.domain.reports import Report

# Below this many columns rich's layout is left to rich: no report fits so narrow.
NARROWEST = 10


def console_width(file: IO[str], environ: Mapping[str, str] = os.environ) -> int | None:
    """The width rich's Console lays out to when writing to `file`, if it would write
    no escape codes there and needs no box characters replaced; else None."""
    if sys.platform == "win32" or "IPython" in sys.modules:
        return None  # legacy Windows consoles, Jupyter: rich's own ways
    if str(getattr(sys.stdin, "__module__", "")).startswith("idlelib"):
        return None
    if getattr(file, "rich_proxied_file", None) is not None or _is_terminal(file, environ):
        return None
    encoding = (getattr(file, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None  # rich draws the table's rule in ASCII then
    width = _width(environ)
    return width if width is not None and width >= NARROWEST else None


def _is_terminal(file: IO[str], environ: Mapping[str, str]) -> bool:
    """rich's `Console.is_terminal` (where styles are written)."""
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force_color = environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    isatty = getattr(file, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:  # a closed file
        return False


def _width(environ: Mapping[str, str]) -> int | None:
    """rich's `Console.size` width off a terminal: COLUMNS, else the terminal's, else 80."""
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        try:
            return int(columns)
        except ValueError:  # digits int() does not read (²): rich fails on them itself
            return None
    for descriptor in _standard_descriptors():
        try:
            width, _height = os.get_terminal_size(descriptor)
        except (AttributeError, ValueError, OSError):
            continue
        return width or 80
    return 80


def _standard_descriptors() -> tuple[int, int, int]:
    """Standard input, output and error, where rich asks for the terminal's size."""
    found = []
    for stream, default in ((sys.__stdin__, 0), (sys.__stdout__, 1), (sys.__stderr__, 2)):
        try:
            found.append(stream.fileno())  # type: ignore[union-attr]
        except Exception:
            found.append(default)
    return found[0], found[1], found[2]


def report_text(report: Report, overdue_only: bool, width: int) -> str | None:
    """The terminal report (`output.print_report`) as rich writes it without styles to a
    console `width` wide, or None where rich lays it out in a way of its own."""
    from measures.render.longtable import LONG
    from measures.render.plaintable import blocks_text
    from measures.render.terminal import overdue_block, report_blocks

    if overdue_only:
        if len(report.overdue) > LONG:
            return None  # the long table's own layout
        blocks = [overdue_block(report.overdue, report.as_of, plans=report.overdue_plans)]
        return blocks_text(blocks, width)
    return blocks_text(report_blocks(report, width), width)


def write_plain_report(report: Report, overdue_only: bool, file: IO[str]) -> bool:
    """Write the report to `file` without rich if that gives rich's bytes; whether it did."""
    width = console_width(file)
    if width is None:
        return False
    text = report_text(report, overdue_only, width)
    if text is None:
        return False
    try:
        file.write(text)
        file.flush()
    except BrokenPipeError:
        # As rich's Console: the reader went away; nothing more, exit 1.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None
    return True
