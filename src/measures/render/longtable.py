"""A plain table for long lists: thousands of rows laid out in one pass.

rich lays a table out cell by cell, measuring every possible wrap, which takes
about 5 ms a row: fine for a plan's 31 measures, a minute for 100,000. Past
`LONG` rows the terminal renderers use this table instead. It has the same
columns and the same look without colour: a header, a heavy rule, one line per
row; widths are measured in terminal cells (a Chinese character takes two), long
text folds between characters onto further lines (never starting one with a
closing bracket or comma, nor splitting a date or a number: `linebreak.py`),
every line is padded to the table's width, and nothing is cut.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from measures.render.cells import cell_len, first_line
from measures.render.linebreak import line_starts

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

LONG = 200  # rows; above this, rich's own table is too slow to wait for
MIN_FLEX = 8  # cells: the least a folding column is given


@dataclass(frozen=True)
class Column:
    header: str
    right: bool = False  # right-justified (numbers)
    ratio: int = 0  # 0: as wide as its widest cell; else shares the room left, folding
    # With ratio 0: may still wrap at a space when the table is too wide (a date, then
    # its wording: `2020-12-31 (2020年年底前)`), never narrower than `least` cells.
    # With a ratio: folds, but is never given fewer than `least` cells.
    least: int = 0


def first_break(rest: str, size: int) -> int | None:
    """Where the second line of `rest` starts in a column `size` cells wide (None: it fits):
    at the last space that keeps the first line within the column, as words wrap (the
    spaces before `rest`'s first word not counted); else where the column is full, as a
    word wider than the column, or Chinese, folds."""
    lead = len(rest) - len(rest.lstrip(" "))
    body = rest[lead:]
    if cell_len(body) <= size:
        return None
    cut = first_line(body, size)
    if cut < len(body) and body[cut] == " ":
        return lead + cut
    space = body.rfind(" ", 0, cut)
    return lead + (space if space > 0 else cut)


class LongTable:
    """Rows of plain (already inert) text under `columns`, with an optional title and caption."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        title: str | None = None,
        caption: str | None = None,
    ) -> None:
        self.columns = columns
        self.rows = rows
        self.title = title
        self.caption = caption
        self._cell_widths: list[list[int]] | None = None

    def _measured(self) -> list[list[int]]:
        """Each cell's width in terminal cells, the header's first: measured once."""
        if self._cell_widths is None:
            self._cell_widths = [
                [cell_len(text) for text in row]
                for row in [[c.header for c in self.columns], *self.rows]
            ]
        return self._cell_widths

    def widths(self, width: int) -> list[int]:
        natural = [max(column) for column in zip(*self._measured(), strict=True)]
        fixed = sum(n for n, c in zip(natural, self.columns, strict=True) if not c.ratio)
        room = width - fixed - (len(self.columns) - 1)
        ratios = sum(c.ratio for c in self.columns)
        result = []
        for n, column in zip(natural, self.columns, strict=True):
            if column.ratio:
                n = min(n, max(MIN_FLEX, column.least, room * column.ratio // ratios))
            result.append(n)
        # MIN_FLEX may have pushed past the width: take it back from the widest folding column.
        excess = sum(result) + len(result) - 1 - width
        flexible = [i for i, c in enumerate(self.columns) if c.ratio]
        # A Chinese character needs two cells; a column keeps its least.
        floors = {i: max(2, self.columns[i].least) for i in flexible}
        while excess > 0:
            narrowed = [i for i in flexible if result[i] > floors[i]]
            if not narrowed:
                break
            widest = max(narrowed, key=lambda i: result[i])
            result[widest] -= 1
            excess -= 1
        return result

    def width(self, width: int) -> int:
        """How wide the table's lines are when it is laid out to `width` cells: never more,
        unless its folding columns cannot be narrowed enough (rich then crops them)."""
        widths = self.widths(width)
        return sum(widths) + len(widths) - 1

    def lines(self, width: int) -> Iterator[str]:
        widths = self.widths(width)
        total = sum(widths) + len(widths) - 1

        def fit(text: str, size: int, right: bool, used: int | None = None) -> list[str]:
            used = cell_len(text) if used is None else used
            if used <= size:  # the usual cell, on one line
                room = " " * (size - used)
                return [room + text if right else text + room]
            starts = line_starts(text, lambda rest: first_break(rest, size))
            ends = [*starts, len(text)]
            # A line broken at a space neither ends nor begins with it.
            parts = [text[a:b].strip(" ") for a, b in zip([0, *starts], ends, strict=True)]
            pad = [" " * (size - cell_len(part)) for part in parts]
            return [p + part if right else part + p for part, p in zip(parts, pad, strict=True)]

        def row_lines(cells: Sequence[str], used: Sequence[int]) -> Iterator[str]:
            columns = [
                fit(cell, size, column.right, n)
                for cell, size, column, n in zip(cells, widths, self.columns, used, strict=True)
            ]
            for line in range(max(len(lines) for lines in columns)):
                yield " ".join(
                    lines[line] if line < len(lines) else " " * size
                    for lines, size in zip(columns, widths, strict=True)
                )

        if self.title:
            yield from fit(self.title, total, False)
        header, *measured = self._measured()
        yield from row_lines([c.header for c in self.columns], header)
        yield "━" * total
        rights = [column.right for column in self.columns]
        for row, used in zip(self.rows, measured, strict=True):
            if all(map(int.__le__, used, widths)):  # every cell on one line, as most rows are
                yield " ".join(
                    [
                        " " * (size - n) + text if right else text + " " * (size - n)
                        for text, n, size, right in zip(row, used, widths, rights, strict=True)
                    ]
                )
            else:
                yield from row_lines(row, used)
        if self.caption:
            yield from fit(self.caption, total, False)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        from rich.segment import Segment

        for line in self.lines(options.max_width):
            yield Segment(line)
            yield Segment.line()
