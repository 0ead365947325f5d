"""The report as one self-contained HTML page: inline CSS and SVG, no script, no URL.

Every value from the ledger passes through `esc` (control characters made
visible, then HTML-escaped) before it reaches the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta

from measures import __version__
from measures.domain.labels import (
    deadline_label,
    display_title,
    format_date,
    overdue_label,
    owner_label,
    owner_text,
    status_label,
)
from measures.domain.reports import BurnupPoint, BurnupSpan, OwnerRow, Report, burnup_span
from measures.i18n import _, language, ngettext
from measures.inert import inert
from measures.model.records import Measure, Status
from measures.render.linebreak import cells, runs
from measures.render.summary import (
    by_status,
    days,
    due_soon_title,
    headline,
    report_provenance,
)

COLOURS = {
    "verified": "#1b7837",
    "done": "#7fbf7b",
    "open": "#d9d9d9",
    "overdue": "#d73027",
    "due": "#555555",
}

_STYLE = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
  system-ui, sans-serif; color: #222; margin: 2rem auto; max-width: 1000px; padding: 0 1rem;
  line-height: 1.5; overflow-wrap: break-word; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta, .note { color: #666; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; min-width: 8rem; }
.figure b { display: block; font-size: 1.6rem; }
.figure.late b { color: #d73027; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { border-bottom: 1px solid #eee; padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f6f6f6; word-break: keep-all; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr > td:nth-last-child(2):not(.n) { white-space: nowrap; }
td.unit, table.stack td:nth-child(4) { min-width: 9em; }
table.stack td:nth-child(3) { min-width: 10em; }
table.stack td:last-child { white-space: nowrap; }
#table-owners th:first-child, #table-owners td.unit { position: sticky; left: 0;
  background: #fff; }
#table-owners th:first-child { background: #f6f6f6; }
.nb { white-space: nowrap; }
td.late { color: #d73027; font-weight: bold; }
.light-red { color: #d73027; font-weight: bold; } .light-yellow { color: #b8860b; }
.light-green { color: #1b7837; }
th.lights { text-align: right; min-width: 4em; }
svg.chart { display: block; width: 100%; max-width: 560px; height: auto; font-family: inherit;
  font-size: 19px; }
svg .axis { stroke: #999; }
svg .grid { stroke: #eee; }
svg .muted { fill: #666; }
footer { color: #888; font-size: .85rem; margin-top: 2rem; }
@media (max-width: 600px) {
  body { margin: 1rem auto; padding: 0 .75rem; }
  h1 { font-size: 1.3rem; }
  .figures { gap: .5rem; }
  .figure { flex: 1 1 6rem; min-width: 6rem; padding: .3rem .75rem; }
  .figure b { font-size: 1.35rem; }
  table.stack thead { display: none; }
  table.stack tr { display: block; border-bottom: 1px solid #ddd; padding: .4rem 0; }
  table.stack td { display: block; border: 0; padding: .05rem 0; text-align: left;
    white-space: normal; min-width: 0; }
  table.stack td::before { color: #666; font-weight: normal; }
}
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  .scroll { overflow: visible; }
  thead { display: table-header-group; }
  tr, .figure { break-inside: avoid; }
  svg.chart { break-inside: avoid; max-width: 12cm; }
  th, #table-owners th:first-child, #table-owners td.unit { background: none;
    position: static; }
  th { border-bottom: 1.5px solid #999; }
}
"""


def esc(value: object) -> str:
    """A value as safe HTML text (also inside attribute values)."""
    return html.escape(inert(str(value)), quote=True)


def kept(value: object) -> str:
    """A value as safe HTML text in which a browser never splits a date or a number with its unit.

    A browser may break Chinese between a number and the character after it
    (`30日`, `87项`), so each such run in a longer text is marked `nb`
    (no break); one that is the whole text is left to its cell (a deadline's
    column does not wrap). Numbers and dates without Chinese a browser keeps
    whole by itself.
    """
    text = inert(str(value))
    parts, done = [], 0
    for start, end in runs(text):
        run = text[start:end]
        if end - start == len(text) or not any(cells(char) == 2 for char in run):
            continue
        parts += [html.escape(text[done:start]), f'<span class="nb">{html.escape(run)}</span>']
        done = end
    return "".join(parts) + html.escape(text[done:])


