"""Markdown tables that paste cleanly into a message, a wiki or an issue."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from measures.model import Measure
from measures.render.inert import inert
from measures.reports import Report

# What Markdown would read as markup: emphasis, code, links, HTML, table cells,
# strike-through; an underscore only at a word's edge (title_en stays readable)
# and `&` only where it starts an entity. A backslash shows each as typed.
_ACTIVE = re.compile(r"([\\`*\[\]<>|~]|(?<!\w)_|_(?!\w)|&(?=#?\w+;))")


def cell(value: object) -> str:
    """A value as one Markdown table cell: one line, markup shown as typed."""
    text = "" if value is None else str(value)
    text = " ".join(text.splitlines())
    return _ACTIVE.sub(r"\\\1", inert(text))


def table(header: Sequence[str], rows: Iterable[Sequence[object]], right: int = 0) -> str:
    """A pipe table; the last `right` columns are right-aligned (numbers)."""
    widths = ["---"] * (len(header) - right) + ["--:"] * right
    lines = [
        "| " + " | ".join(cell(h) for h in header) + " |",
        "| " + " | ".join(widths) + " |",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _measure_rows(rows: Sequence[tuple[Measure, int]]) -> list[list[object]]:
    return [
        [days, m.id, m.title, m.owner or "-", m.deadline.isoformat(), m.status.value]
        for m, days in rows
    ]


def overdue_markdown(report: Report) -> str:
    heading = f"### Overdue as of {report.as_of.isoformat()}: {len(report.overdue)}\n\n"
    if not report.overdue:
        return heading + "None.\n"
    header = ["Days late", "ID", "Measure", "Owner", "Deadline", "Status"]
    return heading + table(header, _measure_rows(report.overdue))


def report_markdown(report: Report, overdue_only: bool = False) -> str:
    """The report as Markdown: a heading, the headline, and its tables."""
    from measures.render.summary import by_status, due_soon_title, headline

    if overdue_only:
        return overdue_markdown(report)
    owners = [
        [
            row.owner,
            row.total,
            row.complete,
            row.verified,
            row.in_progress,
            row.overdue,
            row.extended,
            f"{row.rate:.0%}",
        ]
        for row in report.owners
    ]
    owner_header = [
        "Owner",
        "Total",
        "Complete",
        "Verified",
        "In progress",
        "Overdue",
        "Extended",
        "Done %",
    ]
    parts = [
        f"## {cell(report.plan)}\n",
        cell(headline(report)) + "\n",
        cell(by_status(report)) + "\n",
        "### By owner\n\n" + table(owner_header, owners, right=7),
        overdue_markdown(report),
        f"### {cell(due_soon_title(report))}\n\n"
        + (
            table(
                ["Days left", "ID", "Measure", "Owner", "Deadline", "Status"],
                _measure_rows(report.due_soon),
            )
            if report.due_soon
            else "None.\n"
        ),
    ]
    return "\n".join(parts)


def measures_markdown(rows: Sequence[tuple[Measure, int]], today: date) -> str:
    """`list --format markdown`: the list table, then the same caption as the terminal's."""
    header = ["ID", "Measure", "Owner", "Deadline", "Status", "Overdue"]
    body = [
        [
            m.id,
            m.title,
            m.owner or "-",
            m.deadline.isoformat(),
            m.status.value,
            f"{d} d" if d else "",
        ]
        for m, d in rows
    ]
    late = sum(1 for _, days in rows if days)
    return (
        table(header, body) + f"\n{len(rows)} measures, {late} overdue, as of {today.isoformat()}\n"
    )
