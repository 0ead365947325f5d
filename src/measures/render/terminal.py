"""Tables for the terminal, with rich. Ledger text always goes in as plain Text."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

from measures.i18n import _
from measures.labels import (
    days_label,
    display_title,
    format_date,
    owner_label,
    status_label,
)
from measures.model import COMPLETE, Measure, Status
from measures.render.inert import inert
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
    return _text(status_label(measure.status), style)


def measures_table(rows: Sequence[tuple[Measure, int]], today: date) -> Table:
    """One row a measure; the Overdue column gives the days late in words, not colour alone."""
    table = _table()
    table.add_column(_("ID"), justify="right", no_wrap=True)
    table.add_column(_("Measure"), ratio=3, overflow="fold")
    table.add_column(_("Owner"), ratio=1, overflow="fold")
    table.add_column(_("Deadline"), no_wrap=True)
    table.add_column(_("Status"), no_wrap=True)
    table.add_column(_("Overdue"), justify="right", no_wrap=True)
    for measure, late_days in rows:
        table.add_row(
            _text(measure.id),
            _text(display_title(measure)),
            _text(measure.owner or "-"),
            _text(format_date(measure.deadline)),
            status_text(measure),
            _text(days_label(late_days), "bold red") if late_days else _text(""),
        )
    late = sum(1 for _measure, days in rows if days)
    table.caption = _("{count} measures, {late} overdue, as of {day}").format(
        count=len(rows), late=late, day=format_date(today)
    )
    return table


def overdue_table(rows: Sequence[tuple[Measure, int]], today: date) -> Table:
    table = _table(
        _("Overdue as of {day}: {count}").format(day=format_date(today), count=len(rows))
    )
    table.add_column(_("Days late"), justify="right", no_wrap=True)
    table.add_column(_("ID"), justify="right", no_wrap=True)
    table.add_column(_("Measure"), ratio=3, overflow="fold")
    table.add_column(_("Owner"), ratio=1, overflow="fold")
    table.add_column(_("Deadline"), no_wrap=True)
    table.add_column(_("Status"), no_wrap=True)
    for measure, late_days in rows:
        table.add_row(
            _text(late_days, "bold red"),
            _text(measure.id),
            _text(display_title(measure)),
            _text(measure.owner or "-"),
            _text(format_date(measure.deadline)),
            _text(status_label(measure.status)),
        )
    return table


def _bar(rate: float) -> Text:
    filled = round(rate * BAR_WIDTH)
    return _text("█" * filled + "░" * (BAR_WIDTH - filled), "green")


def owners_table(rows: Sequence[OwnerRow]) -> Table:
    table = _table(_("By owner"))
    table.add_column(_("Owner"), overflow="fold", min_width=8, ratio=1)
    headings = (
        _("Total"),
        _("Complete"),
        _("In progress"),
        _("Overdue"),
        _("Extended"),
        _("Done %"),
    )
    for heading in headings:
        # Headings may wrap onto two lines; the numbers never need to.
        table.add_column(heading, justify="right", min_width=4)
    table.add_column("", overflow="crop", min_width=0, max_width=BAR_WIDTH)
    for row in rows:
        table.add_row(
            _text(owner_label(row.owner)),
            _text(row.total),
            _text(row.complete),
            _text(row.in_progress),
            _text(row.overdue, "red" if row.overdue else ""),
            _text(row.extended),
            _text(f"{row.rate:.0%}"),
            _bar(row.rate),
        )
    return table


def due_soon_table(report: Report) -> Table:
    from measures.render.summary import due_soon_title

    table = _table(due_soon_title(report))
    table.add_column(_("Days left"), justify="right", no_wrap=True)
    table.add_column(_("ID"), justify="right", no_wrap=True)
    table.add_column(_("Measure"), ratio=3, overflow="fold")
    table.add_column(_("Owner"), ratio=1, overflow="fold")
    table.add_column(_("Deadline"), no_wrap=True)
    table.add_column(_("Status"), no_wrap=True)
    for measure, left in report.due_soon:
        table.add_row(
            _text(left, "yellow" if left <= 3 else ""),
            _text(measure.id),
            _text(display_title(measure)),
            _text(measure.owner or "-"),
            _text(format_date(measure.deadline)),
            _text(status_label(measure.status)),
        )
    return table


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
        console.print(_text(_("{title}.").format(title=due_soon_title(report))))
