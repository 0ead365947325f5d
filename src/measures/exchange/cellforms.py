"""Cells as offices write them: owners with their partners, partner lists, deadlines, statuses.

Each reader takes one cell's value (text, a number, a date) and gives the
field's value, or raises a ValueError whose message says, in the user's
language, what is wrong and quotes the cell's text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from measures.errors import typed
from measures.i18n import _
from measures.model.status import Status

# Partners share one cell. Export joins them with the full-width semicolon;
# offices write 、 ， , ； ; / or one a line. A name that holds a separator, has
# spaces at its edges, is empty or starts with `"` is written in double quotes,
# a `"` in it doubled, as CSV quotes a cell: `"甲;乙"；丙`.
PARTNER_SEPARATOR = "；"
SEPARATORS = ";；、，,/\n\r"
_QUOTED_PARTNER = re.compile(r'\s*"((?:[^"]|"")*)"\s*(?:[;；、，,/\n\r]|\Z)')
_PLAIN_PARTNER = re.compile(r"([^;；、，,/\n\r]*)(?:[;；、，,/\n\r]|\Z)")
# `区市场监督管理局（牵头）`, `区税务局牵头`: the lead;
# `区财政局（配合）`, `区财政局配合`: a partner.
# An owner cell names several units when split by these (not `/`, which a name may hold).
_OWNER_SEPARATOR = re.compile(r"[;；、，,\n\r]")
_LEAD = re.compile(r"^(.*?)\s*(?:[（(]\s*牵头\s*[）)]|牵头)$")
_PARTNER = re.compile(r"^(.*?)\s*(?:[（(]\s*配合\s*[）)]|配合)$")

# An Excel date serial: days since 1899-12-30, taken only for days from 1990 to 2100.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(
    (date(1990, 1, 1) - _EXCEL_EPOCH).days, (date(2100, 12, 31) - _EXCEL_EPOCH).days + 1
)
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.0+)?$")

# The words a status is written in, besides its value and its name in the tool
# (labels.CHINESE_STATUS). Compared after trimming spaces.
STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.TODO: ("未启动", "未开始", "尚未启动"),
    Status.DOING: ("推进中", "正在推进", "进行中", "序时推进", "按序时推进", "滞后", "已启动"),
    Status.BLOCKED: ("受阻",),
    Status.DONE: ("已完成", "完成", "已办结"),
    Status.VERIFIED: ("已销号", "销号"),
    Status.DROPPED: ("已取消", "取消"),
}
_STATUS_OF = {
    **{word: status for status, words in STATUS_WORDS.items() for word in words},
    **{status.value: status for status in Status},
}
_SPACE = re.compile(r"[\s\u3000]+")


def cell_text(cell: Any) -> str:
    """A cell as text, with the quote that export put before a formula-like value taken off."""
    from measures.exchange.cells import restore

    if cell is None:
        return ""
    if isinstance(cell, str):
        return restore(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def shown(text: str) -> str:
    """The user's text as a message quotes it: exactly, in quotes; or the word for empty."""
    return typed(text) if text else _("empty")


def partners_cell(partners: Sequence[str]) -> str:
    """The partners as one cell, which `split_partners` reads back as the same names."""
    return PARTNER_SEPARATOR.join(_partner(name) for name in partners)


def _partner(name: str) -> str:
    plain = name and name == name.strip() and not name.startswith('"')
    if plain and not any(separator in name for separator in SEPARATORS):
        return name
    return '"' + name.replace('"', '""') + '"'


def split_partners(cell: str) -> tuple[str, ...]:
    """The names in one cell: split on 、，,；; / or a line break outside double quotes.

    A part in double quotes (`"` doubled inside) is taken exactly as quoted;
    an unquoted part loses its edge spaces, and an empty one is dropped.
    """
    names: list[str] = []
    position = 0
    while position < len(cell):
        quoted = _QUOTED_PARTNER.match(cell, position)
        if quoted:
            names.append(quoted.group(1).replace('""', '"'))
            position = quoted.end()
            continue
        plain = _PLAIN_PARTNER.match(cell, position)
        assert plain is not None  # it matches anything, up to a separator or the end
        if name := plain.group(1).strip():
            names.append(name)
        position = plain.end()
    return tuple(names)


