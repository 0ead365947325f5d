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
