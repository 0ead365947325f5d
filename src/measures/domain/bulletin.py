"""The completion bulletin (完成情况通报), as plain data: what render/docx_report.py lays out.

Built on the report (domain/reports.py) that `report` gives in every format, so
its numbers are the numbers of `report --format json`: the units ranked by
completion rate, the late ones named, what is blocked or extended and why, and
what was completed in the period: with `--since`, the report's own
`since.completed` (domain/cadence.py `changes_since`); without it, every
measure complete by the day. Over a workspace of several plans it is the
office's report, and each measure is named `KEY:ID`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    completed: list[tuple[Measure, date]]  # complete in the period (or by the day), by day
    # The names of the plans it covers, in file order.
    plans: tuple[str, ...] = ()
    # With several plans: each measure's plan key, by the measure's identity.
    keys: Mapping[int, str] = field(default_factory=dict)

    def ident(self, measure: Measure) -> str:
        """The measure's id as the bulletin names it: `3`, or `yshj:3` among several plans."""
        key = self.keys.get(id(measure))
        return str(measure.id) if key is None else f"{key}:{measure.id}"


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


def build_bulletin(report: Report, plans: Sequence[tuple[str, Ledger]]) -> Bulletin:
    """The bulletin on `report`, built by `build_report` or `build_office_report` from the
    ledgers of `plans` (each beside its key) as they stood on the report's day."""
    today = report.as_of
    measures = [m for _key, ledger in plans for m in ledger.measures]
    blocked = [
        _newest(m, Action.BLOCK) or Reasoned(m, "") for m in measures if m.status is Status.BLOCKED
    ]
    extended = [
        found
        for m in measures
        if m.status not in COMPLETE
        and m.status is not Status.DROPPED
        and (found := _newest(m, Action.EXTEND)) is not None
    ]
    if report.since is not None:
        # The very list `report --since DATE --format json` gives as `since.completed`.
        completed = [(item.measure, item.day) for item in report.since.completed]
    else:
        completed = sorted(
            ((m, day) for m in measures if (day := completed_on(m)) is not None and day <= today),
            key=lambda pair: (pair[1], pair[0].id),
        )
    keys = {id(m): key for key, ledger in plans for m in ledger.measures} if len(plans) > 1 else {}
    return Bulletin(
        report=report,
        ranked=rank(report.owners),
        blocked=blocked,
        extended=extended,
        since=None if report.since is None else report.since.day,
        completed=completed,
        plans=tuple(ledger.plan.name for _key, ledger in plans),
        keys=keys,
    )


def ledger_bulletin(ledger: Ledger, today: date, since: date | None = None) -> Bulletin:
    """The bulletin of one ledger on `today`: on its report, with `since` as `report --since`
    takes it."""
    return build_bulletin(build_report(ledger, today, since=since), [("", ledger)])
