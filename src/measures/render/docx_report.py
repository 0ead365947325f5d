"""The completion bulletin (完成情况通报) as a Word document on A4, ready to edit and send."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from measures.domain.labels import (
    deadline_label,
    display_title,
    format_date,
    owner_label,
    owner_text,
)
from measures.domain.lights import Light, light_label
from measures.i18n import _, language

if TYPE_CHECKING:
    from docx.document import Document

    from measures.domain.bulletin import Bulletin
    from measures.domain.reports import Report


def headline(report: Report) -> str:
    """共N项，已完成X项，完成率Y%，逾期Z项: the numbers of `report --format json`."""
    return _(
        "{total} measures in all: {complete} complete, a completion rate of {rate}, "
        "{overdue} overdue."
    ).format(
        total=report.total,
        complete=report.complete,
        rate=rate_text(report.rate),
        overdue=len(report.overdue),
    )


def rate_text(rate: float) -> str:
    """A rate as a percentage with one decimal where it has one: 33.3%, 100%."""
    percent = round(rate * 100, 1)
    return f"{percent:g}%"


def lights_sentence(report: Report) -> str:
    counts = report.lights
    return _("Lights: {red} red, {yellow} yellow, {green} green.").format(
        red=counts[Light.RED], yellow=counts[Light.YELLOW], green=counts[Light.GREEN]
    )


def plan_names(bulletin: Bulletin) -> str:
    """The plan's name, or the names of the plans it covers: “A”, “B” (《A》《B》)."""
    if len(bulletin.plans) <= 1:
        return bulletin.report.plan if not bulletin.plans else bulletin.plans[0]
    # Between two names inside the title's quotation marks: they close and open again.
    return _("”, “").join(bulletin.plans)


def _numbered(index: int, words: str) -> str:
    if language() == "zh":
        return f"{'一二三四五六七八九十'[index]}、{words}"
    return f"{index + 1}. {words}"


def report_docx(bulletin: Bulletin, office: str = "") -> bytes:
    from measures.render import docx as word

    report = bulletin.report
    document = word.new_document()
    title = _("Bulletin on the progress of “{plan}”").format(plan=plan_names(bulletin))
    word.title(document, title)
    issuer = office or _("The supervision office")
    word.body(
        document,
        _("{office}, {day}").format(office=issuer, day=format_date(report.as_of)),
        indent=False,
        align="CENTER",
    )
    dropped = report.total - report.complete - report.in_progress
    sentence = headline(report)
    if dropped:
        sentence += _(" {count} dropped, not counted in the rate.").format(count=dropped)
    space = "" if language() == "zh" else " "
    word.body(document, sentence + space + lights_sentence(report))
    sections = 0

    def section(words: str) -> None:
        nonlocal sections
        word.heading(document, _numbered(sections, words))
        sections += 1

    section(_("Units ranked by completion rate"))
    rows = [
        [
            str(place),
            owner_label(row.owner, row.owner_basis),
            str(row.total - _dropped(row)),
            str(row.complete),
            rate_text(row.rate),
            str(row.overdue),
            str(row.red),
            str(row.yellow),
            str(row.green),
        ]
        for place, row in enumerate(bulletin.ranked, start=1)
    ]
    headings = [
        _("Rank"),
        _("Unit"),
        _("Counted"),
        _("Complete"),
        _("Rate"),
        _("Overdue"),
        *(light_label(shown) for shown in Light),
    ]
    grid = word.table(document, headings, rows, [14, 44, 14, 14, 16, 14, 13, 13, 14])
    for index, row in enumerate(bulletin.ranked, start=1):
        for column, (shown, count) in enumerate(
            ((Light.RED, row.red), (Light.YELLOW, row.yellow), (Light.GREEN, row.green)), start=6
        ):
            if count:
                word.shade(grid.rows[index].cells[column], word.LIGHT_FILL[shown.value])
    uncounted = report.uncounted_owners
    if uncounted:
        names = _(", ").join(owner_label(row.owner, row.owner_basis) for row in uncounted)
        word.body(
            document,
            _("Units with nothing to count (every measure dropped): {units}.").format(units=names),
            size=word.TABLE_PT,
        )

    section(_("Overdue measures"))
    if report.overdue:
        word.body(
            document,
            _("{count} measures are past their deadline and not complete:").format(
                count=len(report.overdue)
            ),
        )
        word.table(
            document,
            [_("ID"), _("Measure"), _("Lead unit"), _("Deadline"), _("Days late")],
            [
                [
                    bulletin.ident(m),
                    display_title(m),
                    owner_text(m) or "-",
                    deadline_label(m),
                    str(days),
                ]
                for m, days in report.overdue
            ],
            [14, 60, 36, 28, 18],
        )
    else:
        word.body(document, _("None."))

    section(_("Blocked and extended measures"))
    if bulletin.blocked or bulletin.extended:
        lines = [
            [
                bulletin.ident(item.measure),
                display_title(item.measure),
                owner_text(item.measure) or "-",
                _("blocked"),
                item.reason,
            ]
            for item in bulletin.blocked
        ] + [
            [
                bulletin.ident(item.measure),
                display_title(item.measure),
                owner_text(item.measure) or "-",
                _("extended to {day}").format(day=deadline_label(item.measure)),
                item.reason,
            ]
            for item in bulletin.extended
        ]
        word.table(
            document,
            [_("ID"), _("Measure"), _("Lead unit"), _("What"), _("Reason")],
            lines,
            [14, 48, 32, 26, 36],
        )
    else:
        word.body(document, _("None."))

    if bulletin.since is not None:
        section(_("Completed since {day}").format(day=format_date(bulletin.since)))
    else:
        section(_("Completed measures"))
    if bulletin.completed:
        word.table(
            document,
            [_("ID"), _("Measure"), _("Lead unit"), _("Completed on")],
            [
                [bulletin.ident(m), display_title(m), owner_text(m) or "-", format_date(day)]
                for m, day in bulletin.completed
            ],
            [14, 76, 36, 30],
        )
    else:
        word.body(document, _("None."))

    section(_("Charts"))
    _charts(document, bulletin)
    return word.to_bytes(document)


def _dropped(row: object) -> int:
    from measures.domain.reports import OwnerRow

    assert isinstance(row, OwnerRow)
    return row.total - row.complete - row.in_progress


def _charts(document: Document, bulletin: Bulletin) -> None:
    from docx.shared import Mm

    from measures.render import charts
    from measures.render import docx as word
    from measures.render.html import burnup_chart, owners_chart

    report = bulletin.report
    if not charts.available():
        word.body(
            document,
            _("The charts need the optional package resvg-py: pip install 'measures[charts]'."),
            size=word.TABLE_PT,
        )
        return
    for caption, svg in (
        (_("Completion by owner"), owners_chart(bulletin.ranked)),
        (
            _("Burn-up: complete against due"),
            burnup_chart(report.burnup, report.as_of, report.issued),
        ),
    ):
        image, notes = charts.svg_and_notes(svg)
        document.add_picture(io.BytesIO(charts.svg_png(image)), width=Mm(150))
        word.body(document, caption, indent=False, align="CENTER", size=word.SMALL_PT)
        for note in notes:
            word.body(document, note, indent=False, align="CENTER", size=word.SMALL_PT)
