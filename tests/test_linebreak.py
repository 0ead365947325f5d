"""Chinese folds by its typesetting rule: no line starts with `）` or `，`, none ends with `（`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from measures.render.linebreak import NO_LINE_END, NO_LINE_START, bad_break, line_starts
from measures.render.longtable import Column, LongTable
from measures.render.terminal import _text

from .conftest import Run

TITLE = "第12条举措（报道未公布）"


def chop(size: int) -> Callable[[str], int | None]:
    """A fold of `size` characters, blind to punctuation."""
    return lambda rest: size if len(rest) > size else None


def pieces(text: str, starts: list[int]) -> list[str]:
    return [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)], strict=True)]


def test_a_closing_bracket_goes_down_with_the_character_before_it() -> None:
    assert pieces(TITLE, [12]) == ["第12条举措（报道未公布", "）"]  # the blind fold
    assert pieces(TITLE, line_starts(TITLE, chop(12))) == ["第12条举措（报道未公", "布）"]


def test_an_opening_bracket_goes_down_with_what_it_opens() -> None:
    text = "第十二条举措（报道未公布）"
    assert pieces(text, line_starts(text, chop(7))) == ["第十二条举措", "（报道未公布）"]


def test_where_nothing_can_move_the_fold_stands() -> None:
    assert pieces("字，，，，字", line_starts("字，，，，字", chop(2))) == ["字，", "，，", "，字"]


def test_a_text_that_fits_is_one_line() -> None:
    assert line_starts(TITLE, chop(50)) == []
    assert not bad_break("字字", 1)
    assert bad_break("字，", 1) and bad_break("（字", 1)


PUNCTUATION = "".join(sorted(NO_LINE_START | NO_LINE_END))
chinese = st.text(
    alphabet=st.sampled_from("举措报道公布第条企业服务ab12" + PUNCTUATION), min_size=1, max_size=40
)


def allowed(lines: list[str]) -> bool:
    """Each break is allowed, or no break in the line before it would have been.

    `lines` are the pieces of one text, in order, nothing added or left out.
    """
    text = "".join(lines)
    start = 0
    for before in lines[:-1]:
        cut = start + len(before)
        if bad_break(text, cut) and not all(bad_break(text, k) for k in range(start + 1, cut)):
            return False
        start = cut
    return True


@settings(max_examples=300, deadline=None)
@given(chinese, st.integers(min_value=2, max_value=12))
def test_rich_cells_fold_by_the_rule_and_lose_nothing(text: str, width: int) -> None:
    console = Console(width=width, no_color=True, highlight=False)
    cell = _text(text)
    lines = [line.plain.rstrip(" ") for line in cell.wrap(console, width, overflow="fold")]
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines) == text
    assert allowed(lines)


@settings(max_examples=300, deadline=None)
@given(chinese, st.integers(min_value=2, max_value=12))
def test_long_table_cells_fold_by_the_rule_and_lose_nothing(text: str, width: int) -> None:
    table = LongTable([Column("T", ratio=1)], [[text]])
    lines = [line.rstrip() for line in list(table.lines(width))[2:]]  # past the header and rule
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines) == text
    assert allowed(lines)


def test_the_shipped_list_in_chinese_has_no_line_starting_with_a_bracket(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("--lang", "zh", "list")
    assert result.exit_code == 0
    folded = [line for line in result.stdout.splitlines() if re.match(r"^ {4,}\S", line)]
    assert folded, "at 80 columns some titles fold"
    assert not [line for line in folded if line.strip()[0] in NO_LINE_START]
    assert [line.strip() for line in folded].count("布）") == 20  # ids 12-31
