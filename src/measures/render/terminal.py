"""Tables for the terminal, with rich. Ledger text always goes in as plain Text."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, TypeVar

from measures.domain.labels import (
    days_label,
    deadline_label,
    display_title,
    format_date,
    owner_label,
    owner_text,
    status_label,
)
from measures.i18n import _
from measures.inert import inert
from measures.model.status import COMPLETE, Status
from measures.render.blocks import (
    Blank,
    Block,
    Cell,
    Paragraph,
    Runs,
    TableBlock,
    TableColumn,
)
from measures.render.cells import cell_len
from measures.render.longtable import LONG, MIN_FLEX, Column, LongTable

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod
    from rich.containers import Lines
    from rich.table import Table
    from rich.text import Text

    from measures.domain.lights import Light
    from measures.domain.reports import OwnerRow, Report, UnitRow
    from measures.model.records import Measure

BAR_WIDTH = 10
REPORT_ROWS = 50  # rows of the overdue and due-soon lists in the terminal report


def make_console(file: IO[str] | None = None) -> Console:
    """A console sized and coloured for where output goes now (COLUMNS, NO_COLOR, a pipe)."""
    from rich.console import Console

    return Console(file=file or sys.stdout, highlight=False, emoji=False, markup=False)


def _text(value: object, style: str = "") -> Text:
    return _cell_text()(inert(str(value)), style=style)


class _Paragraph:
    """Text printed as a paragraph, folded by the line-break rule.

    `console.print` joins the Texts it is given into one plain Text, which
    would fold by rich's own wrap; given this, it renders the Text itself.
    """

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield self.text


def _paragraph(value: object, style: str = "") -> _Paragraph:
    return _Paragraph(_text(value, style))


@functools.cache
def _cell_text() -> type[Text]:
    """rich's Text, folding Chinese by its line-breaking rule (see linebreak.py)."""
    from rich.text import Text

    try:  # rich's own fold, which the rule adjusts; private, so a rich without it folds as is
        from rich._wrap import divide_line
    except ImportError:  # pragma: no cover - rich releases since 13.7 all have it
        return Text

    from measures.render.linebreak import line_starts, ruled

    class CellText(Text):
        def wrap(
            self,
            console: Console,
            width: int,
            *,
            justify: JustifyMethod | None = None,
            overflow: OverflowMethod | None = None,
            tab_size: int = 8,
            no_wrap: bool | None = None,
        ) -> Lines:
            text = self.plain
            unwrapped = self.no_wrap if no_wrap is None else no_wrap
            if unwrapped or overflow == "ignore" or "\n" in text or "\t" in text or not ruled(text):
                return super().wrap(
                    console,
                    width,
                    justify=justify,
                    overflow=overflow,
                    tab_size=tab_size,
                    no_wrap=no_wrap,
                )
            # As rich's own wrap, for one line of text, with the breaks moved.
            wrap_justify = justify or self.justify or "default"
            wrap_overflow = overflow or self.overflow or "fold"
            fold = wrap_overflow == "fold"
            starts = line_starts(
                text, lambda rest: next(iter(divide_line(rest, width, fold)), None)
            )
            lines = self.divide(starts)
            for line in lines:
                line.rstrip_end(width)
            lines.justify(console, width, justify=wrap_justify, overflow=wrap_overflow)
            for line in lines:
                line.truncate(width, overflow=wrap_overflow)
            return lines

    return CellText


# No column that folds is squeezed below this many cells (padding included) to fit.
FOLD_FLOOR = 4


@functools.cache
def _fitting_table() -> type[Table]:
    """rich's Table, kept to the width when a column's least width (Column.least) meets
    rich's squeeze: rich shares the room out, then widens that column to its least, and
    the line would run over; what is over comes out of the widest columns that fold."""
    from rich.table import Table

    if not hasattr(Table, "_calculate_column_widths"):  # pragma: no cover - private in rich
        return Table

    class FittingTable(Table):
        def _calculate_column_widths(self, console: Console, options: ConsoleOptions) -> list[int]:
            widths: list[int] = super()._calculate_column_widths(console, options)
            folding = [not column.no_wrap and column.min_width is None for column in self.columns]
            return within(widths, folding, options.max_width)

    return FittingTable


def within(widths: list[int], folding: Sequence[bool], room: int) -> list[int]:
    """The columns' widths brought within `room` cells where rich's squeeze left them
    wider: a cell at a time off the widest of those that may fold, down to FOLD_FLOOR."""
    widths = list(widths)
    over = sum(widths) - room
    narrowed = [index for index, folds in enumerate(folding) if folds]
    while over > 0 and narrowed:
        widest = max(narrowed, key=lambda index: widths[index])
        if widths[widest] <= FOLD_FLOOR:
            break
        widths[widest] -= 1
        over -= 1
    return widths


