"""Tables for the terminal, with rich. Ledger text always goes in as plain Text."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

from measures.model import COMPLETE, Measure, Status
from measures.render.inert import inert
from measures.render.longtable import LONG, Column, LongTable
from measures.reports import OwnerRow, Report

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

BAR_WIDTH = 10


def make_console(file: IO[str] | None = None) -> Console:
    """A console sized and coloured for where output goes now (COLUMNS, NO_COLOR, a pipe)."""
    from rich.console import Console

    return Console(file=file or sys.stdout, highlight=False, emoji=False, markup=False)


def _text(value: object, style: str = "") -> Text:
    from rich.text import Text

    return Text(inert(str(value)), style=style)


def _table(title: str | None = None) -> Table:
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        show_edge=False,
        collapse_padding=True,
        pad_edge=False,
    )


def status_text(measure: Measure) -> Text:
    style = "green" if measure.status in COMPLETE else ""
    if measure.status is Status.BLOCKED:
        style = "yellow"
    return _text(measure.status.value, style)


Cell = tuple[str, str]  # text and rich style


def _rows_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    title: str | None = None,
    caption: str | None = None,
) -> Table | LongTable:
    """A rich table, or for more than LONG rows the plain one that lays out in one pass."""
    if len(rows) > LONG:
        plain = [[inert(text) for text, _ in row] for row in rows]
        return LongTable(columns, plain, title, caption)
    table = _table(title)
    for column in columns:
        table.add_column(
            column.header,
            justify="right" if column.right else "left",
            ratio=column.ratio or None,
            overflow="fold",
            no_wrap=not column.ratio,
        )
    for row in rows:
        table.add_row(*(_text(text, style) for text, style in row))
    table.caption = caption
    return table


def _status_cell(measure: Measure) -> Cell:
    text = status_text(measure)
    return str(text), str(text.style)


ID = Column("ID", right=True)
MEASURE = Column("Measure", ratio=3)
OWNER = Column("Owner", ratio=1)
DEADLINE = Column("Deadline")
STATUS = Column("Status")


def measures_table(rows: Sequence[tuple[Measure, int]], today: date) -> Table | LongTable:
    """One row a measure; the Overdue column gives the days late in words, not colour alone."""
    cells = [
        [
            (str(measure.id), ""),
            (measure.title, ""),
            (measure.owner or "-", ""),
            (measure.deadline.isoformat(), ""),
            _status_cell(measure),
            (f"{late_days} d", "bold red") if late_days else ("", ""),
        ]
        for measure, late_days in rows
    ]
    late = sum(1 for _, days in rows if days)
    caption = f"{len(rows)} measures, {late} overdue, as of {today.isoformat()}"
    columns = [ID, MEASURE, OWNER, DEADLINE, STATUS, Column("Overdue", right=True)]
    return _rows_table(columns, cells, caption=caption)


def _dated_rows(
    rows: Sequence[tuple[Measure, int]], first: Column, style: Callable[[int], str]
) -> tuple[list[Column], list[list[Cell]]]:
    """Rows led by a count of days (late, or left), then the measure."""
    cells = [
        [
            (str(days), style(days)),
            (str(measure.id), ""),
            (measure.title, ""),
            (measure.owner or "-", ""),
            (measure.deadline.isoformat(), ""),
            (measure.status.value, ""),
        ]
        for measure, days in rows
    ]
    return [first, ID, MEASURE, OWNER, DEADLINE, STATUS], cells


def overdue_table(rows: Sequence[tuple[Measure, int]], today: date) -> Table | LongTable:
    columns, cells = _dated_rows(rows, Column("Days late", right=True), lambda _: "bold red")
    return _rows_table(columns, cells, f"Overdue as of {today.isoformat()}: {len(rows)}")


def _bar(rate: float) -> Text:
    filled = round(rate * BAR_WIDTH)
    return _text("█" * filled + "░" * (BAR_WIDTH - filled), "green")


def owners_table(rows: Sequence[OwnerRow]) -> Table:
    table = _table("By owner")
    table.add_column("Owner", overflow="fold", min_width=8, ratio=1)
    for heading in ("Total", "Complete", "In progress", "Overdue", "Extended", "Done %"):
        # Headings may wrap onto two lines; the numbers never need to.
        table.add_column(heading, justify="right", min_width=4)
    table.add_column("", overflow="crop", min_width=0, max_width=BAR_WIDTH)
    for row in rows:
        table.add_row(
            _text(row.owner),
            _text(row.total),
            _text(row.complete),
            _text(row.in_progress),
            _text(row.overdue, "red" if row.overdue else ""),
            _text(row.extended),
            _text(f"{row.rate:.0%}"),
            _bar(row.rate),
        )
    return table


def due_soon_table(report: Report) -> Table | LongTable:
    from measures.render.summary import due_soon_title

    columns, cells = _dated_rows(
        report.due_soon, Column("Days left", right=True), lambda left: "yellow" if left <= 3 else ""
    )
    return _rows_table(columns, cells, due_soon_title(report))


def print_report(console: Console, report: Report) -> None:
    from measures.render.summary import by_status, due_soon_title, headline

    console.print(_text(report.plan, "bold"))
    console.print(_text(headline(report)))
    console.print(_text(by_status(report)))
    console.print()
    console.print(owners_table(report.owners))
    if report.overdue:
        console.print(overdue_table(report.overdue, report.as_of))
    if report.due_soon:
        console.print(due_soon_table(report))
    else:
        console.print(_text(f"{due_soon_title(report)}."))