def owner_cell(cell: str) -> tuple[str, tuple[str, ...]]:
    """The lead unit and the partners an owner cell names.

    `区市场监督管理局（牵头）、区政务服务局` and `区税务局牵头，区财政局配合`: the
    unit marked 牵头 leads, else the first named; the others are partners.
    """
    if not _OWNER_SEPARATOR.search(cell) and not _LEAD.match(cell.strip()):
        return cell, ()  # one unit, as written
    names = split_partners(cell)
    if len(names) <= 1 and not (names and (_LEAD.match(names[0]) or _PARTNER.match(names[0]))):
        return (names[0] if names else cell.strip()), ()
    lead: str | None = None
    others: list[str] = []
    for name in names:
        marked = _LEAD.match(name)
        if marked and marked.group(1) and lead is None:
            lead = marked.group(1)
            continue
        partner = _PARTNER.match(name)
        others.append(partner.group(1) if partner and partner.group(1) else name)
    if lead is None:
        lead, others = others[0], others[1:]
    return lead, merged_partners((), others, lead)


def merged_partners(first: Iterable[str], second: Iterable[str], owner: str) -> tuple[str, ...]:
    """Both lists of partners in order, each name once, the owner left out."""
    seen: dict[str, None] = {}
    for name in (*first, *second):
        if name != owner:
            seen.setdefault(name, None)
    return tuple(seen)


def status_cell(cell: Any) -> Status:
    """The status a cell's words name: its value, the tool's name, or an office's word."""
    text = cell_text(cell)
    key = _SPACE.sub("", text)
    status = _STATUS_OF.get(key) or _STATUS_OF.get(key.lower() if key.isascii() else key)
    if status is None:
        raise ValueError(
            _("{value} is not a status; use one of {choices}").format(
                value=shown(text.strip()), choices=status_choices()
            )
        )
    return status


def status_choices() -> str:
    """The words a status cell may hold, in the user's language."""
    from measures.domain.labels import CHINESE_STATUS
    from measures.i18n import language

    if language() == "zh":
        words = [w for s in Status for w in dict.fromkeys((CHINESE_STATUS[s], *STATUS_WORDS[s]))]
        return "、".join(words)
    return ", ".join(s.value for s in Status)


def _serial(number: float) -> date | None:
    if number != int(number) or int(number) not in _SERIALS:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(number))


def deadline_cell(cell: Any, year: int | None) -> tuple[date | None, str]:
    """The deadline a cell gives, and its wording when it was not a plain date ("" if it was).

    A date cell, an Excel serial (46387, in a number or a text cell), any form
    of `dates.parse_deadline`. (None, "长期坚持") for ongoing work. A ValueError
    for anything else, empty included; the caller decides whether empty is allowed.
    """
    from measures.domain.dates import NeedsYear, parse_deadline

    if isinstance(cell, datetime):
        return cell.date(), ""
    if isinstance(cell, date):
        return cell, ""
    text = cell_text(cell)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        day = _serial(cell)
        if day is not None:
            return day, ""
    elif _SERIAL_TEXT.match(text.strip()):
        day = _serial(float(text))
        if day is not None:
            return day, ""
    try:
        day, plain = parse_deadline(text, year)
    except NeedsYear:
        raise ValueError(
            _(
                "{value} names no year, and the file gives none; write the year, as {example}"
            ).format(value=shown(text), example="2026年12月底前")
        ) from None
    except ValueError as error:
        if str(error) == "calendar":
            raise ValueError(
                _("{value} does not exist on the calendar").format(value=shown(text))
            ) from None
        raise ValueError(
            _("must be a date such as 2020-12-31, a period such as {examples}, not {value}").format(
                examples="2026年6月底前、2026年年底前、第一季度、长期坚持", value=shown(text)
            )
        ) from None
    return day, "" if plain else text.strip()


def day_cell(cell: Any) -> date:
    """The day a cell names (a day the work was done): a plain date only, no period."""
    day, wording = deadline_cell(cell, None)
    if day is None or wording:
        raise ValueError(
            _("must be a day such as 2020-12-31, not {value}").format(value=shown(cell_text(cell)))
        )
    return day
