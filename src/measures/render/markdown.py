"""Markdown tables that paste cleanly into a message, a wiki or an issue."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from measures.domain.labels import (
    days_label,
    deadline_label,
    display_title,
    format_date,
    owner_label,
    owner_text,
    status_label,
)
from measures.domain.reports import OwnerRow, Report
from measures.i18n import _
from measures.inert import inert
from measures.model.records import Measure

if TYPE_CHECKING:
    from measures.domain.lights import Light

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
        [
            days,
            m.id,
            display_title(m),
            owner_text(m) or "-",
            deadline_label(m),
            status_label(m.status),
        ]
        for m, days in rows
    ]


def _measure_header(days_heading: str) -> list[str]:
    return [days_heading, _("ID"), _("Measure"), _("Owner"), _("Deadline"), _("Status")]


def overdue_markdown(report: Report) -> str:
    title = _("Overdue as of {day}: {count}").format(
        day=format_date(report.as_of), count=len(report.overdue)
    )
    heading = f"### {cell(title)}\n\n"
    if not report.overdue:
        return heading + _("None.") + "\n"
    return heading + _dated_table(_("Days late"), report.overdue, report.overdue_plans)


def _dated_table(days: str, measures: list[tuple[Measure, int]], plans: Sequence[str]) -> str:
    """Measures with their days late or left (`days`: the heading); `plans`: beside each,
    after the days, its plan's key (a workspace of several plans)."""
    header, rows = _measure_header(days), _measure_rows(measures)
    if plans:
        header.insert(1, _("Plan"))
        for row, key in zip(rows, plans, strict=True):
            row.insert(1, key)
    return table(header, rows)


def report_markdown(report: Report, overdue_only: bool = False) -> str:
    """The report as Markdown: a heading, the headline, and its tables."""
    from measures.domain.lights import light_headings
    from measures.render.summary import by_status, due_soon_title, headline, report_provenance

    if overdue_only:
        return overdue_markdown(report)
    owners = [_counts(owner_label(row.owner, row.owner_basis), row) for row in report.owners]
    owner_header = [
        _("Owner"),
        _("Total"),
        _("Complete"),
        _("Verified"),
        _("In progress"),
        _("Overdue"),
        _("Extended"),
        _("Done %"),
        *light_headings(),
    ]
    parts = [
        f"## {cell(report.plan)}\n",
        *(cell(line) + "\n" for line in report_provenance(report)),
        cell(headline(report)) + "\n",
        cell(by_status(report)) + "\n",
        f"### {cell(_('By owner'))}\n\n" + table(owner_header, owners, right=10),
        *_office_markdown(report, owner_header),
        overdue_markdown(report),
        f"### {cell(due_soon_title(report))}\n\n"
        + (
            _dated_table(_("Days left"), report.due_soon, report.due_soon_plans)
            if report.due_soon
            else _("None.") + "\n"
        ),
        *_cadence_markdown(report),
    ]
    return "\n".join(parts)


def _cadence_markdown(report: Report) -> list[str]:
    """Who has not reported this period, and what changed since a day, as Markdown."""
    from measures.render.cadence import not_reported_line, since_sections, since_title

    parts = []
    unreported = not_reported_line(report)
    if unreported is not None:
        parts.append(cell(unreported) + "\n")
    if report.since is not None:
        sections = since_sections(report.since)
        lines = [f"### {cell(since_title(report.since))}\n"]
        for heading, items in sections:
            lines.append(f"**{cell(heading)}**\n\n" + "".join(f"- {cell(i)}\n" for i in items))
        if not sections:
            lines.append(_("Nothing changed.") + "\n")
        parts.append("\n".join(lines))
    return parts


def _counts(label: str, row: OwnerRow) -> list[object]:
    """A row of the table by owner, or by plan: its label, its counts and its lights."""
    return [
        label,
        row.total,
        row.complete,
        row.verified,
        row.in_progress,
        row.overdue,
        row.extended,
        f"{row.rate:.0%}",
        row.red,
        row.yellow,
        row.green,
    ]


def _office_markdown(report: Report, owner_header: list[str]) -> list[str]:
    """A workspace of several plans: the table by plan and the table by unit across them."""
    if not report.plans:
        return []
    plans = [_counts(row.owner, row) for row in report.plans]
    units = [
        [
            owner_label(row.unit),
            row.led,
            row.led_complete,
            row.led_overdue,
            row.partnered,
            row.partnered_complete,
            row.partnered_overdue,
        ]
        for row in report.units
    ]
    unit_header = [
        _("Unit"),
        _("As lead"),
        _("Complete"),
        _("Overdue"),
        _("As partner"),
        _("Complete"),
        _("Overdue"),
    ]
    return [
        f"### {cell(_('By plan'))}\n\n" + table([_("Plan"), *owner_header[1:]], plans, right=10),
        f"### {cell(_('By unit, across the plans'))}\n\n" + table(unit_header, units, right=6),
    ]


def measures_markdown(
    rows: Sequence[tuple[Measure, int]],
    today: date,
    plans: Sequence[str] | None = None,
    lights: Sequence[Light | None] | None = None,
) -> str:
    """`list --format markdown`: the list table, then the same caption as the terminal's;
    in a workspace of several plans, a Plan column first."""
    from measures.domain.lights import light_label

    header = [_("ID"), _("Measure"), _("Owner"), _("Deadline"), _("Status"), _("Overdue")]
    header.append(_("Light"))  # last: the columns of before keep their places
    colours = lights if lights is not None else [None] * len(rows)
    body: list[list[object]] = [
        [
            m.id,
            display_title(m),
            owner_text(m) or "-",
            deadline_label(m),
            status_label(m.status),
            days_label(d) if d else "",
            light_label(c),
        ]
        for (m, d), c in zip(rows, colours, strict=True)
    ]
    if plans is not None:
        header = [_("Plan"), *header]
        body = [[key, *row] for key, row in zip(plans, body, strict=True)]
    late = sum(1 for _measure, days in rows if days)
    caption = _("{count} measures, {late} overdue, as of {day}").format(
        count=len(rows), late=late, day=format_date(today)
    )
    return table(header, body) + f"\n{caption}\n"
