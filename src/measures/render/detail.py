"""One measure in full, and the log, as terminal tables. Ledger text goes in as plain Text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from measures.domain.history import Event, change_text
from measures.domain.labels import (
    action_label,
    days_label,
    deadline_label,
    format_date,
    format_time,
    overdue_label,
    owner_text,
)
from measures.i18n import _, ngettext
from measures.model.status import days_overdue
from measures.render.terminal import _paragraph, _table, _text, status_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from measures.model.records import LogEntry, Measure, Plan


def measure_fields(measure: Measure, today: date) -> Table:
    """Every field of the measure, one a row."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    late = days_overdue(measure, today)
    status = status_text(measure)
    if late:
        status.append(
            "  "
            + _("{overdue} {days} as of {day}").format(
                overdue=overdue_label(), days=days_label(late), day=format_date(today)
            ),
            "bold red",
        )
    rows = [
        (_("ID"), _text(measure.id)),
        (_("Title"), _text(measure.title)),
        (_("Title (en)"), _text(measure.title_en or "-")),
        (_("Owner"), _text(owner_text(measure) or "-")),
        (_("Partners"), _text("; ".join(measure.partners) or "-")),
        (_("Deadline"), _text(deadline_label(measure))),
        (_("Status"), status),
        (_("Done on"), _text(format_date(measure.done_on) if measure.done_on else "-")),
        (_("Source"), _text(measure.source or "-")),
    ]
    for name, value in rows:
        grid.add_row(_text(name), value)
    return grid


def _entry_cells(entry: LogEntry) -> list[Text]:
    return [
        _text(format_time(entry.at)),
        _text(entry.by or "-"),
        _text(action_label(entry.action)),
        _text(change_text(entry)),
        _text(entry.note or ""),
    ]


def log_table(events: Sequence[Event], with_ids: bool = True) -> Table:
    """Log entries, oldest first, each beside the id of its measure."""
    table = _table()
    table.add_column(_("At"), no_wrap=True)
    plans = with_ids and any(event.plan is not None for event in events)
    if plans:
        table.add_column(_("Plan"), no_wrap=True)
    if with_ids:
        table.add_column(_("ID"), justify="right", no_wrap=True)
    table.add_column(_("By"), overflow="fold")
    table.add_column(_("Action"), no_wrap=True)
    table.add_column(_("Change"), overflow="fold", ratio=1)
    table.add_column(_("Note"), overflow="fold", ratio=2)
    for event in events:
        cells = _entry_cells(event.entry)
        if with_ids:
            cells.insert(1, _text(event.measure_id))
        if plans:
            cells.insert(1, _text(event.plan or ""))
        table.add_row(*cells)
    table.caption = ngettext("{count} log entry", "{count} log entries", len(events)).format(
        count=len(events)
    )
    return table


def print_measure(
    console: Console, measure: Measure, today: date, plan: Plan | None = None
) -> None:
    """The measure's fields and log, under its plan's name and provenance where given."""
    if plan is not None:
        from measures.render.summary import provenance

        console.print(_paragraph(plan.name, "bold"))
        for line in provenance(plan.district, plan.source, plan.notes):
            console.print(_paragraph(line))
        console.print()
    console.print(measure_fields(measure, today))
    console.print()
    events = [Event(measure.id, entry) for entry in measure.log]
    console.print(log_table(events, with_ids=False))
