"""The completion bulletin (完成情况通报), as plain data: what render/docx_report.py lays out.

Built on the report (domain/reports.py), so its numbers are the numbers of
`report --format json`: the units ranked by completion rate, the late ones
named, what is blocked or extended and why, what was completed in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from measures.domain.reports import Report, build_report, completed_on
from measures.model.status import COMPLETE, Action, Status

if TYPE_CHECKING:
    from measures.domain.reports import OwnerRow
    from measures.model.records import Ledger, Measure


@dataclass(frozen=True)
class Reasoned:
    """A measure beside the reason its newest block or extension gave, and for an extension
    the deadline it moved from."""

    measure: Measure
    reason: str
    old: date | None = None


@dataclass(frozen=True)
class Bulletin:
    report: Report
    ranked: list[OwnerRow]  # the units with a rate, highest first
    blocked: list[Reasoned]
    extended: list[Reasoned]  # open measures whose deadline was extended
    since: date | None
    completed: list[tuple[Measure, date]]  # complete from `since` (or ever) to the day


def rank(rows: list[OwnerRow]) -> list[OwnerRow]:
    """By completion rate, highest first; then more complete, fewer overdue, then by name."""
    counted = [row for row in rows if row.countable]
    return sorted(counted, key=lambda row: (-row.rate, -row.complete, row.overdue, row.owner))


def _newest(measure: Measure, action: Action) -> Reasoned | None:
    for entry in reversed(measure.log):
        if entry.action is action:
            old = entry.old if isinstance(entry.old, date) else None
            return Reasoned(measure, entry.note or "", old)
    return None


def build_bulletin(ledger: Ledger, today: date, since: date | None = None) -> Bulletin:
    report = build_report(ledger, today)
    blocked = [
        _newest(m, Action.BLOCK) or Reasoned(m, "")
        for m in ledger.measures
        if m.status is Status.BLOCKED
    ]
    extended = [
        found
        for m in ledger.measures
        if m.status not in COMPLETE
        and m.status is not Status.DROPPED
        and (found := _newest(m, Action.EXTEND)) is not None
    ]
    completed = sorted(
        (
            (m, day)
            for m in ledger.measures
            if (day := completed_on(m)) is not None
            and day <= today
            and (since is None or day >= since)
        ),
        key=lambda pair: (pair[1], pair[0].id),
    )
    return Bulletin(
        report=report,
        ranked=rank(report.owners),
        blocked=blocked,
        extended=extended,
        since=since,
        completed=completed,
    )
