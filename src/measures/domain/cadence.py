"""The office's cadence questions, asked of one ledger (one plan): all pure.

Who has not reported progress this period (`[plan] report_every`), which open
measures have gone quiet (`list --stale DAYS`), and what changed since a day
(`report --since`). A log entry counts on the day it took effect
(`history.effective_day`), so a change backdated with `--on` counts on its day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from measures.domain.history import effective_day
from measures.domain.labels import UNASSIGNED
from measures.model.records import OPEN, Action, Ledger, Measure

# The plan's `report_every` values that are not a number of days.
MONTH, WEEK = "month", "week"


def last_entry_day(measure: Measure, today: date) -> date | None:
    """The newest day (up to `today`) on which a log entry of the measure took effect."""
    days = [day for day in (effective_day(entry) for entry in measure.log) if day <= today]
    return max(days, default=None)


def is_stale(measure: Measure, today: date, days: int) -> bool:
    """Open, with no log entry in the last `days` days (today included), or none at all."""
    if measure.status not in OPEN:
        return False
    last = last_entry_day(measure, today)
    return last is None or last <= today - timedelta(days=days)


def period_start(every: str | int, today: date) -> date:
    """The first day of the reporting period holding `today`.

    The calendar month, the ISO week (from Monday), or the last `every` days.
    """
    if every == MONTH:
        return today.replace(day=1)
    if every == WEEK:
        return today - timedelta(days=today.weekday())
    if isinstance(every, int):
        return today - timedelta(days=every - 1)
    raise ValueError(f"not a reporting period: {every!r}")


def has_reported(measure: Measure, start: date, today: date) -> bool:
    """Whether a log entry of the measure took effect from `start` to `today`."""
    return any(start <= effective_day(entry) <= today for entry in measure.log)


def not_reported(ledger: Ledger, today: date) -> tuple[str, ...] | None:
    """The units with open measures none of which has a log entry this period, in file order.

    None when the plan sets no `report_every`.
    """
    every = ledger.plan.report_every
    if every is None:
        return None
    start = period_start(every, today)
    units: dict[str, bool] = {}
    for measure in ledger.measures:
        if measure.status not in OPEN:
            continue
        unit = measure.owner or UNASSIGNED
        units[unit] = units.get(unit, False) or has_reported(measure, start, today)
    return tuple(unit for unit, reported in units.items() if not reported)


@dataclass(frozen=True)
class SinceItem:
    """One measure that moved since the day asked: on which day, with what note."""

    measure: Measure
    day: date
    note: str | None = None


@dataclass(frozen=True)
class Since:
    """What changed from `day` to the report's day (本期新增)."""

    day: date
    completed: tuple[SinceItem, ...] = ()
    extended: tuple[SinceItem, ...] = ()
    blocked: tuple[SinceItem, ...] = ()
    dropped: tuple[SinceItem, ...] = ()
    notes: tuple[SinceItem, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.completed or self.extended or self.blocked or self.dropped or self.notes)


_KINDS = {
    Action.DONE: "completed",
    Action.EXTEND: "extended",
    Action.BLOCK: "blocked",
    Action.DROP: "dropped",
    Action.NOTE: "notes",
}


def changes_since(measures: Iterable[Measure], since: date, today: date) -> Since:
    """The measures newly complete, extended, blocked or dropped, and the notes, from `since`.

    Each in the order the changes took effect; a measure newly complete is one
    whose `done` took effect in the span and that is still complete.
    """
    found: dict[str, list[SinceItem]] = {kind: [] for kind in _KINDS.values()}
    for measure in measures:
        for entry in measure.log:
            kind = _KINDS.get(entry.action)
            day = effective_day(entry)
            if kind is None or not since <= day <= today:
                continue
            if kind == "completed" and measure.done_on is None:
                continue  # reopened since
            found[kind].append(SinceItem(measure, day, entry.note))
    ordered = {
        kind: tuple(sorted(items, key=lambda item: (item.day, item.measure.id)))
        for kind, items in found.items()
    }
    return Since(day=since, **ordered)
