"""What a completion report says, as plain data; the renderers lay it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from measures.model import COMPLETE, OPEN, Action, Ledger, Measure, Status, is_overdue
from measures.queries import overdue

UNASSIGNED = "(unassigned)"


@dataclass(frozen=True)
class OwnerRow:
    owner: str
    total: int
    complete: int
    in_progress: int
    overdue: int
    extended: int

    @property
    def rate(self) -> float:
        """Share complete of the measures not dropped, 0.0 when there are none."""
        dropped_free = self.complete + self.in_progress
        return self.complete / dropped_free if dropped_free else 0.0


@dataclass(frozen=True)
class Report:
    plan: str
    as_of: date
    declared: int | None
    by_status: dict[Status, int]
    owners: list[OwnerRow]
    overdue: list[tuple[Measure, int]]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def complete(self) -> int:
        return sum(self.by_status[status] for status in COMPLETE)

    @property
    def in_progress(self) -> int:
        return sum(self.by_status[status] for status in OPEN)

    @property
    def rate(self) -> float:
        """Complete over all measures that are not dropped."""
        counted = self.complete + self.in_progress
        return self.complete / counted if counted else 0.0


def build_report(ledger: Ledger, today: date) -> Report:
    by_status = dict.fromkeys(Status, 0)
    groups: dict[str, list[Measure]] = {}
    for measure in ledger.measures:
        by_status[measure.status] += 1
        groups.setdefault(measure.owner or UNASSIGNED, []).append(measure)
    owners = [_owner_row(owner, measures, today) for owner, measures in groups.items()]
    owners.sort(key=lambda row: (row.owner == UNASSIGNED, -row.total, row.owner))
    late = [(m, (today - m.deadline).days) for m in overdue(ledger.measures, today)]
    return Report(
        plan=ledger.plan.name,
        as_of=today,
        declared=ledger.plan.declared,
        by_status=by_status,
        owners=owners,
        overdue=late,
    )


def _owner_row(owner: str, measures: list[Measure], today: date) -> OwnerRow:
    return OwnerRow(
        owner=owner,
        total=len(measures),
        complete=sum(m.status in COMPLETE for m in measures),
        in_progress=sum(m.status in OPEN for m in measures),
        overdue=sum(is_overdue(m, today) for m in measures),
        extended=sum(any(e.action is Action.EXTEND for e in m.log) for m in measures),
    )
