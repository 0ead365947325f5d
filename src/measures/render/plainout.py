"""Plain text on standard output as rich's Console writes it, without rich.

The long list (`longtable.py`) lays its lines out itself and has no colour, so
all rich adds is the width it lays them out to and the writing; importing rich's
console for that costs more than the rest of a warm `list`. `console_width` is
the width `terminal.make_console()` would have, by rich's own rules (COLUMNS, a
dumb terminal, the terminal's size, else 80), and None wherever those rules
depend on something not followed here (Windows, Jupyter, IDLE): the caller
then prints through rich as before. `unstyled_width` is that width only where
rich would write no escape codes and draw its tables in Unicode, as the plain
layouts of the report and the list (`plaintable.py`) need.
tests/test_plainout.py and test_plaintable.py set them beside rich's own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import IO

DEFAULT_WIDTH = 80  # rich's, where nothing says otherwise
# Below this many columns rich's layout is left to rich: no report fits so narrow.
NARROWEST = 10


def console_width(
    environ: Mapping[str, str] = os.environ, stream: IO[str] | None = None
) -> int | None:
    """The width rich's Console on `stream` (standard output) has; None if not sure."""
    stream = sys.stdout if stream is None else stream
    if sys.platform == "win32" or "IPython" in sys.modules:
        return None  # legacy Windows consoles and Jupyter have rules of their own
    if str(getattr(sys.stdin, "__module__", "")).startswith("idlelib"):
        return None
    columns = environ.get("COLUMNS")
    width = None
    if columns is not None and columns.isdigit():
        try:
            width = int(columns)
        except ValueError:  # digits int() does not read (²): rich fails on them itself
            return None
    lines = environ.get("LINES")
    if width is not None and lines is not None and lines.isdigit():
        return width  # both given: rich asks nothing else
    if is_terminal(stream, environ) and environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return DEFAULT_WIDTH
    if width is not None:
        return width
    for descriptor in _standard_descriptors():  # where rich asks for the terminal's size
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):  # not a terminal
            continue
        break
    return width or DEFAULT_WIDTH


def unstyled_width(stream: IO[str], environ: Mapping[str, str] = os.environ) -> int | None:
    """The width rich's Console lays out to when writing to `stream`, if it would write
    no escape codes there and needs no box characters replaced; else None."""
    if getattr(stream, "rich_proxied_file", None) is not None or is_terminal(stream, environ):
        return None
    encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None  # rich draws the table's rule in ASCII then
    width = console_width(environ, stream)
    return width if width is not None and width >= NARROWEST else None


def _standard_descriptors() -> tuple[int, int, int]:
    """Standard input, output and error, as rich numbers them when it is imported."""
    found = []
    for standard, default in ((sys.__stdin__, 0), (sys.__stdout__, 1), (sys.__stderr__, 2)):
        try:
            found.append(standard.fileno())  # type: ignore[union-attr]
        except Exception:  # rich's own catch-all: a stream of any kind
            found.append(default)
    return found[0], found[1], found[2]


def is_terminal(stream: IO[str], environ: Mapping[str, str] = os.environ) -> bool:
    """rich's Console.is_terminal (where it writes styles): TTY_COMPATIBLE, then
    FORCE_COLOR, then the stream itself."""
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    isatty = getattr(stream, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:  # a closed stream
        return False


def write_lines(lines: Iterable[str], stream: IO[str] | None = None) -> None:
    """Each line and a newline, written at once, as rich writes what it printed."""
    write_text("".join([line + "\n" for line in lines]), stream)


def write_text(text: str, stream: IO[str] | None = None) -> None:
    """`text` written and flushed; a reader gone away (`| head`) ends the command as
    rich's Console ends it: nothing more is written, and the exit status is 1."""
    stream = sys.stdout if stream is None else stream
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None