def _table(title: str | None = None) -> Table:
    from rich import box

    return _fitting_table()(
        title=title,
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        show_edge=False,
        collapse_padding=True,
        pad_edge=False,
    )


def status_text(measure: Measure) -> Text:
    return _text(*_status_cell(measure))


def _rows_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    title: str | None = None,
    caption: str | None = None,
) -> Table | LongTable:
    """A rich table, or for more than LONG rows the plain one that lays out in one pass."""
    if len(rows) > LONG:
        plain = [[inert(text) for text, _style in row] for row in rows]
        return LongTable(columns, plain, title, caption)
    return _block_table(_rows_block(columns, rows, title, caption))


def _rows_block(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    title: str | None = None,
    caption: str | None = None,
) -> TableBlock:
    """The table `_rows_table` makes of at most LONG rows, as data."""
    return TableBlock(
        [
            TableColumn(
                column.header,
                right=column.right,
                ratio=column.ratio or None,
                overflow="fold",
                no_wrap=not (column.ratio or column.least),
                min_width=column.least or None,
            )
            for column in columns
        ],
        rows,
        title,
        caption,
    )


def _block_table(block: TableBlock) -> Table:
    """A rich table of `block`: the cells as Text, ledger text inert."""
    table = _table(block.title)
    for column in block.columns:
        table.add_column(
            column.header,
            justify="right" if column.right else "left",
            ratio=column.ratio,
            overflow=column.overflow,
            no_wrap=column.no_wrap,
            min_width=column.min_width,
            max_width=column.max_width,
        )
    for row in block.rows:
        table.add_row(*(_cell(cell) for cell in row))
    table.caption = block.caption
    return table


def _cell(cell: Cell | Runs) -> Text:
    if isinstance(cell, Runs):
        from rich.text import Text

        text = Text()
        for part, style in cell.parts:
            text.append(part, style)
        return text
    value, style = cell
    return _text(value, style)


def _status_cell(measure: Measure) -> Cell:
    """The status in words, and its colour: green when complete, yellow when blocked."""
    style = "green" if measure.status in COMPLETE else ""
    if measure.status is Status.BLOCKED:
        style = "yellow"
    return status_label(measure.status), style


# A title's word is kept whole up to this many cells: the Measure column is never
# narrower than its longest word, up to here (an English title at 60 columns), where
# that word is longer than the MIN_FLEX cells a folding column is given anyway.
TITLE_WORD = 13
_WORD = re.compile(r"[!-~]+")  # a run of ASCII between spaces: what wraps as one word


def _longest_word(text: str) -> int:
    """The cells of `text`'s longest run of ASCII (0 for Chinese, which folds anywhere)."""
    return max(map(len, _WORD.findall(text)), default=0)


def title_room(titles: Iterable[str]) -> int:
    """The least width of a Measure column showing `titles`: 0, or their longest word's
    (at most TITLE_WORD) where it is longer than MIN_FLEX. Chinese text folds anywhere."""
    longest = _longest_word(" ".join(titles))
    return min(longest, TITLE_WORD) if longest > MIN_FLEX else 0


def _measure_columns(least: int = 0) -> list[Column]:
    """ID, measure, owner, deadline, status: headings in the language chosen now;
    `least`: the Measure column's least width (`title_room`)."""
    return [
        Column(_("ID"), right=True),
        Column(_("Measure"), ratio=3, least=least),
        Column(_("Owner"), ratio=1),
        Column(_("Deadline"), least=10),
        Column(_("Status")),
    ]


def measures_table(
    rows: Sequence[tuple[Measure, int]],
    today: date,
    plans: Sequence[str] | None = None,
    lights: Sequence[Light | None] | None = None,
) -> Table | LongTable:
    """One row a measure; the Overdue column gives the days late in words, not colour alone,
    and the Light column the light as a word (红灯, red) in its colour.

    `plans`: beside each measure its plan's key, shown first, for several plans.
    """
    colours = lights if lights is not None else [None] * len(rows)
    if len(rows) > LONG:  # no colour: the words alone, each label looked up once
        cells = _plain_rows(rows, plans, colours)
        least = title_room(row[1 if plans is None else 2] for row in cells)
        return LongTable(_list_columns(plans, least), cells, caption=_caption(rows, today))
    return _rows_table(*_measures_rows(rows, today, plans, colours))


