"""The report as CSV (its table by owner, or the overdue measures), for spreadsheets."""

from __future__ import annotations

from measures.domain.reports import Report
from measures.exchange.csvfile import Shown, csv_text

OWNER_COLUMNS = (
    "owner",
    "total",
    "complete",
    "done",
    "verified",
    "in_progress",
    "overdue",
    "extended",
    "completion_pct",
    "owner_basis",
)
OVERDUE_COLUMNS = ("days_overdue", "id", "title", "owner", "deadline", "status", "owner_basis")


def report_csv(report: Report, overdue_only: bool = False, shown: Shown = None) -> str:
    """The report's table by owner as CSV (with `overdue_only`: the overdue measures)."""
    if overdue_only:
        return csv_text(
            OVERDUE_COLUMNS,
            (
                [days, m.id, m.title, m.owner, m.deadline, m.status.value, m.owner_basis]
                for m, days in report.overdue
            ),
            shown,
        )
    return csv_text(
        OWNER_COLUMNS,
        (
            [
                row.owner,
                row.total,
                row.complete,
                row.done,
                row.verified,
                row.in_progress,
                row.overdue,
                row.extended,
                round(row.rate * 100, 1),
                row.owner_basis,
            ]
            for row in report.owners
        ),
        shown,
    )
