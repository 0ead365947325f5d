"""How wide text is on a terminal, in cells, as rich measures it, mostly without rich.

Every renderer lays text out by rich's measure (`rich.cells`): a Chinese character
takes two cells, a letter one. Importing rich's tables and calling it for each
piece of text is a good part of a long list's time, so the characters a ledger is
written in are measured here: ASCII, Latin, general punctuation, box drawing,
and Chinese (CJK ideographs, CJK punctuation, full-width forms), each only where
every Unicode version rich knows (its `UNICODE_VERSION` setting) gives the same
width, so that the answer is rich's whatever the setting. Text with any other
character, or with what joins characters (a zero-width joiner, a variation
selector), is measured by rich itself. tests/test_cells.py checks each character
taken here against rich's tables of every version.
"""

from __future__ import annotations

# (first, last, cells): ranges of code points of one width in every rich table.
_KNOWN = (
    (0x20, 0x7E, 1),  # ASCII
    (0xA0, 0x2FF, 1),  # Latin-1 and Latin extended, modifiers (· among them)
    (0x2010, 0x2027, 1),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E, 1),
    (0x2500, 0x25FC, 1),  # box drawing, blocks (█ ░), shapes
    (0x3000, 0x3029, 2),  # the ideographic space, CJK punctuation: 、。〈〉《》「」【】〔〕
    (0x3030, 0x303E, 2),
    (0x3400, 0x4DB5, 2),  # CJK Extension A
    (0x4E00, 0x9FBB, 2),  # CJK Unified Ideographs (those of Unicode 4.1)
    (0xFF01, 0xFF60, 2),  # full-width forms: ，（）：；！？
    (0xFFE0, 0xFFE6, 2),
)


# The width given a character left to rich: any text with one sums below zero.
_UNKNOWN = -(1 << 62)


class _Widths(dict[str, int]):
    """Each character's width once looked up; _UNKNOWN for one this module leaves to rich."""

    def __missing__(self, character: str) -> int:
        point = ord(character)
        width = next((cells for first, last, cells in _KNOWN if first <= point <= last), _UNKNOWN)
        self[character] = width
        return width


_WIDTHS = _Widths()


def known_width(character: str) -> int:
    """The character's width in cells, 1 or 2, if it is one measured here; else 0."""
    return max(_WIDTHS[character], 0)


# The widths of short texts already measured: a list repeats its units, days and statuses.
_MEASURED: dict[str, int] = {}
_MEASURED_MOST = 1 << 16


def cell_len(text: str) -> int:
    """The width of `text` in terminal cells, exactly as `rich.cells.cell_len` gives it."""
    if text.isascii() and text.isprintable():
        return len(text)
    known = _MEASURED.get(text)
    if known is not None:
        return known
    total = sum(map(_WIDTHS.__getitem__, text))
    if total < 0:
        from rich.cells import cell_len as rich_cell_len

        return rich_cell_len(text)
    if len(text) < 64:
        if len(_MEASURED) >= _MEASURED_MOST:
            _MEASURED.clear()
        _MEASURED[text] = total
    return total


def _widths(text: str) -> list[int] | None:
    """Each character's cells, or None if one of them is for rich to measure."""
    widths = list(map(_WIDTHS.__getitem__, text))
    return None if min(widths, default=0) < 0 else widths


def chop_cells(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` cells: what `rich.cells.chop_cells` gives."""
    widths = _widths(text) if width >= 2 else None
    if widths is None:
        from rich.cells import chop_cells as rich_chop_cells

        return rich_chop_cells(text, width)
    # Every character here is a grapheme of its own, one or two cells wide.
    lines = []
    size = start = 0
    for index, cells in enumerate(widths):
        if size + cells > width:
            lines.append(text[start:index])
            start, size = index, 0
        size += cells
    if size:
        lines.append(text[start:])
    return lines


def first_line(text: str, width: int) -> int:
    """How many characters of `text` the first line holds when it is cut into lines of at
    most `width` cells, exactly as `rich.cells.chop_cells(text, width)[0]` holds."""
    if width >= 2 and text.isascii() and text.isprintable():
        return min(len(text), width)
    lines = chop_cells(text, width)
    return len(lines[0]) if lines else 0


def set_cell_size(text: str, total: int) -> str:
    """`text` cut or padded with spaces to `total` cells: what `rich.cells.set_cell_size` gives."""
    size = cell_len(text)
    if size <= total:
        return text + " " * (total - size)
    from rich.cells import set_cell_size as rich_set_cell_size

    return rich_set_cell_size(text, total)
