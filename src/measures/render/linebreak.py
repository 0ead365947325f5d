"""Where a line of Chinese may break: never before closing punctuation, never after opening.

Chinese text has no spaces, so a table folds it between any two characters, and
left alone it will start a line with `）` or `，`, or end one with `（`. The
rule of Chinese typesetting (避头尾, kinsoku) forbids both. Here a break that
would do so moves back over the character (or characters) it would strand, so
that `（报道未公布）` keeps its closing bracket on its last line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Never at the start of a line: closing brackets and quotes, and punctuation
# that follows what it marks (full-width and ASCII alike).
NO_LINE_START = frozenset("，。、；：！？）】》」』〕〉〗〙”’…‥·％,.;:!?)]}%")
# Never at the end of a line: opening brackets and quotes.
NO_LINE_END = frozenset("（【《「『〔〈〖〘“‘([{")


_RULED = re.compile("[" + re.escape("".join(sorted(NO_LINE_START | NO_LINE_END))) + "]")


def ruled(text: str) -> bool:
    """Whether `text` has a character the rule is about (else any fold will do)."""
    return _RULED.search(text) is not None


def bad_break(text: str, offset: int) -> bool:
    """Whether a line may not start at `offset` of `text` (0 < offset < len(text))."""
    return text[offset] in NO_LINE_START or text[offset - 1] in NO_LINE_END


def line_starts(text: str, first_break: Callable[[str], int | None]) -> list[int]:
    """The offsets at which the lines after the first start.

    `first_break(rest)` is where the folding in use would start the second line
    of `rest` (None if it fits on one). A break that `bad_break` forbids moves
    back, as long as the line before keeps at least one character; where it
    cannot, the folding's own break stands.
    """
    starts: list[int] = []
    start = 0
    while (step := first_break(text[start:])) is not None and step > 0:
        cut = start + step
        back = cut
        while back > start + 1 and bad_break(text, back):
            back -= 1
        start = back if not bad_break(text, back) else cut
        starts.append(start)
    return starts