def measures_block(
    rows: Sequence[tuple[Measure, int]],
    today: date,
    plans: Sequence[str] | None = None,
    lights: Sequence[Light | None] | None = None,
) -> TableBlock:
    """`measures_table` of at most LONG rows, as data."""
    colours = lights if lights is not None else [None] * len(rows)
    return _rows_block(*_measures_rows(rows, today, plans, colours))


def _list_columns(plans: Sequence[str] | None, least: int = 0) -> list[Column]:
    *first, status = _measure_columns(least)
    columns = [*first, Column(_("Light")), status, Column(_("Overdue"), right=True)]
    return columns if plans is None else [Column(_("Plan")), *columns]


def _caption(rows: Sequence[tuple[Measure, int]], today: date) -> str:
    late = sum(1 for _measure, days in rows if days)
    return _("{count} measures, {late} overdue, as of {day}").format(
        count=len(rows), late=late, day=format_date(today)
    )


def _measures_rows(
    rows: Sequence[tuple[Measure, int]],
    today: date,
    plans: Sequence[str] | None,
    colours: Sequence[Light | None],
) -> tuple[list[Column], list[list[Cell]], None, str]:
    """The columns, the cells and the caption of `measures_table` (it has no title)."""
    from measures.domain.lights import LIGHT_STYLE, light_label

    cells = [
        [
            (str(measure.id), ""),
            (display_title(measure), ""),
            (owner_text(measure) or "-", ""),
            (deadline_label(measure), ""),
            (light_label(colour), LIGHT_STYLE[colour]) if colour else ("", ""),
            _status_cell(measure),
            (days_label(late_days), "bold red") if late_days else ("", ""),
        ]
        for (measure, late_days), colour in zip(rows, colours, strict=True)
    ]
    least = title_room(row[1][0] for row in cells)
    if plans is not None:
        cells = [[(key, ""), *row] for key, row in zip(plans, cells, strict=True)]
    return _list_columns(plans, least), cells, None, _caption(rows, today)


def _plain_rows(
    rows: Sequence[tuple[Measure, int]],
    plans: Sequence[str] | None,
    colours: Sequence[Light | None],
) -> list[list[str]]:
    """The cells of `_measures_rows` as inert text, for thousands of rows: the words of
    the statuses, lights and days found once, the ledger's text made inert."""
    from measures.domain.lights import light_label

    statuses = {status: status_label(status) for status in Status}
    words = {colour: light_label(colour) for colour in set(colours)}
    found = [
        [
            str(measure.id),
            inert(display_title(measure)),
            inert(owner_text(measure)) or "-",
            inert(deadline_label(measure)),
            words[colour],
            statuses[measure.status],
            days_label(late_days) if late_days else "",
        ]
        for (measure, late_days), colour in zip(rows, colours, strict=True)
    ]
    if plans is not None:
        found = [[inert(key), *row] for key, row in zip(plans, found, strict=True)]
    return found


def _dated_rows(
    rows: Sequence[tuple[Measure, int]], first: Column, style: Callable[[int], str]
) -> tuple[list[Column], list[list[Cell]]]:
    """Rows led by a count of days (late, or left), then the measure."""
    cells = [
        [
            (str(days), style(days)),
            (str(measure.id), ""),
            (display_title(measure), ""),
            (owner_text(measure) or "-", ""),
            (deadline_label(measure), ""),
            (status_label(measure.status), ""),
        ]
        for measure, days in rows
    ]
    return [first, *_measure_columns(title_room(row[2][0] for row in cells))], cells


def overdue_table(
    rows: Sequence[tuple[Measure, int]],
    today: date,
    total: int | None = None,
    plans: Sequence[str] = (),
) -> Table | LongTable:
    """The overdue measures given; the title counts `total` of them (default: all given).

    `plans`: beside each, its plan's key (a workspace of several plans), shown after the days.
    """
    return _rows_table(*_overdue_rows(rows, today, total, plans))


def overdue_block(
    rows: Sequence[tuple[Measure, int]],
    today: date,
    total: int | None = None,
    plans: Sequence[str] = (),
) -> TableBlock:
    """`overdue_table` as data, for at most LONG rows."""
    return _rows_block(*_overdue_rows(rows, today, total, plans))


def _overdue_rows(
    rows: Sequence[tuple[Measure, int]],
    today: date,
    total: int | None,
    plans: Sequence[str],
) -> tuple[list[Column], list[list[Cell]], str]:
    columns, cells = _dated_rows(rows, Column(_("Days late"), right=True), lambda days: "bold red")
    _with_plans(columns, cells, plans)
    count = len(rows) if total is None else total
    title = _("Overdue as of {day}: {count}").format(day=format_date(today), count=count)
    return columns, cells, title


