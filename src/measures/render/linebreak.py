"""Where a line may break, and how wide text is on a terminal: one rule for all output.

Chinese text has no spaces, so a table, a paragraph or the help folds it between
any two characters, and left alone it will start a line with `）` or `，`, end
one with `（`, or split `87项` into `8` and `7项`. The rule here forbids all
three:

- no line starts with closing punctuation (`NO_LINE_START`: closing brackets and
  quotes, and the marks that follow what they mark; an ASCII `.` or `:` that a
  word follows at once, as in `./measures.toml`, is no such mark) and none ends
  with opening punctuation (`NO_LINE_END`), the rule of Chinese typesetting
  (避头尾, kinsoku);
- a run of digits, a date (`2020-12-31`, `2027年6月30日`, `12月10日`) or a number
  with its unit (`87项`, `0.5天`, `100%`) is never split: it moves whole to the
  next line. Only a run wider than the line is cut, between its parts where it
  has some (`2027年` `6月` `30日`), else where the line ends;
- a short mark in full-width brackets after a name (`区税务局（推定）`) moves
  whole to the next line in tables and HTML, unless it is wider than the line.

A break that the rule forbids moves back over the character (or characters) it
would strand, so that `（报道未公布）` keeps its closing bracket on its last
line. `line_starts` applies the rule to any folding (rich's, the long table's);
`wrap` is the folding of the help text, at spaces and between wide characters.
`runs` tells a renderer that leaves the folding to another program (HTML: the
browser) what to keep together. `cells` is the width of text in terminal cells
(a Chinese character takes two), which every renderer measures with.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from measures.render.cells import cell_len

# Never at the start of a line: closing brackets and quotes, and punctuation
# that follows what it marks (full-width and ASCII alike).
NO_LINE_START = frozenset("，。、；：！？）】》」』〕〉〗〙”’…‥·％,.;:!?)]}%")
# Never at the end of a line: opening brackets and quotes.
NO_LINE_END = frozenset("（【《「『〔〈〖〘“‘([{")

_RULED = NO_LINE_START | NO_LINE_END

_DIGIT = re.compile(r"\d")
# A number with its unit: digits (a decimal point, a thousands comma or a time's
# colon between them), then a percent sign or one Chinese character (项, 天, 年).
_NUMBER = r"\d+(?:[.,:]\d+)*(?:[%％‰]|[\u3400-\u4dbf\u4e00-\u9fff])?"
# A run kept on one line: numbers a date chains together (2027年6月30日,
# 2020-12-31, 2020/12/31), or one number with its unit.
_RUN = rf"(?:\d+(?:[年月]|[-/](?=\d)))*{_NUMBER}"


# Compiled when first needed: a class of Chinese characters takes the regular
# expression compiler over a millisecond, a tenth of the quick path's start-up.
@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def cells(text: str) -> int:
    """The width of `text` on a terminal in cells: two for a Chinese character, one for a letter
    (rich's measure, which it lays its tables out by: `cells.py`)."""
    return cell_len(text)


def ruled(text: str) -> bool:
    """Whether `text` has a character the rule is about (else any fold will do)."""
    return not _RULED.isdisjoint(text) or _DIGIT.search(text) is not None


def runs(text: str) -> list[tuple[int, int]]:
    """Where `text` has runs no line may split (a date, a number with its unit, a short
    bracketed mark such as （推定）): (start, end)."""
    found = [m.span() for m in _compiled(_MARK).finditer(text)] if "（" in text else []
    if _DIGIT.search(text):
        numbers = _compiled(_RUN).finditer(text)
        marks = list(found)
        found += [
            match.span()
            for match in numbers
            if match.end() - match.start() > 1
            # a number inside a mark (（2020年）) is kept with it
            and not any(a <= match.start() and match.end() <= b for a, b in marks)
        ]
    return sorted(found)


def _inside(pattern: str, text: str) -> frozenset[int]:
    """The offsets that fall inside a match of `pattern` (a break there would split it)."""
    if not _DIGIT.search(text):
        return frozenset()
    return frozenset(
        offset
        for match in _compiled(pattern).finditer(text)
        for offset in range(match.start() + 1, match.end())
    )


# ASCII marks that close a sentence or clause only where no word follows them
# at once: `./measures.toml` and `.toml` start with one.
_ASCII_MARKS = frozenset(".,;:!?")
_WORD_AFTER = re.compile(r"[A-Za-z0-9/._~-]")


def _punctuation_forbids(text: str, offset: int) -> bool:
    char = text[offset]
    if char in NO_LINE_START and not (
        char in _ASCII_MARKS and _WORD_AFTER.match(text, offset + 1) is not None
    ):
        return True
    return text[offset - 1] in NO_LINE_END


# A short mark in full-width brackets, as a name carries it (`区税务局（推定）`,
# `（牵头）`), is not split either: it moves whole to the next line.
_MARK = "（[^（）\\s]{1,4}）"


def _in_mark(text: str, offset: int) -> bool:
    """Whether `offset` falls inside a short bracketed mark of `text`."""
    if "（" not in text:
        return False
    return any(m.start() < offset < m.end() for m in _compiled(_MARK).finditer(text))


def _by_digit(text: str, offset: int) -> bool:
    """Whether `offset` has a digit on either side: every offset inside a run has."""
    return text[offset - 1].isdecimal() or text[offset].isdecimal()


def bad_break(text: str, offset: int) -> bool:
    """Whether a line may not start at `offset` of `text` (0 < offset < len(text))."""
    return _punctuation_forbids(text, offset) or (
        _by_digit(text, offset) and offset in _inside(_RUN, text)
    )


def line_starts(text: str, first_break: Callable[[str], int | None]) -> list[int]:
    """The offsets at which the lines after the first start.

    `first_break(rest)` is where the folding in use would start the second line
    of `rest` (None if it fits on one). A break that the rule forbids moves
    back, as long as the line before keeps at least one character. Where it
    cannot (a run wider than the line), the break may fall between the run's
    parts; where that cannot be either, the folding's own break stands.
    """
    step = first_break(text)
    if step is None or not 0 < step < len(text):
        return []  # one line, as most are: nothing to decide
    return _folded(text, first_break, step)


def _folded(text: str, first_break: Callable[[str], int | None], step: int) -> list[int]:
    """`line_starts` of a text the folding breaks, first at `step`."""
    starts: list[int] = []
    start = 0
    kept: list[frozenset[int]] = []  # offsets inside runs, inside parts: made when needed

    def forbidden(offset: int, level: int) -> bool:
        if _punctuation_forbids(text, offset):
            return True
        if level == 0 and _in_mark(text, offset):
            return True  # only a mark wider than the line is cut
        if not _by_digit(text, offset):
            return False
        if not kept:
            kept.extend((_inside(_RUN, text), _inside(_NUMBER, text)))
        return offset in kept[level]

    while True:
        cut = start + step
        for level in (0, 1):
            back = cut
            while back > start + 1 and forbidden(back, level):
                back -= 1
            if not forbidden(back, level):
                cut = back
                break
        start = cut
        starts.append(start)
        next_step = first_break(text[start:])
        if next_step is None or not 0 < next_step < len(text) - start:
            return starts
        step = next_step


def split_to_fit(token: str, room: int) -> tuple[str, str]:
    """The longest head of `token` that fits in `room` cells (at least one character)."""
    used, cut = 0, 0
    for index, char in enumerate(token):
        used += cells(char)
        if used > room and index > 0:
            break
        cut = index + 1
    return token[:cut], token[cut:]


def _cut_to_fit(token: str, room: int) -> tuple[str, str]:
    """`token` cut where it first folds in `room` cells, by the rule where it can be."""

    def fold(rest: str) -> int | None:
        return len(split_to_fit(rest, room)[0]) if cells(rest) > room else None

    starts = line_starts(token, fold)
    cut = starts[0] if starts else len(token)
    return token[:cut], token[cut:]


def _tokens(text: str) -> list[str]:
    """Pieces no line breaks inside, and single spaces, in order.

    A line may break at a space, and next to a wide character where the rule
    allows it; English words stay whole.
    """
    runs = _inside(_RUN, text)
    measure = cell_len
    tokens: list[str] = []
    piece = ""
    wide_before = False
    for offset, char in enumerate(text):
        wide = measure(char) == 2
        if char == " ":
            if piece:
                tokens.append(piece)
                piece = ""
            if tokens and tokens[-1] != " ":
                tokens.append(" ")
        else:
            if (
                piece
                and (wide or wide_before)
                and not _punctuation_forbids(text, offset)
                and offset not in runs
            ):
                tokens.append(piece)
                piece = ""
            piece += char
        wide_before = wide
    if piece:
        tokens.append(piece)
    return tokens


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """`text` as lines of at most `width` cells, broken at spaces or between wide characters."""
    lines: list[str] = []
    line, empty, space = initial_indent, True, False
    for token in _tokens(" ".join(text.split())):
        if token == " ":
            space = True
            continue
        piece = (" " if space and not empty else "") + token
        space = False
        while (
            not empty and cells(line + piece) > width and cells(subsequent_indent + token) <= width
        ):
            lines.append(line)
            line, empty, piece = subsequent_indent, True, token
        while cells(line + piece) > width:
            room = width - cells(line)
            head, rest = _cut_to_fit(piece, room)
            if not empty and (cells(head) > room or (rest and bad_break(piece, len(head)))):
                # A fresh line has more room for the cut.
                lines.append(line)
                line, empty, piece = subsequent_indent, True, piece.lstrip(" ")
                continue
            lines.append(line + head)
            line, empty, piece = subsequent_indent, True, rest
        line += piece
        empty = empty and not piece
    lines.append(line)
    return "\n".join(lines)
