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
    status_label,
)
from measures.domain.reports import BurnupPoint, OwnerRow, Report
from measures.i18n import _, language
from measures.inert import inert
from measures.model.records import Measure, Status
from measures.render.linebreak import cells, runs
from measures.render.summary import by_status, days, due_soon_title, headline

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
  line-height: 1.5; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #666; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; min-width: 8rem; }
.figure b { display: block; font-size: 1.6rem; }
.figure.late b { color: #d73027; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { border-bottom: 1px solid #eee; padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f6f6f6; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr > td:nth-last-child(2):not(.n) { white-space: nowrap; }
.nb { white-space: nowrap; }
td.late { color: #d73027; font-weight: bold; }
svg { font-family: inherit; font-size: 13px; max-width: 100%; height: auto; }
svg .axis { stroke: #999; }
svg .grid { stroke: #eee; }
svg .muted { fill: #666; }
footer { color: #888; font-size: .85rem; margin-top: 2rem; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
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
            owners_chart(report.owners),
            f"<h2>{esc(_('Completion over time'))}</h2>",
            burnup_chart(report.burnup, report.as_of, report.issued),
            f"<h2>{esc(_('By owner'))}</h2>",
            _owners_table(report.owners),
            _measures_section(
                _("Overdue: {count}").format(count=len(report.overdue)), report.overdue, late=True
            ),
            _measures_section(due_soon_title(report), report.due_soon, late=False),
        ]
    footer = _("Made with measures {version}.").format(version=__version__)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if language() == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
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
        f"\n<p>{kept(headline(report))}</p>\n</header>"
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


def _owners_table(rows: Sequence[OwnerRow]) -> str:
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
    lines = [
        "<table>",
        f"<tr><th>{esc(_('Owner'))}</th>" + "".join(f'<th class="n">{esc(h)}</th>' for h in head),
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
        lines.append(
            f"<tr><td>{kept(owner_label(row.owner))}</td>"
            + "".join(f'<td class="n">{esc(n)}</td>' for n in numbers)
            + "</tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def _measures_section(title: str, rows: Sequence[tuple[Measure, int]], late: bool) -> str:
    """Measures with their days late (`late`) or days left."""
    if not rows:
        return f"<h2>{kept(title)}</h2>\n<p>{esc(_('None.'))}</p>"
    days_heading = _("Days late") if late else _("Days left")
    headings = (
        f'<tr><th class="n">{esc(days_heading)}</th><th class="n">{esc(_("ID"))}</th>'
        + "".join(f"<th>{esc(h)}</th>" for h in (_("Measure"), _("Owner"), _("Deadline")))
        + f"<th>{esc(_('Status'))}</th></tr>"
    )
    lines = [f"<h2>{kept(title)}</h2>", "<table>", headings]
    css = " late" if late else ""
    for measure, count in rows:
        lines.append(
            f'<tr><td class="n{css}">{esc(count)}</td><td class="n">{esc(measure.id)}</td>'
            f"<td>{kept(display_title(measure))}</td><td>{kept(measure.owner or '-')}</td>"
            f"<td>{esc(deadline_label(measure))}</td>"
            f"<td>{esc(status_label(measure.status))}</td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


# --- charts -------------------------------------------------------------------------

OWNER_LABEL_CHARS = 14
CHART_WIDTH = 960


def _label(text: str, limit: int = OWNER_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _legend(x: float, y: float, items: Sequence[tuple[str, str, str]]) -> list[str]:
    """Legend swatches in a row: (css class, colour, words); "due" is drawn as a dashed line."""
    parts = []
    for css, colour, words in items:
        if css == "due":
            parts.append(
                f'<line x1="{x:.0f}" y1="{y - 4:.0f}" x2="{x + 14:.0f}" y2="{y - 4:.0f}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 3"/>'
            )
        else:
            parts.append(
                f'<rect x="{x:.0f}" y="{y - 10:.0f}" width="14" height="12" fill="{colour}"/>'
            )
        parts.append(f'<text x="{x + 19:.0f}" y="{y:.0f}">{esc(words)}</text>')
        x += 34 + 8 * cells(words)
    return parts


def owners_chart(rows: Sequence[OwnerRow]) -> str:
    """One 100% bar per owner: verified, done, open on time, overdue."""
    label_width, bar_x, bar_width, row_height, top = 200, 210, 600, 30, 36
    height = top + row_height * max(len(rows), 1) + 10
    parts = [
        f'<svg id="chart-owners" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{CHART_WIDTH}" height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" '
        'aria-labelledby="chart-owners-title">',
        f'<title id="chart-owners-title">{esc(_("Completion by owner"))}</title>',
        *_legend(
            bar_x,
            16,
            [
                ("verified", COLOURS["verified"], status_label(Status.VERIFIED)),
                ("done", COLOURS["done"], status_label(Status.DONE)),
                ("open", COLOURS["open"], _("in progress")),
                ("overdue", COLOURS["overdue"], overdue_label()),
            ],
        ),
    ]
    if not rows:
        parts.append(
            f'<text x="{bar_x}" y="{top + 20}" class="muted">{esc(_("No measures."))}</text>'
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
        owner = owner_label(row.owner)
        parts.append(f'<g class="owner-bar" data-owner="{esc(row.owner)}">')
        tip = _("{owner}: {complete} of {counted} complete").format(
            owner=owner, complete=row.complete, counted=counted
        )
        parts.append(f"<title>{esc(tip)}</title>")
        label = esc(_label(owner))
        parts.append(f'<text x="{label_width}" y="{y + 19}" text-anchor="end">{label}</text>')
        parts.append(
            f'<rect class="track" x="{bar_x}" y="{y + 5}" width="{bar_width}" height="20" '
            'fill="#f3f3f3"/>'
        )
        x = float(bar_x)
        for css, count in segments:
            if not count or not counted:
                continue
            width = bar_width * count / counted
            parts.append(
                f'<rect class="seg {css}" x="{x:.1f}" y="{y + 5}" width="{width:.1f}" '
                f'height="20" fill="{COLOURS[css]}"/>'
            )
            x += width
        parts.append(
            f'<text x="{bar_x + bar_width + 10}" y="{y + 19}">'
            f"{row.complete}/{counted} · {row.rate:.0%}</text>"
        )
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
    """Days to x positions. When the last event lies far before `as_of`, the quiet stretch
    between them (where no count changes) is cut out of the axis and marked as a break.
    """

    BREAK_WIDTH = 100

    def __init__(
        self,
        points: Sequence[BurnupPoint],
        as_of: date,
        issued: date | None,
        left: float,
        width: float,
    ) -> None:
        events = [p.day for p in points if p.day != as_of]
        self.start = min([*events, as_of, *([issued] if issued else [])])
        self.last = max([*events, self.start])
        self.as_of = as_of
        self.left, self.width = left, width
        quiet = (as_of - self.last).days
        self.broken = (
            quiet > 0 and self.last > self.start and (quiet > (self.last - self.start).days / 4)
        )
        if not self.broken:
            self.last = max(self.last, as_of)
            if self.last <= self.start:
                # A day's width at least; at the calendar's last day, the day before it.
                if self.start == date.max:
                    self.start -= timedelta(days=1)
                self.last = self.start + timedelta(days=1)
        self.main_width = width - self.BREAK_WIDTH if self.broken else width

    def x(self, day: date) -> float:
        if self.broken and day > self.last:
            return self.left + self.width
        share = (day - self.start).days / (self.last - self.start).days
        return self.left + self.main_width * share

    def ticks(self) -> list[date]:
        ticks = _date_ticks(self.start, self.last)
        return [*ticks, self.as_of] if self.broken else ticks


def burnup_chart(points: Sequence[BurnupPoint], as_of: date, issued: date | None) -> str:
    """Step lines over time: measures due by each day, complete, and verified (up to as_of)."""
    left, right, top, bottom = 56, 150, 36, 44
    height = 380
    plot_w, plot_h = CHART_WIDTH - left - right, height - top - bottom
    axis = _TimeAxis(points, as_of, issued, left, plot_w)
    highest = max([1, *(max(p.due, p.complete) for p in points)])
    y_ticks = _ticks(highest)
    y_max = y_ticks[-1]
    x_of = axis.x

    def y_of(count: int) -> float:
        return top + plot_h * (1 - count / y_max)

    parts = [
        f'<svg id="chart-burnup" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{CHART_WIDTH}" height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" '
        'aria-labelledby="chart-burnup-title">',
        '<title id="chart-burnup-title">'
        + esc(_("Completion over time: measures complete by each date against the deadlines"))
        + "</title>",
        *_legend(
            left,
            16,
            [
                ("due", COLOURS["due"], _("due by then (deadlines)")),
                ("done", COLOURS["done"], _("complete")),
                ("verified", COLOURS["verified"], status_label(Status.VERIFIED)),
            ],
        ),
    ]
    for count in y_ticks:
        y = y_of(count)
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="muted" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{count}</text>'
        )
    for tick in axis.ticks():
        x = x_of(tick)
        parts.append(
            f'<line class="axis" x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" '
            f'y2="{top + plot_h + 5}"/>'
        )
        parts.append(
            f'<text class="muted" x="{x:.1f}" y="{top + plot_h + 20}" text-anchor="middle">'
            f"{esc(format_date(tick))}</text>"
        )
    parts.append(
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
        f'y2="{top + plot_h}"/>'
    )
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    past = [p for p in points if p.day <= as_of]
    series: list[tuple[str, Sequence[BurnupPoint], Callable[[BurnupPoint], int], str, str]] = [
        ("due", points, lambda p: p.due, ' stroke-dasharray="6 4"', _("{count} due")),
        ("done", past, lambda p: p.complete, "", _("{count} complete")),
        ("verified", past, lambda p: p.verified, "", _("{count} verified")),
    ]
    labels: list[tuple[float, float, str, str]] = []
    for css, chosen, value, dash, words in series:
        if not chosen:
            continue
        path = f"M{x_of(axis.start):.1f},{y_of(0):.1f}"
        for point in chosen:
            path += f" H{x_of(point.day):.1f} V{y_of(value(point)):.1f}"
        last = chosen[-1]
        parts.append(
            f'<path class="line {css}" d="{path}" fill="none" stroke="{COLOURS[css]}" '
            f'stroke-width="2.5"{dash}/>'
        )
        labels.append(
            (y_of(value(last)) + 4, x_of(last.day) + 6, css, words.format(count=value(last)))
        )
    if axis.broken:
        gap = left + axis.main_width + 30
        parts.append(
            f'<rect class="axis-break" x="{gap:.1f}" y="{top - 2}" width="16" '
            f'height="{plot_h + 8}" fill="#fff"/>'
        )
        for offset in (0, 16):
            parts.append(
                f'<line class="axis" x1="{gap + offset - 4:.1f}" y1="{top + plot_h + 6}" '
                f'x2="{gap + offset + 4:.1f}" y2="{top + plot_h - 6}"/>'
            )
    x = x_of(as_of)
    parts.append(
        f'<line class="as-of" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" '
        'stroke="#999" stroke-dasharray="2 3"/>'
    )
    parts.append(
        f'<text class="muted" x="{x - 4:.1f}" y="{top + 12}" text-anchor="end">'
        f"{esc(_('as of {day}').format(day=format_date(as_of)))}</text>"
    )
    # End labels, nudged apart where lines end at the same height, kept above the axis.
    labels.sort()
    for index in range(1, len(labels)):
        y, x, css, words = labels[index]
        labels[index] = (max(y, labels[index - 1][0] + 15), x, css, words)
    lowest = top + plot_h - 2.0
    for index in reversed(range(len(labels))):
        y, x, css, words = labels[index]
        lowest = min(y, lowest)
        labels[index] = (lowest, x, css, words)
        lowest -= 15
    for y, x, css, words in labels:
        parts.append(f'<text x="{x:.1f}" y="{y:.1f}" fill="{COLOURS[css]}">{esc(words)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _date_ticks(start: date, end: date) -> list[date]:
    """Five or six evenly spaced days from `start` to `end`, both included."""
    span = (end - start).days
    count = min(5, span)
    return [start + timedelta(days=round(span * i / count)) for i in range(count + 1)]
