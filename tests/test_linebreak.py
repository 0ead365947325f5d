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
    # ids 6-31 fold before （占位）, kept whole (the Light column narrows the titles)
    assert [line.strip() for line in folded].count("（占位）") == 26


# --- one rule for all output ----------------------------------------------------------

RUNS = ("87项", "12月10日", "2027年6月30日", "2020-12-31", "0.5天", "100%", "14天")


def cell_fold(size: int) -> Callable[[str], int | None]:
    """A fold of `size` terminal cells, blind to the rule (as rich's and the long table's)."""
    from rich.cells import chop_cells

    return lambda rest: len(chop_cells(rest, size)[0]) if cell_len(rest) > size else None


def test_help_and_tables_share_one_set_of_punctuation() -> None:
    import measures.cli.framework as framework
    from measures.render import linebreak

    assert set("，。、；：？！）》」』”’…") <= NO_LINE_START  # the help's set of old
    assert set("（《「『“‘") <= NO_LINE_END
    # help lays out with the shared rule and measure, not copies of its own
    assert framework.wrap is linebreak.wrap  # type: ignore[attr-defined]
    assert framework.cells is linebreak.cells  # type: ignore[attr-defined]
    assert not hasattr(framework, "_NO_LINE_START") and not hasattr(framework, "_tokens")


def test_digits_dates_and_numbers_with_units_are_not_split() -> None:
    for run_text in RUNS:
        text = f"截至目前已完成{run_text}，其余按计划推进"
        start = text.index(run_text)
        inside = range(start + 1, start + len(run_text))
        assert all(bad_break(text, offset) for offset in inside), run_text
        assert not bad_break(text, start)  # it may move whole to the next line
        for width in range(cell_len(run_text + "，"), 40):  # the comma goes with it
            lines = pieces(text, line_starts(text, cell_fold(width)))
            assert "".join(lines) == text
            assert any(run_text in line for line in lines), (run_text, width, lines)


def test_the_three_splits_seen_in_show_and_log_no_longer_happen() -> None:
    """A fold blind to the rule printed 8⏎7项, 12月1⏎0日 and 2027年6月3⏎0日."""
    cases = [
        ("已完成87项中的40项", 7, ["已完成8", "7项中的", "40项"], ["已完成", "87项中", "的40项"]),
        ("完成于2020年12月10日", 17, ["完成于2020年12月1", "0日"], ["完成于", "2020年12月10日"]),
        ("延期至2027年6月30日", 16, ["延期至2027年6月3", "0日"], ["延期至", "2027年6月30日"]),
    ]
    for text, width, blind, ruled in cases:
        assert pieces(text, line_starts(text, lambda rest: None) or []) == [text]
        fold = cell_fold(width)
        starts, rest = [], text
        while (step := fold(rest)) is not None:
            starts.append(len(text) - len(rest) + step)
            rest = rest[step:]
        assert pieces(text, starts) == blind
        assert pieces(text, line_starts(text, fold)) == ruled


def test_a_run_wider_than_the_line_is_cut_between_its_parts() -> None:
    text = "2027年6月30日"
    assert pieces(text, line_starts(text, cell_fold(8))) == ["2027年", "6月30日"]
    assert pieces(text, line_starts(text, cell_fold(5))) == ["2027", "年6月", "30日"]
    # A part wider than the line still folds where the line ends: nothing is lost.
    assert "".join(pieces(text, line_starts(text, cell_fold(2)))) == text


def test_english_words_and_numbers_wrap_at_spaces_as_before() -> None:
    from measures.render.linebreak import wrap

    text = "As of 2020-12-31: 22 measures, 6 complete (27%: 4 done, 2 verified)."
    assert wrap(text, 30).splitlines() == [
        "As of 2020-12-31: 22 measures,",
        "6 complete (27%: 4 done, 2",
        "verified).",
    ]