def _cadence_html(report: Report) -> list[str]:
    """Who has not reported this period, and what changed since a day."""
    from measures.render.cadence import not_reported_line, since_sections, since_title

    parts = []
    unreported = not_reported_line(report)
    if unreported is not None:
        parts.append(f'<p class="not-reported">{kept(unreported)}</p>')
    if report.since is not None:
        parts.append(f"<h2>{esc(since_title(report.since))}</h2>")
        sections = since_sections(report.since)
        for heading, items in sections:
            listed = "".join(f"<li>{kept(item)}</li>" for item in items)
            parts.append(f"<h3>{esc(heading)}</h3>\n<ul>{listed}</ul>")
        if not sections:
            parts.append(f"<p>{esc(_('Nothing changed.'))}</p>")
    return parts


def report_html(report: Report, overdue_only: bool = False) -> str:
    """The whole page."""
    title = f"{report.plan} — {format_date(report.as_of)}"
    if overdue_only:
        body = [
            _header(report),
            _measures_section(
                _("Overdue as of {day}: {count}").format(
                    day=format_date(report.as_of), count=len(report.overdue)
                ),
                report.overdue,
                late=True,
            ),
        ]
    else:
        body = [
            _header(report),
            _figures(report),
            f"<p>{kept(by_status(report))}</p>",
            f"<h2>{esc(_('Completion by owner'))}</h2>",
            owners_chart(report.counted_owners),
            _uncounted(report.uncounted_owners),
            f"<h2>{esc(_('Completion over time'))}</h2>",
            burnup_chart(report.burnup, report.as_of, report.issued),
            f"<h2>{esc(_('By owner'))}</h2>",
            _owners_table(report.counted_owners),
            *_office_tables(report),
            _measures_section(
                _("Overdue: {count}").format(count=len(report.overdue)),
                report.overdue,
                late=True,
                plans=report.overdue_plans,
            ),
            _measures_section(
                due_soon_title(report), report.due_soon, late=False, plans=report.due_soon_plans
            ),
            *_cadence_html(report),
        ]
    footer = _("Made with measures {version}.").format(version=__version__)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if language() == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_STYLE}{_stacked_labels()}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f"\n<footer>{esc(footer)}</footer>\n</body>\n</html>\n"
    )


def _header(report: Report) -> str:
    if report.issued:
        meta = _("Completion report as of {day} · plan issued {issued}").format(
            day=format_date(report.as_of), issued=format_date(report.issued)
        )
    else:
        meta = _("Completion report as of {day}").format(day=format_date(report.as_of))
    return (
        f"<header>\n<h1>{kept(report.plan)}</h1>\n"
        f'<p class="meta">{kept(meta)}</p>'
        + "".join(f'\n<p class="meta">{kept(line)}</p>' for line in report_provenance(report))
        + f"\n<p>{kept(headline(report))}</p>\n</header>"
    )


def _figures(report: Report) -> str:
    detail = _("{done} done · {verified} verified").format(
        done=report.done, verified=report.verified
    )
    figures = [
        (_("Completion"), f"{report.rate:.0%}", "", False),
        (_("Complete"), f"{report.complete}", detail, False),
        (_("In progress"), f"{report.in_progress}", "", False),
        (_("Overdue"), f"{len(report.overdue)}", "", bool(report.overdue)),
        (
            _("Due within {days}").format(days=days(report.due_within)),
            f"{len(report.due_soon)}",
            "",
            False,
        ),
    ]
    cells = []
    for label, number, detail_text, late in figures:
        css = " late" if late else ""
        extra = f"<br><small>{esc(detail_text)}</small>" if detail_text else ""
        cells.append(f'<div class="figure{css}">{esc(label)}<b>{esc(number)}</b>{extra}</div>')
    return '<section class="figures">' + "".join(cells) + "</section>"


