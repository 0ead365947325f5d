"""Choosing and ordering measures: filters, overdue, sorting. All pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from measures.model import Measure, Status, days_overdue, is_overdue


@dataclass(frozen=True)
class Filter:
    statuses: frozenset[Status] = frozenset()
    owner: str | None = None  # a part of the owner's name
    overdue: bool = False

    def accepts(self, measure: Measure, today: date) -> bool:
        if self.statuses and measure.status not in self.statuses:
            return False
        if self.owner is not None and self.owner.casefold() not in measure.owner.casefold():
            return False
        return not self.overdue or is_overdue(measure, today)


def select(measures: Iterable[Measure], wanted: Filter, today: date) -> list[Measure]:
    return [measure for measure in measures if wanted.accepts(measure, today)]


def overdue(measures: Iterable[Measure], today: date) -> list[Measure]:
    """The overdue measures, most days late first, then by id."""
    late = [measure for measure in measures if is_overdue(measure, today)]
    return sorted(late, key=lambda m: (-days_overdue(m, today), m.id))


def with_lateness(measures: Sequence[Measure], today: date) -> list[tuple[Measure, int]]:
    """Each measure beside its days overdue (0 when it is not)."""
    return [(measure, days_overdue(measure, today)) for measure in measures]
