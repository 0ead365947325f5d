"""The report as CSV (its table by owner, or the overdue measures), for spreadsheets."""

from __future__ import annotations

from measures.domain.reports import OwnerRow, Report
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
    "red",
    "yellow",
    "green",
)
OVERDUE_COLUMNS = ("days_overdue", "id", "title", "owner", "deadline", "status", "owner_basis")


# By plan: the figures by owner but `owner_basis`, which a plan has none of.
PLAN_COLUMNS = ("plan", *(c for c in OWNER_COLUMNS[1:] if c != "owner_basis"))
UNIT_COLUMNS = (
    "unit",
    "owner_total",
    "owner_complete",
    "owner_overdue",
    "partner_total",
    "partner_complete",
    "partner_overdue",
)


def report_csv(report: Report, overdue_only: bool = False, shown: Shown = None) -> str:
    """The report's table by owner as CSV (with `overdue_only`: the overdue measures).

    A workspace of several plans has three tables, each led by its header row and
    parted by an empty line: by plan, by unit, and the overdue measures with their plan.
    """
    if report.plans:
        return _office_csv(report, overdue_only, shown)
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
                *_counts(row),
                row.owner_basis,
                row.red,
                row.yellow,
                row.green,
            ]
            for row in report.owners
        ),
        shown,
    )


def _office_csv(report: Report, overdue_only: bool, shown: Shown) -> str:
    overdue = csv_text(
        ("plan", *OVERDUE_COLUMNS),
        (
            [key, days, m.id, m.title, m.owner, m.deadline, m.status.value, m.owner_basis]
            for key, (m, days) in zip(report.overdue_plans, report.overdue, strict=True)
        ),
        shown,
    )
    if overdue_only:
        return overdue
    plans = csv_text(
        PLAN_COLUMNS,
        (
            [
                *_counts(row),
                row.red,
                row.yellow,
                row.green,
            ]
            for row in report.plans
        ),
        shown,
    )
    units = csv_text(
        UNIT_COLUMNS,
        (
            [
                row.unit,
                row.led,
                row.led_complete,
                row.led_overdue,
                row.partnered,
                row.partnered_complete,
                row.partnered_overdue,
            ]
            for row in report.units
        ),
        shown,
    )
    return "\r\n".join((plans, units, overdue))


def _counts(row: OwnerRow) -> list[object]:
    """The owner's (or plan's) name and counts, as the CSV of a table by owner has them."""
    return [
        row.owner,
        row.total,
        row.complete,
        row.done,
        row.verified,
        row.in_progress,
        row.overdue,
        row.extended,
        round(row.rate * 100, 1),
    ]
