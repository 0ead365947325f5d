"""The sentences a report opens with, shared by the terminal, Markdown and HTML."""

from __future__ import annotations

from measures.domain.labels import days_text, format_date, status_label
from measures.domain.reports import Report
from measures.i18n import _
from measures.model.status import Status


def headline(report: Report) -> str:
    """'As of 2020-12-31: 22 measures, 6 complete (27%: 4 done, 2 verified), ...'."""
    declared = (
        _(" (the plan declares {declared})").format(declared=report.declared)
        if report.declared is not None and report.declared != report.total
        else ""
    )
    return _(
        "As of {day}: {total} measures{declared}, {complete} complete ({rate}: {done} done, "
        "{verified} verified), {in_progress} in progress, {overdue} overdue, {due_soon} due "
        "within {days}."
    ).format(
        day=format_date(report.as_of),
        total=report.total,
        declared=declared,
        complete=report.complete,
        rate=f"{report.rate:.0%}",
        done=report.done,
        verified=report.verified,
        in_progress=report.in_progress,
        overdue=len(report.overdue),
        due_soon=len(report.due_soon),
        days=days(report.due_within),
    )


def provenance(district: str, source: str, notes: str) -> list[str]:
    """`District: 包头市昆都仑区`, `Source: …`, `Notes: …`: the lines of those the plan gives."""
    labelled = (
        (_("District: {text}"), district),
        (_("Source: {text}"), source),
        (_("Notes: {text}"), notes),
    )
    return [label.format(text=text) for label, text in labelled if text.strip()]


def report_provenance(report: Report) -> list[str]:
    return provenance(report.district, report.source, report.notes)


def by_status(report: Report) -> str:
    counts = _(", ").join(
        _("{status} {count}").format(status=status_label(status), count=report.by_status[status])
        for status in Status
    )
    return _("By status: {counts}").format(counts=counts)


def days(count: int) -> str:
    return days_text(count)


def due_soon_title(report: Report) -> str:
    return _("Due within {days}: {count}").format(
        days=days(report.due_within), count=len(report.due_soon)
    )