def _office_tables(report: Report) -> list[str]:
    """A workspace of several plans: the table by plan and the table by unit across them."""
    if not report.plans:
        return []
    head = [_("As lead"), _("Complete"), _("Overdue"), _("As partner"), _("Complete"), _("Overdue")]
    lines = [
        '<div class="scroll"><table id="table-units">',
        f"<thead><tr><th>{esc(_('Unit'))}</th>"
        + "".join(f'<th class="n">{esc(h)}</th>' for h in head)
        + "</tr></thead>",
        "<tbody>",
    ]
    for row in report.units:
        numbers = [
            row.led,
            row.led_complete,
            row.led_overdue,
            row.partnered,
            row.partnered_complete,
            row.partnered_overdue,
        ]
        lines.append(
            f'<tr><td class="unit">{kept(owner_label(row.unit))}</td>'
            + "".join(f'<td class="n">{esc(n)}</td>' for n in numbers)
            + "</tr>"
        )
    lines.append("</tbody></table></div>")
    return [
        f"<h2>{esc(_('By plan'))}</h2>",
        _owners_table(report.plans, _("Plan"), "table-plans"),
        f"<h2>{esc(_('By unit, across the plans'))}</h2>",
        "\n".join(lines),
    ]


def _owners_table(
    rows: Sequence[OwnerRow], first: str | None = None, table_id: str = "table-owners"
) -> str:
    """The table by owner; on a narrow screen it scrolls in its own box, the unit kept in view."""
    head = [
        _("Total"),
        _("Complete"),
        _("Done"),
        _("Verified"),
        _("In progress"),
        _("Overdue"),
        _("Extended"),
        _("Done %"),
    ]
    # One column, not three, its heading free to wrap: the table keeps to A4's width.
    lights = _("Red / yellow / green")
    lines = [
        f'<div class="scroll"><table id="{table_id}">',
        f"<thead><tr><th>{esc(first or _('Owner'))}</th>"
        + "".join(f'<th class="n">{esc(h)}</th>' for h in head)
        + f'<th class="lights">{esc(lights)}</th>'
        + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        numbers = [
            row.total,
            row.complete,
            row.done,
            row.verified,
            row.in_progress,
            row.overdue,
            row.extended,
            f"{row.rate:.0%}",
        ]
        cell = f'<td class="n">{_light_spans(row)}</td>'
        lines.append(
            f'<tr><td class="unit">{kept(owner_label(row.owner, row.owner_basis))}</td>'
            + "".join(f'<td class="n">{esc(n)}</td>' for n in numbers)
            + cell
            + "</tr>"
        )
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def _light_spans(row: OwnerRow) -> str:
    """`3/1/0`: the red, yellow and green counts, each in its colour where not 0."""
    counts = (("red", row.red), ("yellow", row.yellow), ("green", row.green))
    return "/".join(
        f'<span class="light-{name}">{count}</span>' if count else "0" for name, count in counts
    )


def _uncounted(rows: Sequence[OwnerRow]) -> str:
    """The owners with nothing to count (every measure dropped), named apart from the ranking."""
    if not rows:
        return ""
    names = _(", ").join(owner_label(row.owner, row.owner_basis) for row in rows)
    words = _("Units with nothing to count (every measure dropped): {units}.").format(units=names)
    return f'<p class="note uncounted">{kept(words)}</p>'


def _measures_section(
    title: str, rows: Sequence[tuple[Measure, int]], late: bool, plans: Sequence[str] = ()
) -> str:
    """Measures with their days late (`late`) or days left; on a narrow screen each row is
    stacked, its cells labelled by the page's style (`_stacked_labels`). `plans`: beside
    each, its plan's key, shown in the id as `KEY:ID`."""
    if not rows:
        return f"<h2>{kept(title)}</h2>\n<p>{esc(_('None.'))}</p>"
    days_heading = _("Days late") if late else _("Days left")
    headings = (
        f'<thead><tr><th class="n">{esc(days_heading)}</th><th class="n">{esc(_("ID"))}</th>'
        + "".join(f"<th>{esc(h)}</th>" for h in (_("Measure"), _("Owner"), _("Deadline")))
        + f"<th>{esc(_('Status'))}</th></tr></thead>"
    )
    kind = "late" if late else "soon"
    lines = [f"<h2>{kept(title)}</h2>", f'<div class="scroll"><table class="stack {kind}">']
    lines += [headings, "<tbody>"]
    css = " late" if late else ""
    keys = list(plans) or [""] * len(rows)
    for (measure, count), key in zip(rows, keys, strict=False):
        ident = f"{key}:{measure.id}" if key else measure.id
        lines.append(
            f'<tr><td class="n{css}">{esc(count)}</td><td class="n">{esc(ident)}</td>'
            f"<td>{kept(display_title(measure))}</td><td>{kept(owner_text(measure) or '-')}</td>"
            f"<td>{esc(deadline_label(measure))}</td>"
            f"<td>{esc(status_label(measure.status))}</td></tr>"
        )
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def _css_string(text: str) -> str:
    """`text` as a CSS string, safe inside a <style> element."""
    return '"' + "".join(c if c.isalnum() or c in " %" else f"\\{ord(c):x} " for c in text) + '"'


def _stacked_labels() -> str:
    """The headings a stacked row (a narrow screen) gives each cell, in the page's language."""
    common = [_("ID"), _("Measure"), _("Owner"), _("Deadline"), _("Status")]
    rules = []
    for kind, days_heading in (("late", _("Days late")), ("soon", _("Days left"))):
        for column, label in enumerate([days_heading, *common], start=1):
            rules.append(
                f"  table.stack.{kind} td:nth-child({column})::before "
                f'{{ content: {_css_string(label)} "\\00a0"; }}'
            )
    return "@media (max-width: 600px) {\n" + "\n".join(rules) + "\n}\n"


# --- charts -------------------------------------------------------------------------
#
# Both charts are drawn CHART_WIDTH units wide and scale to the page (at most
# 560 px, on paper 12 cm). At a phone's 390 px they shrink to about 0.65, so the
# text is drawn at FONT units: 12 px or more there. Where text goes is worked
# out from an estimate of its width, so that no two labels meet.

CHART_WIDTH = 560
FONT = 19
# A terminal cell in the charts' font, a little wide: a Chinese character is two.
CELL = 0.56 * FONT
# From one baseline to the next: the box a browser gives a CJK font's text is 1.45 em tall.
LINE = round(1.5 * FONT)


def text_width(text: str) -> float:
    """About how wide `text` is drawn in the charts (rather more than less)."""
    return cells(text) * CELL


def _shortened(text: str, width: float) -> str:
    """`text`, cut with `…` to fit `width`."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _legend(
    x: float, y: float, items: Sequence[tuple[str, str, str]], right: float = CHART_WIDTH
) -> tuple[list[str], float]:
    """Legend swatches in rows that wrap before `right`: (css class, colour, words); "due" is
    drawn as a dashed line. Also the baseline of the last row."""
    parts, left = [], x
    for css, colour, words in items:
        width = 20 + text_width(words)
        if x > left and x + width > right:
            x, y = left, y + LINE
        if css == "due":
            parts.append(
                f'<line x1="{x:.0f}" y1="{y - 5:.0f}" x2="{x + 15:.0f}" y2="{y - 5:.0f}" '
                f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="4 3"/>'
            )
        else:
            parts.append(
                f'<rect x="{x:.0f}" y="{y - 12:.0f}" width="15" height="13" fill="{colour}"/>'
            )
        parts.append(f'<text x="{x + 20:.0f}" y="{y:.0f}">{esc(words)}</text>')
        x += width + 14
    return parts, y


def _svg_open(name: str, height: float, title: str) -> list[str]:
    return [
        f'<svg id="chart-{name}" class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{CHART_WIDTH}" height="{height:.0f}" viewBox="0 0 {CHART_WIDTH} {height:.0f}" '
        f'aria-labelledby="chart-{name}-title">',
        f'<title id="chart-{name}-title">{esc(title)}</title>',
    ]


def owners_chart(rows: Sequence[OwnerRow]) -> str:
    """One 100% bar per owner under the owner's name: verified, done, open on time, overdue."""
    legend, legend_y = _legend(
        0,
        FONT,
        [
            ("verified", COLOURS["verified"], status_label(Status.VERIFIED)),
            ("done", COLOURS["done"], status_label(Status.DONE)),
            ("open", COLOURS["open"], _("in progress")),
            ("overdue", COLOURS["overdue"], overdue_label()),
        ],
    )
    top, row_height, bar_height = legend_y + 14, 2 * FONT + 20, 18
    height = top + row_height * max(len(rows), 1) + 4
    parts = [*_svg_open("owners", height, _("Completion by owner")), *legend]
    if not rows:
        parts.append(
            f'<text x="0" y="{top + FONT + 4}" class="muted">{esc(_("No measures."))}</text>'
        )
    for index, row in enumerate(rows):
        y = top + index * row_height
        counted = row.complete + row.in_progress
        segments = [
            ("verified", row.verified),
            ("done", row.done),
            ("open", row.in_progress - row.overdue),
            ("overdue", row.overdue),
        ]
        owner = owner_label(row.owner, row.owner_basis)
        figure = f"{row.complete}/{counted} · {row.rate:.0%}"
        parts.append(f'<g class="owner-bar" data-owner="{esc(row.owner)}">')
        tip = _("{owner}: {complete} of {counted} complete").format(
            owner=owner, complete=row.complete, counted=counted
        )
        parts.append(f"<title>{esc(tip)}</title>")
        label = esc(_shortened(owner, CHART_WIDTH - text_width(figure) - 16))
        parts.append(f'<text class="owner" x="0" y="{y + FONT + 2}">{label}</text>')
        parts.append(
            f'<text class="figure" x="{CHART_WIDTH}" y="{y + FONT + 2}" text-anchor="end">'
            f"{esc(figure)}</text>"
        )
        bar_y = y + FONT + 9
        parts.append(
            f'<rect class="track" x="0" y="{bar_y}" width="{CHART_WIDTH}" '
            f'height="{bar_height}" fill="#f3f3f3"/>'
        )
        x = 0.0
        for css, count in segments:
            if not count or not counted:
                continue
            width = CHART_WIDTH * count / counted
            parts.append(
                f'<rect class="seg {css}" x="{x:.1f}" y="{bar_y}" width="{width:.1f}" '
                f'height="{bar_height}" fill="{COLOURS[css]}"/>'
            )
            x += width
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _ticks(top: int) -> list[int]:
    """Round steps from 0 up to at least `top`, at most six of them."""
    step = next(s for s in _steps() if top <= 5 * s)
    return list(range(0, -(-top // step) * step + 1, step))


def _steps() -> Iterator[int]:
    scale = 1
    while True:
        yield from (scale, 2 * scale, 5 * scale)
        scale *= 10


class _TimeAxis:
    """Days to x positions over the plan's span (`burnup_span`). When the last event lies far
    before `as_of`, the quiet stretch between them (where no count changes) is cut out of
    the axis and marked as a break.
    """

    BREAK_WIDTH = 64

    def __init__(
        self, span: BurnupSpan, as_of: date, days: Sequence[date], left: float, width: float
    ) -> None:
        events = [day for day in days if day != as_of and day <= span.end]
        self.start = min([*events, span.start])
        self.last = max([*events, self.start])
        self.as_of = as_of
        self.left, self.width = left, width
        quiet = (as_of - self.last).days
        self.broken = (
            quiet > 0 and self.last > self.start and (quiet > (self.last - self.start).days / 4)
        )
        if not self.broken:
            self.last = max(self.last, span.end)
            if self.last <= self.start:
                # A day's width at least; at the calendar's last day, the day before it.
                if self.start == date.max:
                    self.start -= timedelta(days=1)
                self.last = self.start + timedelta(days=1)
        self.main_width = width - self.BREAK_WIDTH if self.broken else width
        self.end = as_of if self.broken else self.last

    def x(self, day: date) -> float:
        if self.broken and day > self.last:
            return self.left + self.width
        share = (day - self.start).days / (self.last - self.start).days
        return self.left + self.main_width * share

    def ticks(self, label_width: float) -> list[date]:
        """Evenly spaced days, as many as their labels leave room for; the axis's end too."""
        count = max(1, min(5, int(self.main_width // (label_width + 24))))
        ticks = _date_ticks(self.start, self.last, count)
        return [*ticks, self.as_of] if self.broken else ticks


def tick_boxes(
    ticks: Sequence[tuple[float, float]], left: float, right: float, gap: float = 12
) -> list[int]:
    """Which ticks keep a label: each `(x, width)` label centred on its tick, moved inside
    `left`..`right`, is dropped if it would meet the one before, except the last, which
    the one before it gives way to. The indexes kept, in order."""
    kept: list[tuple[int, float, float]] = []
    for index, (x, width) in enumerate(ticks):
        start = min(max(x - width / 2, left), right - width)
        box = (index, start, start + width)
        if kept and start < kept[-1][2] + gap:
            if index < len(ticks) - 1 or len(kept) == 1:
                continue
            kept.pop()
        kept.append(box)
    return [index for index, _, _ in kept]


def burnup_chart(points: Sequence[BurnupPoint], as_of: date, issued: date | None) -> str:
    """Step lines over time: measures due by each day, complete, and verified (up to as_of);
    a note below it names the deadlines beyond the axis."""
    span = burnup_span(points, as_of, issued)
    shown = [p for p in points if p.day <= span.end]
    past = [p for p in shown if p.day <= as_of]
    highest = max([1, *(max(p.due, p.complete) for p in shown)])
    y_ticks = _ticks(highest)
    y_max = y_ticks[-1]
    series: list[tuple[str, Sequence[BurnupPoint], Callable[[BurnupPoint], int], str, str]] = [
        ("due", shown, lambda p: p.due, ' stroke-dasharray="6 4"', _("{count} due")),
        ("done", past, lambda p: p.complete, "", _("{count} complete")),
        ("verified", past, lambda p: p.verified, "", _("{count} verified")),
    ]
    ends = [
        (css, words.format(count=value(chosen[-1])))
        for css, chosen, value, _d, words in series
        if chosen
    ]
    legend, legend_y = _legend(
        0,
        FONT,
        [
            ("due", COLOURS["due"], _("due by then (deadlines)")),
            ("done", COLOURS["done"], _("complete")),
            ("verified", COLOURS["verified"], status_label(Status.VERIFIED)),
        ],
    )
    # The as-of label sits above the plot, where no tick label is.
    as_of_words = _("as of {day}").format(day=format_date(as_of))
    as_of_y = legend_y + LINE + 2
    top = as_of_y + LINE
    left = 8 + text_width(str(y_max))
    right = 10 + max(text_width(words) for _css, words in ends) if ends else 10
    plot_h = 230
    height = top + plot_h + LINE + 14
    plot_w = CHART_WIDTH - left - right
    axis = _TimeAxis(span, as_of, [p.day for p in points], left, plot_w)
    x_of = axis.x

    def y_of(count: int) -> float:
        return top + plot_h * (1 - count / y_max)

    parts = [
        *_svg_open(
            "burnup",
            height,
            _("Completion over time: measures complete by each date against the deadlines"),
        ),
        *legend,
    ]
    for count in y_ticks:
        y = y_of(count)
        parts.append(
            f'<line class="grid" x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" '
            f'y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="muted" x="{left - 6:.1f}" y="{y + 5:.1f}" text-anchor="end">'
            f"{count}</text>"
        )
    ticks = axis.ticks(text_width(format_date(as_of)))
    words = [format_date(tick) for tick in ticks]
    boxes = [(x_of(tick), text_width(word)) for tick, word in zip(ticks, words, strict=True)]
    base = top + plot_h
    for index in tick_boxes(boxes, 0, CHART_WIDTH):
        x, width = boxes[index]
        start = min(max(x - width / 2, 0), CHART_WIDTH - width)
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 5}"/>')
        parts.append(
            f'<text class="muted tick" x="{start:.1f}" y="{base + LINE + 6}">'
            f"{esc(words[index])}</text>"
        )
    parts.append(
        f'<line class="axis" x1="{left:.1f}" y1="{base}" x2="{left + plot_w:.1f}" y2="{base}"/>'
    )
    parts.append(f'<line class="axis" x1="{left:.1f}" y1="{top}" x2="{left:.1f}" y2="{base}"/>')
    labels: list[tuple[float, float, str, str]] = []
    for (css, chosen, value, dash, _words), (_css, end_words) in zip(
        [s for s in series if s[1]], ends, strict=True
    ):
        path = f"M{x_of(axis.start):.1f},{y_of(0):.1f}"
        for point in chosen:
            path += f" H{x_of(point.day):.1f} V{y_of(value(point)):.1f}"
        last = chosen[-1]
        parts.append(
            f'<path class="line {css}" d="{path}" fill="none" stroke="{COLOURS[css]}" '
            f'stroke-width="2.5"{dash}/>'
        )
        labels.append((y_of(value(last)) + 5, x_of(last.day) + 6, css, end_words))
    if axis.broken:
        gap = left + axis.main_width + axis.BREAK_WIDTH / 2 - 8
        parts.append(
            f'<rect class="axis-break" x="{gap:.1f}" y="{top - 2}" width="16" '
            f'height="{plot_h + 8}" fill="#fff"/>'
        )
        for offset in (0, 16):
            parts.append(
                f'<line class="axis" x1="{gap + offset - 4:.1f}" y1="{base + 6}" '
                f'x2="{gap + offset + 4:.1f}" y2="{base - 6}"/>'
            )
    x = x_of(as_of)
    parts.append(
        f'<line class="as-of" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{base}" '
        'stroke="#999" stroke-dasharray="2 3"/>'
    )
    width = text_width(as_of_words)
    start = min(max(x - width / 2, 0), CHART_WIDTH - width)
    parts.append(
        f'<text class="muted as-of" x="{start:.1f}" y="{as_of_y}">{esc(as_of_words)}</text>'
    )
    # End labels, nudged apart where lines end at the same height, kept above the axis.
    labels.sort()
    for index in range(1, len(labels)):
        y, x, css, words_ = labels[index]
        labels[index] = (max(y, labels[index - 1][0] + LINE), x, css, words_)
    lowest = base - 6.0
    for index in reversed(range(len(labels))):
        y, x, css, words_ = labels[index]
        lowest = min(y, lowest)
        labels[index] = (lowest, x, css, words_)
        lowest -= LINE
    for y, x, css, words_ in labels:
        parts.append(
            f'<text class="end" x="{x:.1f}" y="{y:.1f}" fill="{COLOURS[css]}">{esc(words_)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + _beyond_note(span)


def _beyond_note(span: BurnupSpan) -> str:
    """The deadlines the axis leaves out, named below the chart."""
    if not span.beyond:
        return ""
    count = span.beyond_count
    first, last = span.beyond[0][0], span.beyond[-1][0]
    if first == last:
        words = ngettext(
            "{count} more measure is due on {day}.",
            "{count} more measures are due on {day}.",
            count,
        ).format(count=count, day=format_date(first))
    else:
        words = ngettext(
            "{count} more measure is due between {first} and {last}.",
            "{count} more measures are due between {first} and {last}.",
            count,
        ).format(count=count, first=format_date(first), last=format_date(last))
    return f'\n<p class="note beyond">{kept(words)}</p>'


def _date_ticks(start: date, end: date, count: int = 5) -> list[date]:
    """`count` + 1 evenly spaced days from `start` to `end`, both included (fewer if few days)."""
    span = (end - start).days
    count = max(1, min(count, span))
    ticks = [start + timedelta(days=round(span * i / count)) for i in range(count + 1)]
    if span > 90:
        # Over months, the ticks between the ends fall on the first of the nearest month.
        inner = [_nearest_first(day) for day in ticks[1:-1]]
        ticks = [start, *sorted({d for d in inner if start < d < end}), end]
    return ticks


def _nearest_first(day: date) -> date:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first if (day - first) <= (following - day) else following
