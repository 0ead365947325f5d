"""The report's paragraphs and tables as rich lays them out, for output without styles,
written without rich: the same bytes, without rich's import and its cell-by-cell work.

A paragraph folds as rich folds it (`Text.wrap`, with `terminal._cell_text`'s
line-break rule for ledger text); a table's columns get the widths rich gives
them, squeezed as rich squeezes them (`Table._calculate_column_widths`, then
terminal's FittingTable), and each cell folds, crops or ends in `…` as in rich,
the header on its rule, the rows hanging from their tops. The steps copy rich
15's (`rich._wrap.divide_line`, `Text.wrap`, `Lines.justify`, `Table`,
`Padding`, box `SIMPLE_HEAVY` without its edge); `tests/test_plaintable.py`
holds them to the installed rich's bytes.

What is not copied returns None, "leave it to rich": a control character in our
own text, a zero-width joiner or an emoji selector (rich measures those by
segment), a cell that would not come out its column's width.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Literal

from measures.inert import UNSAFE, inert
from measures.render.blocks import Blank, Block, Cell, Paragraph, Runs, TableBlock, TableColumn
from measures.render.cells import cell_len, chop_cells, set_cell_size
from measures.render.linebreak import line_starts, ruled
from measures.render.terminal import within

Justify = Literal["default", "left", "right", "center"]
Overflow = Literal["fold", "crop", "ellipsis"]

_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word
_TRAILING_SPACE = re.compile(r"\s+$")  # rich.text._re_whitespace
HEAD_RULE = "━"  # SIMPLE_HEAVY's line under the header


def _plainly_measured(text: str) -> bool:
    """Whether `text` shows as it reads and measures the same cut into rich's segments:
    no control character, no zero-width joiner or emoji selector (whose width depends on
    the character after or before it, which a segment's end may cut off)."""
    return "\u200d" not in text and "\ufe0f" not in text and UNSAFE.search(text) is None


def _words(text: str) -> Iterator[tuple[int, str]]:
    match = _WORD.match(text, 0)
    while match is not None:
        yield match.start(), match.group(0)
        match = _WORD.match(text, match.end())


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Where rich's `divide_line` breaks `text` to fit `width` cells."""
    breaks: list[int] = []
    offset = 0
    for start, word in _words(text):
        word_length = cell_len(word.rstrip())
        if width - offset >= word_length:
            offset += cell_len(word)
        elif word_length > width:
            if not fold:
                if start:
                    breaks.append(start)
                offset = cell_len(word)
                continue
            pieces = chop_cells(word, width)
            for index, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if index == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _wrap(
    text: str,
    width: int,
    justify: Justify = "default",
    overflow: Overflow = "fold",
    *,
    rule: bool,
    no_wrap: bool = False,
) -> list[str]:
    """`text` (one line, inert) as rich's Text.wrap makes it lines.

    `rule`: the text is a cell or paragraph of `terminal._cell_text`, which moves the
    breaks by the line-break rule where the text has something the rule is about.
    """
    fold = overflow == "fold"
    if no_wrap:
        starts: list[int] = []
    elif rule and ruled(text):
        starts = line_starts(text, lambda rest: next(iter(divide_line(rest, width, fold)), None))
    else:
        starts = divide_line(text, width, fold)
    bounds = [0, *starts, len(text)]
    lines = [text[a:b] for a, b in itertools.pairwise(bounds)] if starts else [text]
    lines = [_rstrip_end(line, width) for line in lines]
    if justify == "left":
        lines = [_truncate(line, width, overflow, pad=True) for line in lines]
    elif justify == "right":
        lines = [_pad_left(_truncate(line.rstrip(), width, overflow), width) for line in lines]
    elif justify == "center":
        lines = [_centre(_truncate(line.rstrip(), width, overflow), width) for line in lines]
    return [_truncate(line, width, overflow) for line in lines]


def _centre(line: str, width: int) -> str:
    """rich's `Lines.justify` centre: the space left shared, the odd cell on the right."""
    left = " " * ((width - cell_len(line)) // 2)
    return _truncate(left + line, width, "fold", pad=True)


def _rstrip_end(line: str, width: int) -> str:
    """rich's `Text.rstrip_end`: whitespace beyond `width` characters (not cells) comes off."""
    excess = len(line) - width
    if excess > 0:
        space = _TRAILING_SPACE.search(line)
        if space is not None:
            return line[: len(line) - min(len(space.group(0)), excess)]
    return line


def _truncate(line: str, width: int, overflow: Overflow, pad: bool = False) -> str:
    """rich's `Text.truncate`."""
    size = cell_len(line)
    if size > width:
        if overflow == "ellipsis":
            line = set_cell_size(line, width - 1) + "…"
        else:
            line = set_cell_size(line, width)
    if pad and size < width:
        line += " " * (width - size)
    return line


def _pad_left(line: str, width: int) -> str:
    return " " * (width - cell_len(line)) + line


def paragraph_text(paragraph: Paragraph, width: int) -> str | None:
    """What `console.print(terminal._paragraph(text))` writes to a console `width` wide."""
    text = inert(paragraph.text)
    if not _plainly_measured(text):
        return None
    return "\n".join(_wrap(text, width, rule=True)) + "\n"


def _plain(cell: Cell | Runs) -> tuple[str, bool] | None:
    """A cell's text as its Text holds it, and whether the line-break rule folds it;
    None for text rich would show otherwise (a control character in our own text)."""
    if isinstance(cell, Runs):
        text = cell.plain
        return (text, False) if _plainly_measured(text) else None
    text = inert(cell[0])
    return (text, True) if _plainly_measured(text) else None


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """rich's `_ratio.ratio_reduce`."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(most, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse(widths: list[int], wrapable: list[bool], room: int) -> list[int]:
    """rich's `Table._collapse_widths`: the widest columns that may wrap give way first."""
    total = sum(widths)
    excess = total - room
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, wraps in zip(widths, wrapable, strict=True) if wraps)
            second = max(
                w if wraps and w != widest else 0 for w, wraps in zip(widths, wrapable, strict=True)
            )
            ratios = [
                1 if w == widest and wraps else 0 for w, wraps in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or widest == second:
                break
            most = [min(excess, widest - second)] * len(widths)
            widths = _ratio_reduce(excess, ratios, most, widths)
            total = sum(widths)
            excess = total - room
    return widths


class _Grid:
    """A table's texts by column, heading first, as rich measures them."""

    def __init__(self, columns: Sequence[TableColumn], rows: list[list[tuple[str, bool]]]) -> None:
        self.columns = columns
        self.rows = rows
        # collapse_padding and no pad_edge: one space right of each cell but the last.
        self.pads = [1] * (len(columns) - 1) + [0]
        self.sizes = [[cell_len(text) for text, _rule in row] for row in rows]

    def measure(self, index: int, room: int) -> int:
        """rich's `Table._measure_column(...).maximum` for column `index` in `room` cells."""
        if room < 1:
            return 0
        pad = self.pads[index]
        widest = 0
        for sizes in self.sizes:
            size = min(sizes[index], room)  # the Text's measure (no line breaks in it)
            size = room if room - pad < 1 else min((size if size >= 1 else 0) + pad, room)
            widest = max(widest, size if size >= 1 else 0)
        column = self.columns[index]
        widest = min(widest, room)
        if column.min_width is not None:
            widest = max(widest, column.min_width + pad)
        if column.max_width is not None:
            widest = min(widest, column.max_width + pad)
        return widest

    def widths(self, room: int) -> list[int]:
        """rich's `Table._calculate_column_widths` (not expanded), then terminal's FittingTable."""
        count = len(self.columns)
        widths = [self.measure(index, room) or 1 for index in range(count)]
        if sum(widths) > room:
            widths = _collapse(widths, [not c.no_wrap for c in self.columns], room)
            if sum(widths) > room:
                widths = _ratio_reduce(sum(widths) - room, [1] * count, widths, widths)
            widths = [self.measure(index, width) or 0 for index, width in enumerate(widths)]
        folding = [not column.no_wrap and column.min_width is None for column in self.columns]
        return within(widths, folding, room)

    def lines(self, widths: list[int]) -> list[str] | None:
        """The header, its rule and the rows, each cell folded as rich folds it."""
        total = sum(widths) + len(widths) - 1
        lines = []
        for depth, row in enumerate(self.rows):
            cells = []
            for (text, rule), column, size, pad in zip(
                row, self.columns, widths, self.pads, strict=True
            ):
                inner = size - pad
                if inner < 1:
                    return None
                folded = _wrap(
                    text,
                    inner,
                    "right" if column.right else "left",
                    column.overflow,
                    rule=rule,
                    no_wrap=column.no_wrap,
                )
                if any(cell_len(line) != inner for line in folded):
                    return None
                cells.append([line + " " * pad for line in folded])
            height = max(len(cell) for cell in cells)
            for index, cell in enumerate(cells):
                blank = [" " * widths[index]] * (height - len(cell))
                # The header sits on its rule; a row's cells hang from its top.
                cells[index] = blank + cell if depth == 0 else cell + blank
            lines += [" ".join(cell[line] for cell in cells) for line in range(height)]
            if depth == 0:
                lines.append(HEAD_RULE * total)
        return lines


def table_text(block: TableBlock, width: int) -> str | None:
    """What `console.print(terminal._block_table(block))` writes to a console `width`
    wide; None where rich would do what is not copied here."""
    columns = block.columns
    count = len(columns)
    room = width - (count - 1)  # a space between columns, none at the edges
    if not count or room < 2:
        return None
    annotations = [block.title or "", block.caption or ""]
    if not all(_plainly_measured(text) for text in [*(c.header for c in columns), *annotations]):
        return None
    rows = [[(column.header, False) for column in columns]]
    for row in block.rows:
        cells = [_plain(cell) for cell in row]
        plain = [cell for cell in cells if cell is not None]
        if len(plain) != count or len(cells) != count:
            return None
        rows.append(plain)
    grid = _Grid(columns, rows)
    widths = grid.widths(room)
    total = sum(widths) + count - 1
    body = grid.lines(widths)
    if body is None:
        return None
    title = _wrap(block.title, total, "left", rule=False) if block.title else []
    caption = _wrap(block.caption, total, "center", rule=False) if block.caption else []
    lines = [*title, *body, *caption]
    # A table wider than the console (its columns' least widths) is cut at its edge.
    if total > width:
        cropped = [_crop(line, width) for line in lines]
        if None in cropped:
            return None
        lines = [line for line in cropped if line is not None]
    return "".join(line + "\n" for line in lines)


def _crop(line: str, width: int) -> str | None:
    """rich's `Segment.adjust_line_length` without padding, as `Console.print` crops; None
    where the cut is followed by a character of no width (a combining mark), which rich
    keeps or drops by where its segments part, and this line has none."""
    if cell_len(line) <= width:
        return line
    cut = set_cell_size(line, width)
    return None if cut and cell_len(cut[-1]) == 0 else cut


def block_text(block: Block, width: int) -> str | None:
    """What `terminal.print_block` writes to a console `width` wide; None: leave it to rich."""
    if isinstance(block, Paragraph):
        return paragraph_text(block, width)
    if isinstance(block, Blank):
        return "\n"
    return table_text(block, width)


def blocks_text(blocks: Sequence[Block], width: int) -> str | None:
    """`blocks` one after another, or None if rich must lay out any of them."""
    texts = []
    for block in blocks:
        text = block_text(block, width)
        if text is None:
            return None
        texts.append(text)
    return "".join(texts)
