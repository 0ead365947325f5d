"""Choosing and ordering measures: filters, overdue, sorting. All pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from measures.model.status import OPEN, Status, days_overdue, is_overdue

if TYPE_CHECKING:
    from measures.domain.lights import Light, Rules
    from measures.model.records import Measure

# The most days any span of the calendar holds (0001-01-01 to 9999-12-31): a
# count of days beyond it names no day at all.
MAX_DAYS = (date.max - date.min).days


def days_ahead(today: date, days: int) -> date:
    """The day `days` days after `today`, or the calendar's last day if that is past it."""
    return today + timedelta(days=min(days, (date.max - today).days))


@dataclass(frozen=True)
class Filter:
    statuses: frozenset[Status] = frozenset()
    owner: str | None = None  # a part of the owner's name
    overdue: bool = False
    due_within: int | None = None  # days from today
    search: str | None = None  # a part of the title, English title, owner or a log note
    stale: int | None = None  # open, with no log entry in the last so many days
    unit: str | None = None  # a part of the owner's or a partner's name
    partner: str | None = None  # a part of a partner's name
    # Whether a part is part of a unit's name: with units.toml, any of the unit's names.
    names: Callable[[str, str], bool] | None = None
    lights: frozenset[Light] = frozenset()  # any of these lights, by `rules`
    rules: Rules | None = None

    def accepts(self, measure: Measure, today: date) -> bool:
        if self.statuses and measure.status not in self.statuses:
            return False
        if self.owner is not None and not self._named(self.owner, measure.owner):
            return False
        if self.partner is not None and not any(
            self._named(self.partner, p) for p in measure.partners
        ):
            return False
        if self.unit is not None and not any(
            self._named(self.unit, name) for name in (measure.owner, *measure.partners)
        ):
            return False
        if self.due_within is not None and not is_due_within(measure, today, self.due_within):
            return False
        if self.search is not None and not mentions(measure, self.search):
            return False
        if self.stale is not None:
            from measures.domain.cadence import is_stale

            if not is_stale(measure, today, self.stale):
                return False
        if self.lights and not self._lit(measure, today):
            return False
        return not self.overdue or is_overdue(measure, today)

    def _named(self, part: str, name: str) -> bool:
        if self.names is not None:
            return self.names(part, name)
        return part.casefold() in name.casefold()

    def _lit(self, measure: Measure, today: date) -> bool:
        from measures.domain.lights import Rules, light

        return light(measure, today, self.rules or Rules()) in self.lights


def is_due_within(measure: Measure, today: date, days: int) -> bool:
    """Open, and its deadline from today to `days` days ahead (an overdue one is not due;
    nor is an ongoing one, which has no deadline)."""
    deadline = measure.deadline
    return (
        deadline is not None
        and measure.status in OPEN
        and today <= deadline <= days_ahead(today, days)
    )


def mentions(measure: Measure, text: str) -> bool:
    """Whether `text` is part of the title, English title, owner, a partner or a log note."""
    wanted = text.casefold()
    notes = (entry.note or "" for entry in measure.log)
    return any(
        wanted in field.casefold()
        for field in (measure.title, measure.title_en, measure.owner, *measure.partners, *notes)
    )


class SortKey(StrEnum):
    ID = "id"
    DEADLINE = "deadline"
    OWNER = "owner"
    STATUS = "status"


_STATUS_ORDER = {status: index for index, status in enumerate(Status)}


def by_deadline(measure: Measure) -> tuple[bool, date, int]:
    """The sort key of deadline order: earliest first, ongoing measures (no deadline) last,
    then by id."""
    deadline = measure.deadline
    if deadline is None:
        return (True, date.min, measure.id)
    return (False, deadline, measure.id)


def sort_measures(measures: Iterable[Measure], key: SortKey) -> list[Measure]:
    """By id; or by deadline, owner (unassigned last) or status (todo … dropped), then id."""
    if key is SortKey.DEADLINE:
        return sorted(measures, key=by_deadline)
    if key is SortKey.OWNER:
        return sorted(measures, key=lambda m: (m.owner == "", m.owner, m.id))
    if key is SortKey.STATUS:
        return sorted(measures, key=lambda m: (_STATUS_ORDER[m.status], m.id))
    return sorted(measures, key=lambda m: m.id)


def sort_across(chosen: Iterable[tuple[int, Measure]], key: SortKey) -> list[tuple[int, Measure]]:
    """Measures of several plans, each beside its plan's place: by id, plan by plan; by the
    other keys across the plans, ties by plan, then id."""
    primary: dict[SortKey, Callable[[Measure], object]] = {
        SortKey.DEADLINE: lambda m: by_deadline(m)[:2],
        SortKey.OWNER: lambda m: (m.owner == "", m.owner),
        SortKey.STATUS: lambda m: _STATUS_ORDER[m.status],
    }
    first = primary.get(key)
    if first is None:
        return sorted(chosen, key=lambda pair: (pair[0], pair[1].id))
    return sorted(chosen, key=lambda pair: (first(pair[1]), pair[0], pair[1].id))


def select(measures: Iterable[Measure], wanted: Filter, today: date) -> list[Measure]:
    return [measure for measure in measures if wanted.accepts(measure, today)]


def overdue(measures: Iterable[Measure], today: date) -> list[Measure]:
    """The overdue measures, most days late first, then by id."""
    late = [measure for measure in measures if is_overdue(measure, today)]
    # Most days late first is earliest deadline first: no need to count the days.
    return sorted(late, key=by_deadline)


def with_lateness(measures: Sequence[Measure], today: date) -> list[tuple[Measure, int]]:
    """Each measure beside its days overdue (0 when it is not)."""
    return [(measure, days_overdue(measure, today)) for measure in measures]
