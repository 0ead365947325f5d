"""The sentences a report opens with, shared by the terminal, Markdown and HTML."""

from __future__ import annotations

from measures.model import Status
from measures.reports import Report


def headline(report: Report) -> str:
    """'As of 2020-12-31: 22 measures, 6 complete (27%: 4 done, 2 verified), ...'."""
    declared = (
        f" (the plan declares {report.declared})"
        if report.declared is not None and report.declared != report.total
        else ""
    )
    return (
        f"As of {report.as_of.isoformat()}: {report.total} measures{declared}, "
        f"{report.complete} complete ({report.rate:.0%}: {report.done} done, "
        f"{report.verified} verified), {report.in_progress} in progress, "
        f"{len(report.overdue)} overdue, {len(report.due_soon)} due within "
        f"{days(report.due_within)}."
    )


def by_status(report: Report) -> str:
    return "By status: " + ", ".join(
        f"{status.value} {report.by_status[status]}" for status in Status
    )


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def due_soon_title(report: Report) -> str:
    return f"Due within {days(report.due_within)}: {len(report.due_soon)}"
