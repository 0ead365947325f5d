"""Edit one `[[measures]]` block as plain text, to the very bytes tomlkit would write.

A write re-writes the block of each measure it changed (tomledit.py) with
tomlkit, which keeps the block's comments, spacing and quoting. That costs:
importing tomlkit takes some 5 ms and its parse and edit of the block several
more, in a write whose whole budget is about 120 ms. Most blocks are laid out
plainly, though: `key = value` lines, comments and blank lines, then
`[[measures.log]]` tables. And the commands' edits are plain too: a value
replaced, a key added or removed, log entries appended. Such an edit is made
here, line by line, doing to the text what tomlkit does to its document:

- a value replaced keeps its line's indent, key, spacing and comment;
- a key added goes on a line of its own after its neighbour (`place_after`),
  else after the last key or comment above the log tables, where tomlkit's
  Container appends a value;
- a key removed takes its whole line with it;
- a log entry appended is a `[[measures.log]]` table after a blank line;
- a value is written as tomlkit writes it (`render`).

Whatever else a block holds (a multi-line string, a dotted key, a table other
than the log) or an edit needs (a log rewritten rather than appended to, an
inline log), is declined: `edit_block` returns None and tomlkit edits the block
as before. tests/test_blockedit.py holds the two to the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

# The block's first line, as tomlkit gives it back: the header bare, not indented.
_HEADER = re.compile(r"\[\[measures\]\][ \t]*(?:#[^\n]*)?\n")
_LOG_HEADER = re.compile(r"\[\[measures\.log\]\][ \t]*(?:#[^\n]*)?\n")
# A line up to its value: indent, a key bare or quoted (without escapes), `=` with its spaces.
_KEY_PART = (
    r"[ \t]*(?:(?P<bare>[A-Za-z0-9_-]+)|\"(?P<basic>[^\"\\\n]*)\"|'(?P<literal>[^'\n]*)')"
    r"[ \t]*=[ \t]*"
)
_KEY = re.compile(_KEY_PART)
# What may follow a value on its line.
_AFTER_PART = r"[ \t]*(?:#[^\n]*)?\n"
_AFTER = re.compile(_AFTER_PART)
# A string on one line; not the opening of a multi-line one, whose lines could look like anything.
_STRING_PART = r"\"(?!\"\")(?:[^\"\\\n]|\\.)*\"|'(?!'')[^'\n]*'"
_STRING = re.compile(_STRING_PART)
_SCALAR_PART = r"[A-Za-z0-9_:.+-]+"
_SCALAR = re.compile(_SCALAR_PART)
# A line of the common forms at one go: blank, a comment, the start of a table
# header, or a value on one line (a string, a scalar, or an array of them).
_PLAIN_PART = r"[^\[\]{}\n#\"']*"
_ARRAY_PART = rf"\[{_PLAIN_PART}(?:(?:{_STRING_PART}){_PLAIN_PART})*\]"
_LINE = re.compile(
    r"(?P<blank>[ \t]*\n)|(?P<comment>[ \t]*#[^\n]*\n)|(?P<table>[ \t]*\[)|"
    rf"{_KEY_PART}(?P<value>{_STRING_PART}|{_SCALAR_PART}|{_ARRAY_PART})(?P<tail>{_AFTER_PART})"
)
_BARE = re.compile(r"[A-Za-z0-9_-]+")
# What makes a block one to leave to tomlkit: a carriage return (CRLF files are
# edited in their LF form), or a control character TOML does not allow in the text.
_DECLINED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# How tomlkit escapes a basic string: the short escapes where TOML 1.0 has
# them, \uXXXX for every other control character (ESC too: \e is TOML 1.1).
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_ESCAPES = str.maketrans(
    {
        **{chr(code): f"\\u{code:04x}" for code in (*range(0x20), 0x7F)},
        **_SHORT,
    }
)

# The kinds of a line above the log tables.
_VALUE, _NOTE, _EMPTY, _GONE = "value", "comment", "blank", "removed"


class _Line:
    """A line above the log tables: `head` + `value` + `tail` is its text."""

    __slots__ = ("head", "key", "kind", "tail", "value")

    def __init__(
        self, kind: str, head: str, key: str | None = None, value: str = "", tail: str = ""
    ) -> None:
        self.kind = kind
        self.head = head  # a value's indent, key and `=`; the whole of any other line
        self.key = key
        self.value = value  # as written, to the end of its last character
        self.tail = tail  # spaces, comment and newline after the value

    def text(self) -> str:
        return "" if self.kind is _GONE else self.head + self.value + self.tail


def edit_block(
    body: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    place_after: Mapping[str, tuple[str, ...]],
) -> str | None:
    """`body` (one block) edited from the record's TOML values `old` to `new`; None if declined.

    `old` and `new` are the record's values as tomledit gives them to tomlkit,
    their log under "log"; `place_after` says after which neighbour a key that
    the block gains goes (the first of them it has). The text is exactly what
    tomledit's tomlkit edit makes of the same block, or None.
    """
    if not body.endswith("\n") or _DECLINED.search(body):
        return None
    parsed = _parse(body)
    if parsed is None:
        return None
    header, lines, log_text, log_tables = parsed
    keys = {line.key: line for line in lines if line.kind is _VALUE}
    if len(keys) != sum(line.kind is _VALUE for line in lines):
        return None  # a key twice
    ident = keys.get("id")
    if ident is None or ident.value != str(old.get("id")):
        return None
    old = dict(old)
    new = dict(new)
    old_log = old.pop("log", [])
    new_log = new.pop("log", [])
    # As tomledit's `_edit_table`: the values set in `new`'s order, then the keys gone.
    for key, value in new.items():
        if key in old and old[key] == value:
            continue
        text = render(value)
        if text is None:
            return None
        line = keys.get(key)
        if line is not None:
            line.value = text
            continue
        if _BARE.fullmatch(key) is None:
            return None
        added = _Line(_VALUE, f"{key} = ", key, text, "\n")
        neighbour = next((k for k in place_after.get(key, ()) if k in keys), None)
        if neighbour is not None:
            lines.insert(_position(lines, keys[neighbour]) + 1, added)
        else:
            lines.insert(_append_at(lines), added)
        keys[key] = added
    for key in old:
        if key not in new and key in keys:
            keys.pop(key).kind = _GONE
    appended = ""
    if new_log != old_log:
        if "log" in keys or new_log[: len(old_log)] != old_log or log_tables != len(old_log):
            return None  # an inline log, a log rewritten, or one the block does not show
        tables = [_log_table(entry) for entry in new_log[len(old_log) :]]
        if any(table is None for table in tables):
            return None
        if log_tables:
            # tomlkit adds a newline to the last table, then the new one after it.
            appended = "".join(f"\n{table}" for table in tables)
        else:
            # A new array of tables: a blank line before it unless one is there already.
            last = next((line for line in reversed(lines) if line.kind is not _GONE), None)
            before = "" if last is not None and last.kind is _EMPTY else "\n"
            appended = before + "\n".join(table for table in tables if table is not None)
    elif log_tables != len(old_log) and "log" not in keys:
        return None
    return header + "".join(line.text() for line in lines) + log_text + appended


def _position(lines: list[_Line], line: _Line) -> int:
    return next(index for index, item in enumerate(lines) if item is line)


def _append_at(lines: list[_Line]) -> int:
    """Where tomlkit's Container appends a value: after the last value or comment
    before the tables (blank lines and removed keys after it stay after it)."""
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].kind in (_VALUE, _NOTE):
            return index + 1
    return 0


def _parse(body: str) -> tuple[str, list[_Line], str, int] | None:
    """The header line, the lines above the log tables, the log tables' text and their count.

    Every line is read, the log tables' too: a blank line, a comment, a table
    header of the log, or a value (which only an array may carry over lines).
    """
    header = _HEADER.match(body)
    if header is None:
        return None
    lines: list[_Line] = []
    log_start = -1  # where the first log table begins
    tables = 0
    position = header.end()
    length = len(body)
    while position < length:
        line = _LINE.match(body, position)
        kind = None if line is None else line.lastgroup
        if kind == "table":
            end = body.index("\n", position) + 1
            if _LOG_HEADER.fullmatch(body, position, end) is None:
                return None  # another table, or a header indented or spelt otherwise
            if log_start < 0:
                log_start = position
            tables += 1
        elif line is not None and (log_start >= 0 or kind != "tail"):
            end = line.end()  # a line of the log tables is only read, not kept
            if log_start < 0:
                lines.append(_Line(_EMPTY if kind == "blank" else _NOTE, line.group()))
        else:
            value = _value_line(body, position) if line is None else _spans(line)
            if value is None:
                return None
            name, value_start, value_end, end = value
            if log_start < 0:
                head, text, tail = (
                    body[position:value_start],
                    body[value_start:value_end],
                    body[value_end:end],
                )
                lines.append(_Line(_VALUE, head, name, text, tail))
        position = end
    log = body[log_start:] if log_start >= 0 else ""
    return header.group(), lines, log, tables


def _spans(line: re.Match[str]) -> tuple[str, int, int, int]:
    """A value line `_LINE` matched: its key, where its value starts and ends, where it ends."""
    return _key_name(line), line.start("value"), line.end("value"), line.end()


def _key_name(key: re.Match[str]) -> str:
    for group in ("bare", "basic", "literal"):
        name = key.group(group)
        if name is not None:
            return name
    raise AssertionError("a key is one of the three")


def _value_line(body: str, position: int) -> tuple[str, int, int, int] | None:
    """`_spans` of a value `_LINE` does not take (an array over lines, an inline table), if any."""
    key = _KEY.match(body, position, body.index("\n", position) + 1)
    if key is None:
        return None
    value_end = _value_end(body, key.end())
    if value_end is None:
        return None
    after = _AFTER.match(body, value_end)
    if after is None:
        return None
    return _key_name(key), key.end(), value_end, after.end()


def _value_end(text: str, start: int) -> int | None:
    """Where the value that begins at `start` ends; None for a value not followed here.

    A string is on one line; an array may run over lines (with comments), an inline
    table may not.
    """
    if start >= len(text):
        return None
    first = text[start]
    if text.startswith(('"""', "'''"), start):
        return None  # a multi-line string: its lines could look like anything
    if first in "\"'":
        string = _STRING.match(text, start)
        return None if string is None else string.end()
    if first not in "[{":
        scalar = _SCALAR.match(text, start)
        return None if scalar is None else scalar.end()
    opened: list[str] = []
    position = start
    length = len(text)
    while position < length:
        char = text[position]
        if char in "\"'":
            if text.startswith(('"""', "'''"), position):
                return None
            string = _STRING.match(text, position)
            if string is None:
                return None
            position = string.end()
            continue
        if char in "[{":
            opened.append(char)
        elif char in "]}":
            if not opened or opened.pop() != ("[" if char == "]" else "{"):
                return None
            if not opened:
                return position + 1
        elif char in "#\n":
            if opened[-1] != "[":
                return None  # inside an inline table
            if char == "#":
                position = text.index("\n", position)
                continue
        position += 1
    return None


