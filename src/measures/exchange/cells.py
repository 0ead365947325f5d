"""Spreadsheet cells that cannot run: the one rule csv and xlsx output share.

Excel, WPS and LibreOffice take a cell that starts with `=`, `+`, `-` or `@` as a
formula (tab and carriage return can smuggle one in), so such a cell is written
with a leading `'`, which spreadsheets read as "this is text". A value that
already starts with `'`s followed by one of those characters gets one more `'`,
so that `restore` gives every value back exactly.

Both also read a file to import the same way: whole, and only up to a size.
"""

from __future__ import annotations

from pathlib import Path

from measures.errors import BadValue
from measures.i18n import _

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: str) -> str:
    """`value` made safe for a spreadsheet cell: a leading `'` before a formula-like start."""
    if value.lstrip(QUOTE).startswith(TRIGGERS):
        return QUOTE + value
    return value


def restore(value: str) -> str:
    """The value `neutralise` was given: one leading `'` dropped where it added one."""
    if value.startswith(QUOTE) and value.lstrip(QUOTE).startswith(TRIGGERS):
        return value[1:]
    return value


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column counted from 0: A, B, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a file to import, or a BadValue if it cannot be read or is over `limit`."""
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise BadValue(
            _("{path}: cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from None
    if len(data) > limit:
        raise BadValue(
            _("{path}: the file is larger than {size} MB; import reads smaller files.").format(
                path=path, size=limit // (1024 * 1024)
            ),
            _("Import the measures in several files."),
        )
    return data


def unknown_sheet(path: Path, name: str, names: list[str]) -> BadValue:
    """The error for `--sheet NAME` naming no worksheet of the file: the ones there are."""
    from measures.errors import typed

    return BadValue(
        _("{path}: no worksheet named {name}; the workbook has {names}.").format(
            path=path, name=typed(name), names="、".join(names) or _("none")
        ),
        _("Give one of those names to --sheet, exactly as written."),
    )
