"""Where the records of a ledger's TOML text begin: its `[[measures]]` header lines."""

from __future__ import annotations

import re
from typing import Any

# A header line may end in CR too: line numbers are counted in CRLF files as well.
# The key may be bare or quoted (`[["measures"]]`, `[[ 'measures' ]]`).
_HEADER = r"^[ \t]*\[\[[ \t]*(measures|\"measures\"|'measures')[ \t]*\]\][ \t]*(?:#[^\r\n]*)?\r?$"
HEADER = re.compile(_HEADER, re.MULTILINE)
# The same line in a ledger's bytes (UTF-8 leaves every character here as it is).
HEADER_BYTES = re.compile(_HEADER.encode(), re.MULTILINE)
# A header's brackets and key, wherever they stand: a pattern that begins with a
# literal, which the regex engine finds far quicker than HEADER's line starts.
_BRACKETS_PATTERN = r"\[\[[ \t]*(measures|\"measures\"|'measures')[ \t]*\]\]"
# What the scan takes from text, and from bytes: the brackets, the line, a line
# end, blanks, and the bare key.
_SCAN: dict[type, tuple[Any, ...]] = {
    str: (re.compile(_BRACKETS_PATTERN), HEADER, "\n", " \t", "measures"),
    bytes: (re.compile(_BRACKETS_PATTERN.encode()), HEADER_BYTES, b"\n", b" \t", b"measures"),
}
# What can hide a header-like line from TOML: a multi-line string, or (for a quoted
# spelling, which reads as an array of strings) a value that spans lines.
_HIDING = ('"""', "'''")
# The tokens of a line that matter for where a value or a string ends.
_TOKEN = re.compile(r"\"\"\"|'''|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*|[\[\]{}]")
_BASIC_END = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""(?:"{0,2})', re.DOTALL)
_LITERAL_END = re.compile(r"(?:[^']|'(?!''))*'''(?:'{0,2})", re.DOTALL)


def record_starts(text: str) -> list[int]:
    """Where each `[[measures]]` header line begins in `text`.

    A header line written bare can stand only as a header, unless a multi-line
    string holds it; a quoted one may also be an array of strings inside a value
    that spans lines. So where the text has a multi-line string or a quoted header,
    the lines are followed token by token, and a header-like line inside a string
    or an open value does not count.
    """
    starts, bare = _header_lines(text)
    if bare and not any(mark in text for mark in _HIDING):
        return starts
    return _real_headers(text, set(starts))


def record_offsets(data: bytes) -> list[int] | None:
    """Where each `[[measures]]` header line begins in a ledger's bytes, if plainly laid out.

    Every header written bare and no multi-line string anywhere (which could hide
    a header-like line): then these are the bytes of `record_starts`' lines. None
    for any other layout.
    """
    offsets, bare = _header_lines(data)
    if not bare or any(mark.encode() in data for mark in _HIDING):
        return None
    return offsets


def _header_lines(text: Any) -> tuple[list[int], bool]:
    """Where each line HEADER matches begins in `text` (str or bytes), and whether every
    one is written bare.

    The same lines as `HEADER.finditer(text)`: each holds the brackets, so they
    are looked for first; a line that is nothing but them is a header as it
    stands, any other is matched whole.
    """
    brackets, header, newline, blanks, bare_key = _SCAN[type(text)]
    starts: list[int] = []
    bare = True
    length = len(text)
    for found in brackets.finditer(text):
        start, end = found.span()
        if (start == 0 or text.startswith(newline, start - 1)) and (
            end == length or text.startswith(newline, end)
        ):
            if found.group(1) != bare_key:
                bare = False
            starts.append(start)
            continue
        line = text.rfind(newline, 0, start) + 1
        if text[line:start].strip(blanks) or (starts and starts[-1] == line):
            continue  # not at the head of its line, or a second on a line taken already
        match = header.match(text, line)
        if match is not None:
            bare = bare and match.group(1) == bare_key
            starts.append(line)
    return starts, bare


def _real_headers(text: str, candidates: set[int]) -> list[int]:
    """Those of `candidates` (header-like line starts) that TOML reads as table headers."""
    found = []
    depth = 0  # brackets and braces open in a value
    position = 0
    length = len(text)
    while position < length:
        end = text.find("\n", position)
        end = length if end < 0 else end + 1
        if depth == 0 and position in candidates:
            found.append(position)
            position = end
            continue
        line_end = end
        cursor = position
        if depth == 0 and text[position:end].lstrip(" \t").startswith("["):
            position = end  # a table header: no value on this line
            continue
        while True:
            match = _TOKEN.search(text, cursor, line_end)
            if match is None:
                break
            token = match.group()
            if token in _HIDING:
                closing = (_BASIC_END if token == '"""' else _LITERAL_END).match(text, match.end())
                if closing is None:
                    return sorted(found)  # an open string runs to the end
                cursor = closing.end()
                line_end = text.find("\n", cursor)
                line_end = length if line_end < 0 else line_end + 1
                continue
            if token in "[{":
                depth += 1
            elif token in "]}":
                depth = max(depth - 1, 0)
            cursor = match.end()
        position = line_end
    return found


def record_lines(text: str) -> list[int]:
    """The line on which each `[[measures]]` header stands, in file order."""
    lines, line, position = [], 1, 0
    for start in record_starts(text):
        line += text.count("\n", position, start)
        position = start
        lines.append(line)
    return lines