def _with_plans(columns: list[Column], cells: list[list[Cell]], plans: Sequence[str]) -> None:
    """Each row's plan key after its days (a workspace of several plans; none: unchanged)."""
    if plans:
        columns.insert(1, Column(_("Plan")))
        for row, key in zip(cells, plans, strict=False):
            row.insert(1, (key, ""))


def _bar(rate: float) -> Cell:
    filled = round(rate * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled), "green"


# Below this width the table by owner leaves out its bars, which repeat Done %, so
# that every heading (the light counts too) stays whole.
BARS_FROM = 72


Row = TypeVar("Row")
# A count column of a table by owner or by unit: its heading, and its cell of a row.
_Count = tuple[str, Callable[[Row], "Cell | Runs"]]


def owners_table(rows: Sequence[OwnerRow], by_plan: bool = False, bars: bool = True) -> Table:
    return _block_table(owners_block(rows, by_plan, bars))


def _count_column(heading: str, tight: int | None = None) -> TableColumn:
    """A column of counts: its heading may wrap at a space (a Chinese one anywhere), but
    a word of it is never cut short (`Compl…`); the numbers never need to wrap. `tight`:
    no wider than that (its longest heading word or number), the heading wrapped."""
    return TableColumn(heading, right=True, min_width=_least_count(heading), max_width=tight)


def _least_count(heading: str) -> int:
    """A count column's least width: its heading's longest word, and 4 cells at least."""
    return max(4, _longest_word(heading))


def owners_block(
    rows: Sequence[OwnerRow], by_plan: bool = False, bars: bool = True, width: int | None = None
) -> TableBlock:
    """The table by owner (by plan); `width`: the console's, below which In progress (the
    total less the complete and the dropped) is left out rather than a count cut short."""
    in_progress: _Count[OwnerRow] = (_("In progress"), lambda row: (str(row.in_progress), ""))
    counts: list[_Count[OwnerRow]] = [
        (_("Total"), lambda row: (str(row.total), "")),
        (_("Complete"), lambda row: (str(row.complete), "")),
        in_progress,
        (_("Overdue"), lambda row: (str(row.overdue), "red" if row.overdue else "")),
        (_("Extended"), lambda row: (str(row.extended), "")),
        (_("Done %"), lambda row: (f"{row.rate:.0%}", "")),
        # One column, not three: the Chinese report fits 60 columns still.
        (_("R/Y/G"), _light_counts),
    ]
    if width is not None and _least_width(rows, counts) > width:
        counts.remove(in_progress)
    columns = [
        TableColumn(_("Plan") if by_plan else _("Owner"), overflow="fold", min_width=8, ratio=1)
    ]
    columns += [_count_column(heading) for heading, _cell in counts]
    if bars:
        columns.append(TableColumn("", overflow="crop", min_width=0, max_width=BAR_WIDTH))
    cells: list[list[Cell | Runs]] = [
        [
            (owner_label(row.owner, row.owner_basis), ""),
            *(cell(row) for _heading, cell in counts),
            *([_bar(row.rate)] if bars else []),
        ]
        for row in rows
    ]
    return TableBlock(columns, cells, _("By plan") if by_plan else _("By owner"))


def _count_widths(rows: Sequence[Row], counts: Sequence[_Count[Row]]) -> list[int]:
    """Each count column's least width: its widest number, or its heading's longest word."""
    widths = []
    for heading, cell in counts:
        shown = [cell(row) for row in rows]
        numbers = [part.plain if isinstance(part, Runs) else part[0] for part in shown]
        widths.append(max([_least_count(heading), *map(cell_len, numbers)]))
    return widths


def _least_width(rows: Sequence[Row], counts: Sequence[_Count[Row]]) -> int:
    """The narrowest a table of a name column (8 cells at least) and these counts can be,
    two cells between columns."""
    widths = [8, *_count_widths(rows, counts)]
    return sum(widths) + 2 * (len(widths) - 1)


def _light_counts(row: OwnerRow) -> Runs:
    """`3/1/0`: the red, yellow and green counts, each in its colour where not 0."""
    from measures.domain.lights import LIGHT_STYLE, Light

    parts: list[Cell] = []
    for index, (light, count) in enumerate(
        ((Light.RED, row.red), (Light.YELLOW, row.yellow), (Light.GREEN, row.green))
    ):
        if index:
            parts.append(("/", ""))
        parts.append((str(count), LIGHT_STYLE[light] if count else ""))
    return Runs(tuple(parts))


def units_table(rows: Sequence[UnitRow]) -> Table:
    """Each unit across the plans: what it leads and what it partners, counted apart."""
    return _block_table(units_block(rows))


