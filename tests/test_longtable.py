"""The plain table for long lists: aligned in terminal cells, folded, never cut."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from rich.cells import cell_len

from measures.model.records import Measure, Status
from measures.render.longtable import LONG, Column, LongTable
from measures.render.terminal import make_console, measures_table

TODAY = date(2026, 11, 24)


def many(count: int) -> list[tuple[Measure, int]]:
    rows = []
    for n in range(1, count + 1):
        measure = Measure(
            id=n,
            title=("推进政务服务“一网通办”，实现企业开办全程网上办理" * (1 + n % 3))[: 10 + n % 40],
            owner=f"区第{n % 17}局" if n % 5 else "",
            deadline=(deadline := date(2021, 1 + n % 12, 1 + n % 28)),
            status=Status.TODO if n % 2 else Status.DOING,
        )
        rows.append((measure, (TODAY - deadline).days))
    return rows


@pytest.mark.parametrize("width", [60, 80, 160])
def test_every_line_is_the_same_width_and_fits(width: int) -> None:
    table = measures_table(many(LONG + 50), TODAY)
    assert isinstance(table, LongTable)
    lines = list(table.lines(width))
    body = lines[:-1]  # the caption is its own line
    assert {cell_len(line) for line in body} == {cell_len(body[0])}
    assert max(cell_len(line) for line in lines) <= width


def test_long_titles_fold_between_characters_and_nothing_is_lost() -> None:
    columns = [Column("ID", right=True), Column("Measure", ratio=3), Column("Owner", ratio=1)]
    rows = [["1", "企业开办网上受理时限压缩至0.5天", "区市场监督管理局"], ["12", "短", "-"]]
    lines = list(LongTable(columns, rows).lines(30))
    assert lines == [
        "ID Measure            Owner   ",
        "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━",
        " 1 企业开办网上受理时 区市场监",
        "   限压缩至0.5天      督管理局",
        "12 短                 -       ",
    ]


def test_the_same_cells_as_the_rich_table() -> None:
    rows = many(LONG + 1)
    console = make_console()
    with console.capture() as captured:
        console.print(measures_table(rows, TODAY))
    shown = captured.get()
    assert "ID" in shown and "Overdue" in shown and f"{LONG + 1} measures" in shown
    days = rows[0][1]
    assert f"{days} d" in shown


def test_right_justified_and_folded_cells() -> None:
    table = LongTable(
        [Column("N", right=True), Column("Text", ratio=1)], [["7", "甲乙丙丁戊己庚辛壬癸"]]
    )
    lines = list(table.lines(14))
    assert lines[0] == "N Text        "
    assert lines[2] == "7 甲乙丙丁戊己"
    assert lines[3] == "  庚辛壬癸    "


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_long_lists_cells_are_the_short_lists_words_made_inert(language: str) -> None:
    """The cells of thousands of rows, built apart for speed: the same words, inert."""
    from measures.domain.lights import Light
    from measures.i18n import set_language
    from measures.inert import inert
    from measures.render import terminal

    set_language(language)
    rows = many(LONG + 5)
    rows[3] = (replace(rows[3][0], title="含\x1b[31m控制符\u202e", owner="区\u200b财政局"), 4)
    colours = [[Light.RED, Light.YELLOW, Light.GREEN, None][n % 4] for n in range(len(rows))]
    plans = ["yshj" if n % 2 else "zsyz\x07" for n in range(len(rows))]
    for keys in (None, plans):
        columns, cells, _title, caption = terminal._measures_rows(rows, TODAY, keys, colours)
        expected = [[inert(text) for text, _style in row] for row in cells]
        assert terminal._plain_rows(rows, keys, colours) == expected
        table = terminal.measures_table(rows, TODAY, keys, colours)
        assert isinstance(table, LongTable) and table.rows == expected
        assert [c.header for c in table.columns] == [c.header for c in columns]
        assert table.caption == caption


def test_english_wraps_at_spaces_and_only_a_word_wider_than_the_column_folds() -> None:
    columns = [Column("ID", right=True), Column("Measure", ratio=3), Column("Owner", ratio=1)]
    rows = [
        ["1", "Credit-based supervision of enterprises", "区发展和改革委员会"],
        ["2", "Averyveryverylongwordthatcannotfit here", "区税务局"],
    ]
    lines = list(LongTable(columns, rows).lines(30))
    measure = [line[3:21].rstrip() for line in lines[2:]]
    assert measure == [
        "Credit-based",
        "supervision of",
        "enterprises",
        "Averyveryverylongw",  # wider than the 18 cells: folded where the column is full
        "ordthatcannotfit",
        "here",
    ]
    assert {cell_len(line) for line in lines} == {30}


def test_a_title_word_keeps_the_measure_column_wide_enough_for_it() -> None:
    from measures.render.terminal import TITLE_WORD, title_room

    assert title_room(["Self-declared enterprise names", "fully electronic registration:"]) == 13
    assert title_room(["推进政务服务“一网通办”，压缩至0.5天"]) == 0  # Chinese folds anywhere
    assert title_room(["a green channel"]) == 0  # no word longer than MIN_FLEX cells
    assert title_room(["see https://zwfw.example.gov.cn/very/long/path"]) == TITLE_WORD
    english = [
        (replace(measure, title_en="Fully electronic registration: business start-up"), days)
        for measure, days in many(LONG + 1)
    ]
    table = measures_table(english, TODAY)
    assert isinstance(table, LongTable)
    text = "\n".join(table.lines(60))
    for word in ("electronic", "registration:", "start-up"):
        assert any(word in line.split() for line in text.splitlines()), word
