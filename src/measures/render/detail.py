"""One measure in full, and the log, as terminal tables. Ledger text goes in as plain Text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from measures.history import Event, change_text
from measures.model import LogEntry, Measure, days_overdue
from measures.render.terminal import _table, _text, status_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text


def measure_fields(measure: Measure, today: date) -> Table:
    """Every field of the measure, one a row."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    late = days_overdue(measure, today)
    status = status_text(measure)
    if late:
        status.append(f"  overdue {late} d as of {today.isoformat()}", "bold red")
    rows = [
        ("ID", _text(measure.id)),
        ("Title", _text(measure.title)),
        ("Title (en)", _text(measure.title_en or "-")),
        ("Owner", _text(measure.owner or "-")),
        ("Partners", _text("; ".join(measure.partners) or "-")),
        ("Deadline", _text(measure.deadline.isoformat())),
        ("Status", status),
        ("Done on", _text(measure.done_on.isoformat() if measure.done_on else "-")),
        ("Source", _text(measure.source or "-")),
    ]
    for name, value in rows:
        grid.add_row(_text(name), value)
    return grid


def _entry_cells(entry: LogEntry) -> list[Text]:
    return [
        _text(entry.at.isoformat()),
        _text(entry.by or "-"),
        _text(entry.action.value),
        _text(change_text(entry)),
        _text(entry.note or ""),
    ]


def log_table(events: Sequence[Event], with_ids: bool = True) -> Table:
    """Log entries, oldest first, each beside the id of its measure."""
    table = _table()
    table.add_column("At", no_wrap=True)
    if with_ids:
        table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("By", overflow="fold")
    table.add_column("Action", no_wrap=True)
    table.add_column("Change", overflow="fold", ratio=1)
    table.add_column("Note", overflow="fold", ratio=2)
    for event in events:
        cells = _entry_cells(event.entry)
        if with_ids:
            cells.insert(1, _text(event.measure_id))
        table.add_row(*cells)
    table.caption = f"{len(events)} log entr{'y' if len(events) == 1 else 'ies'}"
    return table


def print_measure(console: Console, measure: Measure, today: date) -> None:
    console.print(measure_fields(measure, today))
    console.print()
    events = [Event(measure.id, entry) for entry in measure.log]
    console.print(log_table(events, with_ids=False))