def render(value: Any) -> str | None:
    """A value as tomlkit writes one it is given (`tomlkit.item(value).as_string()`); None
    for a kind of value not written here."""
    if isinstance(value, str):
        return f'"{value.translate(_ESCAPES)}"'
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items = [render(item) if not isinstance(item, (list, tuple)) else None for item in value]
        if any(item is None for item in items):
            return None
        return f"[{', '.join(item for item in items if item is not None)}]"
    return None


def _log_table(entry: Mapping[str, Any]) -> str | None:
    """A log entry as tomledit's `_log_table` has tomlkit write it, header and all."""
    parts = ["[[measures.log]]\n"]
    for key, value in entry.items():
        if _BARE.fullmatch(key) is None:
            return None
        text = _evidence(value) if key == "evidence" else render(value)
        if text is None:
            return None
        parts.append(f"{key} = {text}\n")
    return "".join(parts)


def _evidence(items: Any) -> str | None:
    """Evidence as inline tables in an array: on one line, or one a line when there are several."""
    if not isinstance(items, (list, tuple)):
        return None
    tables = []
    for item in items:
        if not isinstance(item, Mapping) or not item:
            return None
        pairs = []
        for key, value in item.items():
            if _BARE.fullmatch(key) is None or not isinstance(value, str):
                return None
            pairs.append(f"{key} = {render(value)}")
        tables.append(f"{{{', '.join(pairs)}}}")
    if len(tables) > 1:
        return "[\n" + "".join(f"    {table},\n" for table in tables) + "]"
    return f"[{''.join(tables)}]"
