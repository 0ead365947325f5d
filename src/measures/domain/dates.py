"""Parsing the dates people type: 2020-12-31, 2020/12/31, 2020年12月31日, today, +7d, -3d."""

import re
from datetime import date, timedelta

from measures.errors import BadValue, typed
from measures.i18n import N_, _

_NUMERIC = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_RELATIVE = re.compile(r"^([+-])(\d+)d$")

_MOST_DAYS_DIGITS = len(str((date.max - date.min).days))

ACCEPTED = N_("2020-12-31, 2020/12/31, 2020年12月31日, today, +7d or -3d")


def parse_date(text: str, today: date, what: str = "date") -> date:
    """Return the date `text` names, relative forms counted from `today`."""
    value = text.strip()
    if value.lower() == "today":
        return today
    relative = _RELATIVE.match(value)
    if relative:
        digits = relative.group(2).lstrip("0") or "0"
        try:
            # More digits than any span of the calendar has days is out of range
            # (and Python refuses to read a number of over 4,300 digits).
            if len(digits) > _MOST_DAYS_DIGITS:
                raise OverflowError
            days = int(digits)
            return today + timedelta(days=days if relative.group(1) == "+" else -days)
        except OverflowError:
            raise BadValue(
                _("{option} {value} is out of range.").format(option=what, value=typed(text))
            ) from None
    match = _NUMERIC.match(value) or _CHINESE.match(value)
    if not match:
        raise BadValue(
            _("{option} {value} is not a date.").format(option=what, value=typed(text)),
            _("Use {forms}.").format(forms=_(ACCEPTED)),
        )
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(
            _("{option} {value} does not exist on the calendar.").format(
                option=what, value=typed(text)
            )
        ) from None


# How offices write a deadline in a plan's table or a unit's sheet. Each form
# gives the last day of the period it names; `_PERIODS` maps a period's words to
# its last month. The forms are fixed: a file must not mean another day tomorrow.
_SEPARATED = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:0{2}(?::0{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?(?:前|之前|以前)?$")
_MONTH = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(?:底|末|份|中旬|下旬)?(?:前|之前|以前)?$")
_YEAR_END = re.compile(r"^(\d{4})年(?:年)?(?:底|末|内|年底|年末)?(?:前|之前|以前)?$")
_PERIOD = re.compile(
    r"^(?:(\d{4})年)?(?:第?([一二三四1-4])季度|([上下])半年)(?:末|底)?(?:前|之前|以前)?$"
)
_QUARTERS = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_HALVES = {"上": 6, "下": 12}
# Work that goes on with no end: no deadline, never overdue.
ONGOING = ("长期坚持", "持续推进", "常态化推进", "常态化", "长期", "持续", "长期推进", "持续开展")
_SPACES = re.compile(r"[\s\u3000]+")


class NeedsYear(ValueError):
    """A month or period with no year (`12月底前`) where no year of the plan is known."""


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def parse_deadline(text: str, year: int | None) -> tuple[date | None, bool]:
    """The deadline a cell's text names, and whether it was a plain date.

    `2026-12-31`, `2026/12/31`, `2026.12.31`, `20261231`, `2026-12-31 00:00:00`
    and `2026年12月31日` are plain dates. `2026年6月底前` (a month: its last
    day), `2026年年底前` (31 December), `2026年第一季度`, `上半年` (a quarter or
    half: its last day) are periods; with no year, the year given (the plan's).
    Ongoing wording (`长期坚持`, `持续推进`, `常态化`) has no deadline: (None,
    False). A ValueError if the text is none of these or names no real day; a
    NeedsYear if it needs a year and `year` is None.
    """
    value = _SPACES.sub("", text)
    for pattern in (_SEPARATED, _COMPACT):
        match = pattern.match(text.strip())
        if match:
            written, month, day = match.groups()
            return _day(written, month, day, year=None), True
    if value in ONGOING:
        return None, False
    match = _DAY.match(value)
    if match:
        plain = match.group(1) is not None and value.endswith(("日", "号"))
        return _day(match.group(1), match.group(2), match.group(3), year=year), plain
    match = _MONTH.match(value)
    if match:
        month = int(match.group(2))
        return _period_end(match.group(1), month, year), False
    match = _YEAR_END.match(value)
    if match:
        return date(int(match.group(1)), 12, 31), False
    match = _PERIOD.match(value)
    if match:
        month = _QUARTERS[match.group(2)] if match.group(2) else _HALVES[match.group(3)]
        return _period_end(match.group(1), month, year), False
    raise ValueError(text)


def _year(written: str | None, year: int | None) -> int:
    if written is not None:
        return int(written)
    if year is None:
        raise NeedsYear
    return year


def _day(written: str | None, month: str, day: str, year: int | None) -> date:
    try:
        return date(_year(written, year), int(month), int(day))
    except NeedsYear:
        raise
    except ValueError:
        raise ValueError("calendar") from None


def _period_end(written: str | None, month: int, year: int | None) -> date:
    if not 1 <= month <= 12:
        raise ValueError("calendar")
    return _month_end(_year(written, year), month)