def units_block(rows: Sequence[UnitRow], width: int | None = None) -> TableBlock:
    """The table by unit; `width`: the console's, to which the unit column gives up to two
    cells (three Chinese characters a line, not four) rather than a count be cut off."""
    counts: list[_Count[UnitRow]] = [
        (_("As lead"), lambda row: (str(row.led), "")),
        (_("Complete"), lambda row: (str(row.led_complete), "")),
        (_("Overdue"), lambda row: (str(row.led_overdue), "red" if row.led_overdue else "")),
        (_("As partner"), lambda row: (str(row.partnered), "")),
        (_("Complete"), lambda row: (str(row.partnered_complete), "")),
        (
            _("Overdue"),
            lambda row: (str(row.partnered_overdue), "red" if row.partnered_overdue else ""),
        ),
    ]
    least = 8
    tight: list[int | None] = [None for _count in counts]
    whole = 8 + sum(cell_len(heading) for heading, _cell in counts) + 2 * len(counts)
    if width is not None and whole > width:  # each heading wrapped, the unit column narrower
        tight = [*_count_widths(rows, counts)]
        least -= min(2, max(0, _least_width(rows, counts) - width))
    # Tight, every column's width is set: rich then has nothing to share out.
    unit_most = least if tight[0] is not None else None
    columns = [
        TableColumn(_("Unit"), overflow="fold", min_width=least, max_width=unit_most, ratio=1)
    ]
    columns += [
        _count_column(heading, most) for (heading, _cell), most in zip(counts, tight, strict=True)
    ]
    cells: list[list[Cell | Runs]] = [
        [(owner_label(row.unit), ""), *(cell(row) for _heading, cell in counts)] for row in rows
    ]
    return TableBlock(columns, cells, _("By unit, across the plans"))


def due_soon_table(report: Report, limit: int | None = None) -> Table | LongTable:
    return _rows_table(*_due_soon_rows(report, limit))


def due_soon_block(report: Report, limit: int | None = None) -> TableBlock:
    """`due_soon_table` as data, for at most LONG rows."""
    return _rows_block(*_due_soon_rows(report, limit))


def _due_soon_rows(report: Report, limit: int | None) -> tuple[list[Column], list[list[Cell]], str]:
    from measures.render.summary import due_soon_title

    columns, cells = _dated_rows(
        report.due_soon[:limit],
        Column(_("Days left"), right=True),
        lambda left: "yellow" if left <= 3 else "",
    )
    _with_plans(columns, cells, report.due_soon_plans)
    return columns, cells, due_soon_title(report)


def print_report(console: Console, report: Report) -> None:
    for block in report_blocks(report, console.width):
        print_block(console, block)


def print_block(console: Console, block: Block) -> None:
    if isinstance(block, Paragraph):
        console.print(_paragraph(block.text, block.style))
    elif isinstance(block, Blank):
        console.print()
    else:
        console.print(_block_table(block))


def report_blocks(report: Report, width: int) -> list[Block]:
    """The terminal report on a console `width` cells wide, block by block."""
    from measures.render.cadence import cadence_text
    from measures.render.summary import by_status, due_soon_title, headline, report_provenance

    blocks: list[Block] = [Paragraph(report.plan, "bold")]
    blocks += [Paragraph(line) for line in report_provenance(report)]
    blocks += [Paragraph(headline(report)), Paragraph(by_status(report)), Blank()]
    bars = width >= BARS_FROM
    if report.plans:
        blocks.append(owners_block(report.plans, by_plan=True, bars=bars, width=width))
        blocks.append(units_block(report.units, width))
    else:
        blocks.append(owners_block(report.owners, bars=bars, width=width))
    # A report is read at a glance: the longest lists stop after REPORT_ROWS rows (fewer
    # than LONG, so these are rich's own tables).
    late = report.overdue
    if late:
        blocks.append(
            overdue_block(
                late[:REPORT_ROWS], report.as_of, total=len(late), plans=report.overdue_plans
            )
        )
        blocks += _more(len(late), "measures report --overdue")
    if report.due_soon:
        blocks.append(due_soon_block(report, REPORT_ROWS))
        blocks += _more(len(report.due_soon), "measures list --due-within DAYS")
    else:
        blocks.append(Paragraph(_("{title}.").format(title=due_soon_title(report))))
    blocks += [Paragraph(line) for line in cadence_text(report)]
    return blocks


def _more(count: int, command: str) -> list[Block]:
    if count <= REPORT_ROWS:
        return []
    hidden = count - REPORT_ROWS
    return [
        Paragraph(
            _("… and {count} more: `{command}` lists them all.").format(
                count=hidden, command=command
            )
        )
    ]
