"""The reminder notice (督办通知单) as Word, Markdown or HTML: one unit, what it owes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from measures.domain.labels import (
    deadline_label,
    display_title,
    format_date,
    owner_text,
    status_label,
)
from measures.domain.lights import light_label
from measures.i18n import _

if TYPE_CHECKING:
    from measures.domain.notice import Item, Notice


def _heading_words(notice: Notice) -> list[str]:
    """The lines under the title: the number, the office and the date."""
    lines = []
    if notice.number:
        lines.append(notice.number)
    issuer = notice.office or _("The supervision office")
    lines.append(_("{office}, {day}").format(office=issuer, day=format_date(notice.as_of)))
    return lines


def _request(notice: Notice) -> str:
    return _(
        "Under “{plan}”, the measures below, which your unit leads or works on as a partner, "
        "are overdue or at risk as of {day}. Please report in writing by {reply} what has been "
        "done, what stands in the way and what comes next, and fill in the reply below."
    ).format(
        plan=plan_names(notice),
        day=format_date(notice.as_of),
        reply=format_date(notice.reply_by),
    )


def plan_names(notice: Notice) -> str:
    """The plan's name, or the names of the plans the notice covers: “A”, “B” (《A》《B》)."""
    # Between two names inside the sentence's quotation marks: they close and open again.
    return _("”, “").join(notice.plans)


def _headings(partner: bool = False) -> list[str]:
    """The columns of a section; the partner's names the lead unit too (marked if inferred)."""
    return [
        _("ID"),
        _("Measure"),
        *([_("Lead unit")] if partner else []),
        _("Deadline"),
        _("Status"),
        _("Days late"),
        _("Light"),
        _("Latest progress"),
    ]


def light_column(partner: bool = False) -> int:
    return 6 if partner else 5


def _row(item: Item, partner: bool = False) -> list[str]:
    measure = item.measure
    return [
        item.ident,
        display_title(measure),
        *([owner_text(measure) or "-"] if partner else []),
        deadline_label(measure),
        status_label(measure.status),
        str(item.days_late) if item.days_late else "",
        light_label(item.light),
        item.progress,
    ]


def _sections(notice: Notice) -> list[tuple[str, list[Item], bool]]:
    """Each section: its caption, its measures, and whether the unit is a partner there."""
    return [
        (_("As lead unit"), notice.led, False),
        (_("As partner unit"), notice.partnered, True),
    ]


def inferred_line(items: list[Item]) -> str | None:
    """Under the lead section: the measures whose lead the ledger only infers, if any."""
    inferred = [item.ident for item in items if item.inferred]
    if not inferred:
        return None
    return _(
        "No source names the lead unit of {ids}: the office infers it is your unit. "
        "If another unit leads, say so in the reply."
    ).format(ids=_(", ").join(inferred))


def _reply_labels() -> list[str]:
    return [
        _("Reply of the unit (what has been done, problems, next steps)"),
        _("Person in charge (signature), date"),
        _("Contact and telephone"),
    ]


def notice_docx(notice: Notice) -> bytes:
    """The notice as a Word document on A4, ready to edit, print and send."""
    from measures.render import docx as word

    document = word.new_document()
    word.title(document, _("Supervision notice"))
    for line in _heading_words(notice):
        word.body(document, line, indent=False, align="CENTER", size=word.BODY_PT)
    word.body(document, _("{unit}:").format(unit=notice.unit), indent=False)
    word.body(document, _request(notice))
    for caption, items, partner in _sections(notice):
        word.heading(
            document, f"{caption}（{len(items)}）" if _zh() else f"{caption} ({len(items)})"
        )
        if not items:
            word.body(document, _("None."), indent=False, size=word.TABLE_PT)
            continue
        rows = [_row(item, partner) for item in items]
        grid = word.table(document, _headings(partner), rows, _widths(partner), word.SMALL_PT)
        for index, item in enumerate(items, start=1):
            cell = grid.rows[index].cells[light_column(partner)]
            word.shade(cell, word.LIGHT_FILL[item.light.value])
        inferred = None if partner else inferred_line(items)
        if inferred is not None:
            word.body(document, inferred, indent=False, size=word.SMALL_PT)
    word.heading(document, _("Reply"))
    labels = _reply_labels()
    reply = word.table(
        document,
        [labels[0], ""],
        [[labels[1], ""], [labels[2], ""]],
        [40.0, 116.0],
        word.SMALL_PT,
        header=False,
    )
    from docx.shared import Mm

    reply.rows[0].height = Mm(26)
    word.body(
        document,
        _("Two copies: one kept by the unit, one returned to the office."),
        indent=False,
        size=word.SMALL_PT,
    )
    return word.to_bytes(document)