@settings(max_examples=300, deadline=None)
@given(chinese, st.integers(min_value=4, max_value=16))
def test_the_help_wraps_by_the_same_rule(text: str, width: int) -> None:
    from measures.render.linebreak import wrap

    text = text.replace(" ", "")
    lines = wrap(text, width).splitlines()
    assert "".join(lines) == text
    assert all(cell_len(line) <= width for line in lines) or any(len(x) == 1 for x in lines)
    assert allowed(lines)  # the lines join to `text`, asserted above


def folded_badly(out: str) -> list[str]:
    """Lines of `out` that start with closing or end with opening Chinese punctuation.

    (ASCII punctuation may follow a space, where English breaks: `./measures.toml`.)
    """
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    start = {c for c in NO_LINE_START if not c.isascii()}
    end = {c for c in NO_LINE_END if not c.isascii()}
    return [line for line in lines if line[0] in start or line[-1] in end]


def test_help_at_narrow_widths_follows_the_rule() -> None:
    import os
    import subprocess
    import sys

    for width in (60, 80, 120):  # click lays help out at least 50 cells wide
        for lang in ("zh", "en"):
            for args in (["--help"], ["init", "--help"], ["extend", "--help"]):
                out = subprocess.run(
                    [sys.executable, "-m", "measures", "--lang", lang, *args],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "COLUMNS": str(width)},
                    check=True,
                ).stdout
                lines = out.splitlines()
                assert all(cell_len(line) <= width for line in lines), (lang, args, width)
                assert not folded_badly(out), (lang, args, width)
                if lang == "zh" and args[0] == "init":
                    assert "2021年" in out  # the example's year stays with its 年


def log_entries(run: Run) -> None:
    assert run("done", "5", "--on", "2020-12-10").exit_code == 0
    assert run("extend", "7", "--to", "2027-06-30", "--reason", "资金未到位").exit_code == 0
    assert run("note", "3", "已完成87项中的40项，进度0.5天").exit_code == 0


def test_show_and_log_keep_dates_and_numbers_whole(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_entries(run)
    monkeypatch.setenv("COLUMNS", "70")  # a fold blind to the rule printed 0.5⏎天 here
    assert "0.5天" in run("--lang", "zh", "log", "3").stdout
    for width in (80, 100, 120):  # at 60 the change column is 4 cells: less than 2027年
        monkeypatch.setenv("COLUMNS", str(width))
        shown = run("--lang", "zh", "show", "7").stdout
        assert "2027年6月30日" in shown
        log = run("--lang", "zh", "log").stdout
        assert "87项" in log and "40项" in log, (width, log)
        # The change column may be narrower than a whole date: then it is cut between parts.
        assert "2027年6月30日" in log or ("2027年" in log and "6月30日" in log), (width, log)


def test_the_headline_follows_the_rule_in_chinese_and_english(
    run: Run, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for width in (40, 50, 60, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        out = run("--lang", "zh", "report", "--as-of", "2021-01-05").stdout
        head = out.split("\n\n")[0]  # plan, headline and status line
        assert not folded_badly(head), (width, head)
        flat = head.replace("\n", "")
        for start, end in [m.span() for m in re.finditer(r"\d+[条天%]", flat)]:
            assert any(flat[start:end] in line for line in head.splitlines()), (width, head)
        english = run("--lang", "en", "report", "--as-of", "2021-01-05").stdout.split("\n\n")[0]
        assert all(cell_len(line) <= width for line in english.splitlines())
        assert "2021-01-05" in english


def test_a_short_bracketed_mark_moves_whole_to_the_next_line() -> None:
    """`区市场监督管理局（推定）` folds before its mark, never as `…（推` / `定）`."""
    from measures.render.linebreak import line_starts, runs

    text = "区市场监督管理局（推定）"

    def at_ten(rest: str) -> int | None:
        return 10 if len(rest) > 10 else None

    assert line_starts(text, at_ten) == [8]
    assert runs(text) == [(8, 12)]
    # A mark wider than the line is still cut, as a long number is.
    assert line_starts("（推定之说）", lambda rest: 2 if len(rest) > 2 else None)
