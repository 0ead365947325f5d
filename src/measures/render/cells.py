"""Spreadsheet cells that cannot run: the one rule csv and xlsx output share.

Excel, WPS and LibreOffice take a cell that starts with `=`, `+`, `-` or `@` as a
formula (tab and carriage return can smuggle one in), so such a cell is written
with a leading `'`, which spreadsheets read as "this is text". A value that
already starts with `'`s followed by one of those characters gets one more `'`,
so that `restore` gives every value back exactly.
"""

from __future__ import annotations

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