def _widths(partner: bool) -> list[float]:
    """156 mm, the text block; English words (blocked, yellow) need wider cells."""
    if partner:
        if _zh():
            return [12.0, 34.0, 22.0, 20.0, 14.0, 12.0, 12.0, 30.0]
        return [10.0, 30.0, 22.0, 20.0, 17.0, 13.0, 14.0, 30.0]
    if _zh():
        return [12.0, 40.0, 22.0, 14.0, 13.0, 13.0, 42.0]
    return [10.0, 38.0, 22.0, 17.0, 14.0, 15.0, 40.0]


def _zh() -> bool:
    from measures.i18n import language

    return language() == "zh"


def notice_markdown(notice: Notice) -> str:
    from measures.render.markdown import cell, table

    parts = [f"# {cell(_('Supervision notice'))}\n"]
    parts += [cell(line) + "\n" for line in _heading_words(notice)]
    parts.append(cell(_("{unit}:").format(unit=notice.unit)) + "\n")
    parts.append(cell(_request(notice)) + "\n")
    for caption, items, partner in _sections(notice):
        parts.append(f"## {cell(caption)} ({len(items)})\n")
        parts.append(
            table(_headings(partner), [_row(item, partner) for item in items])
            if items
            else _("None.") + "\n"
        )
        inferred = None if partner else inferred_line(items)
        if inferred is not None:
            parts.append(cell(inferred) + "\n")
    parts.append(f"## {cell(_('Reply'))}\n")
    parts.append(table([_("Item"), _("Reply")], [[label, ""] for label in _reply_labels()]))
    return "\n".join(parts)


def notice_html(notice: Notice) -> str:
    from measures.i18n import language
    from measures.render.html import esc, kept

    lang = "zh-CN" if language() == "zh" else "en"
    lines = [
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">',
        f"<title>{esc(_('Supervision notice'))} · {esc(notice.unit)}</title>",
        '<style>body{font-family:"FangSong","仿宋","Noto Serif CJK SC",serif;max-width:46rem;'
        "margin:2rem auto;padding:0 1rem;line-height:1.6}h1{text-align:center;"
        'font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif}.c{text-align:center}'
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #555;padding:.3rem;"
        "vertical-align:top}.red{background:#f4b6b0}.yellow{background:#fce8a6}"
        ".reply td{height:2.5rem}.reply tr:first-child td{height:10rem}"
        "@page{size:A4;margin:37mm 26mm 35mm 28mm}</style>\n</head>\n<body>",
        f"<h1>{esc(_('Supervision notice'))}</h1>",
    ]
    lines += [f'<p class="c">{kept(line)}</p>' for line in _heading_words(notice)]
    lines.append(f"<p>{kept(_('{unit}:').format(unit=notice.unit))}</p>")
    lines.append(f"<p>{kept(_request(notice))}</p>")
    for caption, items, partner in _sections(notice):
        lines.append(f"<h2>{kept(caption)} ({len(items)})</h2>")
        if not items:
            lines.append(f"<p>{esc(_('None.'))}</p>")
            continue
        head = "".join(f"<th>{esc(h)}</th>" for h in _headings(partner))
        lines.append("<table><thead><tr>" + head)
        lines.append("</tr></thead><tbody>")
        shaded = light_column(partner)
        for item in items:
            cells = _row(item, partner)
            lines.append(
                "<tr>"
                + "".join(
                    f'<td class="{item.light.value}">{kept(v)}</td>'
                    if i == shaded
                    else f"<td>{kept(v)}</td>"
                    for i, v in enumerate(cells)
                )
                + "</tr>"
            )
        lines.append("</tbody></table>")
        inferred = None if partner else inferred_line(items)
        if inferred is not None:
            lines.append(f"<p>{kept(inferred)}</p>")
    lines.append(f"<h2>{esc(_('Reply'))}</h2>")
    lines.append('<table class="reply"><tbody>')
    lines += [f"<tr><th>{esc(label)}</th><td></td></tr>" for label in _reply_labels()]
    lines.append("</tbody></table>\n</body>\n</html>\n")
    return "\n".join(lines)
