"""The width of text on a terminal in cells, as rich measures it, mostly without rich.

rich's `rich.cells` is the measure every table is laid out by. For the characters
a ledger is mostly written in (printable ASCII, the CJK ideographs, CJK punctuation
and full-width forms, curly quotes, dashes, `…` and `·`, box drawing and blocks)
the width is known here, and is the same in every Unicode version rich knows, so
whatever `UNICODE_VERSION` says (`tests/test_plaintable.py` checks every one). Text
with any other character is measured by rich itself.
"""

from __future__ import annotations

import functools


@functools.cache
def _width(char: str) -> int | None:
    """The cells `char` takes, where every Unicode version agrees; None otherwise."""
    code = ord(char)
    if 0x20 <= code <= 0x7E or code == 0xB7 or 0x2010 <= code <= 0x2027:
        return 1
    if 0x2500 <= code <= 0x25FC:  # box drawing, blocks, shapes: rich's single cells
        return 1
    # CJK ideographs (those of Unicode 4.1: rich's oldest tables leave the later ones
    # narrow), CJK punctuation (less its combining marks and U+303F), full-width forms.
    if 0x4E00 <= code <= 0x9FBB or 0x3000 <= code <= 0x3029 or 0x3030 <= code <= 0x303E:
        return 2
    if 0xFF01 <= code <= 0xFF60:
        return 2
    return None


def _widths(text: str) -> list[int] | None:
    """Each character's cells, or None if one of them is for rich to measure."""
    widths = []
    for char in text:
        width = _width(char)
        if width is None:
            return None
        widths.append(width)
    return widths


def cell_len(text: str) -> int:
    """The cells `text` takes: what `rich.cells.cell_len` gives."""
    if text.isascii() and text.isprintable():
        return len(text)
    widths = _widths(text)
    if widths is None:
        from rich.cells import cell_len as rich_cell_len

        return rich_cell_len(text)
    return sum(widths)


def chop_cells(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` cells: what `rich.cells.chop_cells` gives."""
    widths = _widths(text)
    if widths is None:
        from rich.cells import chop_cells as rich_chop_cells

        return rich_chop_cells(text, width)
    # Every character here is a grapheme of its own, one or two cells wide.
    lines = []
    size = 0
    start = 0
    for index, cells in enumerate(widths):
        if size + cells > width:
            lines.append(text[start:index])
            start = index
            size = 0
        size += cells
    if size:
        lines.append(text[start:])
    return lines


def set_cell_size(text: str, total: int) -> str:
    """`text` cut or padded with spaces to `total` cells: what `rich.cells.set_cell_size` gives."""
    size = cell_len(text)
    if size <= total:
        return text + " " * (total - size)
    from rich.cells import set_cell_size as rich_set_cell_size

    return rich_set_cell_size(text, total)
