"""The report's cadence sections in words: who has not reported, what changed since a day.

Plain text, laid out by each format (terminal, Markdown, HTML) in its own way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from measures.domain.labels import display_title, format_date, owner_label
from measures.i18n import N_, _

if TYPE_CHECKING:
    from measures.domain.cadence import Since, SinceItem
    from measures.domain.reports import Report

_KINDS = (
    ("completed", N_("Newly complete")),
    ("extended", N_("Extended")),
    ("blocked", N_("Blocked")),
    ("dropped", N_("Dropped")),
    ("notes", N_("New notes")),
)


def not_reported_line(report: Report) -> str | None:
    """本期未报送进展的单位：…, or None when the plan sets no `report_every`."""
    units = report.not_reported
    if units is None:
        return None
    if not units:
        return _("Every unit with open measures has reported this period.")
    return _("Units that have not reported progress this period: {units}.").format(
        units=_(", ").join(owner_label(unit) for unit in units)
    )


def since_title(since: Since) -> str:
    return _("Since {day}").format(day=format_date(since.day))


def since_sections(since: Since) -> list[tuple[str, list[str]]]:
    """Each kind of change that has measures: its heading and one line a measure."""
    sections = []
    for kind, heading in _KINDS:
        items: tuple[SinceItem, ...] = getattr(since, kind)
        if items:
            sections.append((_(heading), [item_line(item) for item in items]))
    return sections


def item_line(item: SinceItem) -> str:
    """`3 企业名称自主申报 (区市场监督管理局), 2026-11-05: 系统已上线`."""
    measure = item.measure
    line = _("{id} {title} ({owner}), {day}").format(
        id=measure.id,
        title=display_title(measure),
        owner=owner_label(measure.owner),
        day=format_date(item.day),
    )
    if item.note:
        line = _("{line}: {note}").format(line=line, note=item.note)
    return line


def cadence_text(report: Report) -> list[str]:
    """The sections as plain lines: the unreported units, then what changed since."""
    lines = []
    unreported = not_reported_line(report)
    if unreported is not None:
        lines.append(unreported)
    if report.since is not None:
        lines.append(since_title(report.since))
        sections = since_sections(report.since)
        if not sections:
            lines.append(_("Nothing changed."))
        for heading, items in sections:
            lines.append(_("{heading}:").format(heading=heading))
            lines += [f"  {item}" for item in items]
    return lines
